#pragma once
// Thread-safe, bounded hand-off of traffic events from the engine (any thread) to one
// consumer that drains them in batches on a timer (the GUI log, `serve --log`).
// Publishing is one uncontended mutex lock and a move; when nobody drains, the queue stops
// growing at its capacity and further events are counted as dropped (never silently lost).

#include "traffic/TrafficEvent.h"

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
    // The same into `out` (cleared first), and the bus keeps `out`'s buffer for the next events:
    // a consumer that hands back one vector per drain makes the hand-off allocation-free (no
    // fresh multi-MiB buffer for the producer to fault in, none for the consumer to unmap).
    // Buffers larger than RecycledCapacity events are released instead of kept.
    void drainInto(std::vector<TrafficEvent>& out);
    // The same, but gives up instead of waiting when a producer holds the lock (returns false,
    // `out` left empty). A GUI thread must not block on a producer that a lower priority lets
    // the scheduler preempt while it holds the lock (priority inversion); it retries on its
    // next tick instead.
    bool tryDrainInto(std::vector<TrafficEvent>& out);
    static constexpr size_t RecycledCapacity = 16'384;

    // Events published and not drained yet (the consumer's backlog).
    qsizetype pendingCount() const;

    quint64 publishedCount() const { return m_published.load(std::memory_order_relaxed); }
    quint64 droppedCount() const { return m_dropped.load(std::memory_order_relaxed); }
    qsizetype capacity() const { return m_capacity; }

private:
    const qsizetype m_capacity;
    std::atomic<bool> m_enabled{true};
    std::atomic<quint64> m_published{0};
    std::atomic<quint64> m_dropped{0};
    mutable QMutex m_mutex;
    std::vector<TrafficEvent> m_pending;
};

} // namespace rpcbench
