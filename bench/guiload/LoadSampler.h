#pragma once
// Samples, every 250 ms on the GUI thread, what the issue asks to watch: resident memory, the
// log's rows (shown, received, evicted), the traffic bus (published, dropped, backlog) and the
// server's message counters, so the report can show memory before and after the log's cap.

#include <QElapsedTimer>
#include <QObject>

#include <vector>

namespace rpcbench {

class RpcServer;
class TrafficLogModel;

struct LoadSample
{
    qint64 atMs = 0;
    qint64 rssKb = 0;
    qint64 rows = 0;       // rows in the log model
    quint64 received = 0;  // events the log took from the bus
    quint64 evicted = 0;   // rows pushed out by the cap (skipped included)
    quint64 skipped = 0;   // of the evicted: never became rows (pending beyond the cap)
    qint64 pending = 0;    // taken from the bus, not rows yet (the log's own queue)
    quint64 published = 0; // events the bus accepted
    quint64 dropped = 0;   // events the bus refused (full)
    quint64 serverMessagesIn = 0;
    quint64 serverRepliesOut = 0;

    // Still in the bus (accounting: received + dropped + this = everything published).
    quint64 backlog() const { return published > received ? published - received : 0; }
    // Everything produced that is not a row yet: the bus's backlog plus the log's queue.
    quint64 waiting() const { return backlog() + quint64(pending); }
};

class LoadSampler : public QObject
{
    Q_OBJECT
public:
    LoadSampler(const TrafficLogModel* log, const RpcServer* server, QObject* parent = nullptr);

    void start(int intervalMs = 250);
    void stop();
    LoadSample sampleNow() const;
    const std::vector<LoadSample>& samples() const { return m_samples; }

    // The first sample at which the log had evicted rows (the cap was reached); -1 if never.
    int capReachedIndex() const;
    qint64 maxRssKbFrom(int index) const;
    quint64 maxBacklog() const;
    quint64 maxWaiting() const;
    // Least-squares slope of RSS over the samples from `index` on, in KiB per minute.
    double rssSlopeKbPerMinFrom(int index) const;

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    const TrafficLogModel* m_log;
    const RpcServer* m_server;
    int m_timerId = 0;
    QElapsedTimer m_clock;
    std::vector<LoadSample> m_samples;
};

} // namespace rpcbench
