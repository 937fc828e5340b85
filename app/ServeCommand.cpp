// `rpcbench serve`: the embedded server, headless. It listens on --listen URLs (any number;
// --port/--bind are the one tcp:// listener of old), or serves its own stdin/stdout with
// --stdio (as a language server or MCP server would), when stdout carries JSON-RPC only:
// the traffic log and every message then go to stderr. With --replay it answers from a
// recorded session instead of its methods (core/proxy/ReplayHandler.h).

#include "CliArgs.h"
#include "Commands.h"
#include "SignalWatcher.h"

#include "engine/Engine.h"
#include "proxy/RecordedCalls.h"
#include "proxy/RecordedSession.h"
#include "proxy/ReplayHandler.h"
#include "server/ListenSpec.h"
#include "server/RpcServer.h"
#include "server/ServerLimitTable.h"
#include "traffic/JsonLinesIo.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEventCodec.h"
#include "wire/StdioChannel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
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
    QString workspace;        // --workspace FILE: serve its methods and faults
    QList<ListenSpec> listen; // --listen URL...; empty: the one --port/--bind listener
    bool stdio = false;       // --stdio: serve stdin/stdout, no listener
    Transport stdioFraming = Transport::JsonStream;
    QString replay;     // --replay LOG: answer from this recording
    QStringList ignore; // --ignore POINTER...: request members a replayed match skips
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
                       "and classic calls over a JSON stream, Content-Length framing, "
                       "HTTP/1.1 POST and WebSocket; --listen adds TLS and Unix sockets, --stdio "
                       "serves stdin/stdout."));
    p.addHelpOption();
    p.addOption({QStringLiteral("port"), QStringLiteral("TCP port (0 = any free port). Default 5000."),
                 QStringLiteral("port"), QStringLiteral("5000")});
    p.addOption(
        {QStringLiteral("bind"),
         QStringLiteral("Address to bind. Default 127.0.0.1 (loopback only); 0.0.0.0 exposes the server "
                        "to the network."),
         QStringLiteral("address"), QStringLiteral("127.0.0.1")});
    p.addOption(
        {QStringLiteral("listen"),
         QStringLiteral("Listen on URL (repeatable; port 0 = any free port): tcp://HOST:PORT (sniffed: "
                        "JSON stream, LSP, HTTP, WebSocket), tcp+lsp://, http://, ws://, https://, "
                        "tcp+tls://, wss:// (with --tls-cert and --tls-key), unix:/PATH, "
                        "unix+lsp:/PATH. Replaces --port/--bind."),
         QStringLiteral("url")});
    p.addOption({QStringLiteral("tls-cert"), QStringLiteral("Certificate (PEM) of the TLS listeners."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("tls-key"),
                 QStringLiteral("Private key (PEM, unencrypted) of the TLS listeners."),
                 QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("stdio"),
         QStringLiteral("Serve JSON-RPC on stdin/stdout instead of listening (for editors and agents); "
                        "exits when stdin closes. Logs go to stderr.")});
    p.addOption(
        {QStringLiteral("framing"),
         QStringLiteral("With --stdio: ndjson (one JSON message per line, MCP) or lsp (Content-Length). "
                        "Default ndjson."),
         QStringLiteral("lsp|ndjson")});
    p.addOption(
        {QStringLiteral("log"),
         QStringLiteral("Traffic log on stdout (stderr with --stdio): text, jsonl or none. Default text."),
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
    p.addOption(
        {QStringLiteral("replay"),
         QStringLiteral("Stand in for a recorded server: answer each request matching a call recorded in LOG "
                        "(a JSON Lines traffic log of proxy, serve or the GUI; method and params) with its "
                        "recorded reply, and send the server's recorded notifications where they came."),
         QStringLiteral("log")});
    p.addOption({QStringLiteral("ignore"),
                 QStringLiteral("With --replay: a JSON Pointer into the request not to compare, e.g. "
                                "/params/processId (repeatable)."),
                 QStringLiteral("pointer")});
}

// The options that take a value (the next word is theirs), for cli::parseCommand.
QStringList valueOptions()
{
    QStringList names{QStringLiteral("port"),     QStringLiteral("bind"),      QStringLiteral("listen"),
                      QStringLiteral("tls-cert"), QStringLiteral("tls-key"),   QStringLiteral("framing"),
                      QStringLiteral("log"),      QStringLiteral("workspace"), QStringLiteral("replay"),
                      QStringLiteral("ignore")};
    for (const ServerLimitInfo* limit : optionLimits())
        names << QLatin1StringView(limit->option);
    return names;
}

bool fail(QString* error, const QString& message)
{
    *error = message;
    return false;
}

// --listen URLs with the TLS files, or --stdio with its framing; --port/--bind stay the one
// tcp:// listener when neither is given.
bool parseListeners(const QCommandLineParser& p, ServeOptions* o, QString* error)
{
    const bool legacy = p.isSet(QStringLiteral("port")) || p.isSet(QStringLiteral("bind"));
    o->stdio = p.isSet(QStringLiteral("stdio"));
    if (o->stdio && (legacy || p.isSet(QStringLiteral("listen"))))
        return fail(error,
                    QStringLiteral("--stdio serves stdin/stdout only: drop --listen, --port and --bind"));
    if (legacy && p.isSet(QStringLiteral("listen")))
        return fail(error, QStringLiteral("give either --listen URL or --port/--bind, not both "
                                          "(--port 5000 is --listen tcp://127.0.0.1:5000)"));
    if (p.isSet(QStringLiteral("framing"))) {
        const QString f = p.value(QStringLiteral("framing")).toLower();
        if (!o->stdio)
            return fail(error,
                        QStringLiteral("--framing applies to --stdio only (listeners use tcp+lsp:// or "
                                       "unix+lsp: URLs)"));
        if (f != u"lsp" && f != u"ndjson")
            return fail(error, QStringLiteral("invalid --framing '%1' (use lsp or ndjson)")
                                   .arg(p.value(QStringLiteral("framing"))));
        o->stdioFraming = f == u"lsp" ? Transport::Lsp : Transport::JsonStream;
    }
    bool anyTls = false;
    for (const QString& url : p.values(QStringLiteral("listen"))) {
        auto spec = ListenSpec::parse(url, error);
        if (!spec)
            return false;
        if (spec->isTls()) {
            anyTls = true;
            if (!p.isSet(QStringLiteral("tls-cert")) || !p.isSet(QStringLiteral("tls-key")))
                return fail(error, QStringLiteral("%1 needs --tls-cert FILE and --tls-key FILE").arg(url));
            spec->tlsCertificate = p.value(QStringLiteral("tls-cert"));
            spec->tlsKey = p.value(QStringLiteral("tls-key"));
        }
        o->listen.append(*spec);
    }
    if (!anyTls && (p.isSet(QStringLiteral("tls-cert")) || p.isSet(QStringLiteral("tls-key"))))
        return fail(error, QStringLiteral("--tls-cert and --tls-key apply to https://, tcp+tls://, "
                                          "tcp+lsp+tls:// and wss:// listeners"));
    return true;
}

bool parseReplay(const QCommandLineParser& p, ServeOptions* o, QString* error)
{
    o->replay = p.value(QStringLiteral("replay"));
    o->ignore = p.values(QStringLiteral("ignore"));
    if (o->replay.isEmpty() && !o->ignore.isEmpty())
        return fail(error, QStringLiteral("--ignore applies to --replay only"));
    if (!o->replay.isEmpty() && !o->workspace.isEmpty())
        return fail(error, QStringLiteral("--replay answers from the recording: drop --workspace"));
    for (const QString& pointer : std::as_const(o->ignore))
        if (!RecordedCalls::isValidPointer(pointer, error))
            return fail(error, QStringLiteral("--ignore: ") + *error);
    return true;
}

bool parseOptions(const QCommandLineParser& p, ServeOptions* o, QString* error)
{
    if (!parseListeners(p, o, error))
        return false;
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
    return parseReplay(p, o, error);
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

// The workspace's extra listeners ("Listen on…" in the window) join its port, unless the
// command line says where to listen (--listen) or serves stdio.
bool takeWorkspaceListeners(const QCommandLineParser& p, const WorkspaceServer& w, ServeOptions* o,
                            QString* error)
{
    if (w.listeners.isEmpty() || o->stdio || p.isSet(QStringLiteral("listen")))
        return true;
    Endpoint port; // tcp://bind:port, as --port/--bind (or the workspace) say
    port.host = p.isSet(QStringLiteral("bind")) ? o->bindText : w.bind;
    port.port = p.isSet(QStringLiteral("port")) ? o->port : quint16(w.port);
    QList<ListenSpec> listen{ListenSpec{port, {}, {}}};
    for (const WorkspaceListener& l : w.listeners) {
        auto spec = ListenSpec::parse(l.url, error);
        if (!spec)
            return false;
        spec->tlsCertificate = l.tlsCertificate;
        spec->tlsKey = l.tlsKey;
        listen.append(*spec);
    }
    o->listen = listen;
    return true;
}

// Loads --workspace into the engine (validated first: nothing is applied on error); the
// command line's settings win over the workspace's.
bool loadWorkspace(const QCommandLineParser& p, Engine& engine, ServeOptions* o, QString* error)
{
    const auto w = engine.readWorkspace(o->workspace, error);
    if (!w || !takeWorkspaceListeners(p, w->server, o, error))
        return false;
    engine.applyWorkspace(*w);
    takeWorkspaceSettings(p, w->server, o);
    engine.server()->setLimits(o->limits);
    std::fprintf(stderr, "rpcbench serve: workspace %s: %lld user methods, %lld methods with faults\n",
                 qPrintable(o->workspace), static_cast<long long>(w->methods.size()),
                 static_cast<long long>(w->faults.size()));
    return true;
}

// Reads --replay's log into a handler for the server; null after a one-line *error (a file that
// cannot be read, a bad line, a log with nothing to replay).
std::shared_ptr<ReplayHandler> loadReplay(const ServeOptions& o, QString* error)
{
    QFile file(o.replay);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--replay: cannot read '%1': %2").arg(o.replay, file.errorString());
        return nullptr;
    }
    const auto events = JsonLinesIo::read(file, {}, error);
    if (!events) {
        *error = QStringLiteral("--replay: %1: %2").arg(o.replay, *error);
        return nullptr;
    }
    RecordedSession session = RecordedSession::fromEvents(*events);
    const int servers = session.serverNotificationCount() + session.serverRequestCount();
    if (session.callCount() == 0 && servers == 0) {
        *error =
            QStringLiteral("--replay: %1 has no recorded server traffic (%2 requests without a reply): "
                           "record a session with `rpcbench proxy --log jsonl FILE` or `serve --log jsonl`")
                .arg(o.replay)
                .arg(session.unanswered);
        return nullptr;
    }
    QString line =
        QStringLiteral("rpcbench serve: replaying %1 recorded calls of %2 methods, %3 notifications")
            .arg(session.callCount())
            .arg(session.methodCount())
            .arg(session.serverNotificationCount());
    if (session.serverRequestCount() > 0)
        line += QStringLiteral(", %1 server requests").arg(session.serverRequestCount());
    if (session.unanswered > 0)
        line += QStringLiteral(" (%1 requests without a recorded reply left out)").arg(session.unanswered);
    std::fprintf(stderr, "%s from %s\n", qPrintable(line), qPrintable(o.replay));
    return std::make_shared<ReplayHandler>(std::move(session), o.ignore);
}

// Prints traffic events in batches to `out` (stdout, or stderr with --stdio), flushed once
// per batch.
void printTraffic(TrafficBus& bus, LogFormat format, FILE* out)
{
    const auto events = bus.drain();
    if (events.empty())
        return;
    for (const TrafficEvent& e : events) {
        const QByteArray line =
            format == LogFormat::JsonLines ? trafficEventToJsonLine(e) : trafficEventToText(e);
        std::fwrite(line.constData(), 1, size_t(line.size()), out);
    }
    std::fflush(out);
}

bool exposed(const ListenSpec& spec)
{
    if (spec.isLocal())
        return false;
    const QHostAddress a = spec.bindAddress();
    return !a.isLoopback();
}

// Binds every listener and prints one line per bound endpoint; false after printing why not.
bool startListening(RpcServer& server, const ServeOptions& o)
{
    if (o.listen.isEmpty()) { // --port/--bind (or the workspace's): today's one line
        if (!server.start(o.address, o.port)) {
            std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(server.errorString()));
            return false;
        }
        if (o.address != QHostAddress::LocalHost && o.address != QHostAddress::LocalHostIPv6)
            std::fprintf(stderr,
                         "rpcbench serve: WARNING: listening on %s exposes the server beyond this machine\n",
                         qPrintable(o.bindText));
        std::fprintf(stdout, "listening on %s:%u\n", qPrintable(o.bindText), unsigned(server.port()));
        std::fflush(stdout);
        return true;
    }
    if (!server.start(o.listen)) {
        std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(server.errorString()));
        return false;
    }
    for (const ListenSpec& spec : o.listen) {
        if (exposed(spec))
            std::fprintf(stderr,
                         "rpcbench serve: WARNING: listening on %s exposes the server beyond this machine\n",
                         qPrintable(spec.endpoint.toString()));
    }
    for (const Endpoint& bound : server.listeningEndpoints())
        std::fprintf(stdout, "listening on %s\n", qPrintable(bound.toString()));
    std::fflush(stdout);
    return true;
}

} // namespace

int runServe(const QStringList& args)
{
    QCommandLineParser parser;
    addOptions(parser, ServerLimits{});
    // As every command: errors and --help name "rpcbench serve", whatever path started the binary.
    if (const int code = cli::parseCommand(parser, args, QStringLiteral("serve"), valueOptions()); code >= 0)
        return code;
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
    if (!options.replay.isEmpty()) {
        const auto handler = loadReplay(options, &error);
        if (!handler) {
            std::fprintf(stderr, "rpcbench serve: %s\n", qPrintable(error));
            return 64;
        }
        engine.server()->setMessageHandler(handler, Side::Server);
    }
    TrafficBus& bus = *engine.bus();
    bus.setEnabled(options.log != LogFormat::None);
    RpcServer& server = *engine.server();
    // With --stdio, stdout carries JSON-RPC and nothing else.
    FILE* logOut = options.stdio ? stderr : stdout;
    if (options.stdio) {
        QObject::connect(&server, &RpcServer::channelFinished, [] { QCoreApplication::quit(); });
        server.serveChannel([](QObject* parent) { return new StdioChannel(parent); }, options.stdioFraming);
    } else if (!startListening(server, options)) {
        return 1;
    }

    QTimer logTimer;
    if (options.log != LogFormat::None) {
        QObject::connect(&logTimer, &QTimer::timeout, [&] { printTraffic(bus, options.log, logOut); });
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
        printTraffic(bus, options.log, logOut);
    if (bus.droppedCount() > 0)
        std::fprintf(stderr, "rpcbench serve: %llu traffic events dropped (log consumer too slow)\n",
                     static_cast<unsigned long long>(bus.droppedCount()));
    std::fprintf(stderr, "rpcbench serve: stopped\n");
    return rc;
}
