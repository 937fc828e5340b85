#pragma once
// Splits a byte stream into top-level JSON values ("one value = one message"), with optional
// whitespace between values. Each byte is scanned exactly once: the scanner keeps its state
// (depth, in-string, escape) between feeds, so a value split across many reads, or many values
// in one read, cost the same. It does not validate JSON; the codec does that. A top-level
// scalar (e.g. `42`, `true`, garbage like `hello`) ends at whitespace or at the start of the
// next structural value; a stray `}` or `]` at top level is a one-byte message, so the codec
// answers a parse error and the stream stays usable.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace rpcbench {

class JsonStreamFramer
{
public:
    enum class Status { Ok, TooLarge };

    // Receives messages as they are framed, in order. The view points into the fed bytes
    // (no copy: the common case) or into the framer's buffer for a message that spanned
    // feeds; it is valid only during the call. The sink must not feed this framer.
    class Sink
    {
    public:
        virtual ~Sink() = default;
        virtual void onMessage(QByteArrayView message) = 0;
    };

    explicit JsonStreamFramer(qsizetype maxMessageBytes = 16 * 1024 * 1024);

    // Appends bytes; every message completed by them goes to `sink` (or is appended to `out`).
    // After TooLarge the framer is unusable until reset() (the caller replies with an error
    // and closes); messages completed before the limit was hit have been delivered.
    Status feed(QByteArrayView data, Sink& sink);
    Status feed(QByteArrayView data, QList<QByteArray>& out);

    // True when bytes of an incomplete message are buffered (drives the idle timeout).
    bool hasPartial() const;
    qsizetype bufferedBytes() const;
    void reset();

    // Frames an outgoing message: compact JSON + "\n".
    static QByteArray frame(const QByteArray& json);

private:
    enum class State : quint8 { Between, Scalar, InValue, InString, InStringEscape };

    Status fail();
    const char* scanMessage(const char* p, const char* end);
    const char* scanString(const char* p, const char* end);
    const char* scanScalar(const char* p, const char* end);
    void emitMessage(const char* start, const char* end, Sink& sink);

    qsizetype m_max;
    QByteArray m_buf; // bytes of the (incomplete) message being assembled across feeds
    State m_state = State::Between;
    int m_depth = 0; // bracket depth of the current value; 0 inside a top-level string
    bool m_failed = false;
};

} // namespace rpcbench
