// libFuzzer target: JsonStreamFramer. The fuzzer's bytes are the stream a peer sends.
// Invariants, for a small and the default size limit:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, the framer gives the same
//    messages, the same syntax errors, the same status and the same partial state;
//  - all of them equal a deliberately naive byte-at-a-time reference framer that keeps an
//    explicit stack of every open bracket (a differential check of the optimised scanner with
//    its memchr/table scanning, single grammar state and bit stack), including the silent skip
//    of the rest of a broken message and the partial state while skipping;
//  - a message delivered with a syntax error never parses as JSON (the server answers it with
//    a parse error);
//  - nothing buffered ever exceeds the limit.

#include "FuzzSupport.h"
#include "wire/JsonStreamFramer.h"

#include <QJsonDocument>

#include <cstdint>
#include <string>
#include <vector>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

// Bracket kinds the framer remembers (its default, which the server's maxJsonDepth matches);
// deeper levels are framed by count alone.
constexpr int kCheckedDepth = 512;

struct Result
{
    QList<QByteArray> messages;
    QList<QByteArray> errors; // per message: the syntax error, empty if well-formed
    bool tooLarge = false;
    bool partial = false;
    qsizetype buffered = 0;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isStructural(char c)
{
    return c == '"' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}

bool startsScalar(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n';
}

// One open bracket and what may come next inside it.
struct Level
{
    bool object;
    enum Want { FirstKey, Key, Colon, MemberValue, FirstValue, Value, CommaOrClose } want;
};

bool wantsValue(Level::Want w)
{
    return w == Level::MemberValue || w == Level::FirstValue || w == Level::Value;
}

// The framing rules of JsonStreamFramer.h, one byte at a time with no cleverness. Returns the
// syntax error of byte `c` inside the innermost checked container (nullptr if fine) and
// updates the stack; `closedAll` is set when the outermost bracket closed.
const char* grammarStep(std::vector<Level>& stack, char c, bool& closedAll, bool& inString, bool& inScalar)
{
    Level& top = stack.back();
    if (c == '}' || c == ']') {
        if (top.object != (c == '}'))
            return "closing bracket does not match the opening one";
        if (top.want == Level::Key || top.want == Level::Value)
            return "trailing comma";
        if (top.want == Level::Colon)
            return "missing ':' after an object key";
        if (top.want == Level::MemberValue)
            return "missing value";
        stack.pop_back();
        if (stack.empty())
            closedAll = true;
        else
            stack.back().want = Level::CommaOrClose;
        return nullptr;
    }
    const bool key = top.want == Level::FirstKey || top.want == Level::Key;
    const char* why = key                               ? "object key must be a string"
                      : top.want == Level::Colon        ? "missing ':' after an object key"
                      : top.want == Level::CommaOrClose ? "missing ',' or closing bracket after a value"
                      : (c == ',' || c == ':')          ? "missing value"
                                                        : "not a JSON value";
    if (c == '"' && (key || wantsValue(top.want))) {
        top.want = key ? Level::Colon : Level::CommaOrClose;
        inString = true;
    } else if ((c == '{' || c == '[') && wantsValue(top.want)) {
        top.want = Level::CommaOrClose; // for when the child closes
        stack.push_back({c == '{', c == '{' ? Level::FirstKey : Level::FirstValue});
    } else if (c == ',' && top.want == Level::CommaOrClose) {
        top.want = top.object ? Level::Key : Level::Value;
    } else if (c == ':' && top.want == Level::Colon) {
        top.want = Level::MemberValue;
    } else if (startsScalar(c) && wantsValue(top.want)) {
        top.want = Level::CommaOrClose;
        inScalar = true;
    } else {
        return why;
    }
    return nullptr;
}

Result referenceFrame(QByteArrayView data, qsizetype max)
{
    Result r;
    enum { Between, TopScalar, Value, Scalar, String, Escape, Skip, SkipString, SkipEscape } state = Between;
    std::vector<Level> stack; // every open bracket, even beyond kCheckedDepth
    QByteArray current;
    qsizetype skipDepth = 0; // while skipping the rest of a broken message: brackets still open
    qsizetype skipBytes = 0; // its size so far (delivered prefix + skipped bytes)
    auto emitCurrent = [&](const char* error) {
        r.messages.append(current);
        r.errors.append(QByteArray(error ? error : ""));
        if (error && !stack.empty()) {
            // Skip the rest: from the depth at the offending byte (the last one), which counts
            // like any skipped byte.
            const char bad = current.back();
            skipDepth = qsizetype(stack.size());
            skipBytes = current.size();
            state = Skip;
            if (bad == '{' || bad == '[')
                ++skipDepth;
            else if (bad == '}' || bad == ']')
                --skipDepth;
            else if (bad == '"')
                state = SkipString;
            if (skipDepth == 0)
                state = Between;
        } else {
            state = Between;
        }
        current.clear();
        stack.clear();
    };
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (state == Skip || state == SkipString || state == SkipEscape) {
            // Ends at a newline (inside a string too) or after the closer that brings the
            // depth to 0; skipped bytes count against the limit, the newline does not.
            if (c == '\n') {
                state = Between;
                continue;
            }
            if (++skipBytes > max) {
                r.tooLarge = true;
                return r;
            }
            if (state == SkipEscape)
                state = SkipString;
            else if (state == SkipString)
                state = c == '"' ? Skip : c == '\\' ? SkipEscape : SkipString;
            else if (c == '"')
                state = SkipString;
            else if (c == '{' || c == '[')
                ++skipDepth;
            else if ((c == '}' || c == ']') && --skipDepth == 0)
                state = Between;
            continue;
        }
        if (state == TopScalar && (isSpace(c) || c == '{' || c == '[' || c == '"'))
            emitCurrent(nullptr); // the terminator is not part of the scalar; re-examine it below
        if (state == Scalar && (isSpace(c) || isStructural(c)))
            state = Value; // the byte after a scalar in a container: re-examine it below
        if (state == Between) {
            if (isSpace(c))
                continue;
            current.append(c);
            if (c == '{' || c == '[') {
                state = Value;
                stack.push_back({c == '{', c == '{' ? Level::FirstKey : Level::FirstValue});
            } else if (c == '"') {
                state = String;
            } else if (c == '}' || c == ']') {
                emitCurrent("closing bracket outside any array or object");
                continue;
            } else {
                state = TopScalar;
            }
        } else {
            current.append(c);
            if (state == Escape) {
                state = String;
            } else if (state == String) {
                if (c == '\\')
                    state = Escape;
                else if (c == '"') {
                    if (stack.empty()) {
                        if (current.size() <= max)
                            emitCurrent(nullptr);
                    } else {
                        state = Value;
                    }
                }
            } else if (state == Value && !isSpace(c)) {
                bool closedAll = false;
                bool inString = false;
                bool inScalar = false;
                const char* error = nullptr;
                if (int(stack.size()) <= kCheckedDepth) {
                    error = grammarStep(stack, c, closedAll, inString, inScalar);
                } else if (c == '"') { // too deep to check: brackets are only counted
                    inString = true;
                } else if (c == '{' || c == '[') {
                    stack.push_back({c == '{', Level::FirstValue});
                } else if (c == '}' || c == ']') {
                    stack.pop_back();
                    stack.back().want = Level::CommaOrClose;
                }
                if ((error || closedAll) && current.size() <= max)
                    emitCurrent(error);
                else if (inString)
                    state = String;
                else if (inScalar)
                    state = Scalar;
            }
        }
        if (current.size() > max) {
            r.tooLarge = true;
            return r;
        }
    }
    r.partial = !current.isEmpty() || state == Skip || state == SkipString || state == SkipEscape;
    r.buffered = current.size();
    return r;
}

// Keeps a copy of every frame and checks that a syntax error never parses.
struct Collector final : FrameSink
{
    Result& r;
    explicit Collector(Result& result) : r(result) {}
    void onFrame(const Frame& frame) override
    {
        FUZZ_CHECK(!frame.payload.isEmpty(), "empty message emitted");
        const QByteArray payload = frame.payload.toByteArray();
        if (frame.syntaxError) {
            QJsonParseError error{};
            QJsonDocument::fromJson(payload, &error);
            FUZZ_CHECK(error.error != QJsonParseError::NoError, "syntax error '%s' in valid JSON '%s'",
                       frame.syntaxError, preview(payload).constData());
        }
        r.messages.append(payload);
        r.errors.append(QByteArray(frame.syntaxError ? frame.syntaxError : ""));
    }
};

Result frame(QByteArrayView data, qsizetype max, Delivery how)
{
    JsonStreamFramer framer(max);
    Result r;
    Collector collector(r);
    for (QByteArrayView chunk : deliver(data, how)) {
        const bool ok = framer.feed(chunk, collector);
        FUZZ_CHECK(framer.bufferedBytes() <= max, "buffered %lld > max %lld",
                   qlonglong(framer.bufferedBytes()), qlonglong(max));
        if (!ok) {
            FUZZ_CHECK(framer.error().kind == FrameError::Kind::TooLarge, "feed failed with error kind %d",
                       int(framer.error().kind));
            r.tooLarge = true;
            // A failed framer stays failed and emits nothing more.
            Result more;
            Collector moreCollector(more);
            FUZZ_CHECK(!framer.feed("{}", moreCollector) && more.messages.isEmpty(),
                       "framer usable after TooLarge");
            break;
        }
    }
    if (!r.tooLarge) {
        r.partial = framer.hasPartial();
        r.buffered = framer.bufferedBytes();
    }
    return r;
}

void compare(const Result& expected, const Result& got, const char* what, qsizetype max)
{
    FUZZ_CHECK(expected.tooLarge == got.tooLarge, "%s (max %lld): tooLarge %d, reference %d", what,
               qlonglong(max), got.tooLarge, expected.tooLarge);
    // After TooLarge, which messages were emitted before the failure may not depend on
    // splitting either: the limit is per message.
    FUZZ_CHECK(expected.messages.size() == got.messages.size(),
               "%s (max %lld): %lld messages, reference %lld", what, qlonglong(max),
               qlonglong(got.messages.size()), qlonglong(expected.messages.size()));
    for (qsizetype i = 0; i < got.messages.size(); ++i) {
        FUZZ_CHECK(expected.messages[i] == got.messages[i],
                   "%s (max %lld): message %lld is '%s', reference '%s'", what, qlonglong(max), qlonglong(i),
                   preview(got.messages[i]).constData(), preview(expected.messages[i]).constData());
        FUZZ_CHECK(expected.errors[i] == got.errors[i],
                   "%s (max %lld): message %lld '%s' has syntax error '%s', reference '%s'", what,
                   qlonglong(max), qlonglong(i), preview(got.messages[i]).constData(),
                   got.errors[i].constData(), expected.errors[i].constData());
    }
    FUZZ_CHECK(expected.partial == got.partial && expected.buffered == got.buffered,
               "%s (max %lld): partial %d/%lld bytes, reference %d/%lld", what, qlonglong(max), got.partial,
               qlonglong(got.buffered), expected.partial, qlonglong(expected.buffered));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    // 16 bytes: the limit is hit often; 16 MiB: the server default, never hit here.
    for (const qsizetype max : {qsizetype(16), qsizetype(16 * 1024 * 1024)}) {
        const Result expected = referenceFrame(data, max);
        for (const Delivery how : kDeliveries)
            compare(expected, frame(data, max, how), deliveryName(how), max);
    }
    return 0;
}
