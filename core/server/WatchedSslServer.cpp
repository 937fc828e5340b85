#include "server/WatchedSslServer.h"

#include "util/Log.h"

#include <QSslSocket>

namespace rpcbench {

namespace {

// Counts the handshake of its parent socket as failed when it dies with it unreleased.
class HandshakeWatch final : public QObject
{
public:
    HandshakeWatch(QSslSocket* socket, std::atomic<quint64>* failures)
        : QObject(socket), m_failures(failures), m_peer(socket->peerAddress().toString())
    {
        setObjectName(kName);
    }
    ~HandshakeWatch() override
    {
        if (m_adopted)
            return;
        m_failures->fetch_add(1, std::memory_order_relaxed);
        qCDebug(lcServer).noquote() << "TLS handshake with" << m_peer
                                    << "did not complete (not TLS, certificate rejected or timed out)";
    }
    static void watch(QSslSocket* socket, std::atomic<quint64>* failures)
    {
        if (!find(socket))
            new HandshakeWatch(socket, failures);
    }
    static void release(QSslSocket* socket)
    {
        if (HandshakeWatch* watch = find(socket)) {
            watch->m_adopted = true;
            delete watch;
        }
    }

private:
    static constexpr QLatin1StringView kName{"rpcbench-handshake-watch"};
    // By name: without Q_OBJECT, findChild<HandshakeWatch*> would match any QObject child.
    static HandshakeWatch* find(QSslSocket* socket)
    {
        return static_cast<HandshakeWatch*>(socket->findChild<QObject*>(kName, Qt::FindDirectChildrenOnly));
    }
    std::atomic<quint64>* m_failures;
    QString m_peer;
    bool m_adopted = false;
};

} // namespace

WatchedSslServer::WatchedSslServer(std::atomic<quint64>* failures, QObject* parent)
    : QSslServer(parent), m_failures(failures)
{}

void WatchedSslServer::release(QSslSocket* socket)
{
    HandshakeWatch::release(socket);
}

void WatchedSslServer::incomingConnection(qintptr descriptor)
{
    QSslServer::incomingConnection(descriptor);
    // QSslServer made the socket as its newest child.
    const QObjectList& kids = children();
    if (auto* socket = kids.isEmpty() ? nullptr : qobject_cast<QSslSocket*>(kids.last()))
        HandshakeWatch::watch(socket, m_failures);
}

} // namespace rpcbench
