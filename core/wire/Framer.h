#pragma once
// The one framing contract: bytes in, complete messages out through one sink, one error type
// with a reason. Every framer implements it — JSON value stream, Content-Length (LSP), HTTP
// request (server side), HTTP response (client side), and WebSocket frames — so a
// connection holds "a framer", never one member per framing.
//
// Framers know nothing of JSON-RPC: a frame is the bytes of one message (plus the HTTP head
// for HTTP framers). They keep their scan state between feeds, so a message split over many
// reads costs the same as one read.

#include "wire/HttpTypes.h"

#include <QByteArrayView>
#include <QString>

namespace rpcbench {

// Why a framer stopped. After an error it delivers nothing more until reset().
struct FrameError
{
    enum class Kind : quint8 {
        None,
        TooLarge,  // a message (or body) over the size limit
        BadHeader, // an LSP/HTTP header block that cannot be parsed or is too long
        Malformed, // bytes that cannot start or continue a message of this framing
        Truncated, // the stream ended inside a message (finish())
        Closed,    // the peer ended the stream in-band (WebSocket close frame): not a fault, nothing
                   // is answered but the framer's interim reply (the echoed close)
    };
    Kind kind = Kind::None;
    QString reason;     // one line for logs and error replies, e.g. "Content-Length is not a number"
    int httpStatus = 0; // HTTP request framer: the status to answer with (400, 413, 431, 505, ...)

    bool isError() const { return kind != Kind::None; }
};

// One complete message. Views are valid only during FrameSink::onFrame.
struct Frame
{
    QByteArrayView payload;                 // the message bytes (HTTP: the de-chunked body)
    const HttpRequest* request = nullptr;   // HTTP request framer: method, target, headers
    const HttpResponse* response = nullptr; // HTTP response framer: status, headers
    // JSON stream only: these bytes stopped being JSON at their last byte (a `]` closing a `{`,
    // a key without a colon, ...). The framer skips the rest of the broken value (to its
    // closing bracket or the end of the line) and goes on; the receiver answers a parse
    // error. Null for well-formed frames.
    const char* syntaxError = nullptr;
};

// Receives frames in stream order. It must not feed the framer that calls it.
class FrameSink
{
public:
    virtual ~FrameSink() = default;
    virtual void onFrame(const Frame& frame) = 0;
};

class Framer
{
public:
    virtual ~Framer() = default;

    // Appends bytes; every message they complete goes to `sink`, in order. Returns false once
    // the stream cannot go on (error() says why); messages completed before that point have
    // been delivered.
    virtual bool feed(QByteArrayView data, FrameSink& sink) = 0;
    // The peer closed its side. A framing whose last message ends with the stream (an HTTP
    // response without a length) delivers it here. False, with a Truncated error, when bytes
    // of an unfinished message are left.
    virtual bool finish(FrameSink& sink);
    // True while bytes of an incomplete message are buffered (drives the idle timeout).
    virtual bool hasPartial() const = 0;
    virtual qsizetype bufferedBytes() const = 0;
    // Forgets buffered bytes and any error.
    virtual void reset() = 0;
    // Bytes the framing itself must send back before the peer goes on: HTTP's
    // "100 Continue" for a request that announced "Expect: 100-continue", WebSocket's pong and
    // close frames. Empty for most framings; taken once. Check it after feed() even when feed()
    // failed: a framing may have queued the close that tells the peer why.
    virtual QByteArray takeInterimReply() { return {}; }

    const FrameError& error() const { return m_error; }

protected:
    bool fail(FrameError::Kind kind, const QString& reason, int httpStatus = 0);
    void clearError() { m_error = {}; }

private:
    FrameError m_error;
};

} // namespace rpcbench
