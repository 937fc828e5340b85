#include "server/ServerWorker.h"

#include "util/Log.h"
#include "wire/TcpChannel.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace rpcbench {

ServerWorker::ServerWorker(const ConnectionContext& context) : m_ctx(context) {}

ServerWorker::~ServerWorker()
{
    shutdown();
}

bool ServerWorker::listen(const QHostAddress& address, quint16 port, QString* error, quint16* boundPort)
{
    m_server = new QTcpServer(this);
    // Accept everything the kernel has queued; the connection limit is enforced by us, so
    // refused peers get an explanation instead of a hang in the backlog.
    m_server->setMaxPendingConnections(1 << 16);
    // Qt's default backlog of 50 makes a burst of connects (a load test opening hundreds of
    // connections at once) see SYN drops and 1 s retransmit stalls; the kernel caps this at
    // net.core.somaxconn.
    m_server->setListenBacklogSize(1024);
    if (!m_server->listen(address, port)) {
        *error = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return false;
    }
    *boundPort = m_server->serverPort();
    connect(m_server, &QTcpServer::newConnection, this, &ServerWorker::onNewConnection);
    return true;
}

void ServerWorker::shutdown()
{
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
    // Deleting a connection abandons its pending calls: the dispatcher drops replies whose
    // context object is gone.
    auto connections = std::exchange(m_connections, {});
    for (auto& [id, connection] : connections) {
        connection->abort();
        delete connection;
    }
}

void ServerWorker::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto* channel = new TcpChannel(socket, this); // a ServerConnection adopts it
        if (int(m_connections.size()) >= m_ctx.limits.maxConnections) {
            rejectConnection(channel);
            continue;
        }
        auto* connection = new ServerConnection(channel, m_ctx, this);
        const quint64 id = connection->id();
        qCDebug(lcServer).noquote() << "connection" << id << "accepted from" << channel->peerDescription();
        m_connections.emplace(id, connection);
        connect(connection, &ServerConnection::finished, this, [this, id] {
            const auto it = m_connections.find(id);
            if (it == m_connections.end())
                return;
            qCDebug(lcServer) << "connection" << id << "closed";
            it->second->deleteLater();
            m_connections.erase(it);
        });
    }
}

// Over the limit: the framing is not known yet, so answer with one JSON-RPC error line
// (what stream clients understand) and close.
void ServerWorker::rejectConnection(ByteChannel* channel)
{
    m_ctx.counters->rejectedConnections.fetch_add(1, std::memory_order_relaxed);
    const QByteArray reply =
        Dispatcher::errorReply(
            Dialect::JsonRpc2, ErrorCode::Overloaded,
            QStringLiteral("too many connections (limit %1)").arg(m_ctx.limits.maxConnections))
            .bytes;
    connect(channel, &ByteChannel::closed, channel, &QObject::deleteLater);
    channel->write(reply + '\n');
    channel->close(); // after the line has been sent; closed() may come from inside
}

} // namespace rpcbench
