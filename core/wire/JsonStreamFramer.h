#pragma once
// Splits a byte stream into top-level JSON values ("one value = one message"), with optional
// whitespace between values. Each byte is scanned exactly once: the scanner keeps its state
// (bracket kinds, what may come next, in-string, escape) between feeds, so a value split across
// many reads, or many values in one read, cost the same.
//
// Inside arrays and objects it follows the JSON grammar closely enough to fail fast: the byte
// at which the stream stops being JSON (a `]` closing a `{`, a key that is not a string, a
// missing colon or comma, a trailing comma, a value that cannot start with that byte) ends the
// message there, delivered with Frame::syntaxError set. So a broken message is answered at once
// instead of waiting for a closing bracket that may never come. The rest is left to the codec:
// the inside of numbers and literals (only their first byte is checked), string escapes, UTF-8.
//
// Recovery: the rest of a broken value is skipped silently, so it costs one parse error, not
// one per fragment. The skip counts brackets without their kind (none inside strings), from the
// depth at the offending byte (which itself counts: a mismatched closer closes a level, an
// opener opens one, a quote starts a string), and ends when that depth reaches 0 or at the
// first newline, whichever comes first (a newline ends it inside a string too, see skipBroken).
// Skipped bytes are never buffered; they count with the delivered prefix against the size
// limit (TooLarge past it, so a broken value without end is not skipped forever), and
// hasPartial() stays true while skipping, so the idle timeout still guards a peer that never
// finishes the broken value.
//
// A top-level scalar (e.g. `42`, `true`, garbage like `hello`) ends at whitespace or at the
// start of the next structural value; a stray `}` or `]` at top level is a one-byte message
// (with syntaxError), so the codec answers a parse error and the stream stays usable.

#include "wire/Framer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

namespace rpcbench {

class JsonStreamFramer final : public Framer
{
public:
    // `maxCheckedDepth`: nesting levels whose bracket kinds are remembered (one bit each, no
    // allocation up to 512). Deeper levels are framed by bracket count alone; the codec refuses
    // such messages anyway (ServerLimits::maxJsonDepth, which the server passes here).
    explicit JsonStreamFramer(qsizetype maxMessageBytes = 16 * 1024 * 1024, int maxCheckedDepth = 512);

    // Frames complete messages into `sink`. The payload points into `data` (no copy: the
    // common case) or into the framer's buffer for a message that spanned feeds. False after
    // a message over the size limit (error(): TooLarge); the framer then stays failed until
    // reset() (the caller replies with an error and closes).
    bool feed(QByteArrayView data, FrameSink& sink) override;
    // True when bytes of an incomplete message are buffered, or while the rest of a broken one
    // is being skipped (drives the idle timeout; bufferedBytes() is 0 then).
    bool hasPartial() const override;
    // Closing while skipping the rest of a broken message is fine: it was delivered already.
    bool finish(FrameSink& sink) override;
    qsizetype bufferedBytes() const override;
    void reset() override;

    // Frames an outgoing message: compact JSON + "\n".
    static QByteArray frame(const QByteArray& json);

private:
    enum class Mode : quint8 {
        Between,        // between messages; whitespace is skipped
        TopScalar,      // a top-level number, literal or garbage token
        InContainer,    // inside an array/object, outside strings and scalars
        InScalar,       // a number or literal inside an array/object
        InString,       // a string; a top-level one when m_depth == 0
        InStringEscape, // the byte after a backslash
        // Skipping the rest of a broken value (after a frame with syntaxError); nothing buffered.
        Skip,
        SkipString,
        SkipStringEscape,
    };

    bool startMessage(char c);
    void open(bool object);
    const char* scanValue(const char* p, const char* end);
    const char* scanChecked(const char* p, const char* end);
    const char* scanUnchecked(const char* p, const char* end);
    const char* scanString(const char* p, const char* end);
    const char* scanTopScalar(const char* p, const char* end);
    bool isObject(int depth) const;
    void emitFrame(const char* start, const char* end, FrameSink& sink, const char* syntaxError);
    bool tooLarge();
    bool skipping() const { return m_mode >= Mode::Skip; }
    void beginSkip(char offending, qsizetype messageBytes);
    const char* skipBroken(const char* p, const char* end);

    qsizetype m_max;
    int m_maxCheckedDepth;
    QByteArray m_buf; // bytes of the (incomplete) message being assembled across feeds
    Mode m_mode = Mode::Between;
    quint8 m_expect = 0;                 // what the innermost container accepts next (Expect in the .cpp)
    int m_depth = 0;                     // bracket depth of the current value; 0 inside a top-level string
    qsizetype m_brokenBytes = 0;         // while skipping: bytes of the broken value so far
    const char* m_syntaxError = nullptr; // set when a scan stops at a syntax error
    QVarLengthArray<quint64, 8> m_objectBits; // bit d-1: level d is an object (else an array)
};

} // namespace rpcbench
