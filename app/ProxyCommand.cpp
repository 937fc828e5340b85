// rpcbench proxy: sits between a user's own client and server, forwards every message both
// ways unchanged, logs each one (paired, with the time spent upstream), injects faults into
// proxied methods and can be watched live from the GUI (--monitor).
#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "SignalWatcher.h"

#include "proxy/Proxy.h"
#include "proxy/ProxyMonitor.h"
#include "server/ListenSpec.h"
#include "traffic/TrafficEventCodec.h"
#include "util/JsonFile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QTimer>

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace rpcbench;
using namespace rpcbench::cli;

namespace {

const QString kCommand = QStringLiteral("proxy");

void addProxyOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(
        QStringLiteral("Forwards JSON-RPC between clients and an upstream server, both ways, and logs every "
                       "message.\n"
                       "  rpcbench proxy --listen tcp://127.0.0.1:9001 --upstream tcp://127.0.0.1:9000\n"
                       "  rpcbench proxy --stdio --framing lsp -- clangd --log=error   (what an editor "
                       "launches)"));
    p.addHelpOption();
    p.addOption(
        {QStringLiteral("listen"),
         QStringLiteral("Where clients connect (repeatable): tcp://, http://, ws://, https://, wss://, "
                        "tcp+lsp://, unix:/path ..."),
         QStringLiteral("url")});
    p.addOption({QStringLiteral("upstream"), QStringLiteral("The server to forward to (any client URL)."),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("stdio"),
                 QStringLiteral("Serve one client on stdin/stdout; the upstream is the command after '--' "
                                "(with --framing lsp or ndjson).")});
    p.addOption({QStringLiteral("log"),
                 QStringLiteral("Traffic log format: text (stderr), jsonl or none. "
                                "'--log jsonl FILE' writes JSON Lines to FILE."),
                 QStringLiteral("format"), QStringLiteral("text")});
    p.addOption({QStringLiteral("log-file"), QStringLiteral("Write the traffic log to this file."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("monitor"),
                 QStringLiteral("Serve the live traffic to the GUI (Attach to proxy...) on unix:/path."),
                 QStringLiteral("unix:/path")});
    p.addOption({QStringLiteral("faults"),
                 QStringLiteral("JSON file {\"method\": {\"latencyMs\": 200, ...}} of faults for proxied "
                                "methods (the mock server's fault settings)."),
                 QStringLiteral("file")});
    addConnectionOptions(p, QStringLiteral("(use --upstream)"));
}

// "--log jsonl FILE" (the form the docs show) as --log=jsonl --log-file=FILE; "--upstream URL"
// as the connection options' --url; the words after "--" as the --exec command of --stdio.
QStringList normalise(QStringList args, QString* error)
{
    const qsizetype dashes = args.indexOf(QStringLiteral("--"));
    QStringList command;
    if (dashes >= 0) {
        command = args.mid(dashes + 1);
        args = args.first(dashes);
    }
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == u"--log" && i + 2 < args.size() && args.at(i + 1) == u"jsonl" &&
            !args.at(i + 2).startsWith(u'-')) {
            args[i] = QStringLiteral("--log=jsonl");
            args[i + 1] = QStringLiteral("--log-file=") + args.at(i + 2);
            args.removeAt(i + 2);
        } else if (args.at(i) == u"--upstream") {
            args[i] = QStringLiteral("--url");
        } else if (args.at(i).startsWith(u"--upstream=")) {
            args[i] = QStringLiteral("--url=") + args.at(i).mid(11);
        }
    }
    if (!command.isEmpty()) {
        if (!args.contains(QStringLiteral("--stdio"))) {
            *error = QStringLiteral("a command after '--' needs --stdio");
            return {};
        }
        ProcessSpec spec{command.first(), command.mid(1), {}, {}};
        args << QStringLiteral("--exec") << spec.commandLine();
    }
    return args;
}

bool loadFaults(const QString& path, FaultTable& table, QString* error)
{
    const auto doc = JsonFile::read(path, error);
    if (!doc)
        return false;
    QString problem;
    const auto faults = FaultSettings::mapFromJson(
        doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array()), &problem);
    if (!faults) {
        *error = QStringLiteral("%1: %2").arg(path, problem);
        return false;
    }
    for (auto it = faults->begin(); it != faults->end(); ++it)
        table.set(it.key(), it.value());
    return true;
}

struct LogSink
{
    enum class Format { None, Text, JsonLines } format = Format::Text;
    FILE* out = stderr;
    ProxyMonitor* monitor = nullptr;

    void drain(TrafficBus& bus)
    {
        const std::vector<TrafficEvent> events = bus.drain();
        if (events.empty())
            return;
        if (monitor)
            monitor->feed(events);
        if (format == Format::None)
            return;
        for (const TrafficEvent& e : events) {
            const QByteArray line =
                format == Format::JsonLines ? trafficEventToJsonLine(e) : trafficEventToText(e);
            std::fwrite(line.constData(), 1, size_t(line.size()), out);
            if (!line.endsWith('\n'))
                std::fputc('\n', out);
        }
        std::fflush(out);
    }
};

} // namespace

int runProxy(const QStringList& rawArgs)
{
    QString error;
    const QStringList args = normalise(rawArgs, &error);
    if (!error.isEmpty())
        return usageError(kCommand, error);
    QCommandLineParser p;
    addProxyOptions(p);
    QStringList valueOptions = connectionValueOptions();
    valueOptions << QStringLiteral("listen") << QStringLiteral("log") << QStringLiteral("log-file")
                 << QStringLiteral("monitor") << QStringLiteral("faults");
    if (const int rc = parseCommand(p, args, kCommand, valueOptions); rc >= 0)
        return rc;
    const bool stdio = p.isSet(QStringLiteral("stdio"));
    const QStringList listens = p.values(QStringLiteral("listen"));
    if (stdio == !listens.isEmpty())
        return usageError(kCommand, QStringLiteral("give --listen URL or --stdio (with the server's command "
                                                   "after '--'), not both"));
    const auto upstream = readConnection(p, {}, &error);
    if (!upstream)
        return usageError(kCommand, error.replace(QStringLiteral("--url"), QStringLiteral("--upstream")));
    QList<ListenSpec> specs;
    for (const QString& url : listens) {
        const auto spec = ListenSpec::parse(url, &error);
        if (!spec)
            return usageError(kCommand, QStringLiteral("invalid --listen '%1': %2").arg(url, error));
        specs << *spec;
    }
    LogSink sink;
    const QString format = p.value(QStringLiteral("log"));
    if (format == u"jsonl")
        sink.format = LogSink::Format::JsonLines;
    else if (format == u"none")
        sink.format = LogSink::Format::None;
    else if (format != u"text")
        return usageError(kCommand,
                          QStringLiteral("--log must be text, jsonl or none, got '%1'").arg(format));
    if (p.isSet(QStringLiteral("log-file"))) {
        const QString path = p.value(QStringLiteral("log-file"));
        sink.out = std::fopen(QFile::encodeName(path).constData(), "w");
        if (!sink.out) {
            printErr(QStringLiteral("rpcbench proxy: cannot write the log file %1: %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
            return ExitTransport;
        }
    } else if (sink.format == LogSink::Format::JsonLines && !stdio) {
        sink.out = stdout;
    }

    auto bus = std::make_shared<TrafficBus>();
    Proxy proxy(bus);
    proxy.setUpstream(*upstream);
    printConnectionWarnings(*upstream);
    if (p.isSet(QStringLiteral("faults")) &&
        !loadFaults(p.value(QStringLiteral("faults")), *proxy.faults(), &error))
        return usageError(kCommand, error);
    ProxyMonitor monitor;
    if (p.isSet(QStringLiteral("monitor"))) {
        QString path = p.value(QStringLiteral("monitor"));
        if (path.startsWith(u"unix:"))
            path = path.mid(5);
        if (!monitor.listen(path, &error)) {
            printErr(QStringLiteral("rpcbench proxy: cannot serve the monitor on %1: %2").arg(path, error));
            return ExitTransport;
        }
        sink.monitor = &monitor;
    }
    bus->setEnabled(sink.format != LogSink::Format::None || sink.monitor);
    QObject::connect(&proxy, &Proxy::notice,
                     [](const QString& line) { printErr(QStringLiteral("rpcbench proxy: ") + line); });
    if (stdio) {
        QObject::connect(&proxy, &Proxy::channelFinished, [] { QCoreApplication::quit(); });
        proxy.startStdio(upstream->transport);
    } else if (!proxy.start(specs)) {
        printErr(QStringLiteral("rpcbench proxy: ") + proxy.errorString());
        return ExitTransport;
    } else {
        QStringList bound;
        for (const Endpoint& e : proxy.listeningEndpoints())
            bound << e.toString();
        printErr(QStringLiteral("rpcbench proxy: listening on %1, forwarding to %2")
                     .arg(bound.join(QStringLiteral(", ")), upstream->toString()));
    }
    QTimer logTimer;
    QObject::connect(&logTimer, &QTimer::timeout, [&] { sink.drain(*bus); });
    logTimer.start(50);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [](int) { QCoreApplication::quit(); });
    const int rc = QCoreApplication::exec();
    sink.drain(*bus); // first: stopping waits for the upstream, and a supervisor may not wait that long
    proxy.stop();
    sink.drain(*bus);
    if (sink.out != stdout && sink.out != stderr)
        std::fclose(sink.out);
    return rc;
}
