#include "LoadSampler.h"

#include "ProcStat.h"
#include "log/TrafficLogModel.h"
#include "server/RpcServer.h"

#include <QTimerEvent>

#include <algorithm>

namespace rpcbench {

LoadSampler::LoadSampler(const TrafficLogModel* log, const RpcServer* server, QObject* parent)
    : QObject(parent), m_log(log), m_server(server)
{
    setObjectName(QStringLiteral("loadSampler"));
}

void LoadSampler::start(int intervalMs)
{
    stop();
    m_samples.clear();
    m_clock.start();
    m_samples.push_back(sampleNow());
    m_timerId = startTimer(intervalMs, Qt::PreciseTimer);
}

void LoadSampler::stop()
{
    if (m_timerId != 0) {
        killTimer(m_timerId);
        m_samples.push_back(sampleNow());
    }
    m_timerId = 0;
}

void LoadSampler::timerEvent(QTimerEvent* event)
{
    if (event->timerId() == m_timerId)
        m_samples.push_back(sampleNow());
}

LoadSample LoadSampler::sampleNow() const
{
    LoadSample s;
    s.atMs = m_clock.elapsed();
    s.rssKb = procstat::rssKb();
    s.rows = m_log->rowCount();
    s.received = m_log->receivedCount();
    s.evicted = m_log->evictedCount();
    s.skipped = m_log->skippedCount();
    s.pending = m_log->pendingCount();
    if (const auto bus = m_log->bus()) {
        s.published = bus->publishedCount();
        s.dropped = bus->droppedCount();
    }
    const ServerStats stats = m_server->stats();
    s.serverMessagesIn = stats.messagesIn;
    s.serverRepliesOut = stats.repliesOut;
    return s;
}

int LoadSampler::capReachedIndex() const
{
    for (size_t i = 0; i < m_samples.size(); ++i) {
        if (m_samples[i].evicted > 0)
            return int(i);
    }
    return -1;
}

qint64 LoadSampler::maxRssKbFrom(int index) const
{
    qint64 peak = 0;
    for (size_t i = size_t(std::max(index, 0)); i < m_samples.size(); ++i)
        peak = std::max(peak, m_samples[i].rssKb);
    return peak;
}

quint64 LoadSampler::maxBacklog() const
{
    quint64 peak = 0;
    for (const LoadSample& s : m_samples)
        peak = std::max(peak, s.backlog());
    return peak;
}

quint64 LoadSampler::maxWaiting() const
{
    quint64 peak = 0;
    for (const LoadSample& s : m_samples)
        peak = std::max(peak, s.waiting());
    return peak;
}

double LoadSampler::rssSlopeKbPerMinFrom(int index) const
{
    if (index < 0 || m_samples.size() - size_t(index) < 3)
        return 0;
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t i = size_t(index); i < m_samples.size(); ++i) {
        const double x = double(m_samples[i].atMs) / 60'000.0;
        const double y = double(m_samples[i].rssKb);
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double den = n * sxx - sx * sx;
    return den > 0 ? (n * sxy - sx * sy) / den : 0;
}

} // namespace rpcbench
