// `rpcbench bench`: the load generator, and `rpcbench bench --echo-server`, the raw echo
// baseline it is compared with.

#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "PeerOptionsCli.h"
#include "SignalWatcher.h"

#include "load/EchoServer.h"
#include "load/LoadGenerator.h"
#include "util/JsonText.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace rpcbench;
using rpcbench::cli::readInteger;
using rpcbench::cli::readNumber;

namespace {

constexpr int kExitBadUsage = 2;  // bad option or unreachable URL
constexpr int kExitRunFailed = 1; // connections lost during the run
// With --rate, --depth caps the calls in flight per connection; this is its default there.
constexpr int kOpenLoopDefaultDepth = 1000;
// A bad connection option (ConnectionOptionsCli.h) exits 64 as in `call` and `methods`.

void addOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(QStringLiteral(
        "Load-tests a JSON-RPC server: C connections with D calls in flight each, for S seconds after a "
        "warm-up, over any transport (--url or --exec). Prints calls/s, errors and latency percentiles. With "
        "--rate, sends N calls/s on a schedule instead (open loop) and measures each call from when it "
        "should have been sent. With --echo-server, runs a raw TCP echo server instead (the baseline for "
        "--echo)."));
    p.addHelpOption();
    cli::addConnectionOptions(
        p, QStringLiteral("tcp://HOST:PORT, tcp+lsp://HOST:PORT, http(s)://HOST:PORT/PATH, "
                          "tcp+tls://HOST:PORT, ws(s)://HOST:PORT/PATH, unix:/PATH or "
                          "unix+lsp:/PATH (or --exec)."));
    p.addOption({QStringLiteral("conns"), QStringLiteral("Connections. Default 1."), QStringLiteral("count"),
                 QStringLiteral("1")});
    p.addOption(
        {QStringLiteral("depth"),
         QStringLiteral("Calls in flight per connection. Default 1. With --rate: the most in flight per "
                        "connection (default %1); calls due beyond it wait and count as late.")
             .arg(kOpenLoopDefaultDepth),
         QStringLiteral("count"), QStringLiteral("1")});
    p.addOption({{QStringLiteral("seconds"), QStringLiteral("duration")},
                 QStringLiteral("Measured duration. Default 5."),
                 QStringLiteral("seconds"),
                 QStringLiteral("5")});
    p.addOption(
        {QStringLiteral("rate"),
         QStringLiteral("Open loop: N calls per second across all connections, on a schedule; latency "
                        "counts from each call's intended send time. No warm-up."),
         QStringLiteral("N")});
    p.addOption({QStringLiteral("ramp"),
                 QStringLiteral("With --rate: raise the rate linearly from --ramp-from to N over this many "
                                "seconds (part of the measured duration)."),
                 QStringLiteral("seconds"), QStringLiteral("0")});
    p.addOption({QStringLiteral("ramp-from"),
                 QStringLiteral("With --ramp: the rate at the start of the ramp. Default 0."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("csv"),
                 QStringLiteral("Write the per-second time series as CSV to this file (- = standard output, "
                                "which then replaces the text report; that goes to standard error)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("warmup"), QStringLiteral("Warm-up excluded from the figures. Default 0.5."),
                 QStringLiteral("seconds"), QStringLiteral("0.5")});
    p.addOption({QStringLiteral("payload"),
                 QStringLiteral("Without --method: call echo with a string of this many bytes. Default 16."),
                 QStringLiteral("bytes"), QStringLiteral("16")});
    p.addOption({QStringLiteral("method"), QStringLiteral("Method to call instead of echo."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("params"), QStringLiteral("Params of --method as a JSON array or object."),
                 QStringLiteral("json")});
    p.addOption({QStringLiteral("dialect"), QStringLiteral("2.0, 1.0 or classic. Default 2.0."),
                 QStringLiteral("dialect"), QStringLiteral("2.0")});
    p.addOption(
        {QStringLiteral("echo"),
         QStringLiteral("The URL is a raw echo server: send the same request bytes, count echoed bytes.")});
    p.addOption({QStringLiteral("init"),
                 QStringLiteral("Handshake every connection performs before its load (not measured): a JSON "
                                "array of {\"method\", \"params\", \"notification\", \"timeoutMs\"}, "
                                "as for call --init (resources/examples/lsp-init.json, mcp-init.json)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as one JSON object.")});
    p.addOption(
        {QStringLiteral("echo-server"), QStringLiteral("Run a raw TCP echo server (the --echo baseline).")});
    p.addOption({QStringLiteral("port"), QStringLiteral("--echo-server port (0 = any free port). Default 0."),
                 QStringLiteral("port"), QStringLiteral("0")});
    p.addOption({QStringLiteral("bind"), QStringLiteral("--echo-server address. Default 127.0.0.1."),
                 QStringLiteral("address"), QStringLiteral("127.0.0.1")});
}

// --init: InitSequence reads the file and resolves its templates; the load layer performs it.
bool readHandshake(const QCommandLineParser& p, LoadOptions* o, QString* error)
{
    QList<InitStep> steps;
    if (!cli::readInitOption(p, &steps, error))
        return false;
    if (steps.isEmpty())
        return true;
    if (p.isSet(QStringLiteral("echo"))) {
        *error = QStringLiteral("--init does not apply to the raw --echo baseline");
        return false;
    }
    for (const InitStep& s : steps)
        o->init.append({s.request.method, s.request.params, s.request.notification, s.request.timeoutMs});
    o->initResolver = &InitSequence::resolve;
    return true;
}

// --rate, --ramp, --ramp-from; --depth becomes the per-connection cap of the open loop.
bool readRate(const QCommandLineParser& p, LoadOptions* o, QString* error)
{
    const bool open = p.isSet(QStringLiteral("rate"));
    if (!open) {
        for (const char* name : {"ramp", "ramp-from"})
            if (p.isSet(QLatin1String(name))) {
                *error = QStringLiteral("--%1 needs --rate").arg(QLatin1String(name));
                return false;
            }
        return true;
    }
    if (!readNumber(p, QStringLiteral("rate"), 0.001, 10'000'000, &o->rate, error) ||
        !readNumber(p, QStringLiteral("ramp"), 0, 86'400, &o->rampSeconds, error) ||
        !readNumber(p, QStringLiteral("ramp-from"), 0, o->rate, &o->rampFromRate, error))
        return false;
    if (p.isSet(QStringLiteral("ramp-from")) && !p.isSet(QStringLiteral("ramp"))) {
        *error = QStringLiteral("--ramp-from needs --ramp");
        return false;
    }
    if (!p.isSet(QStringLiteral("depth")))
        o->depth = kOpenLoopDefaultDepth;
    if (p.isSet(QStringLiteral("warmup"))) {
        *error = QStringLiteral("--warmup does not apply to --rate (the schedule starts once connected)");
        return false;
    }
    o->warmupSeconds = 0;
    return true;
}

bool parseLoadOptions(const QCommandLineParser& p, LoadOptions* o, QString* error)
{
    qint64 n = 0;
    if (!readInteger(p, QStringLiteral("conns"), 1, 10'000, &n, error))
        return false;
    o->connections = int(n);
    if (!readInteger(p, QStringLiteral("depth"), 1, 100'000, &n, error))
        return false;
    o->depth = int(n);
    if (!readInteger(p, QStringLiteral("payload"), 0, 256 * 1024 * 1024, &n, error))
        return false;
    o->payloadBytes = n;
    if (!readNumber(p, QStringLiteral("seconds"), 0.001, 86'400, &o->seconds, error) ||
        !readNumber(p, QStringLiteral("warmup"), 0, 3600, &o->warmupSeconds, error))
        return false;
    const auto dialect = dialectFromString(p.value(QStringLiteral("dialect")));
    if (!dialect) {
        *error = QStringLiteral("--dialect must be 2.0, 1.0 or classic, got '%1'")
                     .arg(p.value(QStringLiteral("dialect")));
        return false;
    }
    o->dialect = *dialect;
    o->method = p.value(QStringLiteral("method"));
    o->params = p.value(QStringLiteral("params")).toUtf8();
    if (p.isSet(QStringLiteral("params")) && !p.isSet(QStringLiteral("method"))) {
        *error = QStringLiteral("--params needs --method");
        return false;
    }
    if (p.isSet(QStringLiteral("method")) && p.isSet(QStringLiteral("payload"))) {
        *error = QStringLiteral("--payload applies to the default echo call; drop it or --method");
        return false;
    }
    o->rawEcho = p.isSet(QStringLiteral("echo"));
    if (!readHandshake(p, o, error) || !readRate(p, o, error))
        return false;
    QString invalid;
    LoadGenerator::buildRequest(*o, &invalid); // validates URL, params JSON and ranges
    if (!invalid.isEmpty()) {
        *error = invalid;
        return false;
    }
    return true;
}

QString callDescription(const LoadOptions& o)
{
    if (o.method.isEmpty())
        return QStringLiteral("echo of %1 B").arg(o.payloadBytes);
    return o.params.isEmpty() ? o.method : QStringLiteral("%1 %2").arg(o.method, QString::fromUtf8(o.params));
}

// The non-empty buckets: {"us": lower bound, "count"} (log-linear, see LatencyHistogram).
QJsonArray histogramToJson(const LatencyHistogram& h)
{
    QJsonArray buckets;
    for (int i = 0; i < LatencyHistogram::bucketCount() && h.count() > 0; ++i)
        if (const quint64 n = h.countAt(i))
            buckets.append(QJsonObject{{QStringLiteral("us"), qint64(LatencyHistogram::bucketLow(i))},
                                       {QStringLiteral("count"), qint64(n)}});
    return buckets;
}

QJsonArray timeSeriesToJson(const QList<LoadSecond>& points)
{
    QJsonArray series;
    for (const LoadSecond& s : points)
        series.append(QJsonObject{{QStringLiteral("second"), s.second},
                                  {QStringLiteral("sent"), qint64(s.sent)},
                                  {QStringLiteral("completed"), qint64(s.completed)},
                                  {QStringLiteral("errors"), qint64(s.errors)},
                                  {QStringLiteral("p50Us"), qint64(s.p50Us)},
                                  {QStringLiteral("p90Us"), qint64(s.p90Us)},
                                  {QStringLiteral("p99Us"), qint64(s.p99Us)},
                                  {QStringLiteral("maxUs"), qint64(s.maxUs)}});
    return series;
}

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

QJsonObject resultToJson(const LoadOptions& o, const LoadResult& r)
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
    return json;
}

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

void printText(const LoadOptions& o, const LoadResult& r, FILE* out)
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
    text += QStringLiteral("calls:    %1 in %2 s   errors: %3   connections lost: %4\n")
                .arg(r.calls)
                .arg(r.elapsedSeconds, 0, 'f', 2)
                .arg(r.errors)
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
    if (r.unexpectedReplies > 0)
        text +=
            QStringLiteral("warning: %1 replies arrived without a call in flight\n").arg(r.unexpectedReplies);
    std::fputs(text.toUtf8().constData(), out);
}

int runEchoServer(const QCommandLineParser& p)
{
    QString error;
    qint64 port = 0;
    if (!readInteger(p, QStringLiteral("port"), 0, 65535, &port, &error)) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
        return kExitBadUsage;
    }
    const QString bind = p.value(QStringLiteral("bind"));
    QHostAddress address;
    if (!address.setAddress(bind)) {
        std::fprintf(stderr, "rpcbench bench: --bind: '%s' is not an IP address\n", qPrintable(bind));
        return kExitBadUsage;
    }
    EchoServer server;
    if (!server.listen(address, quint16(port))) {
        std::fprintf(stderr, "rpcbench bench: cannot listen on %s:%lld: %s\n", qPrintable(bind), port,
                     qPrintable(server.errorString()));
        return kExitBadUsage;
    }
    std::fprintf(stdout, "listening on %s:%u\n", qPrintable(bind), unsigned(server.port()));
    std::fflush(stdout);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [] { QCoreApplication::quit(); });
    const int rc = QCoreApplication::exec();
    std::fprintf(stderr, "rpcbench bench: echo server stopped after %llu bytes\n",
                 static_cast<unsigned long long>(server.bytesEchoed()));
    return rc;
}

bool writeCsv(const QString& path, const QList<LoadSecond>& points, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(timeSeriesToCsv(points)) < 0 ||
        !file.flush()) {
        *error = QStringLiteral("--csv: cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

int runLoad(const QCommandLineParser& p)
{
    LoadOptions options;
    QString error;
    const auto endpoint = cli::readConnection(p, {}, &error);
    if (!endpoint) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
        return cli::ExitUsage;
    }
    cli::printConnectionWarnings(*endpoint);
    options.endpoint = *endpoint;
    options.url = endpoint->toString();
    if (p.isSet(QStringLiteral("csv")) && p.value(QStringLiteral("csv")) == QLatin1String("-") &&
        p.isSet(QStringLiteral("json"))) {
        std::fprintf(stderr, "rpcbench bench: --csv - and --json both want standard output\n");
        return kExitBadUsage;
    }
    if (!parseLoadOptions(p, &options, &error)) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
        return kExitBadUsage;
    }
    LoadGenerator generator(options);
    QObject::connect(&generator, &LoadGenerator::finished, [] { QCoreApplication::quit(); });
    SignalWatcher watcher; // Ctrl+C ends the run early and still prints the figures
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &generator, &LoadGenerator::stop);
    generator.start();
    QCoreApplication::exec();

    const LoadResult& r = generator.result();
    if (!r.ok && r.elapsedSeconds <= 0) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(cli::oneLine(r.error)));
        return kExitBadUsage;
    }
    const QString csvPath = p.value(QStringLiteral("csv"));
    const bool csvToStdout = csvPath == QLatin1String("-");
    if (csvToStdout)
        std::fputs(timeSeriesToCsv(r.timeSeries).constData(), stdout);
    const bool csvFailed = !csvToStdout && !csvPath.isEmpty() && !writeCsv(csvPath, r.timeSeries, &error);
    if (csvFailed)
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
    if (p.isSet(QStringLiteral("json"))) {
        const QByteArray json = QJsonDocument(resultToJson(options, r)).toJson(QJsonDocument::Compact);
        std::fprintf(stdout, "%s\n", json.constData());
    } else {
        printText(options, r, csvToStdout ? stderr : stdout);
    }
    if (!r.ok) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(cli::oneLine(r.error)));
        return kExitRunFailed;
    }
    return csvFailed ? kExitRunFailed : 0;
}

} // namespace

int runBench(const QStringList& args)
{
    QCommandLineParser parser;
    addOptions(parser);
    QStringList rest = args;
    rest.removeAt(1); // "bench"
    if (!parser.parse(rest)) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(parser.errorText()));
        return kExitBadUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // The first line names argv[0] (maybe a path); show the sub-command instead.
        QString help = parser.helpText();
        help.replace(0, help.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: rpcbench bench [options]"));
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "rpcbench bench: unexpected argument '%s'\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return kExitBadUsage;
    }
    if (parser.isSet(QStringLiteral("echo-server")))
        return runEchoServer(parser);
    return runLoad(parser);
}
