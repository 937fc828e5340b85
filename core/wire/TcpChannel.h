#pragma once
// A ByteChannel over TCP (QTcpSocket). Writes take the SocketWriter fast path: one send()
// straight from the caller's bytes while Qt's write buffer is empty, which is what keeps the
// server's reply path at one system call and no copy (docs/DESIGN.md, "The hot path").

#include "wire/ByteChannel.h"

#include <QAbstractSocket>

class QTcpSocket;

namespace rpcbench {

class TcpChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Server side: takes over an accepted, connected socket (it becomes the channel's child).
    explicit TcpChannel(QTcpSocket* accepted, QObject* parent = nullptr);
    // Client side: connects to host:port on open().
    TcpChannel(const QString& host, quint16 port, QObject* parent = nullptr);
    ~TcpChannel() override;

    void open() override;
    bool isOpen() const override;
    qint64 bytesAvailable() const override;
    qint64 read(char* data, qint64 maxSize) override;
    QByteArray readAll() override;
    qint64 skip(qint64 maxSize) override;
    void setReadBufferSize(qint64 size) override;
    void write(QByteArrayView bytes) override;
    qint64 bytesToWrite() const override;
    void closeWrite() override;
    void close() override;
    void abort() override;
    QString peerDescription() const override;

    // Readable one-line text for a socket error ("connection refused", "host not found").
    static QString describeError(QAbstractSocket::SocketError error, const QString& fallback);

private:
    void connectSocket();
    void onSocketError(QAbstractSocket::SocketError error);
    void emitClosed(const QString& reason);

    QTcpSocket* m_socket; // child
    QString m_host;       // client side: the target of open()
    quint16 m_port = 0;
    bool m_closeReported = false; // closed() is emitted once per connection
    bool m_everConnected = false; // client side: errors before this name the failed step
};

} // namespace rpcbench
