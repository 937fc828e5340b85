// `rpcbench call` and `rpcbench methods`: the client engine on the command line. Each command
// starts one asynchronous operation and runs the application's event loop (top level, the
// only loop) until the operation's signal arrives.

#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "IncomingPrinter.h"
#include "PeerOptionsCli.h"
#include "SignalWatcher.h"

#include "client/RpcClient.h"
#include "traffic/TrafficBus.h"
#include "util/JsonText.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <limits>

using namespace rpcbench;
using namespace rpcbench::cli;

namespace {

const QString kDefaultUrl = QStringLiteral("tcp://127.0.0.1:5000");

struct CommonOptions
{
    Endpoint endpoint;
    Dialect dialect = Dialect::JsonRpc2;
    int timeoutMs = 30'000;
    bool verbose = false;
    PeerSetup peers; // --init, --answer
    // call --listen: how long the connection stays open after the result (-1: not at all).
    int listenMs = -1;
    bool timeoutResetsOnProgress = false;
};

void addCommonOptions(QCommandLineParser& p, int defaultTimeoutMs)
{
    p.addHelpOption();
    addConnectionOptions(
        p,
        QStringLiteral("Server: tcp://HOST:PORT (JSON stream), tcp+lsp://HOST:PORT (Content-Length "
                       "framing), http(s)://HOST:PORT/PATH, tcp+tls://HOST:PORT, ws(s)://HOST:PORT/PATH, "
                       "unix:/PATH or unix+lsp:/PATH. Default %1.")
            .arg(kDefaultUrl),
        kDefaultUrl);
    p.addOption({QStringLiteral("dialect"), QStringLiteral("2.0 (default), 1.0 or classic."),
                 QStringLiteral("dialect"), QStringLiteral("2.0")});
    p.addOption(
        {QStringLiteral("timeout"),
         QStringLiteral("Give up after MS milliseconds (0 = never). Default %1.").arg(defaultTimeoutMs),
         QStringLiteral("ms"), QString::number(defaultTimeoutMs)});
    p.addOption({QStringLiteral("verbose"),
                 QStringLiteral("Show the raw bytes sent and received, and a launched process's stderr "
                                "(\"[child] \" lines), on stderr.")});
    addPeerOptions(p);
}

const QStringList kValueOptions =
    QStringList{QStringLiteral("dialect"), QStringLiteral("timeout"), QStringLiteral("params"),
                QStringLiteral("batch"), QStringLiteral("listen")} +
    connectionValueOptions() + peerValueOptions();

int parseCommandLine(QCommandLineParser& p, const QStringList& args, const QString& command)
{
    return parseCommand(p, args, command, kValueOptions);
}

std::optional<CommonOptions> readCommonOptions(const QCommandLineParser& p, const QString& command,
                                               int* exitCode)
{
    CommonOptions o;
    QString error;
    const auto endpoint = readConnection(p, kDefaultUrl, &error);
    if (!endpoint) {
        *exitCode = usageError(command, error);
        return std::nullopt;
    }
    o.endpoint = *endpoint;
    const auto dialect = dialectFromString(p.value(QStringLiteral("dialect")));
    if (!dialect) {
        *exitCode = usageError(command, QStringLiteral("invalid --dialect '%1' (use 2.0, 1.0 or classic)")
                                            .arg(p.value(QStringLiteral("dialect"))));
        return std::nullopt;
    }
    o.dialect = *dialect;
    qint64 timeoutMs = 0;
    if (!readInteger(p, QStringLiteral("timeout"), 0, std::numeric_limits<int>::max(), &timeoutMs, &error)) {
        *exitCode = usageError(command, error + QStringLiteral(" (milliseconds, 0 = never)"));
        return std::nullopt;
    }
    o.timeoutMs = int(timeoutMs);
    o.verbose = p.isSet(QStringLiteral("verbose"));
    if (!readPeerOptions(p, &o.peers, &error)) {
        *exitCode = usageError(command, error);
        return std::nullopt;
    }
    printConnectionWarnings(o.endpoint);
    return o;
}

// Progress the server reports for a call (with --verbose), one line each.
void printProgress(const CallProgress& progress)
{
    QString line = QStringLiteral("progress:");
    if (progress.progress >= 0)
        line += QStringLiteral(" %1").arg(progress.progress);
    if (progress.total >= 0)
        line += QStringLiteral("/%1").arg(progress.total);
    if (!progress.message.isEmpty())
        line += QLatin1Char(' ') + oneLine(progress.message);
    if (progress.done)
        line += QStringLiteral(" (done)");
    printErr(line);
}

// Keeps the connection open for o.listenMs after the outcome (call --listen), until the server
// closes it or Ctrl+C.
void listenAfterOutcome(const CommonOptions& o, RpcClient& client)
{
    if (o.listenMs <= 0) {
        QCoreApplication::quit();
        return;
    }
    QTimer::singleShot(o.listenMs, qApp, &QCoreApplication::quit);
    QObject::connect(&client, &RpcClient::stateChanged, qApp, [](ClientState state, const QString&) {
        if (state == ClientState::Disconnected)
            QCoreApplication::quit();
    });
}

// Runs `start` on a fresh client and the event loop until `Signal` delivers the outcome, which
// `report` prints (returning the exit code); with --listen the connection stays open after it.
template <class Result, class Signal, class Start, class Report>
int runClient(const CommonOptions& o, Signal signal, Start start, Report report)
{
    // Declared before the client: its destructor may still end a pending call.
    int exitCode = ExitTransport;
    bool done = false;
    RpcClient client(o.endpoint, o.dialect);
    auto bus = std::make_shared<TrafficBus>();
    bus->setEnabled(o.verbose);
    client.setTrafficBus(bus);
    o.peers.applyTo(client);
    // Server messages go to stderr as they come, those before the outcome included.
    std::unique_ptr<IncomingPrinter> incoming;
    if (o.listenMs >= 0)
        incoming = std::make_unique<IncomingPrinter>(&client, stderr);
    // --verbose: the traffic as it happens (--listen may keep the connection a while).
    const auto traffic = o.verbose ? printTrafficLive(bus) : nullptr;
    if (o.verbose)
        QObject::connect(&client, &RpcClient::progress, qApp,
                         [](quint64, const CallProgress& progress) { printProgress(progress); });
    SignalWatcher watcher; // Ctrl+C ends the wait (and --listen) cleanly
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, &QCoreApplication::quit);
    QObject::connect(&client, signal, qApp, [&](quint64, const Result& r) {
        if (done)
            return;
        done = true;
        if (o.verbose)
            printTraffic(*bus);
        exitCode = report(r);
        listenAfterOutcome(o, client);
    });
    // Starting from inside the loop guarantees the quit() above happens inside exec().
    QMetaObject::invokeMethod(
        qApp, [&] { start(client); }, Qt::QueuedConnection);
    QCoreApplication::exec();
    if (!done)
        printErr(QStringLiteral("rpcbench: interrupted"));
    if (o.verbose)
        printTraffic(*bus);
    return exitCode;
}

// call's own options: --listen, --timeout-resets-on-progress.
bool readCallExtras(const QCommandLineParser& p, CommonOptions* o, int* exitCode)
{
    o->timeoutResetsOnProgress = p.isSet(QStringLiteral("timeout-resets-on-progress"));
    if (!p.isSet(QStringLiteral("listen")))
        return true;
    double seconds = 0;
    QString error;
    if (!readNumber(p, QStringLiteral("listen"), 0, 86'400, &seconds, &error)) {
        *exitCode = usageError(QStringLiteral("call"), error);
        return false;
    }
    o->listenMs = int(seconds * 1000);
    return true;
}

QString whereText(const CommonOptions& o)
{
    return QStringLiteral(" (%1)").arg(o.endpoint.toString());
}

void printRpcError(const RpcError& e, const QString& prefix = {})
{
    printErr(prefix + QStringLiteral("error %1: %2").arg(e.code).arg(e.message));
    if (!e.data.isUndefined())
        printErr(QStringLiteral("data: ") + QString::fromUtf8(JsonText::serialize(e.data)));
}

// Exit code and output for one finished call.
int reportCall(const CallResult& r, const CommonOptions& o, bool compact)
{
    switch (r.status) {
    case CallStatus::Ok:
        if (!r.notification)
            printOut(JsonText::serialize(r.result, !compact));
        return ExitOk;
    case CallStatus::RpcError:
        printRpcError(r.error);
        return ExitRpcError;
    case CallStatus::NoReply:
    case CallStatus::TransportError:
    case CallStatus::Timeout:
    case CallStatus::Cancelled:
        break;
    }
    printErr(QStringLiteral("rpcbench: ") + oneLine(r.describe()) + whereText(o));
    return ExitTransport;
}

QJsonObject batchItemJson(const CallResult& item)
{
    QJsonObject o{{QStringLiteral("method"), item.method}};
    if (item.notification)
        o.insert(QStringLiteral("notification"), true);
    else if (item.status == CallStatus::Ok)
        o.insert(QStringLiteral("result"), item.result);
    else if (item.status == CallStatus::RpcError)
        o.insert(QStringLiteral("error"), item.error.toJson());
    else
        o.insert(QStringLiteral("status"), item.describe());
    return o;
}

int reportBatch(const BatchResult& b, const CommonOptions& o, bool compact)
{
    if (b.status == CallStatus::RpcError) {
        printRpcError(b.error, QStringLiteral("batch rejected: "));
        return ExitRpcError;
    }
    if (b.status != CallStatus::Ok) {
        printErr(QStringLiteral("rpcbench: ") + oneLine(b.transportError) + whereText(o));
        return ExitTransport;
    }
    QJsonArray out;
    int exitCode = ExitOk;
    for (qsizetype i = 0; i < b.items.size(); ++i) {
        const CallResult& item = b.items.at(i);
        out.append(batchItemJson(item));
        if (!item.ok()) {
            printErr(QStringLiteral("batch item %1 (%2): %3").arg(i + 1).arg(item.method, item.describe()));
            exitCode = ExitRpcError;
        }
    }
    printOut(JsonText::serialize(out, !compact));
    return exitCode;
}

std::optional<QByteArray> readBatchInput(const QString& name, QString* error)
{
    QFile f;
    const bool ok = name == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly)
                                               : (f.setFileName(name), f.open(QIODevice::ReadOnly));
    if (!ok) {
        *error = QStringLiteral("cannot read batch file '%1': %2").arg(name, f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

int runBatch(const QCommandLineParser& p, const CommonOptions& o, bool compact)
{
    const QString command = QStringLiteral("call");
    if (!p.positionalArguments().isEmpty() || p.isSet(QStringLiteral("params")) ||
        p.isSet(QStringLiteral("notify")))
        return usageError(command, QStringLiteral("--batch takes no METHOD, ARG, --params or --notify"));
    if (o.dialect == Dialect::Classic)
        return usageError(command, QStringLiteral("the classic dialect has no batches"));
    QString error;
    const auto input = readBatchInput(p.value(QStringLiteral("batch")), &error);
    const auto calls = input ? parseBatch(*input, o.timeoutMs, &error) : std::nullopt;
    if (!calls)
        return usageError(command, error);
    QList<CallRequest> requests = *calls;
    for (CallRequest& r : requests)
        r.timeoutResetsOnProgress = o.timeoutResetsOnProgress;
    return runClient<BatchResult>(
        o, &RpcClient::batchFinished, [&](RpcClient& c) { c.batch(requests, o.timeoutMs); },
        [&](const BatchResult& b) { return reportBatch(b, o, compact); });
}

// METHOD [ARG...] or METHOD --params JSON into a request; an exit code on usage errors.
std::variant<CallRequest, int> buildRequest(const QCommandLineParser& p, const CommonOptions& o)
{
    const QString command = QStringLiteral("call");
    QStringList words = p.positionalArguments();
    if (words.isEmpty())
        return usageError(command, QStringLiteral("missing METHOD"));
    CallRequest r;
    r.method = words.takeFirst();
    r.timeoutMs = o.timeoutMs;
    r.notification = p.isSet(QStringLiteral("notify"));
    r.timeoutResetsOnProgress = o.timeoutResetsOnProgress;
    if (p.isSet(QStringLiteral("params"))) {
        if (!words.isEmpty())
            return usageError(command, QStringLiteral("give either --params or ARGs, not both"));
        r.params = parseArgValue(p.value(QStringLiteral("params")));
        if (!r.params.isArray() && !r.params.isObject())
            return usageError(command, QStringLiteral("--params must be a JSON array or object"));
        return r;
    }
    const CallArgs args = parseCallArgs(words);
    if (!args.error.isEmpty())
        return usageError(command, args.error);
    if (o.dialect == Dialect::Classic) {
        r.params = args.positional;
        r.kwargs = args.named;
    } else if (!args.positional.isEmpty() && !args.named.isEmpty()) {
        return usageError(command,
                          QStringLiteral("JSON-RPC %1 cannot mix positional and name=value arguments "
                                         "(use --dialect classic, or one kind only)")
                              .arg(toString(o.dialect)));
    } else if (!args.named.isEmpty()) {
        r.params = args.named;
    } else if (!args.positional.isEmpty()) {
        r.params = args.positional;
    }
    if (r.notification && o.dialect == Dialect::Classic)
        return usageError(command, QStringLiteral("the classic dialect has no notifications"));
    return r;
}

enum class MethodsFormat { Text, Json, Names };

int reportMethods(const DiscoveryResult& d, const CommonOptions& o, MethodsFormat format)
{
    if (!d.ok()) {
        printErr(QStringLiteral("rpcbench: ") + oneLine(d.error) + whereText(o));
        return d.transportFailure ? ExitTransport : ExitRpcError;
    }
    if (format == MethodsFormat::Names) { // for shell completion: nothing but the names
        QStringList names;
        for (const MethodInfo& m : d.methods)
            names << m.name;
        names.sort();
        names.removeDuplicates();
        for (const QString& name : std::as_const(names))
            printOut(name.toUtf8());
        return ExitOk;
    }
    if (format == MethodsFormat::Json) {
        QJsonArray out;
        for (const MethodInfo& m : d.methods)
            out.append(QJsonObject{{QStringLiteral("name"), m.name},
                                   {QStringLiteral("signature"), m.signature()},
                                   {QStringLiteral("description"), m.description}});
        printOut(JsonText::serialize(out, true));
        return ExitOk;
    }
    for (const MethodInfo& m : d.methods) {
        printOut(m.signature().toUtf8());
        for (const QString& line : m.description.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            printOut("    " + line.toUtf8());
    }
    return ExitOk;
}

} // namespace

int runCall(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Calls METHOD on a JSON-RPC server and prints the result as JSON.\n"
                       "Each ARG is a JSON literal when it parses as one (1, \"x\", [1,2], {\"a\":1}, true), "
                       "else a string; name=value is a named argument.\n"
                       "Exit codes: 0 result, 1 JSON-RPC error, 2 transport failure or timeout, 64 usage."));
    addCommonOptions(p, 30'000);
    p.addOption({QStringLiteral("params"), QStringLiteral("Params verbatim (a JSON array or object)."),
                 QStringLiteral("json")});
    p.addOption({QStringLiteral("notify"), QStringLiteral("Send a notification (no reply expected).")});
    p.addOption(
        {QStringLiteral("batch"),
         QStringLiteral("Send a JSON array of calls ({\"method\":..., \"params\":...}) from FILE, or stdin "
                        "for '-', as one batch."),
         QStringLiteral("file")});
    p.addOption({QStringLiteral("compact"), QStringLiteral("Print the result on one line.")});
    p.addOption({QStringLiteral("listen"),
                 QStringLiteral("After the result, keep the connection SECONDS longer; the requests and "
                                "notifications the server sends (those before the result too) are printed "
                                "on stderr, one JSON message per line."),
                 QStringLiteral("seconds")});
    p.addOption({QStringLiteral("timeout-resets-on-progress"),
                 QStringLiteral("Progress the server reports for the call (LSP $/progress for "
                                "params.workDoneToken, MCP notifications/progress for "
                                "params._meta.progressToken) restarts --timeout.")});
    p.addPositionalArgument(QStringLiteral("METHOD"), QStringLiteral("Method to call."));
    p.addPositionalArgument(QStringLiteral("ARG"),
                            QStringLiteral("Arguments (JSON literal, string or name=value)."),
                            QStringLiteral("[ARG...]"));
    if (const int code = parseCommandLine(p, args, QStringLiteral("call")); code >= 0)
        return code;
    int exitCode = ExitUsage;
    auto o = readCommonOptions(p, QStringLiteral("call"), &exitCode);
    if (!o)
        return exitCode;
    if (!readCallExtras(p, &*o, &exitCode))
        return exitCode;
    const bool compact = p.isSet(QStringLiteral("compact"));
    if (p.isSet(QStringLiteral("batch")))
        return runBatch(p, *o, compact);
    const auto request = buildRequest(p, *o);
    if (const int* code = std::get_if<int>(&request))
        return *code;
    const CallRequest r = std::get<CallRequest>(request);
    return runClient<CallResult>(
        *o, &RpcClient::finished, [&](RpcClient& c) { c.call(r); },
        [&](const CallResult& result) { return reportCall(result, *o, compact); });
}

int runMethods(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Lists a JSON-RPC server's methods with their signatures and docs "
                       "(rpc.discover, else system.listMethods)."));
    addCommonOptions(p, 10'000);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the list as JSON.")});
    p.addOption(
        {QStringLiteral("names"),
         QStringLiteral("Print only the method names, sorted, one per line (for shell completion).")});
    if (const int code = parseCommandLine(p, args, QStringLiteral("methods")); code >= 0)
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("methods"),
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    if (p.isSet(QStringLiteral("json")) && p.isSet(QStringLiteral("names")))
        return usageError(QStringLiteral("methods"), QStringLiteral("--json and --names exclude each other"));
    const MethodsFormat format = p.isSet(QStringLiteral("names"))  ? MethodsFormat::Names
                                 : p.isSet(QStringLiteral("json")) ? MethodsFormat::Json
                                                                   : MethodsFormat::Text;
    int exitCode = ExitUsage;
    const auto o = readCommonOptions(p, QStringLiteral("methods"), &exitCode);
    if (!o)
        return exitCode;
    return runClient<DiscoveryResult>(
        *o, &RpcClient::discovered, [&](RpcClient& c) { c.discover(o->timeoutMs); },
        [&](const DiscoveryResult& d) { return reportMethods(d, *o, format); });
}
