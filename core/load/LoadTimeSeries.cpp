#include "load/LoadTimeSeries.h"

namespace rpcbench {

namespace {
constexpr qint64 kSecondNs = 1'000'000'000;
} // namespace

void LoadTimeSeries::start(qint64 startNs)
{
    m_startNs = startNs;
    m_started = true;
    m_points.clear();
    m_open = {};
    m_latency.reset();
}

void LoadTimeSeries::roll(qint64 nowNs)
{
    // Events just before start() (a reply read in the same pass) count in second 0.
    const qint64 second = nowNs <= m_startNs ? 0 : (nowNs - m_startNs) / kSecondNs;
    while (m_open.second < second)
        close();
}

void LoadTimeSeries::close()
{
    if (m_latency.count() > 0) {
        m_open.p50Us = m_latency.percentile(50);
        m_open.p90Us = m_latency.percentile(90);
        m_open.p99Us = m_latency.percentile(99);
        m_open.maxUs = m_latency.max();
    }
    m_points.append(m_open);
    LoadSecond closed = std::move(m_open);
    m_open = LoadSecond{};
    m_open.second = closed.second + 1;
    if (m_callback) {
        // The emitted point alone carries the second's samples (a live histogram merges them).
        closed.latency = std::make_shared<const LatencyHistogram>(m_latency);
        m_callback(closed);
    }
    m_latency.reset();
}

void LoadTimeSeries::addSent(qint64 nowNs, quint64 count)
{
    if (!m_started)
        return;
    roll(nowNs);
    m_open.sent += count;
}

void LoadTimeSeries::addCompleted(qint64 nowNs, quint64 latencyUs)
{
    if (!m_started)
        return;
    roll(nowNs);
    ++m_open.completed;
    m_latency.record(latencyUs);
}

void LoadTimeSeries::addErrors(qint64 nowNs, quint64 count, qint64 code)
{
    if (!m_started || count == 0)
        return;
    roll(nowNs);
    m_open.errors += count;
    m_open.errorsByCode[code] += count;
}

void LoadTimeSeries::advance(qint64 nowNs)
{
    if (m_started)
        roll(nowNs);
}

void LoadTimeSeries::finish(qint64 nowNs)
{
    if (!m_started)
        return;
    roll(nowNs);
    const bool empty = m_open.sent == 0 && m_open.completed == 0 && m_open.errors == 0;
    if (!empty || m_points.isEmpty())
        close();
    m_started = false;
}

} // namespace rpcbench
