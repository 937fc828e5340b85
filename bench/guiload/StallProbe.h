#pragma once
// Measures how late the GUI thread's event loop serves a 1 ms precise timer. Whatever blocks
// the loop (a slow flush, a long paint, a model reset) delays the next tick; the gap between
// ticks minus the interval is the stall a user would feel as a frozen window.

#include "load/LatencyHistogram.h"

#include <QElapsedTimer>
#include <QObject>

#include <vector>

namespace rpcbench {

class StallProbe : public QObject
{
    Q_OBJECT
public:
    struct Stall
    {
        qint64 atMs;      // when the loop stopped serving the timer, since start()
        qint64 lateUs;    // how late the tick came
        qint64 onCpuUs;   // of which the GUI thread was running
        qint64 waitingUs; // ... and runnable, waiting for a CPU (the rest it was blocked)
    };
    static constexpr int kStallListMs = 8; // stalls at least this long are listed one by one
    static constexpr size_t kMaxStalls = 10'000;

    explicit StallProbe(int intervalMs = 1, QObject* parent = nullptr);

    void start();
    void stop();

    const LatencyHistogram& lateness() const { return m_lateness; } // µs per tick
    // The part of each tick's lateness during which the GUI thread was running (its own CPU
    // time in the gap, capped at the lateness). What is left of a stall was spent waiting for
    // a CPU: other threads or processes had it, which a busy shared machine makes worse.
    const LatencyHistogram& onCpuLateness() const { return m_onCpu; }
    // The part of each tick's lateness the GUI thread spent runnable but without a CPU.
    const LatencyHistogram& waitingLateness() const { return m_waiting; }
    quint64 ticks() const { return m_lateness.count(); }
    quint64 stallsOver(qint64 ms) const; // ticks later than `ms` (>= kStallListMs)
    const std::vector<Stall>& stalls() const { return m_stalls; }
    qint64 worstAtMs() const { return m_worstAtMs; } // when the worst stall began, since start()
    int intervalMs() const { return m_intervalMs; }

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    const int m_intervalMs;
    int m_timerId = 0;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_lastCpuNs = 0;
    qint64 m_lastWaitNs = 0;
    qint64 m_worstAtMs = 0;
    LatencyHistogram m_lateness;
    LatencyHistogram m_onCpu;
    LatencyHistogram m_waiting;
    std::vector<Stall> m_stalls;
};

} // namespace rpcbench
