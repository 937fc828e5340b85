// `rpcbench replay`: a golden-traffic regression check. Reads a traffic log (JSON Lines, as
// `serve --log jsonl` and `proxy --log jsonl` write it), sends every recorded call that has a
// recorded reply again, one after the other, and compares each new reply with the recorded one
// (core/proxy/RecordedCalls.h says what is compared). One asynchronous call at a time on the
// application's event loop: the next call starts from the previous one's finished().

#include "CliArgs.h"
#include "Commands.h"
#include "ConnectionOptionsCli.h"
#include "SignalWatcher.h"

#include "client/RpcClient.h"
#include "proxy/RecordedCalls.h"
#include "traffic/JsonLinesIo.h"
#include "util/JsonText.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <limits>
#include <optional>
#include <variant>

using namespace rpcbench;
using namespace rpcbench::cli;

namespace {

const QString kCommand = QStringLiteral("replay");

struct ReplayOptions
{
    Endpoint endpoint;
    QString logFile;
    QString methodPattern = QStringLiteral("*");
    QStringList ignore;
    int timeoutMs = 30'000;
};

void addOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(QStringLiteral(
        "Sends the calls recorded in LOG (a JSON Lines traffic log of serve, proxy or the GUI) again to "
        "URL, one after the other, and compares each reply with the recorded one, ignoring the id, "
        "jsonrpc and the --ignore members. Prints 'same' or 'DIFFERS' per call, with both replies when "
        "they differ.\n"
        "Exit codes: 0 all same, 1 some differ, 2 transport failure or timeout, 64 usage or bad log."));
    p.addHelpOption();
    addConnectionOptions(p, QStringLiteral("The server to replay against (or --exec)."));
    p.addOption({QStringLiteral("method"),
                 QStringLiteral("Replay only methods matching PATTERN ('*' any text, '?' one character)."),
                 QStringLiteral("pattern"), QStringLiteral("*")});
    p.addOption(
        {QStringLiteral("ignore"),
         QStringLiteral("A JSON Pointer into the reply whose value may change, e.g. /result/timestamp "
                        "(repeatable)."),
         QStringLiteral("pointer")});
    p.addOption({QStringLiteral("timeout"),
                 QStringLiteral("Give up on a call after MS milliseconds (0 = never). Default 30000."),
                 QStringLiteral("ms"), QStringLiteral("30000")});
    p.addPositionalArgument(QStringLiteral("LOG"), QStringLiteral("The traffic log (JSON Lines)."));
}

std::optional<ReplayOptions> readOptions(const QCommandLineParser& p, int* exitCode)
{
    const auto fail = [&](const QString& message) {
        *exitCode = usageError(kCommand, message);
        return std::nullopt;
    };
    ReplayOptions o;
    const QStringList words = p.positionalArguments();
    if (words.size() != 1)
        return fail(words.isEmpty() ? QStringLiteral("missing LOG")
                                    : QStringLiteral("unexpected argument '%1'").arg(words.at(1)));
    o.logFile = words.first();
    QString error;
    const auto endpoint = readConnection(p, QString(), &error);
    if (!endpoint)
        return fail(error);
    o.endpoint = *endpoint;
    o.methodPattern = p.value(QStringLiteral("method"));
    o.ignore = p.values(QStringLiteral("ignore"));
    for (const QString& pointer : std::as_const(o.ignore))
        if (!RecordedCalls::isValidPointer(pointer, &error))
            return fail(QStringLiteral("--ignore: ") + error);
    qint64 timeoutMs = 0;
    if (!readInteger(p, QStringLiteral("timeout"), 0, std::numeric_limits<int>::max(), &timeoutMs, &error))
        return fail(error + QStringLiteral(" (milliseconds, 0 = never)"));
    o.timeoutMs = int(timeoutMs);
    printConnectionWarnings(o.endpoint);
    return o;
}

// The recorded calls of the log, or an exit code (a missing file, a bad line named by number).
std::variant<RecordedCallSet, int> readCalls(const ReplayOptions& o)
{
    QFile file(o.logFile);
    if (!file.open(QIODevice::ReadOnly))
        return usageError(kCommand,
                          QStringLiteral("cannot read '%1': %2").arg(o.logFile, file.errorString()));
    QString error;
    const auto events = JsonLinesIo::read(file, {}, &error);
    if (!events)
        return usageError(kCommand, QStringLiteral("%1: %2").arg(o.logFile, error));
    return RecordedCalls::extract(*events, o.methodPattern);
}

// The reply object of a call that got one: the bytes received, else rebuilt from the outcome.
QJsonObject replyOf(const CallResult& r)
{
    const QJsonObject received = QJsonDocument::fromJson(r.replyBytes).object();
    if (!received.isEmpty())
        return received;
    if (r.status == CallStatus::RpcError)
        return QJsonObject{{QStringLiteral("error"), r.error.toJson()}};
    return QJsonObject{{QStringLiteral("result"), r.result}};
}

QByteArray compactJson(const QJsonObject& o)
{
    return JsonText::compact(o);
}

// Sends the calls one by one and counts the outcomes; ends the event loop with the exit code.
class ReplayRun : public QObject
{
public:
    ReplayRun(const ReplayOptions& options, const RecordedCallSet& set)
        : m_options(options), m_set(set), m_client(options.endpoint, Dialect::JsonRpc2)
    {
        connect(&m_client, &RpcClient::finished, this,
                [this](quint64 callId, const CallResult& r) { onFinished(callId, r); });
    }

    ~ReplayRun() override { m_client.disconnect(this); } // no next call from a dying client

    void start() { sendNext(); }

private:
    void sendNext()
    {
        if (m_next >= m_set.calls.size()) {
            printOut(QStringLiteral("%1 same, %2 differ").arg(m_same).arg(m_differ).toUtf8());
            QCoreApplication::exit(m_differ > 0 ? ExitRpcError : ExitOk);
            return;
        }
        const RecordedCall& call = m_set.calls.at(m_next);
        CallRequest request;
        request.method = call.method;
        request.params = call.params;
        request.timeoutMs = m_options.timeoutMs;
        m_pending = m_client.call(request);
    }

    void onFinished(quint64 callId, const CallResult& r)
    {
        if (callId != m_pending)
            return;
        const RecordedCall& call = m_set.calls.at(m_next++);
        const QString label = QStringLiteral("%1 (id %2)").arg(call.method, QString::fromUtf8(call.idJson));
        if (r.status != CallStatus::Ok && r.status != CallStatus::RpcError) {
            printErr(QStringLiteral("rpcbench replay: %1: %2 (%3)")
                         .arg(label, oneLine(r.describe()), m_options.endpoint.toString()));
            QCoreApplication::exit(ExitTransport);
            return;
        }
        report(label, RecordedCalls::comparable(call.reply, m_options.ignore),
               RecordedCalls::comparable(replyOf(r), m_options.ignore));
        sendNext();
    }

    void report(const QString& label, const QJsonObject& recorded, const QJsonObject& now)
    {
        if (recorded == now) {
            ++m_same;
            printOut("same   " + label.toUtf8());
            return;
        }
        ++m_differ;
        printOut("DIFFERS " + label.toUtf8());
        printOut("  recorded: " + compactJson(recorded));
        printOut("  now:      " + compactJson(now));
    }

    ReplayOptions m_options;
    RecordedCallSet m_set;
    RpcClient m_client;
    qsizetype m_next = 0;
    quint64 m_pending = 0;
    int m_same = 0;
    int m_differ = 0;
};

void printNotes(const RecordedCallSet& set)
{
    if (set.skippedBatches > 0)
        printErr(QStringLiteral("note: %1 batch request(s) skipped (batches are not replayed)")
                     .arg(set.skippedBatches));
    if (set.unanswered > 0)
        printErr(QStringLiteral("note: %1 request(s) without a recorded reply skipped").arg(set.unanswered));
}

} // namespace

int runReplay(const QStringList& args)
{
    QCommandLineParser p;
    addOptions(p);
    const QStringList valueOptions =
        QStringList{QStringLiteral("method"), QStringLiteral("ignore"), QStringLiteral("timeout")} +
        connectionValueOptions();
    if (const int code = parseCommand(p, args, kCommand, valueOptions); code >= 0)
        return code;
    int exitCode = ExitUsage;
    const auto options = readOptions(p, &exitCode);
    if (!options)
        return exitCode;
    const auto calls = readCalls(*options);
    if (const int* code = std::get_if<int>(&calls))
        return *code;
    const RecordedCallSet& set = std::get<RecordedCallSet>(calls);
    printNotes(set);
    ReplayRun run(*options, set);
    SignalWatcher watcher; // Ctrl+C ends the run cleanly
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [] {
        printErr(QStringLiteral("rpcbench: interrupted"));
        QCoreApplication::exit(ExitTransport);
    });
    // Starting from inside the loop guarantees the exit() above happens inside exec().
    QMetaObject::invokeMethod(
        &run, [&run] { run.start(); }, Qt::QueuedConnection);
    return QCoreApplication::exec();
}
