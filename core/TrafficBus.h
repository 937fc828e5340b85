#pragma once
// Thread-safe, bounded hand-off of traffic events from the engine (any thread) to one
// consumer that drains them in batches on a timer (the GUI log, `serve --log`).
// Publishing is one uncontended mutex lock and a move; when nobody drains, the queue stops
// growing at its capacity and further events are counted as dropped (never silently lost).

#include "TrafficEvent.h"

#include <QMutex>

#include <atomic>
#include <vector>

namespace rpcbench {

class TrafficBus
{
public:
    explicit TrafficBus(qsizetype capacity = 500'000);

    // Cheap check so producers can skip building events when logging is off.
    bool isEnabled() const { return m_enabled.load(std::memory_order_relaxed); }
    void setEnabled(bool on) { m_enabled.store(on, std::memory_order_relaxed); }

    void publish(TrafficEvent&& event);
    // Takes every pending event, oldest first.
    std::vector<TrafficEvent> drain();

    quint64 publishedCount() const { return m_published.load(std::memory_order_relaxed); }
    quint64 droppedCount() const { return m_dropped.load(std::memory_order_relaxed); }
    qsizetype capacity() const { return m_capacity; }

private:
    const qsizetype m_capacity;
    std::atomic<bool> m_enabled{true};
    std::atomic<quint64> m_published{0};
    std::atomic<quint64> m_dropped{0};
    QMutex m_mutex;
    std::vector<TrafficEvent> m_pending;
};

} // namespace rpcbench
