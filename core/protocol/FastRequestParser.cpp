#include "protocol/FastRequestParser.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace rpcbench {

namespace {

// A cursor over the message. Every reader returns false for "not in the fast subset"; the
// caller then gives up on the whole message.
class Reader
{
public:
    explicit Reader(QByteArrayView json) : m_p(json.data()), m_end(json.data() + json.size()) {}

    bool eat(char c)
    {
        skipSpace();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    char peek()
    {
        skipSpace();
        return m_p < m_end ? *m_p : '\0';
    }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

    // A string of printable ASCII without escapes; `out` gets its contents. Everything the
    // fast path reads as a string (keys, version, method, id) must be like that.
    bool plainAscii(QByteArrayView* out)
    {
        if (!eat('"'))
            return false;
        const char* start = m_p;
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"')
                break;
            if (c == '\\' || c < 0x20 || c >= 0x80)
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        *out = QByteArrayView(start, m_p - start);
        ++m_p; // closing quote
        return true;
    }

    // An integer written the way it would be written back: -?(0|[1-9][0-9]*), at most 18
    // digits (exact in qint64), not "-0".
    bool canonicalInteger(QByteArrayView* text)
    {
        skipSpace();
        const char* start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        const char* digits = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        const qsizetype n = m_p - digits;
        if (n == 0 || n > 18 || (*digits == '0' && (n > 1 || digits != start)))
            return false;
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        *text = QByteArrayView(start, m_p - start);
        return true;
    }

    bool literal(QByteArrayView word)
    {
        skipSpace();
        if (m_end - m_p < word.size() || QByteArrayView(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }

    // An array or object, skipped without validation (the caller has Qt parse the span);
    // false if its brackets nest deeper than `maxDepth` (so the scan that finds the span is
    // also the depth check: no second pass).
    bool container(QByteArrayView* span, int maxDepth)
    {
        skipSpace();
        if (m_p == m_end || (*m_p != '[' && *m_p != '{'))
            return false;
        const char* start = m_p;
        int depth = 0;
        while (m_p < m_end) {
            const char c = *m_p++;
            if (c == '"') {
                if (!skipStringBody())
                    return false;
            } else if (c == '[' || c == '{') {
                if (++depth > maxDepth)
                    return false;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                *span = QByteArrayView(start, m_p - start);
                return true;
            }
        }
        return false;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool skipStringBody()
    {
        for (;;) {
            const auto* quote = static_cast<const char*>(std::memchr(m_p, '"', size_t(m_end - m_p)));
            if (!quote)
                return false;
            const auto* backslash = static_cast<const char*>(std::memchr(m_p, '\\', size_t(quote - m_p)));
            if (!backslash) {
                m_p = quote + 1;
                return true;
            }
            m_p = backslash + 2; // the escaped character, which may be a quote
            if (m_p > m_end)
                return false;
        }
    }

    const char* m_p;
    const char* m_end;
};

// 16 bytes per step with SSE2 (this check runs over every byte of large payloads).
bool isPrintableAsciiWithoutBackslash(QByteArrayView text)
{
    const char* p = text.data();
    const char* const end = p + text.size();
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i backslash = _mm_set1_epi8('\\');
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
        const __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, backslash));
        if (_mm_movemask_epi8(bad) != 0)
            return false;
    }
#endif
    for (; p < end; ++p) {
        const auto u = static_cast<unsigned char>(*p);
        if (u < 0x20 || u >= 0x80 || u == '\\')
            return false;
    }
    return true;
}

// Large payloads are usually arrays of plain strings (a document, a blob as text). Qt's
// parser walks those byte by byte; here each string is found with memchr, checked to be
// printable ASCII without escapes, and stored as Latin-1 without a UTF-16 detour: about 3x
// faster on a 64 KiB string. Anything else returns false and Qt parses the span.
bool readPlainStringArray(QByteArrayView span, QJsonArray* out)
{
    const char* p = span.data() + 1;                       // after '['
    const char* const end = span.data() + span.size() - 1; // at ']'
    QJsonArray array;
    auto skipSpace = [&] {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            ++p;
    };
    skipSpace();
    while (p < end) {
        if (*p != '"')
            return false;
        const auto* close = static_cast<const char*>(std::memchr(p + 1, '"', size_t(end - p - 1)));
        if (!close)
            return false;
        const QByteArrayView text(p + 1, close - p - 1);
        if (!isPrintableAsciiWithoutBackslash(text))
            return false; // escapes, controls, UTF-8: Qt's rules apply
        array.append(QJsonValue(QLatin1StringView(text)));
        p = close + 1;
        skipSpace();
        if (p < end && *p == ',') {
            ++p;
            skipSpace();
            if (p == end)
                return false; // trailing comma
        } else if (p != end) {
            return false;
        }
    }
    *out = std::move(array);
    return true;
}

// Params of any shape: the span is found here and handed to Qt's parser, which builds the
// array or object straight into its storage (about 2.5× faster than appending values
// one by one). Qt validates the span, so invalid params still fall back.
bool readParams(Reader& in, int maxDepth, DecodedRequest* r)
{
    QByteArrayView span;
    if (!in.container(&span, maxDepth - 1))  // params sit one level inside the request
        return false;                        // (too deep: the general path answers with the error)
    constexpr qsizetype kLargeParams = 4096; // below this Qt's parser is the faster one
    if (span.size() >= kLargeParams && span.front() == '[' && readPlainStringArray(span, &r->positional))
        return true;
    const QByteArray bytes = QByteArray::fromRawData(span.data(), span.size());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return false;
    if (doc.isArray())
        r->positional = doc.array();
    else
        r->named = doc.object();
    return true;
}

// The id, kept as the exact JSON to answer with when it is already in the form the general
// path would write (plain string, canonical integer, null).
bool readId(Reader& in, QByteArray* idJson)
{
    QByteArrayView text;
    switch (in.peek()) {
    case '"':
        if (!in.plainAscii(&text))
            return false;
        idJson->clear(); // replaces the default "null"
        idJson->reserve(text.size() + 2);
        idJson->append('"').append(text).append('"');
        return true;
    case 'n':
        *idJson = QByteArrayLiteral("null");
        return in.literal("null");
    default:
        if (!in.canonicalInteger(&text))
            return false;
        *idJson = text.toByteArray();
        return true;
    }
}

// Method names repeat from call to call: keep the QStrings of recent ones (per thread, no
// locking) so a call costs a hash lookup instead of an allocation.
QString methodName(QByteArrayView name)
{
    thread_local QHash<QByteArray, QString> cache;
    const QByteArray key = QByteArray::fromRawData(name.data(), name.size());
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return it.value();
    if (cache.size() >= 256)
        cache.clear(); // a peer sending endless distinct names must not grow memory
    const QString value = QString::fromLatin1(name);
    cache.insert(name.toByteArray(), value);
    return value;
}

enum Member : unsigned { JsonRpc = 1, Method = 2, Params = 4, Id = 8 };

Member memberFor(QByteArrayView key)
{
    if (key == "jsonrpc")
        return JsonRpc;
    if (key == "method")
        return Method;
    if (key == "params")
        return Params;
    if (key == "id")
        return Id;
    return Member(0);
}

bool readMember(Reader& in, int maxDepth, unsigned* seen, DecodedRequest* r)
{
    QByteArrayView key;
    if (!in.plainAscii(&key) || !in.eat(':'))
        return false;
    const Member member = memberFor(key);
    if (!member || (*seen & member))
        return false; // other members or duplicates: general path
    *seen |= member;
    QByteArrayView text;
    switch (member) {
    case JsonRpc:
        return in.plainAscii(&text) && text == "2.0";
    case Method:
        if (!in.plainAscii(&text))
            return false;
        r->method = methodName(text);
        return true;
    case Id:
        r->hasId = true;
        return readId(in, &r->idJson);
    case Params:
        return readParams(in, maxDepth, r);
    }
    return false;
}

} // namespace

std::optional<DecodedRequest> FastRequestParser::parse(QByteArrayView json, int maxDepth)
{
    Reader in(json);
    if (!in.eat('{'))
        return std::nullopt;
    DecodedRequest r;
    unsigned seen = 0;
    do {
        if (!readMember(in, maxDepth, &seen, &r))
            return std::nullopt;
    } while (in.eat(','));
    if (!in.eat('}') || !in.atEnd() || (seen & (JsonRpc | Method)) != (JsonRpc | Method))
        return std::nullopt;
    r.dialect = Dialect::JsonRpc2;
    r.notification = !r.hasId;
    r.valid = true;
    return r;
}

} // namespace rpcbench
