#include "load/LoadReport.h"

#include "client/CommandLineBuilder.h"
#include "load/LoadResultFormat.h"
#include "util/JsonText.h"

#include <QJsonArray>

namespace rpcbench::LoadReport {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 12);
}

QString callDescription(const LoadOptions& o, const QString& collection)
{
    if (!collection.isEmpty())
        return QStringLiteral("mix of %1 calls from %2").arg(o.mix.size()).arg(collection);
    return LoadResultFormat::callDescription(o);
}

} // namespace

QString command(const LoadOptions& o, const CollectionSource& source)
{
    const bool mix = !source.collection.isEmpty();
    using CommandLineBuilder::shellQuote;
    QStringList words{QStringLiteral("rpcbench"), QStringLiteral("bench")};
    // The target with its connection settings (secrets as shell variables, as in the client's
    // "Copy as command"); a saved handshake is a file the user writes (placeholder name).
    if (o.endpoint.isValid())
        words << CommandLineBuilder::targetArguments(o.endpoint);
    else
        words << QStringLiteral("--url") << shellQuote(o.url);
    if (!o.init.isEmpty())
        words << QStringLiteral("--init") << QLatin1String(kHandshakeFile);
    if (o.dialect != Dialect::JsonRpc2 && !mix) // a mix has its calls' dialect (--dialect is refused)
        words << QStringLiteral("--dialect") << shellQuote(toString(o.dialect));
    words << QStringLiteral("--conns") << QString::number(o.connections) << QStringLiteral("--depth")
          << QString::number(o.depth) << QStringLiteral("--seconds") << number(o.seconds);
    if (o.openLoop()) {
        words << QStringLiteral("--rate") << number(o.rate);
        if (o.rampSeconds > 0) {
            words << QStringLiteral("--ramp") << number(o.rampSeconds);
            if (o.rampFromRate > 0)
                words << QStringLiteral("--ramp-from") << number(o.rampFromRate);
        }
    }
    if (mix) {
        words << QStringLiteral("--from-collection")
              << shellQuote(source.file.isEmpty() ? QLatin1String(kUnsavedWorkspace) : source.file)
              << QStringLiteral("--collection") << shellQuote(source.collection);
        if (!source.environment.isEmpty())
            words << QStringLiteral("--environment") << shellQuote(source.environment);
    } else if (!o.method.isEmpty()) {
        words << QStringLiteral("--method") << shellQuote(o.method);
        if (!o.params.isEmpty())
            words << QStringLiteral("--params") << shellQuote(QString::fromUtf8(o.params));
    }
    return words.join(QLatin1Char(' '));
}

QString targetSettings(const LoadOptions& o)
{
    QStringList parts;
    const ConnectOptions& c = o.endpoint.options;
    if (!c.headers.isEmpty())
        parts << QObject::tr("%n header(s)", nullptr, int(c.headers.size()));
    if (!c.bearerToken.isEmpty())
        parts << QObject::tr("a bearer token");
    if (!c.basicUser.isEmpty())
        parts << QObject::tr("a user and password");
    if (c.usesTls())
        parts << (c.insecure ? QObject::tr("TLS without certificate checks") : QObject::tr("TLS files"));
    if (!o.endpoint.process.environment.isEmpty() || !o.endpoint.process.workingDirectory.isEmpty())
        parts << QObject::tr("the process's environment");
    if (!o.init.isEmpty())
        parts << QObject::tr("a %n-step handshake on every connection", nullptr, int(o.init.size()));
    return parts.isEmpty() ? QString()
                           : QObject::tr("With the target's connection settings: %1.")
                                 .arg(parts.join(QStringLiteral(", ")));
}

QString summary(const LoadOptions& o, const LoadResult& r)
{
    const LatencyHistogram& h = r.latency;
    const auto latency = [](quint64 us) { return JsonText::formatLatency(qint64(us)); };
    QString text =
        QStringLiteral("%1 calls in %2 s · %3 calls/s · p50 %4 · p90 %5 · p99 %6 · max %7 · errors %8")
            .arg(r.calls)
            .arg(r.elapsedSeconds, 0, 'f', 2)
            .arg(qint64(r.callsPerSecond + 0.5))
            .arg(latency(h.percentile(50)), latency(h.percentile(90)), latency(h.percentile(99)),
                 latency(h.max()))
            .arg(r.errors);
    if (r.connectionErrors > 0)
        text += QStringLiteral(" · connections lost %1").arg(r.connectionErrors);
    if (r.openLoop) {
        text += QStringLiteral(" · late %1 of %2 sent (> %3 ms)")
                    .arg(r.openLoop->late)
                    .arg(r.openLoop->sent)
                    .arg(RateScheduler::kLateToleranceNs / 1'000'000);
        if (r.openLoop->notSent > 0)
            text += QStringLiteral(" · not sent %1").arg(r.openLoop->notSent);
    }
    if (!r.ok && !r.error.isEmpty())
        text += QStringLiteral(" · %1").arg(r.error);
    Q_UNUSED(o);
    return text;
}

QJsonObject toJson(const LoadOptions& o, const LoadResult& r, const CollectionSource& source)
{
    // `bench --json`'s document, plus what only the panel knows: the command and the collection.
    QJsonObject json = LoadResultFormat::toJson(o, r);
    // The GUI process's CPU is not the generator's alone (the window, the embedded server).
    json.remove(QStringLiteral("cpuSeconds"));
    json.remove(QStringLiteral("cpuPercent"));
    json.insert(QStringLiteral("call"), callDescription(o, source.collection));
    json.insert(QStringLiteral("command"), command(o, source));
    if (!source.collection.isEmpty())
        json.insert(QStringLiteral("collection"), source.collection);
    return json;
}

QByteArray toCsv(const QList<LoadSecond>& points)
{
    return LoadResultFormat::timeSeriesToCsv(points);
}

namespace {

// The 1-2-5 range holding `us` (0 counts with 1 µs): its lower bound.
quint64 rangeLow(quint64 us)
{
    quint64 decade = 1;
    while (us >= decade * 10 && decade <= quint64(1e17))
        decade *= 10;
    if (us >= decade * 5)
        return decade * 5;
    if (us >= decade * 2)
        return decade * 2;
    return decade;
}

quint64 rangeHigh(quint64 low)
{
    quint64 decade = 1;
    while (low >= decade * 10)
        decade *= 10;
    return low == decade ? decade * 2 : low == decade * 2 ? decade * 5 : decade * 10;
}

} // namespace

QList<HistogramBin> logBins(const LatencyHistogram& h)
{
    QList<HistogramBin> bins;
    if (h.count() == 0)
        return bins;
    for (quint64 low = rangeLow(h.min()); low <= rangeLow(h.max()); low = rangeHigh(low))
        bins.append({low, rangeHigh(low), 0});
    for (int i = 0; i < LatencyHistogram::bucketCount(); ++i) {
        const quint64 n = h.countAt(i);
        if (n == 0)
            continue;
        const quint64 low = rangeLow(std::max(LatencyHistogram::bucketLow(i), h.min()));
        for (HistogramBin& bin : bins)
            if (bin.lowUs == low) {
                bin.count += n;
                break;
            }
    }
    return bins;
}

QString binLabel(quint64 us)
{
    if (us >= 1'000'000)
        return QStringLiteral("%1 s").arg(us / 1'000'000.0);
    if (us >= 1000)
        return QStringLiteral("%1 ms").arg(us / 1000.0);
    return QStringLiteral("%1 µs").arg(us);
}

} // namespace rpcbench::LoadReport
