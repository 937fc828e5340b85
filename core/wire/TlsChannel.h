#pragma once
// A ByteChannel over TLS (QSslSocket), shaped like TcpChannel (see ByteChannel.h for how TLS
// maps onto the contract): connected() comes on encrypted(), certificate and handshake
// failures are one errorOccurred() line (TlsConfig's describeTlsErrors) followed by closed().
// No send() fast path: Qt must encrypt the bytes, so write() is QSslSocket::write.

#include "wire/ByteChannel.h"
#include "wire/Endpoint.h"

#include <QAbstractSocket>
#include <QList>
#include <QSslError>

class QSslSocket;

namespace rpcbench {

class TlsChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Client side: connects and runs the handshake on open().
    TlsChannel(const Endpoint& endpoint, QObject* parent = nullptr);
    // Server side: takes over an accepted socket whose handshake is done (it becomes a child).
    explicit TlsChannel(QSslSocket* accepted, QObject* parent = nullptr);
    ~TlsChannel() override;

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

private:
    void connectSocket();
    void onSocketError(QAbstractSocket::SocketError error);
    void fail(const QString& reason);
    void emitClosed(const QString& reason);

    QSslSocket* m_socket; // child
    Endpoint m_endpoint;  // client side: the target of open()
    bool m_client = false;
    bool m_encrypted = false;     // the handshake finished
    QList<QSslError> m_sslErrors; // verification errors of the running handshake
    bool m_closeReported = false; // closed() is emitted once per connection
    QString m_failReason;         // the first errorOccurred(), also closed()'s reason
};

} // namespace rpcbench
