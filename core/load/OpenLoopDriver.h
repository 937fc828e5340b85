#pragma once
// Sends the calls of an open-loop run (`bench --rate`) on the RateScheduler's schedule,
// spreading them round-robin over the connections that have room. When every connection is
// full (`depth` calls in flight each), due calls wait — never dropped — and go as soon as a
// reply frees room; their latency still counts from their intended time, and the wait shows
// as lateness. Calls still waiting when the run ends are reported as not sent.
//
// Wakes at the next intended time with a Linux timerfd (microsecond precision; a QTimer's
// millisecond would add up to 1 ms to every open-loop latency), at most once per kMinWaitNs:
// the generator sleeps between calls at low rates and batches at high ones. Falls back to a
// precise QTimer when no timerfd can be made.

#include "load/RateScheduler.h"

#include <QObject>
#include <QTimer>

#include <array>
#include <vector>

class QSocketNotifier;

namespace rpcbench {

class LoadConnection;

class OpenLoopDriver : public QObject
{
    Q_OBJECT
public:
    OpenLoopDriver(RatePlan plan, RateScheduler::Clock clock, QObject* parent = nullptr);
    ~OpenLoopDriver() override;

    void addConnection(LoadConnection* connection);
    // Time zero of the schedule is now; the first call goes at once.
    void start();
    void stop();

    const RateScheduler& scheduler() const { return m_scheduler; }
    // Calls due by `nowNs` that could not be sent (every connection full). A call due within
    // the last tolerance was merely not reached by the timer yet: not counted.
    quint64 notSent(qint64 nowNs) const
    {
        return m_scheduler.dueNotTaken(nowNs - RateScheduler::kLateToleranceNs);
    }
    quint64 inFlight() const;

private:
    void pump();
    void onCapacityFreed();
    LoadConnection* pickConnection();
    void arm(qint64 nowNs);
    void onTimerFd();

    static constexpr int kBatch = 32;
    static constexpr qint64 kMinWaitNs = 50'000;

    RateScheduler m_scheduler;
    std::array<qint64, kBatch> m_batch{};       // intended times of the calls of one write
    std::vector<LoadConnection*> m_connections; // not owned
    size_t m_nextConnection = 0;
    QTimer* m_timer;                            // child; the fallback
    int m_timerFd = -1;                         // owned
    QSocketNotifier* m_timerNotifier = nullptr; // child, on m_timerFd
    bool m_running = false;
    bool m_blocked = false; // a due call waits for room on a connection
};

} // namespace rpcbench
