#include "util/JsonStringWriter.h"

#include <algorithm>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace rpcbench {

namespace {

const char kHex[] = "0123456789abcdef";

// The output buffer is sized ahead and written through a pointer; `ensure` grows it so that
// at least `room` more bytes fit. The final size is set once at the end.
class Output
{
public:
    Output(QByteArray& out, qsizetype expected) : m_out(out), m_pos(out.size())
    {
        m_out.resize(m_pos + expected);
        m_data = m_out.data();
    }
    void ensure(qsizetype room, qsizetype hint)
    {
        if (m_pos + room <= m_out.size())
            return;
        m_out.resize(std::max(m_pos + room + hint, m_out.size() + m_out.size() / 2));
        m_data = m_out.data();
    }
    char* at() { return m_data + m_pos; }
    void advance(qsizetype n) { m_pos += n; }
    void put(char c) { m_data[m_pos++] = c; }
    void finish() { m_out.resize(m_pos); }

private:
    QByteArray& m_out;
    qsizetype m_pos;
    char* m_data;
};

void putEscape(Output& o, char16_t u)
{
    char* w = o.at();
    w[0] = '\\';
    w[1] = 'u';
    w[2] = kHex[u >> 12];
    w[3] = kHex[(u >> 8) & 0xf];
    w[4] = kHex[(u >> 4) & 0xf];
    w[5] = kHex[u & 0xf];
    o.advance(6);
}

// One code unit that is not plain ASCII (or a surrogate pair); returns how many units it used.
// Needs 6 bytes of room.
qsizetype putSpecial(Output& o, const char16_t* p, qsizetype left)
{
    const char16_t c = p[0];
    if (c < 0x80) {
        char e = 0;
        switch (c) {
        case '"':
            e = '"';
            break;
        case '\\':
            e = '\\';
            break;
        case '\b':
            e = 'b';
            break;
        case '\f':
            e = 'f';
            break;
        case '\n':
            e = 'n';
            break;
        case '\r':
            e = 'r';
            break;
        case '\t':
            e = 't';
            break;
        default:
            if (c >= 0x20) {
                o.put(char(c));
                return 1;
            }
            putEscape(o, c);
            return 1;
        }
        o.put('\\');
        o.put(e);
        return 1;
    }
    if (c < 0x800) {
        o.put(char(0xC0 | (c >> 6)));
        o.put(char(0x80 | (c & 0x3F)));
        return 1;
    }
    const bool high = c >= 0xD800 && c <= 0xDBFF;
    const bool low = c >= 0xDC00 && c <= 0xDFFF;
    if (high && left > 1 && p[1] >= 0xDC00 && p[1] <= 0xDFFF) {
        const char32_t cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(p[1]) - 0xDC00);
        o.put(char(0xF0 | (cp >> 18)));
        o.put(char(0x80 | ((cp >> 12) & 0x3F)));
        o.put(char(0x80 | ((cp >> 6) & 0x3F)));
        o.put(char(0x80 | (cp & 0x3F)));
        return 2;
    }
    if (high || low) {
        putEscape(o, c); // a lone surrogate
        return 1;
    }
    o.put(char(0xE0 | (c >> 12)));
    o.put(char(0x80 | ((c >> 6) & 0x3F)));
    o.put(char(0x80 | (c & 0x3F)));
    return 1;
}

bool plainAscii(char16_t c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

// Copies plain ASCII code units until the first one that is not; returns how many it copied.
// The caller guarantees `n` bytes of room.
qsizetype copyPlain(char* w, const char16_t* p, qsizetype n)
{
    qsizetype i = 0;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi16(0x20);
    const __m128i del = _mm_set1_epi16(0x7F);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    for (; i + 8 <= n; i += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        // Signed compares: units >= 0x8000 are negative, so "< 0x20" catches them too.
        __m128i bad = _mm_or_si128(_mm_cmplt_epi16(v, space), _mm_cmpgt_epi16(v, del));
        bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
        if (_mm_movemask_epi8(bad) != 0)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i*>(w + i), _mm_packus_epi16(v, v));
    }
#endif
    for (; i < n && plainAscii(p[i]); ++i)
        w[i] = char(p[i]);
    return i;
}

} // namespace

void JsonStringWriter::append(QByteArray& out, QStringView s)
{
    const auto* p = reinterpret_cast<const char16_t*>(s.utf16());
    const qsizetype n = s.size();
    Output o(out, n + 2); // exact for plain ASCII, the common case
    o.put('"');
    qsizetype i = 0;
    while (i < n) {
        o.ensure(n - i + 7, 64);
        const qsizetype copied = copyPlain(o.at(), p + i, n - i);
        o.advance(copied);
        i += copied;
        if (i < n)
            i += putSpecial(o, p + i, n - i);
    }
    o.ensure(1, 0);
    o.put('"');
    o.finish();
}

} // namespace rpcbench
