#include "TrafficBus.h"

#include <chrono>

namespace rpcbench {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

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

std::vector<TrafficEvent> TrafficBus::drain()
{
    std::vector<TrafficEvent> out;
    QMutexLocker lock(&m_mutex);
    out.swap(m_pending);
    m_pending.reserve(std::min<size_t>(out.size(), 65536));
    return out;
}

} // namespace rpcbench
