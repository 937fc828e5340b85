#include "server/ConnectionPeerLink.h"

#include "server/ServerConnection.h"
#include "server/ServerPushes.h"

#include <QThread>
#include <QTimer>

namespace rpcbench {

ConnectionPeerLink::ConnectionPeerLink(ServerConnection* connection)
    : m_id(connection->id()), m_connection(connection)
{}

bool ConnectionPeerLink::onConnectionThread() const
{
    return m_connection && m_connection->thread() == QThread::currentThread();
}

bool ConnectionPeerLink::isOpen() const
{
    QMutexLocker lock(&m_mutex);
    if (!m_connection)
        return false;
    return onConnectionThread() ? m_connection->canReach() : m_canPush.load();
}

bool ConnectionPeerLink::notify(const QString& method, const QJsonValue& params)
{
    return post(ServerMessage::notification(method, params));
}

bool ConnectionPeerLink::send(const QByteArray& json, const MessageSummary& summary)
{
    return post(ServerMessage{json, summary});
}

bool ConnectionPeerLink::post(const ServerMessage& message)
{
    QMutexLocker lock(&m_mutex);
    if (!m_connection)
        return false;
    if (onConnectionThread()) {
        ServerConnection* connection = m_connection;
        lock.unlock(); // writing may end the connection, which detaches (and locks) the link
        return connection->sendFromHandler(message);
    }
    if (!m_canPush.load())
        return false;
    // Posted to the connection: dropped by Qt if it is deleted before the event runs.
    QMetaObject::invokeMethod(
        m_connection, [c = m_connection, message] { c->sendFromHandler(message); }, Qt::QueuedConnection);
    return true;
}

void ConnectionPeerLink::close()
{
    QMutexLocker lock(&m_mutex);
    if (!m_connection)
        return;
    QMetaObject::invokeMethod(
        m_connection, [c = m_connection] { c->closeFromHandler(); }, Qt::QueuedConnection);
}

quint64 ConnectionPeerLink::every(int intervalMs, std::function<bool()> tick)
{
    QMutexLocker lock(&m_mutex);
    if (!m_connection || !tick)
        return 0;
    const quint64 handle = m_nextHandle.fetch_add(1);
    if (onConnectionThread())
        startTimer(handle, intervalMs, std::move(tick));
    else
        QMetaObject::invokeMethod(
            m_connection,
            [this, handle, intervalMs, tick = std::move(tick)]() mutable {
                startTimer(handle, intervalMs, std::move(tick));
            },
            Qt::QueuedConnection);
    return handle;
}

void ConnectionPeerLink::cancel(quint64 handle)
{
    QMutexLocker lock(&m_mutex);
    if (!m_connection)
        return;
    if (onConnectionThread())
        stopTimer(handle);
    else // `this` lives as long as the connection the event is posted to (it owns the link)
        QMetaObject::invokeMethod(
            m_connection, [this, handle] { stopTimer(handle); }, Qt::QueuedConnection);
}

// On the connection's thread (m_mutex held or posted there).
void ConnectionPeerLink::startTimer(quint64 handle, int intervalMs, std::function<bool()> tick)
{
    if (!m_connection)
        return;
    auto* timer = new QTimer(m_connection);
    timer->setInterval(std::max(1, intervalMs));
    QObject::connect(timer, &QTimer::timeout, timer, [this, handle, tick = std::move(tick)] {
        if (!tick())
            stopTimer(handle);
    });
    m_timers.emplace(handle, timer);
    timer->start();
}

void ConnectionPeerLink::stopTimer(quint64 handle)
{
    const auto it = m_timers.find(handle);
    if (it == m_timers.end())
        return;
    it->second->stop();
    it->second->deleteLater(); // we may be inside its own timeout
    m_timers.erase(it);
}

void ConnectionPeerLink::detach()
{
    QMutexLocker lock(&m_mutex);
    for (auto& [handle, timer] : m_timers)
        timer->stop(); // deleted with the connection, their parent
    m_timers.clear();
    m_connection = nullptr;
    m_canPush.store(false);
}

} // namespace rpcbench
