#pragma once
// A ByteChannel over a Unix-domain socket (QLocalSocket), shaped like TcpChannel (see
// ByteChannel.h): closeWrite() is shutdown(SHUT_WR) on the descriptor, which AF_UNIX supports;
// peerDescription() is "unix:<path>" (plus the peer's pid on the server side).

#include "wire/ByteChannel.h"
#include "wire/Endpoint.h"

#include <QLocalSocket>

namespace rpcbench {

class LocalChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Client side: connects to endpoint.socketPath on open().
    LocalChannel(const Endpoint& endpoint, QObject* parent = nullptr);
    // Server side: takes over a socket a QLocalServer listening on `path` accepted.
    LocalChannel(QLocalSocket* accepted, const QString& path, QObject* parent = nullptr);
    ~LocalChannel() override;

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

    // "no such socket", "permission denied", "connection refused (nothing is listening)".
    static QString describeError(QLocalSocket::LocalSocketError error, const QString& fallback);

private:
    void connectSocket();
    void onSocketError(QLocalSocket::LocalSocketError error);
    void emitClosed(const QString& reason);

    QLocalSocket* m_socket; // child
    QString m_path;
    bool m_client = false;
    bool m_connected = false;     // the connect succeeded (later errors are not connect errors)
    bool m_closeReported = false; // closed() is emitted once per connection
    QString m_lastError;          // the last errorOccurred() reason, for closed()
    QString m_peerPid;            // server side: " (pid N)" from SO_PEERCRED
};

} // namespace rpcbench
