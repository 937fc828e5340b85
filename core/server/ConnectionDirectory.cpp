#include "server/ConnectionDirectory.h"

namespace rpcbench {

ConnectionInfo ConnectionStatus::info() const
{
    ConnectionInfo out = fixed;
    out.transport = transport.load(std::memory_order_relaxed);
    out.canPush = canPush.load(std::memory_order_relaxed);
    out.messagesIn = messagesIn.load(std::memory_order_relaxed);
    out.messagesOut = messagesOut.load(std::memory_order_relaxed);
    return out;
}

ConnectionDirectory::ConnectionDirectory(std::function<void()> notify) : m_notify(std::move(notify)) {}

void ConnectionDirectory::add(std::shared_ptr<ConnectionStatus> status)
{
    {
        QMutexLocker lock(&m_mutex);
        const quint64 id = status->fixed.id;
        m_entries.emplace(id, std::move(status));
    }
    markChanged();
}

void ConnectionDirectory::remove(quint64 id)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_entries.erase(id) == 0)
            return;
    }
    markChanged();
}

void ConnectionDirectory::markChanged()
{
    if (!m_pending.exchange(true) && m_notify)
        m_notify();
}

QList<ConnectionInfo> ConnectionDirectory::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    QList<ConnectionInfo> out;
    out.reserve(qsizetype(m_entries.size()));
    for (const auto& [id, status] : m_entries)
        out.append(status->info());
    return out;
}

int ConnectionDirectory::pushableCount(quint64 id) const
{
    QMutexLocker lock(&m_mutex);
    if (id != 0) {
        const auto it = m_entries.find(id);
        return it != m_entries.end() && it->second->canPush.load() ? 1 : 0;
    }
    int n = 0;
    for (const auto& [key, status] : m_entries)
        n += status->canPush.load() ? 1 : 0;
    return n;
}

} // namespace rpcbench
