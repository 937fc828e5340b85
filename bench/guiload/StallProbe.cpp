#include "StallProbe.h"

#include "ProcStat.h"

#include <QTimerEvent>

#include <algorithm>

namespace rpcbench {

StallProbe::StallProbe(int intervalMs, QObject* parent) : QObject(parent), m_intervalMs(intervalMs)
{
    setObjectName(QStringLiteral("stallProbe"));
}

void StallProbe::start()
{
    stop();
    m_lateness.reset();
    m_onCpu.reset();
    m_waiting.reset();
    m_worstAtMs = 0;
    m_stalls.clear();
    m_clock.start();
    m_lastNs = 0;
    m_lastCpuNs = procstat::threadCpuNs();
    m_lastWaitNs = procstat::threadRunQueueWaitNs();
    m_timerId = startTimer(m_intervalMs, Qt::PreciseTimer);
}

void StallProbe::stop()
{
    if (m_timerId != 0)
        killTimer(m_timerId);
    m_timerId = 0;
}

void StallProbe::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_timerId)
        return;
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 cpu = procstat::threadCpuNs();
    const qint64 lateNs = now - m_lastNs - qint64(m_intervalMs) * 1'000'000;
    const qint64 wait = procstat::threadRunQueueWaitNs();
    const qint64 cpuNs = cpu - m_lastCpuNs;
    const qint64 waitNs = wait - m_lastWaitNs;
    m_lastNs = now;
    m_lastCpuNs = cpu;
    m_lastWaitNs = wait;
    const quint64 lateUs = lateNs > 0 ? quint64(lateNs / 1000) : 0;
    const quint64 onCpuUs = std::min<quint64>(lateUs, quint64(std::max<qint64>(cpuNs, 0) / 1000));
    const quint64 waitingUs =
        std::min<quint64>(lateUs - onCpuUs, quint64(std::max<qint64>(waitNs, 0) / 1000));
    m_onCpu.record(onCpuUs);
    m_waiting.record(waitingUs);
    if (lateUs > m_lateness.max())
        m_worstAtMs = now / 1'000'000 - qint64(lateUs / 1000);
    m_lateness.record(lateUs);
    if (lateUs >= quint64(kStallListMs) * 1000 && m_stalls.size() < kMaxStalls)
        m_stalls.push_back(Stall{now / 1'000'000 - qint64(lateUs / 1000), qint64(lateUs), qint64(onCpuUs),
                                 qint64(waitingUs)});
}

quint64 StallProbe::stallsOver(qint64 ms) const
{
    // Exact above kStallListMs: every such stall is listed.
    Q_ASSERT(ms >= kStallListMs);
    quint64 n = 0;
    for (const Stall& s : m_stalls)
        n += s.lateUs > ms * 1000 ? 1 : 0;
    return n;
}

} // namespace rpcbench
