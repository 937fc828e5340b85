// The command line against the MCP reference server (@modelcontextprotocol/server-everything)
// over stdio, one message per line: the shipped handshake file (resources/examples/
// mcp-init.json) initialises it, its log and progress notifications are printed as incoming
// messages (`call --listen`, `listen`), and its long-running tool, which reports progress,
// completes under a timeout shorter than its run only with --timeout-resets-on-progress.

#include "Peers.h"
#include "RpcbenchRun.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>

namespace {

const QString kInit = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/mcp-init.json");

// The incoming lines (JSON objects with a "method") among stderr/stdout lines.
QList<QJsonObject> messages(const QList<QByteArray>& lines)
{
    return serverMessages(lines);
}

QByteArray longRunningParams(double seconds, int steps, bool withToken)
{
    QJsonObject params{{"name", "trigger-long-running-operation"},
                       {"arguments", QJsonObject{{"duration", seconds}, {"steps", steps}}}};
    if (withToken)
        params.insert("_meta", QJsonObject{{"progressToken", "rpcbench-1"}});
    return QJsonDocument(params).toJson(QJsonDocument::Compact);
}

} // namespace

class tst_McpInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void handshakeFileInitialises();
    void logNotificationsAreShownByCall();
    void logNotificationsAreShownByListen();
    void progressKeepsTheCallAlive();
    void withoutTheFlagTheCallTimesOut();

private:
    QStringList target() const { return {QStringLiteral("--exec"), m_node + " " + m_script + " stdio"}; }
    QString m_node;
    QString m_script;
};

void tst_McpInterop::initTestCase()
{
    m_node = Peers::node();
    m_script = Peers::npmScript(QStringLiteral("@modelcontextprotocol/server-everything"),
                                QStringLiteral("dist/index.js"));
    if (m_node.isEmpty() || m_script.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("@modelcontextprotocol/server-everything")).constData());
    QVERIFY(QFileInfo::exists(kInit));
}

// Without the handshake the server refuses tools/list; after it, the list comes.
void tst_McpInterop::handshakeFileInitialises()
{
    const RpcbenchRun r =
        runRpcbench(QStringList{"call"} + target() +
                    QStringList{"--init", kInit, "--compact", "tools/list", "--params", "{}"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray tools = jsonLine(r.out).value(u"tools").toArray();
    QStringList names;
    for (const QJsonValue& t : tools)
        names << t.toObject().value(u"name").toString();
    QVERIFY2(names.contains(QStringLiteral("trigger-long-running-operation")), qPrintable(names.join(u',')));
}

// toggle-simulated-logging sends a notifications/message at once (then one every 5 s).
void tst_McpInterop::logNotificationsAreShownByCall()
{
    const RpcbenchRun r =
        runRpcbench(QStringList{"call"} + target() +
                    QStringList{"--init", kInit, "--listen", "1", "--compact", "tools/call", "--params",
                                R"({"name":"toggle-simulated-logging","arguments":{}})"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("Started simulated"), r.out.constData());
    const QList<QJsonObject> incoming = messages(r.errLines());
    qInfo().noquote() << "server-everything sent:" << methodsOf(incoming).join(u", ");
    QVERIFY2(methodsOf(incoming).contains(QStringLiteral("notifications/message")), r.err.constData());
    for (const QJsonObject& m : incoming)
        if (m.value(u"method").toString() == QLatin1String("notifications/message"))
            QVERIFY2(m.value(u"params").toObject().contains(u"level"), r.err.constData());
}

// The same through `listen`: the handshake file's last step turns logging on, and the
// notifications arrive on stdout, one JSON message per line.
void tst_McpInterop::logNotificationsAreShownByListen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile init(dir.filePath("init.json"));
    QVERIFY(init.open(QIODevice::WriteOnly));
    QJsonArray steps = QJsonDocument::fromJson([&] {
                           QFile f(kInit);
                           return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                       }())
                           .array();
    steps.append(QJsonObject{
        {"method", "tools/call"},
        {"params", QJsonObject{{"name", "toggle-simulated-logging"}, {"arguments", QJsonObject()}}}});
    init.write(QJsonDocument(steps).toJson());
    init.close();

    RpcbenchProcess listen;
    listen.start(QStringList{"listen"} + target() +
                 QStringList{"--init", init.fileName(), "--seconds", "20"});
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return methodsOf(messages(listen.lines())).contains("notifications/message") ||
                            !listen.running();
                 },
                 15000),
             listen.err().constData());
    listen.terminate();
    QVERIFY(listen.waitFinished(10000));
    QCOMPARE(listen.exitCode(), 0);
    for (const QByteArray& line : listen.lines())
        QVERIFY2(jsonLine(line).contains(u"method"), line.constData()); // every line is one message
}

// 3 s of work in 6 steps, a 1.5 s timeout: each progress notification restarts it.
void tst_McpInterop::progressKeepsTheCallAlive()
{
    QElapsedTimer clock;
    clock.start();
    const RpcbenchRun r = runRpcbench(
        QStringList{"call"} + target() +
        QStringList{"--init", kInit, "--timeout", "1500", "--timeout-resets-on-progress", "--listen", "0",
                    "--compact", "tools/call", "--params", longRunningParams(3, 6, true)});
    qInfo() << "long-running tool finished after" << clock.elapsed() << "ms";
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("Long running operation completed"), r.out.constData());
    int progress = 0;
    for (const QJsonObject& m : messages(r.errLines())) {
        if (m.value(u"method").toString() != QLatin1String("notifications/progress"))
            continue;
        ++progress;
        QCOMPARE(m.value(u"params").toObject().value(u"progressToken").toString(),
                 QStringLiteral("rpcbench-1"));
    }
    QCOMPARE(progress, 6);
}

void tst_McpInterop::withoutTheFlagTheCallTimesOut()
{
    const RpcbenchRun r = runRpcbench(QStringList{"call"} + target() +
                                      QStringList{"--init", kInit, "--timeout", "1500", "--compact",
                                                  "tools/call", "--params", longRunningParams(3, 6, true)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("timed out after 1500 ms"), r.err.constData());
    QCOMPARE(r.out, QByteArray());
}

QTEST_GUILESS_MAIN(tst_McpInterop)
#include "tst_mcpinterop.moc"
