// `rpcbench bench`: the load generator, and `rpcbench bench --echo-server`, the raw echo
// baseline it is compared with.

#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "PeerOptionsCli.h"
#include "SignalWatcher.h"

#include "collection/Collection.h"
#include "collection/Variables.h"
#include "load/EchoServer.h"
#include "load/LoadGenerator.h"
#include "load/LoadMix.h"
#include "load/LoadResultFormat.h"
#include "mock/Workspace.h"
#include "util/JsonFile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace rpcbench;
using rpcbench::cli::readInteger;
using rpcbench::cli::readNumber;

namespace {

constexpr int kExitBadUsage = 2;  // bad option (or collection) or unreachable URL
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
        "should have been sent. With --from-collection, sends a mix of saved calls instead of one call. "
        "With --echo-server, runs a raw TCP echo server instead (the baseline for --echo)."));
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
        {QStringLiteral("from-collection"),
         QStringLiteral("Send the saved calls of FILE (a workspace with \"collections\", or a "
                        "*.rpcbench-collection.json file) instead of one call: every connection sends "
                        "them in turn, a fixed interleaved cycle (each saved call as often as its "
                        "\"weight\", default 1), and the report counts each call (sent, "
                        "answered). Variables are resolved once, as in `rpcbench test`; the calls must "
                        "share one target (default: theirs or the workspace's client URL; --url sends "
                        "them all there) and one dialect; notifications are sent without waiting; "
                        "batches are refused."),
         QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("collection"),
         QStringLiteral("With --from-collection: the collection called NAME (needed when the file has "
                        "several)."),
         QStringLiteral("name")});
    p.addOption({QStringLiteral("folder"),
                 QStringLiteral("With --from-collection: only the calls under PATH (\"Folder/Sub\", or one "
                                "call's path)."),
                 QStringLiteral("path")});
    p.addOption(
        {QStringLiteral("environment"),
         QStringLiteral("With --from-collection: use the workspace environment NAME's variables (`test "
                        "--env`; in bench, --env is the --exec process's environment)."),
         QStringLiteral("name")});
    p.addOption({QStringLiteral("var"),
                 QStringLiteral("With --from-collection: set variable NAME (overrides every other source; "
                                "repeatable). VALUE is JSON when it parses as JSON, else a string."),
                 QStringLiteral("name=value")});
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

// --from-collection: the mix, with the target and dialect its calls name.
struct MixInput
{
    LoadMix::FromCollection mix;
    QString defaultUrl; // the calls' target, else the workspace's client URL
};

bool readVars(const QCommandLineParser& p, Variables* variables, QString* error)
{
    QMap<QString, QJsonValue> vars;
    for (const QString& word : p.values(QStringLiteral("var"))) {
        const qsizetype eq = word.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error =
                QStringLiteral("--var '%1': expected NAME=VALUE").arg(word.left(eq < 0 ? word.size() : eq));
            return false;
        }
        vars.insert(word.left(eq), cli::parseArgValue(word.mid(eq + 1)));
    }
    variables->setLayer(Variables::Layer::Override, vars);
    return true;
}

// The collection the options name in FILE (a collection file, or a workspace's one).
std::optional<Collection> pickCollection(const QString& file, const QList<Collection>& all,
                                         const QString& name, QString* error)
{
    const QString fileName = QFileInfo(file).fileName();
    QStringList names;
    for (const Collection& c : all) {
        if (c.name == name)
            return c;
        names << QStringLiteral("'%1'").arg(c.name);
    }
    const QString has = names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", "));
    if (!name.isEmpty())
        *error = QStringLiteral("%1 has no collection called '%2' (it has: %3)").arg(fileName, name, has);
    else if (all.size() == 1)
        return all.first();
    else if (all.isEmpty())
        *error = QStringLiteral("%1 has no collections").arg(fileName);
    else
        *error = QStringLiteral("%1 has %2 collections (%3): choose one with --collection")
                     .arg(fileName)
                     .arg(all.size())
                     .arg(has);
    return std::nullopt;
}

std::optional<MixInput> readMix(const QCommandLineParser& p, QString* error)
{
    if (!p.isSet(QStringLiteral("from-collection"))) {
        for (const char* name : {"collection", "folder", "environment", "var"})
            if (p.isSet(QLatin1String(name))) {
                *error = QStringLiteral("--%1 needs --from-collection").arg(QLatin1String(name));
                return std::nullopt;
            }
        return MixInput{};
    }
    for (const char* name : {"method", "params", "payload", "echo", "dialect"})
        if (p.isSet(QLatin1String(name))) {
            *error = QStringLiteral("--%1 does not apply to --from-collection (the calls come from the "
                                    "collection)")
                         .arg(QLatin1String(name));
            return std::nullopt;
        }
    MixInput in;
    const QString file = p.value(QStringLiteral("from-collection"));
    const auto doc = JsonFile::read(file, error);
    if (!doc)
        return std::nullopt;
    QList<Collection> collections;
    QMap<QString, QMap<QString, QJsonValue>> environments;
    QString workspaceUrl;
    // The file is a collection when it says so; anything else is read as a workspace (as `test`).
    if (doc->object().value(QLatin1String("format")).toString() == QLatin1String(Collection::format)) {
        auto c = Collection::load(file, error);
        if (!c)
            return std::nullopt;
        collections << *c;
    } else {
        const auto w = Workspace::load(file, nullptr, error);
        if (!w)
            return std::nullopt;
        collections = w->collections;
        environments = w->environments;
        workspaceUrl = w->client.url;
    }
    const auto collection = pickCollection(file, collections, p.value(QStringLiteral("collection")), error);
    if (!collection)
        return std::nullopt;
    Variables variables;
    const QString environment = p.value(QStringLiteral("environment"));
    if (!environment.isEmpty()) {
        if (!environments.contains(environment)) {
            *error =
                QStringLiteral("no environment '%1' (the file has: %2)")
                    .arg(environment, environments.isEmpty() ? QStringLiteral("none")
                                                             : environments.keys().join(QLatin1String(", ")));
            return std::nullopt;
        }
        variables.setLayer(Variables::Layer::Environment, environments.value(environment));
    }
    if (!readVars(p, &variables, error))
        return std::nullopt;
    auto mix = LoadMix::fromCollection(*collection, p.value(QStringLiteral("folder")), variables, error);
    if (!mix)
        return std::nullopt;
    in.mix = std::move(*mix);
    in.defaultUrl = in.mix.target.isEmpty() ? workspaceUrl : in.mix.target;
    return in;
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
    if (o->mix.isEmpty()) // a mix has its calls' dialect
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
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(LoadResultFormat::timeSeriesToCsv(points)) < 0 || !file.flush()) {
        *error = QStringLiteral("--csv: cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

int runLoad(const QCommandLineParser& p)
{
    LoadOptions options;
    QString error;
    const auto mix = readMix(p, &error);
    if (!mix) {
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
        return kExitBadUsage;
    }
    for (const QString& warning : mix->mix.warnings)
        std::fprintf(stderr, "rpcbench bench: warning: %s\n", qPrintable(warning));
    const auto endpoint = cli::readConnection(p, mix->defaultUrl, &error);
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
    options.mix = mix->mix.calls;
    if (!options.mix.isEmpty())
        options.dialect = mix->mix.dialect;
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
        std::fputs(LoadResultFormat::timeSeriesToCsv(r.timeSeries).constData(), stdout);
    const bool csvFailed = !csvToStdout && !csvPath.isEmpty() && !writeCsv(csvPath, r.timeSeries, &error);
    if (csvFailed)
        std::fprintf(stderr, "rpcbench bench: %s\n", qPrintable(error));
    if (p.isSet(QStringLiteral("json"))) {
        const QByteArray json =
            QJsonDocument(LoadResultFormat::toJson(options, r)).toJson(QJsonDocument::Compact);
        std::fprintf(stdout, "%s\n", json.constData());
    } else {
        std::fputs(LoadResultFormat::toText(options, r).toUtf8().constData(), csvToStdout ? stderr : stdout);
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
