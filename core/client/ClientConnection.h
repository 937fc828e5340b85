#pragma once
// One client-side connection speaking one framing (JSON stream, Content-Length, HTTP) over the
// ByteChannel its Endpoint names (TCP, TLS, Unix socket, child process; WebSocket messages need
// no framer). It frames outgoing payloads, de-frames incoming ones and reports the end of the
// connection once, with a one-line reason. It knows nothing of JSON-RPC ids or dialects.
//
// HTTP targets speak MCP Streamable HTTP as well: a POST answered with an event stream
// delivers each event as one payload (HttpResponseParser); the Mcp-Session-Id a response
// carries is sent back with every later request; with options.sse an SseStream (the GET event
// stream) opens once the first response is in (so it carries the session id an initialize
// reply set) and its events come out of received() too; ending the connection while a session
// is known sends a best-effort DELETE for it.

#include "wire/Endpoint.h"
#include "wire/Framing.h"

#include <QObject>

#include <memory>

namespace rpcbench {

class ByteChannel;
class SseStream;

class ClientConnection : public QObject
{
    Q_OBJECT
public:
    // rawJson: send JSON-stream payloads without the trailing newline (classic servers read
    // exactly one value and nothing else).
    ClientConnection(const Endpoint& endpoint, quint64 connectionId, bool rawJson = false,
                     QObject* parent = nullptr);
    ~ClientConnection() override;

    void open();
    bool isConnected() const;
    // Frames and writes one payload; only valid once connected.
    void send(const QByteArray& payload);
    // Ends the connection without reporting closed() (used after a classic reply, on cancel...).
    void abort();
    // Ends the connection in order: queued bytes (and the DELETE ending an MCP session) are
    // sent first. closed() is not reported.
    void close();

    // HTTP: a second connection in an MCP session another connection owns (the one that sent
    // the initialize): its requests carry that session id, and ending it does not end the
    // session (no DELETE). Call before open().
    void joinSession(const QByteArray& sessionId);
    // HTTP: the MCP session id the server gave us (Mcp-Session-Id), empty when none.
    const QByteArray& sessionId() const { return m_sessionId; }
    quint64 id() const { return m_id; }
    const Endpoint& endpoint() const { return m_endpoint; }

signals:
    void connected();
    // One de-framed payload. httpStatus/httpReason are set for HTTP (0/empty otherwise).
    // readTimeUs: when the read that completed it returned (MonotonicClock), before any parsing.
    void received(const QByteArray& payload, int httpStatus, const QByteArray& httpReason, qint64 readTimeUs);
    // The connection ended (refused, closed by the peer, framing error). Emitted at most once.
    void closed(const QString& reason);
    // Process targets: a line of the child's standard error.
    void stderrLine(const QByteArray& line);

private:
    void onReadyRead();
    void onClosed(const QString& reason);
    void readMessages();
    // Feeds (or, at the end of the stream, finishes) the framer and emits what it completed.
    void deframe(QByteArrayView data, bool finish, qint64 readTimeUs);
    void fail(const QString& reason);
    // HTTP: a response arrived; keeps its session id and opens the GET event stream if due.
    void noteHttpResponse(int status, const QByteArray& sessionId);
    // Sends the DELETE ending the MCP session, then lets the channel finish on its own (it
    // outlives us); false when there is no session to end. m_channel is null afterwards.
    bool endSession();

    Endpoint m_endpoint;
    quint64 m_id;
    bool m_rawJson;
    bool m_done = false;
    ByteChannel* m_channel; // child; null once handed over to send the session's DELETE
    FramingSpec m_framing;
    std::unique_ptr<Framer> m_framer; // null on message channels
    QString m_closeReason;            // the channel's own reason for an orderly end, if any
    QByteArray m_sessionId;           // HTTP: Mcp-Session-Id from the server
    SseStream* m_events = nullptr;    // HTTP with options.sse: the GET event stream (child)
    bool m_ownsSession = true;        // false after joinSession(): never sends the DELETE
};

} // namespace rpcbench
