#include "server/ServerWorker.h"

#include "server/WatchedSslServer.h"

#include "util/Log.h"
#include "wire/LocalChannel.h"
#include "wire/TcpChannel.h"
#include "wire/TlsChannel.h"
#include "wire/TlsConfig.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace rpcbench {

namespace {

// Whether a server answers on the Unix socket file `path`: a connect() to an AF_UNIX socket
// succeeds or fails at once (no handshake), so this does not block.
bool socketAnswers(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    sockaddr_un addr{};
    if (size_t(native.size()) >= sizeof(addr.sun_path))
        return false;
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, native.constData(), size_t(native.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool answers = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    return answers;
}

} // namespace

ServerWorker::ServerWorker(const ConnectionContext& context, std::atomic<quint64>* tlsFailures)
    : m_ctx(context), m_tlsFailures(tlsFailures)
{
    m_ctx.pushes = std::make_shared<ServerPushes>();
    m_ctx.pushes->setFinished([this](quint64 requestId, const CallResult& result) {
        emit clientRequestFinished(requestId, result);
    });
}

ServerWorker::~ServerWorker()
{
    shutdown();
    // Connections that finished but wait for their deleteLater() die after us (as children)
    // and still hold the pushes: their requests must not report to a half-destroyed worker.
    m_ctx.pushes->setFinished({});
}

bool ServerWorker::addListener(const ListenSpec& spec, Endpoint* bound, QString* error)
{
    auto listener = std::make_unique<Listener>();
    listener->spec = spec;
    listener->bound = spec.endpoint;
    const bool ok = spec.isLocal() ? listenLocal(listener.get(), error) : listenTcp(listener.get(), error);
    if (!ok)
        return false;
    *bound = listener->bound;
    qCDebug(lcServer).noquote() << "listening on" << bound->toString();
    m_listeners.push_back(std::move(listener));
    return true;
}

bool ServerWorker::listenTcp(Listener* listener, QString* error)
{
    const ListenSpec& spec = listener->spec;
    QTcpServer* server = nullptr;
    if (spec.isTls()) {
        QSslConfiguration config;
        if (!serverTlsConfiguration(spec.tlsCertificate, spec.tlsKey, &config, error))
            return false;
        auto* ssl = new WatchedSslServer(m_tlsFailures, this);
        ssl->setSslConfiguration(config);
        // A peer that starts a handshake and stalls is dropped like a half-received message.
        ssl->setHandshakeTimeout(m_ctx.limits.idleTimeoutMs);
        connect(ssl, &QSslServer::errorOccurred, this, [](QSslSocket* socket, QAbstractSocket::SocketError) {
            qCDebug(lcServer).noquote() << "TLS handshake with" << socket->peerAddress().toString()
                                        << "failed:" << socket->errorString();
        });
        server = ssl;
    } else {
        server = new QTcpServer(this);
    }
    // Accept everything the kernel has queued; the connection limit is enforced by us, so
    // refused peers get an explanation instead of a hang in the backlog.
    server->setMaxPendingConnections(1 << 16);
    // Qt's default backlog of 50 makes a burst of connects (a load test opening hundreds of
    // connections at once) see SYN drops and 1 s retransmit stalls; the kernel caps this at
    // net.core.somaxconn.
    server->setListenBacklogSize(1024);
    if (!server->listen(spec.bindAddress(), spec.endpoint.port)) {
        *error = server->errorString().toLower();
        delete server;
        return false;
    }
    listener->tcp = server;
    listener->bound.port = server->serverPort();
    // pendingConnectionAvailable: a QSslServer queues a socket only once its handshake is done
    // (newConnection comes earlier, on the TCP accept).
    connect(server, &QTcpServer::pendingConnectionAvailable, this, [this, listener] { acceptTcp(listener); });
    return true;
}

bool ServerWorker::listenLocal(Listener* listener, QString* error)
{
    const QString path = listener->spec.endpoint.socketPath;
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0) {
        // Only a socket left behind by a server that is gone may be replaced.
        if (!S_ISSOCK(st.st_mode)) {
            *error = QStringLiteral("%1 exists and is not a socket (not replaced)").arg(path);
            return false;
        }
        if (socketAnswers(path)) {
            *error = QStringLiteral("address in use (a server answers on %1)").arg(path);
            return false;
        }
        QLocalServer::removeServer(path);
    }
    auto* server = new QLocalServer(this);
    server->setMaxPendingConnections(1 << 16);
    server->setListenBacklogSize(1024);
    if (!server->listen(path)) {
        *error = server->errorString().toLower();
        delete server;
        return false;
    }
    listener->local = server;
    connect(server, &QLocalServer::newConnection, this, [this, listener] { acceptLocal(listener); });
    return true;
}

bool ServerWorker::removeListener(const QString& url)
{
    for (auto it = m_listeners.begin(); it != m_listeners.end(); ++it) {
        if ((*it)->bound.toString() != url)
            continue;
        closeListener(it->get());
        m_listeners.erase(it);
        qCDebug(lcServer).noquote() << "stopped listening on" << url;
        return true;
    }
    return false;
}

void ServerWorker::closeListener(Listener* listener)
{
    delete listener->tcp; // closes
    listener->tcp = nullptr;
    if (listener->local) {
        listener->local->close(); // removes the socket file
        delete listener->local;
        listener->local = nullptr;
    }
}

void ServerWorker::serveChannel(ByteChannel* channel, Transport framing)
{
    channel->setParent(this);
    ServerConnection* connection = adopt(channel, framing, {});
    if (!connection) {
        emit channelFinished();
        return;
    }
    connect(connection, &QObject::destroyed, this, &ServerWorker::channelFinished);
}

void ServerWorker::shutdown()
{
    for (auto& listener : m_listeners)
        closeListener(listener.get());
    m_listeners.clear();
    // Deleting a connection abandons its pending calls: the dispatcher drops replies whose
    // context object is gone.
    auto connections = std::exchange(m_connections, {});
    for (auto& [id, connection] : connections) {
        connection->abort();
        delete connection;
    }
}

void ServerWorker::acceptTcp(const Listener* listener)
{
    const std::optional<Transport> framing = listener->spec.fixedFraming();
    while (QTcpSocket* socket = listener->tcp->nextPendingConnection()) {
        ByteChannel* channel = nullptr;
        if (auto* ssl = qobject_cast<QSslSocket*>(socket)) {
            WatchedSslServer::release(ssl); // the handshake succeeded
            channel = new TlsChannel(ssl, this);
        } else
            channel = new TcpChannel(socket, this); // a ServerConnection adopts it
        adopt(channel, framing, listener->bound.toString());
    }
}

void ServerWorker::acceptLocal(const Listener* listener)
{
    const std::optional<Transport> framing = listener->spec.fixedFraming();
    while (QLocalSocket* socket = listener->local->nextPendingConnection())
        adopt(new LocalChannel(socket, listener->spec.endpoint.socketPath, this), framing,
              listener->bound.toString());
}

// Limits and counters apply across every listener: one table of connections.
ServerConnection* ServerWorker::adopt(ByteChannel* channel, std::optional<Transport> framing,
                                      const QString& listener)
{
    if (int(m_connections.size()) >= m_ctx.limits.maxConnections) {
        rejectConnection(channel);
        return nullptr;
    }
    ConnectionContext context = m_ctx;
    context.listener = listener;
    auto* connection = new ServerConnection(channel, context, this);
    if (framing)
        connection->useFraming(*framing);
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
    return connection;
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
