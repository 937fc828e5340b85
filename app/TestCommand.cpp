// `rpcbench test FILE`: runs the saved calls of a workspace's collections (or of one collection
// file) against their targets, checks every assertion and reports like a test runner: one line
// per call, the failures under it, `N passed, M failed` last; JUnit XML (--junit) and TAP (--tap)
// for CI. Exit 0 when every assertion holds, 1 when one fails, 2 when a target cannot be
// reached, 64 for usage errors and bad files. --serve starts the workspace's own mock server
// first, so a collection can test a client-side flow against mocks.

#include "CliArgs.h"
#include "Commands.h"
#include "SignalWatcher.h"

#include "engine/Engine.h"
#include "mock/Workspace.h"
#include "runner/CollectionRunner.h"
#include "runner/RunReportWriter.h"
#include "server/RpcServer.h"
#include "util/JsonFile.h"
#include "wire/Endpoint.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QSaveFile>

#include <limits>
#include <optional>

using namespace rpcbench;
using namespace rpcbench::cli;

namespace {

const QString kCommand = QStringLiteral("test");

struct TestOptions
{
    QString file;
    QString collection; // empty: all
    QString folder;     // empty: all of each collection
    QString environment;
    QMap<QString, QJsonValue> vars;
    std::optional<Endpoint> url;
    QString junit;
    bool tap = false;
    bool bail = false;
    bool serve = false;
    int timeoutMs = 10'000;
};

// What the file gave: the collections to run, the environments, and the workspace when it was one.
struct TestInputs
{
    QList<Collection> collections;
    QMap<QString, QMap<QString, QJsonValue>> environments;
    std::optional<Workspace> workspace;
};

void addOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(QStringLiteral(
        "Runs the saved calls of FILE (a workspace with \"collections\", or a *.rpcbench-collection.json "
        "file) against their targets and checks their assertions. Prints PASS/FAIL per call and "
        "'N passed, M failed' last.\n"
        "Exit codes: 0 all passed, 1 an assertion failed, 2 a target could not be reached, 64 usage "
        "or bad file."));
    p.addHelpOption();
    // Not the full connection options of `call`: their --env (a process's environment) would
    // clash with the environment of variables; a target's headers, auth and TLS settings come
    // from the workspace (client.targets) and the saved calls' headers.
    p.addOption({QStringLiteral("url"),
                 QStringLiteral("The target of calls that name none (default: the workspace's client URL, or "
                                "the --serve server)."),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("collection"), QStringLiteral("Run only the collection called NAME."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("folder"),
                 QStringLiteral("Run only the calls under PATH (\"Folder/Sub\", or one call's path)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("env"), QStringLiteral("Use the workspace environment NAME's variables."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("var"),
                 QStringLiteral("Set variable NAME (overrides every other source; repeatable). VALUE is JSON "
                                "when it parses as JSON, else a string."),
                 QStringLiteral("name=value")});
    p.addOption(
        {QStringLiteral("junit"), QStringLiteral("Write JUnit XML to FILE."), QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("tap"), QStringLiteral("Print TAP (version 13) instead of the text report.")});
    p.addOption({QStringLiteral("bail"), QStringLiteral("Stop at the first failing call.")});
    p.addOption({QStringLiteral("serve"),
                 QStringLiteral("Start the workspace's own mock server first ({{serverUrl}} is its URL).")});
    p.addOption({QStringLiteral("timeout"),
                 QStringLiteral("Default time limit of a call in milliseconds (calls may set their own). "
                                "Default 10000."),
                 QStringLiteral("ms"), QStringLiteral("10000")});
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The workspace or collection file."));
}

bool readVars(const QCommandLineParser& p, TestOptions* o, QString* error)
{
    for (const QString& word : p.values(QStringLiteral("var"))) {
        const qsizetype eq = word.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error =
                QStringLiteral("--var '%1': expected NAME=VALUE").arg(word.left(eq < 0 ? word.size() : eq));
            return false;
        }
        o->vars.insert(word.left(eq), parseArgValue(word.mid(eq + 1)));
    }
    return true;
}

std::optional<TestOptions> readOptions(const QCommandLineParser& p, int* exitCode)
{
    const auto fail = [&](const QString& message) {
        *exitCode = usageError(kCommand, message);
        return std::nullopt;
    };
    TestOptions o;
    const QStringList words = p.positionalArguments();
    if (words.size() != 1)
        return fail(words.isEmpty() ? QStringLiteral("missing FILE (a workspace or a collection file)")
                                    : QStringLiteral("unexpected argument '%1'").arg(words.at(1)));
    o.file = words.first();
    QString error;
    if (p.isSet(QStringLiteral("url"))) {
        o.url = Endpoint::parse(p.value(QStringLiteral("url")), &error);
        if (!o.url)
            return fail(QStringLiteral("invalid --url: ") + error);
    }
    o.collection = p.value(QStringLiteral("collection"));
    o.folder = p.value(QStringLiteral("folder"));
    o.environment = p.value(QStringLiteral("env"));
    o.junit = p.value(QStringLiteral("junit"));
    o.tap = p.isSet(QStringLiteral("tap"));
    o.bail = p.isSet(QStringLiteral("bail"));
    o.serve = p.isSet(QStringLiteral("serve"));
    if (!readVars(p, &o, &error))
        return fail(error);
    qint64 timeoutMs = 0;
    if (!readInteger(p, QStringLiteral("timeout"), 1, std::numeric_limits<int>::max(), &timeoutMs, &error))
        return fail(error + QStringLiteral(" (milliseconds)"));
    o.timeoutMs = int(timeoutMs);
    return o;
}

// The file is a collection when it says so; anything else is read as a workspace.
std::optional<TestInputs> readInputs(const TestOptions& o, const Engine& engine, QString* error)
{
    const auto doc = JsonFile::read(o.file, error);
    if (!doc)
        return std::nullopt;
    TestInputs in;
    if (doc->object().value(QLatin1String("format")).toString() == QLatin1String(Collection::format)) {
        auto c = Collection::load(o.file, error);
        if (!c)
            return std::nullopt;
        in.collections << *c;
    } else {
        in.workspace = engine.readWorkspace(o.file, error);
        if (!in.workspace)
            return std::nullopt;
        in.collections = in.workspace->collections;
        in.environments = in.workspace->environments;
    }
    if (!o.collection.isEmpty()) {
        const auto named = [&](const Collection& c) { return c.name != o.collection; };
        in.collections.removeIf(named);
        if (in.collections.isEmpty()) {
            *error = QStringLiteral("%1 has no collection called '%2'")
                         .arg(QFileInfo(o.file).fileName(), o.collection);
            return std::nullopt;
        }
    }
    if (in.collections.isEmpty()) {
        *error = QStringLiteral("%1 has no collections to run").arg(QFileInfo(o.file).fileName());
        return std::nullopt;
    }
    if (!o.environment.isEmpty() && !in.environments.contains(o.environment)) {
        *error = QStringLiteral("no environment '%1' (the file has: %2)")
                     .arg(o.environment, in.environments.isEmpty()
                                             ? QStringLiteral("none")
                                             : in.environments.keys().join(QLatin1String(", ")));
        return std::nullopt;
    }
    if (o.serve && !in.workspace) {
        *error = QStringLiteral("--serve needs a workspace (a collection file has no server)");
        return std::nullopt;
    }
    return in;
}

// Runs the collections one after the other; quits the event loop with the exit code.
class TestRun : public QObject
{
public:
    TestRun(const TestOptions& options, TestInputs inputs, RunOptions run, Variables variables)
        : m_options(options), m_inputs(std::move(inputs)), m_run(std::move(run)),
          m_variables(std::move(variables))
    {}

    void start() { startNext(); }
    void stop()
    {
        if (m_runner)
            m_runner->stop();
    }

private:
    void startNext()
    {
        if (m_next >= m_inputs.collections.size() || (m_options.bail && anyFailed())) {
            finish();
            return;
        }
        const Collection& c = m_inputs.collections.at(m_next++);
        m_runner = std::make_unique<CollectionRunner>(c, m_variables, m_run);
        connect(m_runner.get(), &CollectionRunner::finished, this, [this](const RunReport& report) {
            m_reports << report;
            if (!m_options.tap) {
                if (m_inputs.collections.size() > 1)
                    printOut(QStringLiteral("== %1").arg(report.collection).toUtf8());
                QString text = RunReportWriter::text(report);
                if (m_inputs.collections.size() > 1)
                    printOut(text.trimmed().toUtf8());
                else
                    m_lastText = text;
            }
            QMetaObject::invokeMethod(
                this, [this] { startNext(); }, Qt::QueuedConnection);
        });
        QString error;
        if (!m_runner->start(m_options.folder, &error)) {
            if (m_options.folder.isEmpty() || m_inputs.collections.size() == 1) {
                printErr(QStringLiteral("rpcbench test: %1").arg(error));
                QCoreApplication::exit(ExitUsage);
                return;
            }
            QMetaObject::invokeMethod(
                this, [this] { startNext(); }, Qt::QueuedConnection);
        }
    }

    bool anyFailed() const
    {
        return std::any_of(m_reports.begin(), m_reports.end(),
                           [](const RunReport& r) { return r.exitCode() != 0; });
    }

    void finish()
    {
        RunReport all; // the totals, for the last line and TAP
        int exitCode = ExitOk;
        for (const RunReport& r : std::as_const(m_reports)) {
            exitCode = std::max(exitCode, r.exitCode());
            for (CallReport call : r.calls) {
                if (m_reports.size() > 1)
                    call.path = r.collection + QLatin1Char('/') + call.path;
                all.calls << call;
            }
        }
        if (!m_options.junit.isEmpty() && !writeJunit())
            exitCode = std::max(exitCode, int(ExitUsage));
        if (m_options.tap)
            printOut(RunReportWriter::tap(all).trimmed().toUtf8());
        else if (m_reports.size() == 1)
            printOut(m_lastText.trimmed().toUtf8());
        else
            printOut(all.summaryLine().toUtf8());
        QCoreApplication::exit(exitCode);
    }

    bool writeJunit() const
    {
        QSaveFile out(m_options.junit);
        if (!out.open(QIODevice::WriteOnly) || out.write(RunReportWriter::junit(m_reports)) < 0 ||
            !out.commit()) {
            printErr(
                QStringLiteral("rpcbench test: cannot write %1: %2").arg(m_options.junit, out.errorString()));
            return false;
        }
        return true;
    }

    TestOptions m_options;
    TestInputs m_inputs;
    RunOptions m_run;
    Variables m_variables;
    std::unique_ptr<CollectionRunner> m_runner;
    QList<RunReport> m_reports;
    QString m_lastText;
    qsizetype m_next = 0;
};

// The mock server of the workspace, started where the workspace says (port 0 allowed).
std::optional<QString> serveWorkspace(Engine& engine, const Workspace& w, QString* error)
{
    engine.applyWorkspace(w);
    QHostAddress bind;
    if (!bind.setAddress(w.server.bind == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                     : w.server.bind)) {
        *error = QStringLiteral("--serve: the workspace's server.bind '%1' is not an IP address")
                     .arg(w.server.bind);
        return std::nullopt;
    }
    if (!engine.server()->start(bind, quint16(w.server.port))) {
        *error = QStringLiteral("--serve: %1").arg(engine.server()->errorString());
        return std::nullopt;
    }
    const QString host = bind.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(bind.toString())
                             : bind.toString();
    return QStringLiteral("tcp://%1:%2").arg(host).arg(engine.server()->port());
}

RunOptions runOptions(const TestOptions& o, const TestInputs& in, const QString& servedUrl)
{
    RunOptions run;
    run.defaultTimeoutMs = o.timeoutMs;
    run.bail = o.bail;
    if (in.workspace) {
        run.defaultTarget = in.workspace->client.url;
        for (auto it = in.workspace->client.targets.begin(); it != in.workspace->client.targets.end(); ++it)
            run.targetOptions.insert(it.key(), it.value().options);
    }
    if (!servedUrl.isEmpty())
        run.defaultTarget = servedUrl;
    if (o.url) {
        run.defaultTarget = o.url->toString();
    }
    return run;
}

} // namespace

int runTest(const QStringList& args)
{
    QCommandLineParser p;
    addOptions(p);
    const QStringList valueOptions = {
        QStringLiteral("collection"), QStringLiteral("folder"),  QStringLiteral("env"), QStringLiteral("var"),
        QStringLiteral("junit"),      QStringLiteral("timeout"), QStringLiteral("url")};
    if (const int code = parseCommand(p, args, kCommand, valueOptions); code >= 0)
        return code;
    int exitCode = ExitUsage;
    const auto options = readOptions(p, &exitCode);
    if (!options)
        return exitCode;
    Engine engine({ServerLimits{}, true});
    QString error;
    auto inputs = readInputs(*options, engine, &error);
    if (!inputs)
        return usageError(kCommand, error);
    QString servedUrl;
    if (options->serve) {
        const auto url = serveWorkspace(engine, *inputs->workspace, &error);
        if (!url) {
            printErr(QStringLiteral("rpcbench test: %1").arg(error));
            return ExitTransport;
        }
        servedUrl = *url;
    }
    Variables variables;
    if (!options->environment.isEmpty())
        variables.setLayer(Variables::Layer::Environment, inputs->environments.value(options->environment));
    variables.setLayer(Variables::Layer::Override, options->vars);
    if (!servedUrl.isEmpty() && !options->vars.contains(QStringLiteral("serverUrl")))
        variables.set(Variables::Layer::Override, QStringLiteral("serverUrl"), servedUrl);
    RunOptions run0 = runOptions(*options, *inputs, servedUrl);
    TestRun run(*options, std::move(*inputs), std::move(run0), variables);
    SignalWatcher watcher; // Ctrl+C stops the run; the report so far is still printed
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &run, [&run] { run.stop(); });
    QMetaObject::invokeMethod(
        &run, [&run] { run.start(); }, Qt::QueuedConnection);
    return QCoreApplication::exec();
}
