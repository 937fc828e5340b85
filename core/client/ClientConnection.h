#pragma once
// One client-side connection speaking one framing (JSON stream, Content-Length, HTTP) over the
// ByteChannel its Endpoint names (TCP, TLS, Unix socket, child process; WebSocket messages need
// no framer). It frames outgoing payloads, de-frames incoming ones and reports the end of the
// connection once, with a one-line reason. It knows nothing of JSON-RPC ids or dialects.

#include "wire/Endpoint.h"
#include "wire/Framing.h"

#include <QObject>

#include <memory>

namespace rpcbench {

class ByteChannel;

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

    Endpoint m_endpoint;
    quint64 m_id;
    bool m_rawJson;
    bool m_done = false;
    ByteChannel* m_channel; // child
    FramingSpec m_framing;
    std::unique_ptr<Framer> m_framer; // null on message channels
    QString m_closeReason;            // the channel's own reason for an orderly end, if any
};

} // namespace rpcbench
