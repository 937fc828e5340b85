#include "load/LoadResultFormat.h"

#include "util/JsonText.h"

#include <QStringList>

#include <algorithm>
#include <vector>

namespace rpcbench::LoadResultFormat {

QString callDescription(const LoadOptions& o)
{
    if (!o.mix.isEmpty())
        return QStringLiteral("mix of %1 calls").arg(o.mix.size());
    if (o.method.isEmpty())
        return QStringLiteral("echo of %1 B").arg(o.payloadBytes);
    return o.params.isEmpty() ? o.method : QStringLiteral("%1 %2").arg(o.method, QString::fromUtf8(o.params));
}

QJsonArray histogramToJson(const LatencyHistogram& h)
{
    QJsonArray buckets;
    for (int i = 0; i < LatencyHistogram::bucketCount() && h.count() > 0; ++i)
        if (const quint64 n = h.countAt(i))
            buckets.append(QJsonObject{{QStringLiteral("us"), qint64(LatencyHistogram::bucketLow(i))},
                                       {QStringLiteral("count"), qint64(n)}});
    return buckets;
}

QJsonObject errorsByCodeToJson(const std::map<qint64, quint64>& errors)
{
    QJsonObject json;
    for (const auto& [code, count] : errors)
        json.insert(ReplyScanner::errorCodeLabel(code), qint64(count));
    return json;
}

QString errorsByCodeText(const std::map<qint64, quint64>& errors)
{
    std::vector<std::pair<qint64, quint64>> sorted(errors.begin(), errors.end());
    // Most frequent first; equal counts by code, so the text is stable.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    QStringList parts;
    for (const auto& [code, count] : sorted)
        parts << QStringLiteral("%1 ×%2").arg(ReplyScanner::errorCodeLabel(code)).arg(count);
    return parts.join(QStringLiteral(", "));
}

QJsonArray timeSeriesToJson(const QList<LoadSecond>& points)
{
    QJsonArray series;
    for (const LoadSecond& s : points) {
        QJsonObject point{{QStringLiteral("second"), s.second},
                          {QStringLiteral("sent"), qint64(s.sent)},
                          {QStringLiteral("completed"), qint64(s.completed)},
                          {QStringLiteral("errors"), qint64(s.errors)},
                          {QStringLiteral("p50Us"), qint64(s.p50Us)},
                          {QStringLiteral("p90Us"), qint64(s.p90Us)},
                          {QStringLiteral("p99Us"), qint64(s.p99Us)},
                          {QStringLiteral("maxUs"), qint64(s.maxUs)}};
        if (!s.errorsByCode.empty())
            point.insert(QStringLiteral("errorsByCode"), errorsByCodeToJson(s.errorsByCode));
        series.append(point);
    }
    return series;
}

namespace {

QJsonObject openLoopToJson(const LoadOptions& o, const OpenLoopResult& r)
{
    return QJsonObject{{QStringLiteral("rate"), o.rate},
                       {QStringLiteral("rampSeconds"), o.rampSeconds},
                       {QStringLiteral("rampFrom"), o.rampFromRate},
                       {QStringLiteral("maxInFlightPerConn"), o.depth},
                       {QStringLiteral("sent"), qint64(r.sent)},
                       {QStringLiteral("late"), qint64(r.late)},
                       {QStringLiteral("lateToleranceUs"), qint64(RateScheduler::kLateToleranceNs / 1000)},
                       {QStringLiteral("latenessP99Us"), qint64(r.lateness.percentile(99))},
                       {QStringLiteral("latenessMaxUs"), qint64(r.lateness.max())},
                       {QStringLiteral("notSent"), qint64(r.notSent)},
                       {QStringLiteral("inFlightAtEnd"), qint64(r.inFlightAtEnd)}};
}

} // namespace

QByteArray timeSeriesToCsv(const QList<LoadSecond>& points)
{
    QByteArray csv = "second,sent,completed,errors,p50_us,p90_us,p99_us,max_us\n";
    for (const LoadSecond& s : points)
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                   .arg(s.second)
                   .arg(s.sent)
                   .arg(s.completed)
                   .arg(s.errors)
                   .arg(s.p50Us)
                   .arg(s.p90Us)
                   .arg(s.p99Us)
                   .arg(s.maxUs)
                   .toUtf8();
    return csv;
}

QJsonObject toJson(const LoadOptions& o, const LoadResult& r)
{
    const LatencyHistogram& h = r.latency;
    const QJsonObject latency{
        {QStringLiteral("p50"), qint64(h.percentile(50))}, {QStringLiteral("p90"), qint64(h.percentile(90))},
        {QStringLiteral("p95"), qint64(h.percentile(95))}, {QStringLiteral("p99"), qint64(h.percentile(99))},
        {QStringLiteral("max"), qint64(h.max())},          {QStringLiteral("mean"), h.mean()}};
    QJsonObject json{
        {QStringLiteral("ok"), r.ok},
        {QStringLiteral("error"), r.error},
        {QStringLiteral("url"), o.url},
        {QStringLiteral("mode"), o.rawEcho ? QStringLiteral("echo") : QStringLiteral("rpc")},
        {QStringLiteral("conns"), o.connections},
        {QStringLiteral("depth"), o.depth},
        {QStringLiteral("dialect"), toString(o.dialect)},
        {QStringLiteral("call"), callDescription(o)},
        {QStringLiteral("requestBytes"), qint64(r.requestBytes)},
        {QStringLiteral("seconds"), r.elapsedSeconds},
        {QStringLiteral("calls"), qint64(r.calls)},
        {QStringLiteral("callsPerSec"), r.callsPerSecond},
        {QStringLiteral("errors"), qint64(r.errors)},
        {QStringLiteral("errorsByCode"), errorsByCodeToJson(r.errorsByCode)},
        {QStringLiteral("connectionErrors"), qint64(r.connectionErrors)},
        {QStringLiteral("unexpectedReplies"), qint64(r.unexpectedReplies)},
        {QStringLiteral("latencyUs"), latency},
        {QStringLiteral("cpuSeconds"), r.cpuSeconds},
        {QStringLiteral("cpuPercent"), r.elapsedSeconds > 0 ? 100.0 * r.cpuSeconds / r.elapsedSeconds : 0.0},
        {QStringLiteral("loop"), o.openLoop() ? QStringLiteral("open") : QStringLiteral("closed")},
        {QStringLiteral("latencyHistogram"), histogramToJson(h)},
        {QStringLiteral("timeSeries"), timeSeriesToJson(r.timeSeries)}};
    if (r.openLoop)
        json.insert(QStringLiteral("openLoop"), openLoopToJson(o, *r.openLoop));
    if (!r.perCall.isEmpty()) {
        QJsonArray mix;
        for (const LoadCallCount& c : r.perCall)
            mix.append(QJsonObject{{QStringLiteral("name"), c.name},
                                   {QStringLiteral("method"), c.method},
                                   {QStringLiteral("notification"), c.notification},
                                   {QStringLiteral("weight"), c.weight},
                                   {QStringLiteral("sent"), qint64(c.sent)},
                                   {QStringLiteral("answered"), qint64(c.answered)}});
        json.insert(QStringLiteral("mix"), mix);
    }
    return json;
}

namespace {

QString openLoopText(const LoadOptions& o, const OpenLoopResult& r)
{
    QString text = QStringLiteral("open loop: %1 calls/s").arg(o.rate);
    if (o.rampSeconds > 0)
        text += QStringLiteral(" (ramp from %1 over %2 s)").arg(o.rampFromRate).arg(o.rampSeconds);
    text += QStringLiteral(", at most %1 in flight per connection; latency from the intended send time\n")
                .arg(o.depth);
    text += QStringLiteral("sent:     %1   late (> %2 ms): %3   lateness p99 %4   max %5\n")
                .arg(r.sent)
                .arg(RateScheduler::kLateToleranceNs / 1'000'000)
                .arg(r.late)
                .arg(JsonText::formatLatency(qint64(r.lateness.percentile(99))),
                     JsonText::formatLatency(qint64(r.lateness.max())));
    if (r.notSent > 0)
        text +=
            QStringLiteral("warning: %1 calls due could not be sent (every connection had %2 in flight)\n")
                .arg(r.notSent)
                .arg(o.depth);
    if (r.inFlightAtEnd > 0)
        text += QStringLiteral("in flight at the end (not in the figures): %1\n").arg(r.inFlightAtEnd);
    return text;
}

} // namespace

QString toText(const LoadOptions& o, const LoadResult& r)
{
    const LatencyHistogram& h = r.latency;
    QString text;
    text += QStringLiteral("%1  %2 conn × %3 in flight, %4, dialect %5, %6 B/request%7\n")
                .arg(o.url)
                .arg(o.connections)
                .arg(o.openLoop() ? QStringLiteral("≤ %1").arg(o.depth) : QString::number(o.depth))
                .arg(callDescription(o), toString(o.dialect))
                .arg(r.requestBytes)
                .arg(o.rawEcho ? QStringLiteral(" (raw echo)") : QString());
    text += QStringLiteral("calls/s:  %1\n").arg(qint64(r.callsPerSecond + 0.5));
    text +=
        QStringLiteral("calls:    %1 in %2 s   errors: %3   connections lost: %4\n")
            .arg(r.calls)
            .arg(r.elapsedSeconds, 0, 'f', 2)
            .arg(r.errors > 0 ? QStringLiteral("%1 (%2)").arg(r.errors).arg(errorsByCodeText(r.errorsByCode))
                              : QStringLiteral("0"))
            .arg(r.connectionErrors);
    text +=
        QStringLiteral("latency:  p50 %1   p95 %2   p99 %3   max %4\n")
            .arg(JsonText::formatLatency(qint64(h.percentile(50))),
                 JsonText::formatLatency(qint64(h.percentile(95))),
                 JsonText::formatLatency(qint64(h.percentile(99))), JsonText::formatLatency(qint64(h.max())));
    text += QStringLiteral("generator CPU: %1 s (%2 % of one core)\n")
                .arg(r.cpuSeconds, 0, 'f', 2)
                .arg(r.elapsedSeconds > 0 ? 100.0 * r.cpuSeconds / r.elapsedSeconds : 0.0, 0, 'f', 0);
    if (r.openLoop)
        text += openLoopText(o, *r.openLoop);
    if (!r.perCall.isEmpty()) {
        qsizetype width = 4;
        for (const LoadCallCount& c : r.perCall)
            width = std::max(width, c.name.size());
        text += QStringLiteral("per call: %1  %2  %3\n")
                    .arg(QStringLiteral("name"), -int(width))
                    .arg(QStringLiteral("sent"), 10)
                    .arg(QStringLiteral("answered"), 10);
        for (const LoadCallCount& c : r.perCall)
            text +=
                QStringLiteral("          %1  %2  %3\n")
                    .arg(c.name, -int(width))
                    .arg(c.sent, 10)
                    .arg(c.notification ? QStringLiteral("(notification)") : QString::number(c.answered), 10);
    }
    if (r.unexpectedReplies > 0)
        text +=
            QStringLiteral("warning: %1 replies arrived without a call in flight\n").arg(r.unexpectedReplies);
    return text;
}

} // namespace rpcbench::LoadResultFormat
