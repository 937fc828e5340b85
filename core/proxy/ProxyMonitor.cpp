#include "proxy/ProxyMonitor.h"

#include "traffic/TrafficEventCodec.h"
#include "util/Log.h"

#include <QLocalServer>
#include <QLocalSocket>

namespace rpcbench {

namespace {

// Beyond this backlog a monitor is too slow: its lines are dropped (and counted) so that the
// proxy never buffers without bound or waits for its slowest watcher.
constexpr qint64 MaxBacklogBytes = 8 * 1024 * 1024;
// Per-monitor count of dropped events, kept on the socket itself so it dies with it.
constexpr char DroppedProperty[] = "rpcbenchDroppedEvents";

quint64 droppedOf(const QLocalSocket* socket)
{
    return socket->property(DroppedProperty).toULongLong();
}

void setDropped(QLocalSocket* socket, quint64 count)
{
    socket->setProperty(DroppedProperty, QVariant::fromValue(count));
}

} // namespace

ProxyMonitor::ProxyMonitor(QObject* parent) : QObject(parent), m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            m_monitors.append(socket);
            // Monitors only listen; whatever they send is discarded.
            connect(socket, &QLocalSocket::readyRead, socket, [socket] { socket->readAll(); });
            connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
                m_monitors.removeOne(socket);
                socket->deleteLater();
            });
            emit monitorConnected();
        }
    });
}

ProxyMonitor::~ProxyMonitor() = default;

bool ProxyMonitor::listen(const QString& path, QString* error)
{
    // A proxy that crashed leaves its socket file behind; listen() would fail on it.
    QLocalServer::removeServer(path);
    if (m_server->listen(path))
        return true;
    if (error)
        *error = QStringLiteral("cannot listen on monitor socket %1: %2").arg(path, m_server->errorString());
    return false;
}

QString ProxyMonitor::path() const
{
    return m_server->fullServerName();
}

int ProxyMonitor::monitorCount() const
{
    return int(m_monitors.size());
}

void ProxyMonitor::feed(const std::vector<TrafficEvent>& events)
{
    if (m_monitors.isEmpty() || events.empty())
        return;
    // Encoded once, written to every monitor.
    QByteArray lines;
    for (const TrafficEvent& event : events)
        lines += trafficEventToJsonLine(event);
    const quint64 count = events.size();
    for (QLocalSocket* socket : std::as_const(m_monitors)) {
        if (socket->bytesToWrite() > MaxBacklogBytes) {
            setDropped(socket, droppedOf(socket) + count);
            continue;
        }
        if (const quint64 dropped = droppedOf(socket)) {
            qCWarning(lcTraffic) << "monitor too slow:" << dropped << "events dropped";
            socket->write(QByteArray("{\"dropped\":") + QByteArray::number(dropped) + "}\n");
            setDropped(socket, 0);
        }
        socket->write(lines);
    }
}

} // namespace rpcbench
