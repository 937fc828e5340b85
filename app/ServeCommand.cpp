// `rpcbench serve`: the embedded server, headless.

#include "Commands.h"
#include "SignalWatcher.h"

#include "DemoService.h"
#include "Introspection.h"
#include "MockService.h"
#include "RpcServer.h"
#include "ScriptHost.h"
#include "TrafficBus.h"
#include "TrafficEventCodec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace rpcbench;

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
    p.addOption({QStringLiteral("max-message-bytes"),
                 QStringLiteral("Largest message or HTTP body accepted. Default %1.").arg(d.maxMessageBytes),
                 QStringLiteral("bytes"), QString::number(d.maxMessageBytes)});
    p.addOption({QStringLiteral("idle-timeout-ms"),
                 QStringLiteral("A half-received message must complete within this time. Default %1.")
                     .arg(d.idleTimeoutMs),
                 QStringLiteral("ms"), QString::number(d.idleTimeoutMs)});
    p.addOption({QStringLiteral("max-connections"),
                 QStringLiteral("Concurrent connections; more are refused with an error. Default %1.")
                     .arg(d.maxConnections),
                 QStringLiteral("count"), QString::number(d.maxConnections)});
    p.addOption({QStringLiteral("handler-timeout-ms"),
                 QStringLiteral("A call not answered within this time gets error -32002. Default %1.")
                     .arg(d.handlerTimeoutMs),
                 QStringLiteral("ms"), QString::number(d.handlerTimeoutMs)});
    p.addOption(
        {QStringLiteral("workspace"),
         QStringLiteral("Serve the user-defined methods, faults and server settings of a workspace file "
                        "(.rpcbench.json). Options given on the command line override its settings."),
         QStringLiteral("file")});
}

bool parsePositive(const QCommandLineParser& p, const QString& name, qint64 min, qint64 max, qint64* out,
                   QString* error)
{
    bool ok = false;
    const qint64 v = p.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1 must be a number between %2 and %3, got '%4'")
                     .arg(name)
                     .arg(min)
                     .arg(max)
                     .arg(p.value(name));
        return false;
    }
    *out = v;
    return true;
}

bool parseOptions(const QCommandLineParser& p, ServeOptions* o, QString* error)
{
    qint64 v = 0;
    if (!parsePositive(p, QStringLiteral("port"), 0, 65535, &v, error))
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
    ServerLimits& l = o->limits;
    if (!parsePositive(p, QStringLiteral("max-message-bytes"), 64, qint64(1) << 31, &v, error))
        return false;
    l.maxMessageBytes = v;
    if (!parsePositive(p, QStringLiteral("idle-timeout-ms"), 1, 86'400'000, &v, error))
        return false;
    l.idleTimeoutMs = int(v);
    if (!parsePositive(p, QStringLiteral("max-connections"), 1, 1'000'000, &v, error))
        return false;
    l.maxConnections = int(v);
    if (!parsePositive(p, QStringLiteral("handler-timeout-ms"), 1, 86'400'000, &v, error))
        return false;
    l.handlerTimeoutMs = int(v);
    o->workspace = p.value(QStringLiteral("workspace"));
    return true;
}

// The workspace's server settings, where the command line did not set them explicitly.
void takeWorkspaceSettings(const QCommandLineParser& p, const WorkspaceServer& w, ServeOptions* o)
{
    const auto unset = [&p](const char* name) { return !p.isSet(QLatin1StringView(name)); };
    if (unset("port"))
        o->port = quint16(w.port);
    if (unset("bind")) {
        o->bindText = w.bind;
        o->address.setAddress(w.bind); // validated when the workspace was read
    }
    ServerLimits& l = o->limits;
    const ServerLimits& from = w.limits;
    if (unset("max-message-bytes"))
        l.maxMessageBytes = from.maxMessageBytes;
    if (unset("idle-timeout-ms"))
        l.idleTimeoutMs = from.idleTimeoutMs;
    if (unset("max-connections"))
        l.maxConnections = from.maxConnections;
    if (unset("handler-timeout-ms"))
        l.handlerTimeoutMs = from.handlerTimeoutMs;
    l.maxHeaderBytes = from.maxHeaderBytes; // no command-line options for these
    l.maxPendingReplyBytes = from.maxPendingReplyBytes;
    l.maxJsonDepth = from.maxJsonDepth;
}

// Loads --workspace into the registry (validated first: nothing is applied on error).
bool loadWorkspace(const QCommandLineParser& p, MockService& mocks, ScriptHost& scripts, ServeOptions* o,
                   QString* error)
{
    const auto w = mocks.readWorkspace(o->workspace, error);
    if (!w)
        return false;
    takeWorkspaceSettings(p, w->server, o);
    scripts.setTimeLimitMs(w->server.scriptTimeLimitMs);
    mocks.apply(*w);
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

    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    registerIntrospection(*registry);
    // Script threads only when a workspace may define script methods.
    auto scripts = options.workspace.isEmpty() ? nullptr : std::make_shared<ScriptHost>();
    MockService mocks(registry, scripts);
    if (!options.workspace.isEmpty() && !loadWorkspace(parser, mocks, *scripts, &options, &error)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(error));
        return 65; // EX_DATAERR: the workspace file is unusable
    }
    auto bus = std::make_shared<TrafficBus>();
    bus->setEnabled(options.log != LogFormat::None);
    RpcServer server(registry, bus, options.limits);
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
        QObject::connect(&logTimer, &QTimer::timeout, [&] { printTraffic(*bus, options.log); });
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
        printTraffic(*bus, options.log);
    if (bus->droppedCount() > 0)
        std::fprintf(stderr, "rpcbench serve: %llu traffic events dropped (log consumer too slow)\n",
                     static_cast<unsigned long long>(bus->droppedCount()));
    std::fprintf(stderr, "rpcbench serve: stopped\n");
    return rc;
}
