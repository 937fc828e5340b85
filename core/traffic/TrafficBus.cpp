#include "traffic/TrafficBus.h"

namespace rpcbench {

quint64 nextConnectionId()
{
    static std::atomic<quint64> counter{0};
    return ++counter;
}

TrafficBus::TrafficBus(qsizetype capacity) : m_capacity(capacity) {}

void TrafficBus::publish(TrafficEvent&& event)
{
    if (!isEnabled())
        return;
    QMutexLocker lock(&m_mutex);
    if (qsizetype(m_pending.size()) >= m_capacity) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_pending.push_back(std::move(event));
    m_published.fetch_add(1, std::memory_order_relaxed);
}

qsizetype TrafficBus::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return qsizetype(m_pending.size());
}

std::vector<TrafficEvent> TrafficBus::drain()
{
    std::vector<TrafficEvent> out;
    QMutexLocker lock(&m_mutex);
    out.swap(m_pending);
    m_pending.reserve(std::min<size_t>(out.size(), 65536));
    return out;
}

namespace {

void recycle(std::vector<TrafficEvent>& out)
{
    out.clear();
    if (out.capacity() > TrafficBus::RecycledCapacity)
        std::vector<TrafficEvent>().swap(out);
}

} // namespace

void TrafficBus::drainInto(std::vector<TrafficEvent>& out)
{
    recycle(out);
    QMutexLocker lock(&m_mutex);
    out.swap(m_pending);
}

bool TrafficBus::tryDrainInto(std::vector<TrafficEvent>& out)
{
    recycle(out);
    if (!m_mutex.tryLock())
        return false;
    out.swap(m_pending);
    m_mutex.unlock();
    return true;
}

} // namespace rpcbench
