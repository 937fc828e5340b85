// `rpcbench serve`: the embedded server, headless.

#include "CliArgs.h"
#include "Commands.h"
#include "SignalWatcher.h"

#include "dispatch/DemoService.h"
#include "dispatch/Introspection.h"
#include "mock/MockService.h"
#include "script/ScriptHost.h"
#include "server/RpcServer.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEventCodec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <array>
#include <cstdio>
#include <type_traits>

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

// A server limit settable with a command-line option. One table drives the options, their
// help, their validation and which workspace settings the command line overrides, so a new
// limit is one line here.
struct LimitOption
{
    const char* name;      // long option
    const char* valueName; // shown in --help
    const char* help;      // the default is appended
    qint64 min;
    qint64 max;
    qint64 (*get)(const ServerLimits&);
    void (*set)(ServerLimits&, qint64);
};

template <auto Member>
constexpr LimitOption limitOption(const char* name, const char* valueName, const char* help, qint64 min,
                                  qint64 max)
{
    return {name,
            valueName,
            help,
            min,
            max,
            [](const ServerLimits& l) { return qint64(l.*Member); },
            [](ServerLimits& l, qint64 v) { l.*Member = std::remove_cvref_t<decltype(l.*Member)>(v); }};
}

constexpr qint64 kDayMs = 86'400'000;

// Ranges match what a workspace file accepts (core/Workspace.cpp).
constexpr std::array kLimitOptions = {
    limitOption<&ServerLimits::maxMessageBytes>(
        "max-message-bytes", "bytes", "Largest message or HTTP body accepted.", 64, qint64(1) << 31),
    limitOption<&ServerLimits::idleTimeoutMs>(
        "idle-timeout-ms", "ms", "A half-received message must complete within this time.", 1, kDayMs),
    limitOption<&ServerLimits::keepAliveTimeoutMs>(
        "keepalive-timeout-ms", "ms",
        "A connection with nothing under way is closed after this much silence (0 = never).", 0, kDayMs),
    limitOption<&ServerLimits::maxConnections>(
        "max-connections", "count", "Concurrent connections; more are refused with an error.", 1, 1'000'000),
    limitOption<&ServerLimits::handlerTimeoutMs>(
        "handler-timeout-ms", "ms", "A call not answered within this time gets error -32002.", 1, kDayMs),
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
    for (const LimitOption& o : kLimitOptions) {
        const QString byDefault = QString::number(o.get(d));
        p.addOption({QLatin1StringView(o.name),
                     QStringLiteral("%1 Default %2.").arg(QLatin1StringView(o.help), byDefault),
                     QLatin1StringView(o.valueName), byDefault});
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
    for (const LimitOption& limit : kLimitOptions) {
        if (!readInteger(p, QLatin1StringView(limit.name), limit.min, limit.max, &v, error))
            return false;
        limit.set(o->limits, v);
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
    for (const LimitOption& limit : kLimitOptions) {
        if (p.isSet(QLatin1StringView(limit.name)))
            limit.set(limits, limit.get(o->limits));
    }
    o->limits = limits;
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
