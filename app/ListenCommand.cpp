// `rpcbench listen`: connects (performing the --init handshake first), makes no call of its own
// and prints every request and notification the server sends, one JSON message per line on
// stdout, until Ctrl+C, --count, --seconds or the end of the connection. The server's requests
// are answered (--answer's methods, else -32601) so it never waits on us.

#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "IncomingPrinter.h"
#include "PeerOptionsCli.h"
#include "SignalWatcher.h"

#include "client/RpcClient.h"
#include "traffic/TrafficBus.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <functional>
#include <limits>
#include <memory>

using namespace rpcbench;
using namespace rpcbench::cli;

namespace {

const QString kCommand = QStringLiteral("listen");

struct ListenOptions
{
    Endpoint endpoint;
    Dialect dialect = Dialect::JsonRpc2;
    PeerSetup peers;
    qint64 count = 0;  // 0: no limit
    int secondsMs = 0; // 0: no limit
    bool verbose = false;
};

void addOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(QStringLiteral(
        "Connects to URL (performing the --init handshake first) and prints every request and "
        "notification the server sends, one compact JSON message per line on stdout (a batch: one line "
        "per message), until Ctrl+C, --count, --seconds or the connection ends. The server's requests "
        "are answered by --answer's methods, else with error -32601.\n"
        "Exit codes: 0 stopped (Ctrl+C, --count, --seconds), 2 cannot connect, handshake failed or the "
        "server closed the connection, 64 usage."));
    p.addHelpOption();
    addConnectionOptions(p, QStringLiteral("The server, as the URL argument (either one, or --exec)."));
    p.addOption({QStringLiteral("dialect"), QStringLiteral("2.0 (default) or 1.0."),
                 QStringLiteral("dialect"), QStringLiteral("2.0")});
    p.addOption({QStringLiteral("count"), QStringLiteral("Stop after N messages."), QStringLiteral("n")});
    p.addOption({QStringLiteral("seconds"), QStringLiteral("Stop after S seconds."), QStringLiteral("s")});
    p.addOption({QStringLiteral("verbose"),
                 QStringLiteral("Show the traffic (handshake steps, the answers to the server's requests) "
                                "and a launched process's stderr on stderr.")});
    addPeerOptions(p);
    p.addPositionalArgument(QStringLiteral("URL"),
                            QStringLiteral("tcp://HOST:PORT, tcp+lsp://, http(s)://, ws(s)://, unix:/PATH, "
                                           "exec:CMD ARGS, exec+lsp:CMD ARGS, ..."),
                            QStringLiteral("[URL]"));
}

QStringList valueOptions()
{
    return QStringList{QStringLiteral("dialect"), QStringLiteral("count"), QStringLiteral("seconds")} +
           connectionValueOptions() + peerValueOptions();
}

// The URL argument stands for --url.
std::optional<Endpoint> readTarget(const QCommandLineParser& p, QString* error)
{
    const QStringList words = p.positionalArguments();
    if (words.size() > 1) {
        *error = QStringLiteral("unexpected argument '%1'").arg(words.at(1));
        return std::nullopt;
    }
    if (!words.isEmpty() && (p.isSet(QStringLiteral("url")) || p.isSet(QStringLiteral("exec")))) {
        *error = QStringLiteral("give the URL once: as the argument, --url or --exec");
        return std::nullopt;
    }
    if (words.isEmpty() && !p.isSet(QStringLiteral("url")) && !p.isSet(QStringLiteral("exec"))) {
        *error = QStringLiteral("missing URL (e.g. rpcbench listen tcp://127.0.0.1:5000)");
        return std::nullopt;
    }
    return readConnection(p, words.value(0), error);
}

bool readLimits(const QCommandLineParser& p, ListenOptions* o, QString* error)
{
    if (p.isSet(QStringLiteral("count")) &&
        !readInteger(p, QStringLiteral("count"), 1, std::numeric_limits<qint64>::max(), &o->count, error))
        return false;
    double seconds = 0;
    if (p.isSet(QStringLiteral("seconds"))) {
        if (!readNumber(p, QStringLiteral("seconds"), 0.001, 86'400 * 365, &seconds, error))
            return false;
        o->secondsMs = std::max(1, int(std::min(seconds * 1000, double(std::numeric_limits<int>::max()))));
    }
    return true;
}

std::optional<ListenOptions> readOptions(const QCommandLineParser& p, int* exitCode)
{
    ListenOptions o;
    QString error;
    const auto endpoint = readTarget(p, &error);
    if (!endpoint) {
        *exitCode = usageError(kCommand, error);
        return std::nullopt;
    }
    o.endpoint = *endpoint;
    const auto dialect = dialectFromString(p.value(QStringLiteral("dialect")));
    if (!dialect || *dialect == Dialect::Classic) {
        *exitCode = usageError(kCommand, QStringLiteral("invalid --dialect '%1' (use 2.0 or 1.0: classic "
                                                        "servers send nothing of their own)")
                                             .arg(p.value(QStringLiteral("dialect"))));
        return std::nullopt;
    }
    o.dialect = *dialect;
    if (!readLimits(p, &o, &error) || !readPeerOptions(p, &o.peers, &error)) {
        *exitCode = usageError(kCommand, error);
        return std::nullopt;
    }
    o.verbose = p.isSet(QStringLiteral("verbose"));
    printConnectionWarnings(o.endpoint);
    return o;
}

using StopFn = std::function<void(int exitCode, const QString& message)>;

// The ways the connection ends the run: it cannot open, its handshake fails, the server closes it.
void watchConnection(RpcClient& client, const QString& where, const StopFn& stop)
{
    auto connected = std::make_shared<bool>(false);
    QObject::connect(
        &client, &RpcClient::stateChanged, qApp,
        [connected, where, stop](ClientState state, const QString& reason) {
            if (state == ClientState::Connected)
                *connected = true;
            if (state != ClientState::Disconnected)
                return;
            const QString why = reason.isEmpty() ? QStringLiteral("connection closed") : reason;
            stop(ExitTransport,
                 *connected ? QStringLiteral("the server closed the connection (%1): %2").arg(where, why)
                            : QStringLiteral("cannot connect to %1: %2").arg(where, why));
        });
    QObject::connect(&client, &RpcClient::initFinished, qApp, [where, stop](quint64, const QString& error) {
        if (!error.isEmpty())
            stop(ExitTransport, QStringLiteral("handshake with %1 failed: %2").arg(where, error));
    });
}

// Runs the connection until a stop condition; the exit code.
int listen(const ListenOptions& o)
{
    int exitCode = ExitOk;
    bool stopping = false;
    // Ends the run once, with the first reason.
    const StopFn stop = [&](int code, const QString& message) {
        if (stopping)
            return;
        stopping = true;
        exitCode = code;
        if (!message.isEmpty())
            printErr(QStringLiteral("rpcbench listen: ") + oneLine(message));
        QCoreApplication::quit();
    };
    RpcClient client(o.endpoint, o.dialect);
    auto bus = std::make_shared<TrafficBus>();
    bus->setEnabled(o.verbose);
    client.setTrafficBus(bus);
    o.peers.applyTo(client);
    IncomingPrinter printer(&client, stdout, o.count);
    QObject::connect(&printer, &IncomingPrinter::limitReached, qApp, [&] { stop(ExitOk, {}); });
    watchConnection(client, o.endpoint.toString(), stop);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [&] { stop(ExitOk, {}); });
    if (o.secondsMs > 0)
        QTimer::singleShot(o.secondsMs, qApp, [&] { stop(ExitOk, {}); });
    // --verbose: the traffic as it happens, not at the end.
    const auto traffic = o.verbose ? printTrafficLive(bus) : nullptr;
    QMetaObject::invokeMethod(
        qApp, [&] { client.connectToServer(); }, Qt::QueuedConnection);
    QCoreApplication::exec();
    if (o.verbose)
        printTraffic(*bus);
    // No more reports into `stop` (whose state ends here) while the client goes away.
    client.disconnect(qApp);
    return exitCode;
}

} // namespace

int runListen(const QStringList& args)
{
    QCommandLineParser p;
    addOptions(p);
    if (const int code = parseCommand(p, args, kCommand, valueOptions()); code >= 0)
        return code;
    int exitCode = ExitUsage;
    const auto o = readOptions(p, &exitCode);
    if (!o)
        return exitCode;
    return listen(*o);
}
