// `rpcbench serve`: the embedded server, headless.

#include "CliArgs.h"
#include "Commands.h"
#include "SignalWatcher.h"

#include "engine/Engine.h"
#include "server/RpcServer.h"
#include "server/ServerLimitTable.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEventCodec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace rpcbench;
using rpcbench::cli::readInteger;

namespace {

enum class LogFormat { None, Text, JsonLines };

struct ServeOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    QString bindText = QStringLiteral("127.0.0.1");
    quint16 port = 5000;
    LogFormat log = LogFormat::Text;
    ServerLimits limits;
    QString workspace; // --workspace FILE: serve its methods and faults
};

// The limits that have a command-line option (server/ServerLimitTable.h lists them all).
QList<const ServerLimitInfo*> optionLimits()
{
    QList<const ServerLimitInfo*> list;
    for (const ServerLimitInfo& limit : serverLimitTable()) {
        if (limit.option)
            list << &limit;
    }
    return list;
}

void addOptions(QCommandLineParser& p, const ServerLimits& d)
{
    p.setApplicationDescription(
        QStringLiteral("Runs the JSON-RPC server headless. One port serves JSON-RPC 2.0, 1.0 "
                       "and classic calls over a JSON stream, Content-Length framing and "
                       "HTTP/1.1 POST."));
    p.addHelpOption();
    p.addOption({QStringLiteral("port"), QStringLiteral("TCP port (0 = any free port). Default 5000."),
                 QStringLiteral("port"), QStringLiteral("5000")});
    p.addOption(
        {QStringLiteral("bind"),
         QStringLiteral("Address to bind. Default 127.0.0.1 (loopback only); 0.0.0.0 exposes the server "
                        "to the network."),
         QStringLiteral("address"), QStringLiteral("127.0.0.1")});
    p.addOption({QStringLiteral("log"),
                 QStringLiteral("Traffic log on stdout: text, jsonl or none. Default text."),
                 QStringLiteral("format"), QStringLiteral("text")});
    for (const ServerLimitInfo* limit : optionLimits()) {
        const QString byDefault = QString::number(limit->get(d));
        p.addOption({QLatin1StringView(limit->option),
                     QStringLiteral("%1 Default %2.").arg(QLatin1StringView(limit->help), byDefault),
                     QLatin1StringView(limit->unit), byDefault});
    }
    p.addOption(
        {QStringLiteral("workspace"),
         QStringLiteral("Serve the user-defined methods, faults and server settings of a workspace file "
                        "(.rpcbench.json). Options given on the command line override its settings."),
         QStringLiteral("file")});
}

bool parseOptions(const QCommandLineParser& p, ServeOptions* o, QString* error)
{
    qint64 v = 0;
    if (!readInteger(p, QStringLiteral("port"), 0, 65535, &v, error))
        return false;
    o->port = quint16(v);
    o->bindText = p.value(QStringLiteral("bind"));
    if (!o->address.setAddress(o->bindText)) {
        *error = QStringLiteral("--bind: '%1' is not an IP address").arg(o->bindText);
        return false;
    }
    const QString log = p.value(QStringLiteral("log"));
    if (log == u"text")
        o->log = LogFormat::Text;
    else if (log == u"jsonl")
        o->log = LogFormat::JsonLines;
    else if (log == u"none")
        o->log = LogFormat::None;
    else {
        *error = QStringLiteral("--log must be text, jsonl or none, got '%1'").arg(log);
        return false;
    }
    for (const ServerLimitInfo* limit : optionLimits()) {
        if (!readInteger(p, QLatin1StringView(limit->option), limit->min, limit->max, &v, error))
            return false;
        limit->set(o->limits, v);
    }
    o->workspace = p.value(QStringLiteral("workspace"));
    return true;
}

// The workspace's server settings, where the command line did not set them explicitly.
void takeWorkspaceSettings(const QCommandLineParser& p, const WorkspaceServer& w, ServeOptions* o)
{
    if (!p.isSet(QStringLiteral("port")))
        o->port = quint16(w.port);
    if (!p.isSet(QStringLiteral("bind"))) {
        o->bindText = w.bind;
        o->address.setAddress(w.bind); // validated when the workspace was read
    }
    // All of the workspace's limits (some have no option), then what the command line set.
    ServerLimits limits = w.limits;
    for (const ServerLimitInfo* limit : optionLimits()) {
        if (p.isSet(QLatin1StringView(limit->option)))
            limit->set(limits, limit->get(o->limits));
    }
    o->limits = limits;
}

// Loads --workspace into the engine (validated first: nothing is applied on error); the
// command line's settings win over the workspace's.
bool loadWorkspace(const QCommandLineParser& p, Engine& engine, ServeOptions* o, QString* error)
{
    const auto w = engine.readWorkspace(o->workspace, error);
    if (!w)
        return false;
    engine.applyWorkspace(*w);
    takeWorkspaceSettings(p, w->server, o);
    engine.server()->setLimits(o->limits);
    std::fprintf(stderr, "rpcbench serve: workspace %s: %lld user methods, %lld methods with faults\n",
                 qPrintable(o->workspace), static_cast<long long>(w->methods.size()),
                 static_cast<long long>(w->faults.size()));
    return true;
}

// Prints traffic events in batches; stdout is flushed once per batch.
void printTraffic(TrafficBus& bus, LogFormat format)
{
    const auto events = bus.drain();
    if (events.empty())
        return;
    for (const TrafficEvent& e : events) {
        const QByteArray line =
            format == LogFormat::JsonLines ? trafficEventToJsonLine(e) : trafficEventToText(e);
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    }
    std::fflush(stdout);
}

} // namespace

int runServe(const QStringList& args)
{
    QCommandLineParser parser;
    addOptions(parser, ServerLimits{});
    QStringList rest = args;
    rest.removeAt(1); // "serve"
    if (!parser.parse(rest)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(parser.errorText()));
        return 64;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: rpcbench"),
                                                        QStringLiteral("Usage: rpcbench serve"))),
                   stdout);
        return 0;
    }
    ServeOptions options;
    QString error;
    if (!parseOptions(parser, &options, &error)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(error));
        return 64;
    }

    // Script threads only when a workspace may define script methods.
    Engine engine({options.limits, !options.workspace.isEmpty()});
    if (!options.workspace.isEmpty() && !loadWorkspace(parser, engine, &options, &error)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(error));
        return 65; // EX_DATAERR: the workspace file is unusable
    }
    TrafficBus& bus = *engine.bus();
    bus.setEnabled(options.log != LogFormat::None);
    RpcServer& server = *engine.server();
    if (!server.start(options.address, options.port)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    if (options.address != QHostAddress::LocalHost && options.address != QHostAddress::LocalHostIPv6)
        std::fprintf(stderr,
                     "rpcbench serve: WARNING: listening on %s exposes the server beyond this machine\n",
                     qPrintable(options.bindText));
    std::fprintf(stdout, "listening on %s:%u\n", qPrintable(options.bindText), unsigned(server.port()));
    std::fflush(stdout);

    QTimer logTimer;
    if (options.log != LogFormat::None) {
        QObject::connect(&logTimer, &QTimer::timeout, [&] { printTraffic(bus, options.log); });
        logTimer.start(50);
    }
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [&](int) {
        server.stop();
        QCoreApplication::quit();
    });
    const int rc = QCoreApplication::exec();
    server.stop();
    if (options.log != LogFormat::None)
        printTraffic(bus, options.log);
    if (bus.droppedCount() > 0)
        std::fprintf(stderr, "rpcbench serve: %llu traffic events dropped (log consumer too slow)\n",
                     static_cast<unsigned long long>(bus.droppedCount()));
    std::fprintf(stderr, "rpcbench serve: stopped\n");
    return rc;
}
