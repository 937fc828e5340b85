#pragma once
// A message ByteChannel over a WebSocket (QWebSocket), the client side of ws:// and wss://.
// See the contract in wire/ByteChannel.h: every write() is one text message; received text and
// binary messages queue for readMessage() (read() serves the same queue as a stream). The
// handshake carries every header of the endpoint's ConnectOptions::requestHeaders() (the
// user's -H headers and the Authorization from --bearer/--user); wss uses the TLS settings of
// wire/TlsConfig. Failures are one line naming the step: "WebSocket upgrade to ws://h:p/x
// refused: HTTP 403 Forbidden", "WebSocket connection to ws://h:p/x failed: connection
// refused"; a close by the server is closed("closed by server: code 1008 (policy violation)
// reason 'xyz'").

#include "wire/ByteChannel.h"
#include "wire/Endpoint.h"

#include <QAbstractSocket>
#include <QSslError>
#include <QWebSocket>

#include <deque>

namespace rpcbench {

class WebSocketChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Client side: connects to the endpoint on open().
    WebSocketChannel(const Endpoint& endpoint, QObject* parent = nullptr);
    ~WebSocketChannel() override;

    bool preservesMessageBoundaries() const override { return true; }
    void open() override;
    bool isOpen() const override;
    qint64 bytesAvailable() const override { return m_queuedBytes; }
    qint64 read(char* data, qint64 maxSize) override;
    QByteArray readMessage() override;
    qint64 skip(qint64 maxSize) override;
    void setReadBufferSize(qint64 size) override;
    void write(QByteArrayView bytes) override;
    qint64 bytesToWrite() const override;
    void closeWrite() override;
    void close() override;
    void abort() override;
    QString peerDescription() const override;

    // "code 1008 (policy violation) reason 'xyz'" for the close code and reason.
    static QString describeClose(int code, const QString& reason);

private:
    QString url() const;
    void enqueue(QByteArray message);
    void onError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError>& errors);
    void onDisconnected();
    void fail(const QString& reason);
    void finish(const QString& reason);

    Endpoint m_endpoint;
    QWebSocket m_socket;
    std::deque<QByteArray> m_queue; // whole messages not read yet; the front may be partly read
    qsizetype m_frontOffset = 0;    // bytes of the front message already served by read()
    qint64 m_queuedBytes = 0;
    QString m_failure;           // the first failure, reported by closed()
    bool m_weClosed = false;     // close() / closeWrite() started the closing handshake
    bool m_opened = false;       // open() was called
    bool m_wasConnected = false; // the upgrade succeeded
    bool m_closed = false;       // closed() was emitted
};

} // namespace rpcbench
