#pragma once
// A QSslServer that counts TLS handshakes that never finish. QSslServer deletes such sockets
// (the peer speaks no TLS, it rejected our certificate, the handshake timed out), some without
// any signal, so each socket it creates gets a small watch object as a child: dying with the
// socket, it counts the failure, unless release() removed it because the handshake succeeded.

#include <QSslServer>

#include <atomic>

namespace rpcbench {

class WatchedSslServer final : public QSslServer
{
public:
    // failures outlives the server (RpcServer owns it).
    WatchedSslServer(std::atomic<quint64>* failures, QObject* parent = nullptr);

    // The socket finished its handshake and is taken over: its end is no failure.
    static void release(QSslSocket* socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::atomic<quint64>* m_failures;
};

} // namespace rpcbench
