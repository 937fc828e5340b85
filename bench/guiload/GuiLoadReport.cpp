#include "GuiLoadReport.h"

#include "LoadSampler.h"
#include "ProcStat.h"
#include "StallProbe.h"
#include "TimedApplication.h"

#include <QJsonArray>

namespace rpcbench::guiloadreport {

namespace {

constexpr qint64 kP99TargetUs = 16'000;
constexpr qint64 kMaxTargetUs = 50'000;
// Memory counts as bounded when, once the log is full, it grows by less than this fraction of
// what it held at that moment (allocator noise, the bus backlog draining) by the end of the run.
constexpr double kRssTolerance = 0.10;

double ms(qint64 ns)
{
    return double(ns / 1000) / 1000.0;
}

QJsonArray statsJson(const std::vector<EventStat>& stats, size_t limit, qint64 elapsedNs)
{
    QJsonArray out;
    for (size_t i = 0; i < stats.size() && i < limit; ++i) {
        const EventStat& s = stats[i];
        out.append(QJsonObject{
            {QStringLiteral("what"), s.what},
            {QStringLiteral("count"), qint64(s.count)},
            {QStringLiteral("totalMs"), ms(s.totalNs)},
            {QStringLiteral("cpuMs"), ms(s.cpuNs)},
            {QStringLiteral("meanUs"), s.count ? double(s.totalNs) / double(s.count) / 1000.0 : 0.0},
            {QStringLiteral("maxMs"), ms(s.maxNs)},
            {QStringLiteral("percentOfWall"),
             elapsedNs > 0 ? 100.0 * double(s.totalNs) / double(elapsedNs) : 0.0}});
    }
    return out;
}

// Growth over the second half of the time after the cap was reached: ~0 when memory has
// levelled off, even if it first rose with the allocator's working set.
qint64 lastHalfGrowthKb(const std::vector<LoadSample>& samples, int cap)
{
    if (cap < 0 || samples.empty())
        return 0;
    const size_t mid = size_t(cap) + (samples.size() - size_t(cap)) / 2;
    return samples.back().rssKb - samples[mid].rssKb;
}

// One point a second: [seconds, RSS MiB, events waiting (bus backlog + the log's queue)].
QJsonArray series(const std::vector<LoadSample>& samples)
{
    QJsonArray out;
    qint64 next = 0;
    for (const LoadSample& s : samples) {
        if (s.atMs < next && &s != &samples.back())
            continue;
        next = s.atMs + 1000;
        out.append(QJsonArray{double(s.atMs) / 1000.0, double(qRound(double(s.rssKb) / 102.4)) / 10.0,
                              qint64(s.waiting())});
    }
    return out;
}

QJsonObject target(bool met, const QString& detail)
{
    return QJsonObject{{QStringLiteral("met"), met}, {QStringLiteral("detail"), detail}};
}

} // namespace

QJsonObject stalls(const StallProbe& probe)
{
    const LatencyHistogram& h = probe.lateness();
    QJsonArray worst;
    std::vector<StallProbe::Stall> list = probe.stalls();
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.lateUs > b.lateUs; });
    for (size_t i = 0; i < list.size() && i < 10; ++i)
        worst.append(QJsonObject{{QStringLiteral("atMs"), list[i].atMs},
                                 {QStringLiteral("lateMs"), double(list[i].lateUs) / 1000.0},
                                 {QStringLiteral("onCpuMs"), double(list[i].onCpuUs) / 1000.0},
                                 {QStringLiteral("waitingForCpuMs"), double(list[i].waitingUs) / 1000.0}});
    const LatencyHistogram& cpu = probe.onCpuLateness();
    const LatencyHistogram& waiting = probe.waitingLateness();
    // Totals over the listed stalls (>= 8 ms): how much of the frozen time was the GUI thread's
    // own work, how much waiting for a CPU, how much blocked.
    qint64 sumLate = 0, sumCpu = 0, sumWait = 0;
    for (const StallProbe::Stall& st : probe.stalls()) {
        sumLate += st.lateUs;
        sumCpu += st.onCpuUs;
        sumWait += st.waitingUs;
    }
    const QJsonObject split{{QStringLiteral("stallMs"), double(sumLate) / 1000.0},
                            {QStringLiteral("onCpuMs"), double(sumCpu) / 1000.0},
                            {QStringLiteral("waitingForCpuMs"), double(sumWait) / 1000.0},
                            {QStringLiteral("blockedMs"), double(sumLate - sumCpu - sumWait) / 1000.0}};
    return QJsonObject{{QStringLiteral("intervalMs"), probe.intervalMs()},
                       {QStringLiteral("ticks"), qint64(probe.ticks())},
                       {QStringLiteral("p50Us"), qint64(h.percentile(50))},
                       {QStringLiteral("p90Us"), qint64(h.percentile(90))},
                       {QStringLiteral("p99Us"), qint64(h.percentile(99))},
                       {QStringLiteral("p999Us"), qint64(h.percentile(99.9))},
                       {QStringLiteral("maxUs"), qint64(h.max())},
                       {QStringLiteral("meanUs"), h.mean()},
                       {QStringLiteral("onCpuP99Us"), qint64(cpu.percentile(99))},
                       {QStringLiteral("onCpuP999Us"), qint64(cpu.percentile(99.9))},
                       {QStringLiteral("onCpuMaxUs"), qint64(cpu.max())},
                       {QStringLiteral("waitingP99Us"), qint64(waiting.percentile(99))},
                       {QStringLiteral("waitingMaxUs"), qint64(waiting.max())},
                       {QStringLiteral("over8msSplit"), split},
                       {QStringLiteral("over8ms"), qint64(probe.stallsOver(8))},
                       {QStringLiteral("over16ms"), qint64(probe.stallsOver(16))},
                       {QStringLiteral("over50ms"), qint64(probe.stallsOver(50))},
                       {QStringLiteral("worst"), worst}};
}

QJsonObject logCounters(const LoadSampler& sampler, qint64 capacity)
{
    const std::vector<LoadSample>& samples = sampler.samples();
    const LoadSample last = samples.empty() ? LoadSample{} : samples.back();
    const LoadSample first = samples.empty() ? LoadSample{} : samples.front();
    // Every message the server handled is one event (request in, reply out). Whatever is
    // neither in the log, nor counted as dropped, nor still waiting in the bus went missing.
    const quint64 produced =
        (last.serverMessagesIn - first.serverMessagesIn) + (last.serverRepliesOut - first.serverRepliesOut);
    const quint64 accounted =
        (last.received - first.received) + (last.dropped - first.dropped) + last.backlog() - first.backlog();
    const int cap = sampler.capReachedIndex();
    return QJsonObject{
        {QStringLiteral("capacity"), capacity},
        {QStringLiteral("rowsShown"), last.rows},
        {QStringLiteral("received"), qint64(last.received)},
        {QStringLiteral("evicted"), qint64(last.evicted)},
        {QStringLiteral("busPublished"), qint64(last.published)},
        {QStringLiteral("busDropped"), qint64(last.dropped)},
        {QStringLiteral("backlogAtEnd"), qint64(last.backlog())},
        {QStringLiteral("maxBacklog"), qint64(sampler.maxBacklog())},
        {QStringLiteral("maxWaiting"), qint64(sampler.maxWaiting())},
        {QStringLiteral("skipped"), qint64(last.skipped)},
        {QStringLiteral("pendingAtEnd"), last.pending},
        {QStringLiteral("serverMessagesIn"), qint64(last.serverMessagesIn)},
        {QStringLiteral("serverRepliesOut"), qint64(last.serverRepliesOut)},
        {QStringLiteral("eventsProduced"), qint64(produced)},
        {QStringLiteral("eventsUnaccounted"), qint64(produced) - qint64(accounted)},
        {QStringLiteral("capReachedAtMs"), cap >= 0 ? samples[size_t(cap)].atMs : -1},
        {QStringLiteral("rowsReceivedPerSec"),
         last.atMs > 0 ? 1000.0 * double(last.received - first.received) / double(last.atMs) : 0.0}};
}

QJsonObject memory(const LoadSampler& sampler)
{
    const std::vector<LoadSample>& samples = sampler.samples();
    const int cap = sampler.capReachedIndex();
    const qint64 atCap = cap >= 0 ? samples[size_t(cap)].rssKb : 0;
    return QJsonObject{{QStringLiteral("startKb"), samples.empty() ? 0 : samples.front().rssKb},
                       {QStringLiteral("atCapKb"), atCap},
                       {QStringLiteral("maxAfterCapKb"), cap >= 0 ? sampler.maxRssKbFrom(cap) : 0},
                       {QStringLiteral("endKb"), samples.empty() ? 0 : samples.back().rssKb},
                       {QStringLiteral("peakKb"), procstat::peakRssKb()},
                       {QStringLiteral("maxKb"), sampler.maxRssKbFrom(0)},
                       {QStringLiteral("slopeAfterCapKbPerMin"), sampler.rssSlopeKbPerMinFrom(cap)},
                       {QStringLiteral("lastHalfGrowthKb"), lastHalfGrowthKb(samples, cap)},
                       {QStringLiteral("series"), series(samples)},
                       {QStringLiteral("samples"), qint64(samples.size())}};
}

QJsonObject eventLoop(const TimedApplication& app)
{
    qint64 busyNs = 0;
    const std::vector<EventStat> top = app.topLevel();
    for (const EventStat& s : top)
        busyNs += s.totalNs;
    // The slowest events, for reading: what the loop was doing during the worst stalls.
    std::vector<SlowEvent> slowest = app.slowEvents();
    std::sort(slowest.begin(), slowest.end(),
              [](const SlowEvent& a, const SlowEvent& b) { return a.durationNs > b.durationNs; });
    slowest.resize(std::min<size_t>(slowest.size(), 20));
    QJsonArray slow;
    for (const SlowEvent& e : slowest)
        slow.append(QJsonObject{{QStringLiteral("atMs"), e.atMs},
                                {QStringLiteral("ms"), ms(e.durationNs)},
                                {QStringLiteral("cpuMs"), ms(e.cpuNs)},
                                {QStringLiteral("waitingForCpuMs"), ms(e.waitNs)},
                                {QStringLiteral("what"), e.what}});
    return QJsonObject{
        {QStringLiteral("wallMs"), ms(app.elapsedNs())},
        {QStringLiteral("busyPercent"),
         app.elapsedNs() > 0 ? 100.0 * double(busyNs) / double(app.elapsedNs()) : 0.0},
        {QStringLiteral("top"), statsJson(top, 12, app.elapsedNs())},
        {QStringLiteral("paints"), statsJson(app.paints(), 8, app.elapsedNs())},
        {QStringLiteral("slowCount"), qint64(app.slowEvents().size() + app.slowEventsDropped())},
        {QStringLiteral("slowest"), slow}};
}

QJsonObject targets(const QJsonObject& stalls, const QJsonObject& log, const QJsonObject& memory)
{
    const qint64 p99 = stalls.value(QStringLiteral("p99Us")).toInteger();
    const qint64 max = stalls.value(QStringLiteral("maxUs")).toInteger();
    const qint64 atCap = memory.value(QStringLiteral("atCapKb")).toInteger();
    const qint64 afterCap = memory.value(QStringLiteral("maxAfterCapKb")).toInteger();
    const qint64 end = memory.value(QStringLiteral("endKb")).toInteger();
    const qint64 dropped = log.value(QStringLiteral("busDropped")).toInteger();
    const qint64 unaccounted = log.value(QStringLiteral("eventsUnaccounted")).toInteger();
    const bool capReached = atCap > 0;
    const bool rssBounded = capReached && double(end) <= double(atCap) * (1.0 + kRssTolerance);
    return QJsonObject{
        {QStringLiteral("p99"),
         target(p99 <= kP99TargetUs, QStringLiteral("p99 %1 ms").arg(double(p99) / 1000.0, 0, 'f', 1))},
        {QStringLiteral("max"),
         target(max <= kMaxTargetUs, QStringLiteral("max %1 ms").arg(double(max) / 1000.0, 0, 'f', 1))},
        {QStringLiteral("rss"),
         target(rssBounded, capReached ? QStringLiteral("%1 MiB at cap, %2 MiB max after, %3 MiB at end")
                                             .arg(double(atCap) / 1024.0, 0, 'f', 0)
                                             .arg(double(afterCap) / 1024.0, 0, 'f', 0)
                                             .arg(double(end) / 1024.0, 0, 'f', 0)
                                       : QStringLiteral("the cap was never reached"))},
        {QStringLiteral("nothingLost"),
         target(unaccounted == 0, QStringLiteral("%1 dropped by the bus (counted), %2 unaccounted")
                                      .arg(dropped)
                                      .arg(unaccounted))}};
}

} // namespace rpcbench::guiloadreport
