#include "wire/JsonStreamFramer.h"

#include <array>
#include <cstring>
#include <utility>

namespace rpcbench {

namespace {

// Byte classes as lookup tables: one indexed load per byte is the cheapest test for the
// bytes outside strings (inside strings memchr does the work).
constexpr std::array<bool, 256> makeTable(const char* chars)
{
    std::array<bool, 256> table{};
    for (const char* c = chars; *c; ++c)
        table[static_cast<unsigned char>(*c)] = true;
    return table;
}

constexpr auto kWhitespace = makeTable(" \t\r\n");
// Bytes that change the scanner state inside an array/object.
constexpr auto kStructural = makeTable("\"{}[]");
// Bytes that end a top-level scalar (the whitespace is not part of the message; a structural
// opener starts the next one).
constexpr auto kScalarEnd = makeTable(" \t\r\n{[\"");

inline bool in(const std::array<bool, 256>& table, char c)
{
    return table[static_cast<unsigned char>(c)];
}

inline const char* findByte(const char* p, const char* end, char c)
{
    return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

} // namespace

JsonStreamFramer::JsonStreamFramer(qsizetype maxMessageBytes) : m_max(maxMessageBytes) {}

JsonStreamFramer::Status JsonStreamFramer::feed(QByteArrayView data, QList<QByteArray>& out)
{
    struct Collect : Sink
    {
        QList<QByteArray>& out;
        explicit Collect(QList<QByteArray>& list) : out(list) {}
        void onMessage(QByteArrayView message) override { out.append(message.toByteArray()); }
    } collect(out);
    return feed(data, collect);
}

JsonStreamFramer::Status JsonStreamFramer::feed(QByteArrayView data, Sink& out)
{
    if (m_failed)
        return Status::TooLarge;
    const char* p = data.data();
    const char* const end = p + data.size();
    // Start of the current message inside this chunk; its earlier bytes (if any) are in m_buf.
    const char* msgStart = p;
    while (p < end) {
        if (m_state == State::Between) {
            while (p < end && in(kWhitespace, *p))
                ++p;
            if (p == end)
                break;
            msgStart = p;
            switch (*p++) {
            case '{':
            case '[':
                m_state = State::InValue;
                m_depth = 1;
                break;
            case '"':
                m_state = State::InString;
                m_depth = 0;
                break;
            case '}':
            case ']':
                // A stray closer is its own (invalid) message so the codec can answer it.
                emitMessage(msgStart, p, out);
                continue;
            default:
                m_state = State::Scalar;
                break;
            }
        }
        // Never scan more than one byte past the limit: a hostile peer sending endless "[[[["
        // is stopped right there instead of being buffered. The extra byte lets a scalar of
        // exactly m_max bytes see its terminating whitespace.
        const qsizetype used = m_buf.size() + (p - msgStart);
        const qsizetype scanLimit = m_max - used + 1;
        if (scanLimit <= 0)
            return fail();
        const char* const scanEnd = p + qMin<qsizetype>(end - p, scanLimit);
        const char* done = m_state == State::Scalar ? scanScalar(p, scanEnd) : scanMessage(p, scanEnd);
        if (done) {
            if (m_buf.size() + (done - msgStart) > m_max)
                return fail();
            emitMessage(msgStart, done, out);
            m_state = State::Between;
            p = done;
            continue;
        }
        if (m_buf.size() + (scanEnd - msgStart) > m_max)
            return fail();
        p = scanEnd;
    }
    if (m_state != State::Between)
        m_buf.append(msgStart, end - msgStart); // one bulk append of the incomplete tail
    return Status::Ok;
}

JsonStreamFramer::Status JsonStreamFramer::fail()
{
    m_failed = true;
    m_buf = QByteArray(); // release the memory right away
    return Status::TooLarge;
}

// Scans an array, object or top-level string from `p`. Returns the end of the message
// (exclusive) or nullptr when `end` came first (state is kept for the next chunk).
const char* JsonStreamFramer::scanMessage(const char* p, const char* end)
{
    while (p < end) {
        if (m_state != State::InValue) {
            p = scanString(p, end);
            if (!p)
                return nullptr;
            m_state = State::InValue;
            if (m_depth == 0)
                return p; // a top-level string ends at its closing quote
            continue;
        }
        while (p < end && !in(kStructural, *p))
            ++p;
        if (p == end)
            return nullptr;
        switch (*p++) {
        case '"':
            m_state = State::InString;
            break;
        case '{':
        case '[':
            ++m_depth;
            break;
        default: // '}' or ']': mismatched pairs are left to the JSON parser
            if (--m_depth == 0)
                return p;
            break;
        }
    }
    return nullptr;
}

// Inside a string: jumps to the next quote with memchr and only looks for backslashes
// before it. Both searches only move forward, so every byte is looked at a bounded number of
// times. Returns the position after the closing quote, or nullptr at `end`.
const char* JsonStreamFramer::scanString(const char* p, const char* end)
{
    const char* quote = nullptr; // next '"' at or after p (end = none in this chunk)
    while (p < end) {
        if (m_state == State::InStringEscape) {
            m_state = State::InString;
            ++p; // the escaped byte, whatever it is
            continue;
        }
        if (!quote || quote < p) {
            quote = findByte(p, end, '"');
            if (!quote)
                quote = end;
        }
        const char* backslash = findByte(p, quote, '\\');
        if (!backslash)
            return quote == end ? nullptr : quote + 1;
        m_state = State::InStringEscape;
        p = backslash + 1;
    }
    return nullptr;
}

// A top-level number, literal or garbage token: ends before whitespace or a structural opener.
const char* JsonStreamFramer::scanScalar(const char* p, const char* end)
{
    while (p < end && !in(kScalarEnd, *p))
        ++p;
    return p == end ? nullptr : p;
}

void JsonStreamFramer::emitMessage(const char* start, const char* end, Sink& sink)
{
    if (m_buf.isEmpty()) {
        sink.onMessage(QByteArrayView(start, end - start)); // the whole message is in this chunk
        return;
    }
    m_buf.append(start, end - start);
    const QByteArray message = std::exchange(m_buf, QByteArray());
    sink.onMessage(message);
}

bool JsonStreamFramer::hasPartial() const
{
    // Whitespace between messages is never buffered, so any buffered byte is message content.
    return !m_buf.isEmpty();
}

qsizetype JsonStreamFramer::bufferedBytes() const
{
    return m_buf.size();
}

void JsonStreamFramer::reset()
{
    m_buf = QByteArray();
    m_state = State::Between;
    m_depth = 0;
    m_failed = false;
}

QByteArray JsonStreamFramer::frame(const QByteArray& json)
{
    QByteArray framed;
    framed.reserve(json.size() + 1);
    framed.append(json);
    framed.append('\n');
    return framed;
}

} // namespace rpcbench
