#pragma once
// Per-second figures of a load run: calls sent, calls completed, error replies, and the
// latency percentiles of the calls completed in that second. Events are bucketed by the time
// they happen (a send by its actual send time, a completion by its reply time), seconds
// counted from start(). A second is closed — and handed to the callback — as soon as a later
// event or advance() shows it is over, so a GUI gets a point per second even while the server
// is stalled (that second's point then shows 0 completed).
//
// One LatencyHistogram for the open second only: memory stays fixed whatever the run length
// (the closed points keep their percentiles, not their samples).

#include "load/LatencyHistogram.h"
#include "load/ReplyScanner.h"

#include <QList>
#include <QMetaType>

#include <functional>
#include <map>
#include <memory>

namespace rpcbench {

struct LoadSecond
{
    int second = 0; // from the start of the measured window; the last one may be partial
    quint64 sent = 0;
    quint64 completed = 0;
    quint64 errors = 0;
    quint64 p50Us = 0; // of this second's completions; 0 when none completed
    quint64 p90Us = 0;
    quint64 p99Us = 0;
    quint64 maxUs = 0;
    std::map<qint64, quint64> errorsByCode; // ReplyScanner's keys (errors == the sum)
    // This second's completions (LoadTimeSeries::Callback's point only: the points kept for
    // the whole run leave it out, 60 KiB each).
    std::shared_ptr<const LatencyHistogram> latency;
};

class LoadTimeSeries
{
public:
    using Callback = std::function<void(const LoadSecond&)>;

    void setCallback(Callback callback) { m_callback = std::move(callback); }
    // Second 0 begins at `startNs`; earlier points are discarded.
    void start(qint64 startNs);
    bool isStarted() const { return m_started; }

    void addSent(qint64 nowNs, quint64 count = 1);
    void addCompleted(qint64 nowNs, quint64 latencyUs);
    void addErrors(qint64 nowNs, quint64 count, qint64 code = ReplyScanner::kNoCode);
    // Closes every second that ended at or before `nowNs`.
    void advance(qint64 nowNs);
    // Closes the open second too (end of run), when anything happened in it or it is the only one.
    void finish(qint64 nowNs);

    const QList<LoadSecond>& points() const { return m_points; }

private:
    // The open second's bucket, after closing the seconds before `nowNs`'s.
    void roll(qint64 nowNs);
    void close();

    Callback m_callback;
    QList<LoadSecond> m_points;
    LoadSecond m_open;
    LatencyHistogram m_latency; // the open second's completions
    qint64 m_startNs = 0;
    bool m_started = false;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::LoadSecond)
