#include "wire/JsonStreamFramer.h"

#include <array>
#include <cstring>
#include <utility>

namespace rpcbench {

namespace {

// What a byte means outside strings, as a lookup table: one indexed load per byte is the
// cheapest test (inside strings memchr does the work).
enum ByteClass : quint8 {
    Other, // not JSON outside a string
    Space,
    Quote,
    OpenObject,
    OpenArray,
    CloseObject,
    CloseArray,
    Comma,
    Colon,
    ScalarStart, // can start a number or a literal
    kClassCount,
};

constexpr std::array<ByteClass, 256> makeClasses()
{
    std::array<ByteClass, 256> table{};
    auto set = [&table](const char* chars, ByteClass cls) {
        for (const char* c = chars; *c; ++c)
            table[static_cast<unsigned char>(*c)] = cls;
    };
    set(" \t\r\n", Space);
    set("\"", Quote);
    set("{", OpenObject);
    set("[", OpenArray);
    set("}", CloseObject);
    set("]", CloseArray);
    set(",", Comma);
    set(":", Colon);
    set("-0123456789tfn", ScalarStart);
    return table;
}

constexpr auto kClass = makeClasses();

inline ByteClass classOf(char c)
{
    return kClass[static_cast<unsigned char>(c)];
}

constexpr std::array<bool, 256> makeTable(const char* chars, bool member = true)
{
    std::array<bool, 256> table{};
    table.fill(!member);
    for (const char* c = chars; *c; ++c)
        table[static_cast<unsigned char>(*c)] = member;
    return table;
}

inline bool in(const std::array<bool, 256>& table, char c)
{
    return table[static_cast<unsigned char>(c)];
}

// Bytes that end a top-level scalar (the whitespace is not part of the message; a structural
// opener starts the next one).
constexpr auto kTopScalarEnd = makeTable(" \t\r\n{[\"");
// Bytes that continue a number or literal inside a container: anything that is neither
// whitespace nor structure. The codec validates the token itself.
constexpr auto kScalarByte = makeTable(" \t\r\n\"{}[],:", false);
// Bytes that matter below the checked depth, where brackets are only counted.
constexpr auto kCounted = makeTable("\"{}[]");

inline const char* findByte(const char* p, const char* end, char c)
{
    return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

// The reasons are static strings: a syntax error costs no allocation.
enum Reason : quint8 {
    Mismatch,
    TrailingComma,
    KeyNotString,
    MissingColon,
    MissingValue,
    BadValue,
    MissingComma,
};
constexpr const char* kReasons[] = {
    "closing bracket does not match the opening one",
    "trailing comma",
    "object key must be a string",
    "missing ':' after an object key",
    "missing value",
    "not a JSON value",
    "missing ',' or closing bracket after a value",
};
constexpr const char* kStrayCloser = "closing bracket outside any array or object";

// What the innermost container accepts next. The containers around it all wait for the end of
// their current value, so this one state (plus a bit per level: object or array) is the whole
// grammar state.
enum Expect : quint8 {
    FirstKey,    // after `{`: a key or `}`
    Key,         // after `,` in an object
    AfterKey,    // after a key: `:`
    MemberValue, // after `:`
    ObjectNext,  // after a member: `,` or `}`
    FirstValue,  // after `[`: a value or `]`
    Value,       // after `,` in an array
    ArrayNext,   // after an element: `,` or `]`
    kExpectCount,
};

// What a byte does in a state: the grammar as a table built at compile time, so a token costs
// one lookup and one switch (strings, scalars and whitespace runs are then skipped in bulk).
enum class Op : quint8 { Next, Skip, String, Scalar, Open, Close, Fail };
struct Step
{
    Op op = Op::Fail;
    quint8 arg = 0; // Next/String/Scalar: the state after; Fail: the Reason
};

constexpr Step makeStep(Expect e, ByteClass c)
{
    const bool key = e == FirstKey || e == Key;
    const bool value = e == MemberValue || e == FirstValue || e == Value;
    const bool inObject = e <= ObjectNext;
    const quint8 afterValue = inObject ? ObjectNext : ArrayNext;
    const Reason unexpected = key                        ? KeyNotString
                              : e == AfterKey            ? MissingColon
                              : !value                   ? MissingComma
                              : c == Comma || c == Colon ? MissingValue
                                                         : BadValue;
    switch (c) {
    case Space:
        return {Op::Skip, 0};
    case Quote:
        if (key)
            return {Op::String, AfterKey};
        return value ? Step{Op::String, afterValue} : Step{Op::Fail, unexpected};
    case OpenObject:
    case OpenArray:
        return value ? Step{Op::Open, 0} : Step{Op::Fail, unexpected};
    case CloseObject:
    case CloseArray:
        if (inObject != (c == CloseObject))
            return {Op::Fail, Mismatch}; // checked first: `{"a":]` is a mismatch
        if (e == FirstKey || e == ObjectNext || e == FirstValue || e == ArrayNext)
            return {Op::Close, 0};
        if (e == Key || e == Value)
            return {Op::Fail, TrailingComma};
        return {Op::Fail, e == AfterKey ? MissingColon : MissingValue};
    case Comma:
        if (e == ObjectNext || e == ArrayNext)
            return {Op::Next, quint8(inObject ? Key : Value)};
        return {Op::Fail, unexpected};
    case Colon:
        return e == AfterKey ? Step{Op::Next, MemberValue} : Step{Op::Fail, unexpected};
    case ScalarStart:
        return value ? Step{Op::Scalar, afterValue} : Step{Op::Fail, unexpected};
    default:
        return {Op::Fail, unexpected};
    }
}

constexpr auto kSteps = [] {
    std::array<std::array<Step, kClassCount>, kExpectCount> table{};
    for (int e = 0; e < kExpectCount; ++e)
        for (int c = 0; c < kClassCount; ++c)
            table[e][c] = makeStep(Expect(e), ByteClass(c));
    return table;
}();

// A buffer this small is kept for the next message that spans reads; a bigger one is freed.
constexpr qsizetype kKeptBufferBytes = 64 * 1024;
// Far above any sensible depth limit; it only keeps the bit array's size in check.
constexpr int kMaxCheckedDepth = 1 << 20;

} // namespace

JsonStreamFramer::JsonStreamFramer(qsizetype maxMessageBytes, int maxCheckedDepth)
    : m_max(maxMessageBytes), m_maxCheckedDepth(qBound(0, maxCheckedDepth, kMaxCheckedDepth))
{
    m_objectBits.resize((m_maxCheckedDepth + 63) / 64);
}

bool JsonStreamFramer::feed(QByteArrayView data, FrameSink& sink)
{
    if (error().isError())
        return false;
    const char* p = data.data();
    const char* const end = p + data.size();
    // Start of the current message inside this chunk; its earlier bytes (if any) are in m_buf.
    const char* msgStart = p;
    while (p < end) {
        if (skipping()) {
            // The rest of a broken value: counted against the limit, never buffered. As below,
            // at most one byte past the limit is looked at.
            const char* const skipEnd = p + qMin<qsizetype>(end - p, m_max - m_brokenBytes + 1);
            const char* const done = skipBroken(p, skipEnd);
            m_brokenBytes += (done ? done : skipEnd) - p;
            if (m_brokenBytes > m_max)
                return tooLarge();
            if (!done)
                return true; // skipEnd == end here: anything shorter is past the limit
            m_mode = Mode::Between;
            p = done;
            continue;
        }
        if (m_mode == Mode::Between) {
            while (p < end && classOf(*p) == Space)
                ++p;
            if (p == end)
                break;
            msgStart = p;
            if (!startMessage(*p++)) {
                // A stray closer is its own (invalid) message so the codec can answer it.
                emitFrame(msgStart, p, sink, kStrayCloser);
                continue;
            }
        }
        // Never scan more than one byte past the limit: a hostile peer sending endless "[[[["
        // is stopped right there instead of being buffered. The extra byte lets a scalar of
        // exactly m_max bytes see its terminating whitespace.
        const qsizetype used = m_buf.size() + (p - msgStart);
        const qsizetype scanLimit = m_max - used + 1;
        if (scanLimit <= 0)
            return tooLarge();
        const char* const scanEnd = p + qMin<qsizetype>(end - p, scanLimit);
        const char* done = m_mode == Mode::TopScalar ? scanTopScalar(p, scanEnd) : scanValue(p, scanEnd);
        if (done) {
            const qsizetype messageBytes = m_buf.size() + (done - msgStart);
            if (messageBytes > m_max)
                return tooLarge();
            m_mode = Mode::Between;
            const char* const syntaxError = std::exchange(m_syntaxError, nullptr);
            emitFrame(msgStart, done, sink, syntaxError);
            if (syntaxError)
                beginSkip(done[-1], messageBytes); // only after an error: the valid path pays a test
            p = done;
            continue;
        }
        if (m_buf.size() + (scanEnd - msgStart) > m_max)
            return tooLarge();
        p = scanEnd;
    }
    if (m_mode != Mode::Between && !skipping())
        m_buf.append(msgStart, end - msgStart); // one bulk append of the incomplete tail
    return true;
}

// After a frame with a syntax error at `offending`, its last byte: the depth there is m_depth,
// and the offending byte counts like any skipped one. Nothing is skipped when it closed the
// outermost level (`{"a":1]`).
void JsonStreamFramer::beginSkip(char offending, qsizetype messageBytes)
{
    m_brokenBytes = messageBytes;
    m_mode = Mode::Skip;
    switch (classOf(offending)) {
    case OpenObject:
    case OpenArray:
        ++m_depth;
        break;
    case CloseObject:
    case CloseArray:
        if (--m_depth == 0)
            m_mode = Mode::Between;
        break;
    case Quote:
        m_mode = Mode::SkipString;
        break;
    default:
        break;
    }
}

// Skips the rest of a broken value: brackets counted without their kind, none inside strings.
// Returns the position after the closer that brings the depth to 0, or the position of the
// first newline (left for the whitespace skip), or nullptr at `end` (the state is kept). Only
// broken input gets here, so a plain byte loop does.
//
// A newline ends the skip even inside a string: JSON strings cannot hold a raw newline, and a
// quote that opened a string by mistake (`{"a" "b` + newline, or garbage with an odd number of
// quotes) would otherwise pair the quotes of the following lines the wrong way round and cut
// the valid messages there into fragments, each answered with its own parse error.
const char* JsonStreamFramer::skipBroken(const char* p, const char* const end)
{
    Mode mode = m_mode;
    int depth = m_depth;
    const char* result = nullptr;
    while (p < end) {
        const char c = *p++;
        if (c == '\n') {
            result = p - 1;
            break;
        }
        if (mode == Mode::SkipStringEscape) {
            mode = Mode::SkipString; // the escaped byte, whatever it is
        } else if (mode == Mode::SkipString) {
            if (c == '"')
                mode = Mode::Skip;
            else if (c == '\\')
                mode = Mode::SkipStringEscape;
        } else if (c == '"') {
            mode = Mode::SkipString;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            result = p;
            break;
        }
    }
    m_mode = mode;
    m_depth = depth;
    return result;
}

bool JsonStreamFramer::tooLarge()
{
    m_buf = QByteArray(); // release the memory right away
    m_syntaxError = nullptr;
    return fail(FrameError::Kind::TooLarge, QStringLiteral("message larger than %1 bytes").arg(m_max));
}

// The first byte of a message. False for a stray closer (a message by itself).
bool JsonStreamFramer::startMessage(char c)
{
    m_depth = 0;
    switch (classOf(c)) {
    case OpenObject:
    case OpenArray:
        m_mode = Mode::InContainer;
        open(c == '{');
        return true;
    case Quote:
        m_mode = Mode::InString;
        return true;
    case CloseObject:
    case CloseArray:
        return false;
    default:
        m_mode = Mode::TopScalar;
        return true;
    }
}

// One level deeper. Its kind is remembered down to the checked depth; below, only counted.
void JsonStreamFramer::open(bool object)
{
    if (++m_depth > m_maxCheckedDepth)
        return;
    quint64& word = m_objectBits[(m_depth - 1) / 64];
    const quint64 bit = quint64(1) << ((m_depth - 1) % 64);
    word = object ? (word | bit) : (word & ~bit);
    m_expect = object ? FirstKey : FirstValue;
}

bool JsonStreamFramer::isObject(int depth) const
{
    return (m_objectBits[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;
}

// Scans an array, object or top-level string from `p`. Returns the end of the message
// (exclusive; after the offending byte when m_syntaxError was set) or nullptr when `end` came
// first (the state is kept for the next chunk).
const char* JsonStreamFramer::scanValue(const char* p, const char* end)
{
    // First finish what the previous chunk ended in the middle of.
    if (m_mode == Mode::InString || m_mode == Mode::InStringEscape) {
        p = scanString(p, end);
        if (!p)
            return nullptr;
        m_mode = Mode::InContainer;
        if (m_depth == 0)
            return p; // a top-level string ends at its closing quote
    } else if (m_mode == Mode::InScalar) {
        while (p < end && in(kScalarByte, *p))
            ++p;
        if (p == end)
            return nullptr;
        m_mode = Mode::InContainer;
    }
    if (m_depth > m_maxCheckedDepth) {
        p = scanUnchecked(p, end);
        if (!p || m_depth == 0)
            return p;
    }
    return scanChecked(p, end);
}

// The hot loop: inside containers whose kinds are known, one table step per byte outside
// strings and scalars. The state lives in locals here and goes back to the members on return.
const char* JsonStreamFramer::scanChecked(const char* p, const char* const end)
{
    quint8 expect = m_expect;
    int depth = m_depth;
    auto leave = [&](const char* result) {
        m_expect = expect;
        m_depth = depth;
        return result;
    };
    while (p < end) {
        const char c = *p++;
        const Step step = kSteps[expect][classOf(c)];
        switch (step.op) {
        case Op::Next:
            expect = step.arg;
            continue;
        case Op::Skip: // whitespace comes in runs (indentation): no table step per byte
            while (p < end && classOf(*p) == Space)
                ++p;
            continue;
        case Op::String:
            expect = step.arg;
            m_mode = Mode::InString;
            p = scanString(p, end);
            if (!p)
                return leave(nullptr);
            m_mode = Mode::InContainer;
            continue;
        case Op::Scalar:
            expect = step.arg;
            while (p < end && in(kScalarByte, *p))
                ++p;
            if (p == end) {
                m_mode = Mode::InScalar;
                return leave(nullptr);
            }
            continue;
        case Op::Open:
            m_depth = depth;
            open(c == '{');
            depth = m_depth;
            if (depth > m_maxCheckedDepth) {
                // The parent's state is restored from its kind bit when the scan comes back up.
                p = scanUnchecked(p, end);
                if (!p)
                    return nullptr; // the members hold the state
                depth = m_depth;
            }
            expect = m_expect;
            continue;
        case Op::Close:
            if (--depth == 0)
                return leave(p);
            expect = isObject(depth) ? ObjectNext : ArrayNext;
            continue;
        case Op::Fail:
            m_syntaxError = kReasons[step.arg];
            return leave(p);
        }
    }
    return leave(nullptr);
}

// Below the checked depth brackets are only counted (the codec refuses such a message for its
// depth anyway). Returns the position after the closer that brings the scan back to a checked
// level (or ends the message when none is checked), or nullptr at `end`.
const char* JsonStreamFramer::scanUnchecked(const char* p, const char* end)
{
    while (p < end) {
        while (p < end && !in(kCounted, *p))
            ++p;
        if (p == end)
            return nullptr;
        switch (*p++) {
        case '"':
            m_mode = Mode::InString;
            p = scanString(p, end);
            if (!p)
                return nullptr;
            m_mode = Mode::InContainer;
            break;
        case '{':
        case '[':
            ++m_depth;
            break;
        default: // '}' or ']'
            if (--m_depth == m_maxCheckedDepth) {
                if (m_depth > 0)
                    m_expect = isObject(m_depth) ? ObjectNext : ArrayNext;
                return p;
            }
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
    // Keys, method names and ids are short: a plain loop finds their end before two memchr
    // calls would be set up. Longer strings go on below.
    for (const char* const shortEnd = p + qMin<qsizetype>(end - p, 16); p < shortEnd;) {
        const char c = *p++;
        if (m_mode == Mode::InStringEscape)
            m_mode = Mode::InString; // the escaped byte, whatever it is
        else if (c == '"')
            return p;
        else if (c == '\\')
            m_mode = Mode::InStringEscape;
    }
    const char* quote = nullptr; // next '"' at or after p (end = none in this chunk)
    while (p < end) {
        if (m_mode == Mode::InStringEscape) {
            m_mode = Mode::InString;
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
        m_mode = Mode::InStringEscape;
        p = backslash + 1;
    }
    return nullptr;
}

// A top-level number, literal or garbage token: ends before whitespace or a structural opener.
const char* JsonStreamFramer::scanTopScalar(const char* p, const char* end)
{
    while (p < end && !in(kTopScalarEnd, *p))
        ++p;
    return p == end ? nullptr : p;
}

void JsonStreamFramer::emitFrame(const char* start, const char* end, FrameSink& sink, const char* syntaxError)
{
    Frame frame;
    frame.syntaxError = syntaxError;
    if (m_buf.isEmpty()) {
        frame.payload = QByteArrayView(start, end - start); // the whole message is in this chunk
        sink.onFrame(frame);
        return;
    }
    m_buf.append(start, end - start);
    frame.payload = m_buf;
    sink.onFrame(frame);
    if (m_buf.capacity() > kKeptBufferBytes)
        m_buf = QByteArray();
    else
        m_buf.resize(0); // keeps the capacity: no allocation for the next spanning message
}

bool JsonStreamFramer::hasPartial() const
{
    // Whitespace between messages is never buffered, so any buffered byte is message content.
    // While skipping, a broken value is still under way: a peer that never ends it must meet
    // the idle timeout like one that never ends a valid one.
    return !m_buf.isEmpty() || skipping();
}

bool JsonStreamFramer::finish(FrameSink& sink)
{
    // The broken message has been delivered (and answered) already; its unskipped rest is not
    // a truncated message.
    if (skipping() && m_buf.isEmpty())
        return true;
    return Framer::finish(sink);
}

qsizetype JsonStreamFramer::bufferedBytes() const
{
    return m_buf.size();
}

void JsonStreamFramer::reset()
{
    m_buf = QByteArray();
    m_mode = Mode::Between;
    m_depth = 0;
    m_brokenBytes = 0;
    m_syntaxError = nullptr;
    clearError();
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
