// --init FILE on the command line (call, methods, listen, bench): a bad file is one line naming
// the file and the problem; templates carry one step's result into a later step; bench performs
// the handshake on every load connection before its load, and a failing step stops the run.

#include "Peers.h"
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include <QJsonArray>
#include <QTemporaryDir>

namespace {

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A server that answers every call with error -32002 until it got "initialize" (as language
// and MCP servers do), then echoes; one JSON message per line.
const QByteArray kStrictServer =
    "import json, sys\n"
    "ready = False\n"
    "for line in sys.stdin:\n"
    "    m = json.loads(line)\n"
    "    if 'id' not in m:\n"
    "        continue\n"
    "    if m['method'] == 'initialize':\n"
    "        ready = True\n"
    "        r = {'jsonrpc': '2.0', 'id': m['id'], 'result': {'serverInfo': {'name': 'strict'}}}\n"
    "    elif ready:\n"
    "        r = {'jsonrpc': '2.0', 'id': m['id'], 'result': m.get('params')}\n"
    "    else:\n"
    "        r = {'jsonrpc': '2.0', 'id': m['id'],\n"
    "             'error': {'code': -32002, 'message': 'not initialized'}}\n"
    "    print(json.dumps(r), flush=True)\n";

// The command's own error line: the last one ("rpcbench: ..." or "rpcbench COMMAND: ..."),
// after any diagnostics the client library logged.
QByteArray commandLine(const RpcbenchRun& r, const QByteArray& command)
{
    const QByteArray last = r.errLines().value(r.errLines().size() - 1);
    return last.startsWith("rpcbench: ") || last.startsWith("rpcbench " + command + ": ") ? last
                                                                                          : QByteArray();
}

} // namespace

class tst_InitCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void badFiles_data();
    void badFiles();
    void templatesCarryResultsAcrossSteps();
    void unresolvableTemplateFailsTheHandshake();
    void failingStepFailsTheCall();
    void benchHandshakesEveryConnection();
    void benchHandshakeFailureIsOneLine();
    void benchHandshakeOnEveryTransport_data();
    void benchHandshakeOnEveryTransport();

private:
    QString file(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        return writeFile(path, content) ? path : QString();
    }
    QString url() const { return QStringLiteral("tcp://127.0.0.1:%1").arg(m_serve.port()); }
    QTemporaryDir m_dir;
    ServeProcess m_serve;
};

void tst_InitCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_serve.start({"--log", "none"}));
}

void tst_InitCli::badFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content"); // null: the file does not exist
    QTest::addColumn<QByteArray>("problem");
    QTest::newRow("missing file") << "missing.json" << QByteArray() << QByteArray("missing.json");
    QTest::newRow("bad json") << "broken.json" << QByteArray("[{\"method\": \"a\",]") << QByteArray("line 1");
    QTest::newRow("not an array") << "object.json" << QByteArray("{\"method\": \"a\"}")
                                  << QByteArray("array");
    QTest::newRow("no method") << "nomethod.json" << QByteArray("[{\"method\": \"a\"}, {\"params\": []}]")
                               << QByteArray("init[1].method");
    QTest::newRow("bad params") << "params.json" << QByteArray("[{\"method\": \"a\", \"params\": 3}]")
                                << QByteArray("init[0].params");
}

void tst_InitCli::badFiles()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, problem);
    const QString path = content.isNull() ? m_dir.filePath(name) : file(name, content);
    QVERIFY(!path.isEmpty());
    const QByteArray prefix = "invalid --init file '" + path.toUtf8() + "': ";
    const QList<QPair<QStringList, int>> commands{
        {{"call", "--url", url(), "--init", path, "add", "1", "2"}, 64},
        {{"methods", "--url", url(), "--init", path}, 64},
        {{"listen", url(), "--init", path}, 64},
        {{"bench", "--url", url(), "--init", path, "--seconds", "0.1"}, 2},
    };
    for (const auto& [args, exitCode] : commands) {
        const RpcbenchRun r = runRpcbench(args);
        QVERIFY2(r.exitCode == exitCode, qPrintable(args.first() + ": " + r.err));
        QCOMPARE(r.out, QByteArray());
        const QByteArray first = r.errLines().value(0);
        QVERIFY2(first.startsWith("rpcbench " + args.first().toUtf8() + ": " + prefix), r.err.constData());
        QVERIFY2(first.mid(prefix.size()).contains(problem), r.err.constData());
    }
}

// Step 1 uses a number and a string from step 0's result; --verbose shows what was sent.
void tst_InitCli::templatesCarryResultsAcrossSteps()
{
    const QString init = file("templates.json", R"([
        {"method": "echo", "params": [{"n": 5, "name": "rpcbench", "list": [1, 2]}]},
        {"method": "add", "params": ["{{init[0].result.n}}", 2, 0]},
        {"method": "echo", "params": [["hello {{init[0].result.name}}", "{{init[0].result.list}}"]]}
    ])");
    const RpcbenchRun r =
        runRpcbench({"call", "--url", url(), "--init", init, "--verbose", "add", "1", "2", "3"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("6\n"));
    QVERIFY2(r.err.contains(R"("params":[5,2,0])"), r.err.constData());
    QVERIFY2(r.err.contains(R"("result":7)"), r.err.constData());
    QVERIFY2(r.err.contains(R"("params":[["hello rpcbench",[1,2]]])"), r.err.constData());
}

void tst_InitCli::unresolvableTemplateFailsTheHandshake()
{
    const QString init = file("badtemplate.json", R"([
        {"method": "echo", "params": [{"n": 5}]},
        {"method": "add", "params": ["{{init[0].result.missing}}", 2]}
    ])");
    const RpcbenchRun r = runRpcbench({"call", "--url", url(), "--init", init, "add", "1", "2"});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    const QByteArray problem =
        "init[1].params: {{init[0].result.missing}}: init[0].result has no member 'missing'";
    QVERIFY2(commandLine(r, "call").contains("handshake: init[1] add: " + problem), r.err.constData());
    // bench: the same file fails the run before any load.
    const RpcbenchRun b = runRpcbench({"bench", "--url", url(), "--init", init, "--seconds", "0.2"});
    QCOMPARE(b.exitCode, 2);
    QCOMPARE(b.errLines().size(), 1);
    QVERIFY2(b.err.startsWith("rpcbench bench: handshake with 127.0.0.1:") &&
                 b.err.contains("failed: " + problem),
             b.err.constData());
}

void tst_InitCli::failingStepFailsTheCall()
{
    const QString init = file("failing.json", R"([{"method": "no_such_method"}])");
    for (const QStringList& args : {QStringList{"call", "--url", url(), "--init", init, "add", "1", "2"},
                                    QStringList{"methods", "--url", url(), "--init", init}}) {
        const RpcbenchRun r = runRpcbench(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        const QByteArray line = commandLine(r, args.first().toUtf8());
        QVERIFY2(line.contains("handshake: init[0] no_such_method: error -32601"), r.err.constData());
    }
}

// The strict server refuses the load's calls unless the connection was initialised first.
void tst_InitCli::benchHandshakesEveryConnection()
{
    const QString python = Peers::executable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("python3")).constData());
    const QString server = file("strict.py", kStrictServer);
    const QString init = file("strict-init.json", R"([
        {"method": "initialize", "params": {"capabilities": {}}},
        {"method": "initialized", "notification": true}
    ])");
    // The warm-up covers Python's start.
    const QStringList load{
        "bench", "--exec", python + " " + server, "--conns", "2", "--seconds", "0.5", "--warmup",
        "1",     "--json"};
    const RpcbenchRun with = runRpcbench(load + QStringList{"--init", init});
    QVERIFY2(with.exitCode == 0, with.err.constData());
    const QJsonObject figures = jsonLine(with.out);
    QVERIFY2(figures.value(u"calls").toInteger() > 0, with.out.constData());
    QCOMPARE(figures.value(u"errors").toInteger(), 0);

    const RpcbenchRun without = runRpcbench(load);
    QVERIFY2(without.exitCode == 0, without.err.constData());
    const QJsonObject refused = jsonLine(without.out);
    QVERIFY(refused.value(u"calls").toInteger() > 0);
    QCOMPARE(refused.value(u"errors").toInteger(), refused.value(u"calls").toInteger());
}

void tst_InitCli::benchHandshakeFailureIsOneLine()
{
    const QString init = file("bench-failing.json", R"([{"method": "no_such_method"}])");
    const RpcbenchRun r = runRpcbench({"bench", "--url", url(), "--init", init, "--seconds", "0.2"});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.err.startsWith("rpcbench bench: handshake with 127.0.0.1:") &&
                 r.err.contains("init[0] no_such_method: error -32601"),
             r.err.constData());
}

// Calls, a template and a notification (which HTTP acknowledges with an empty response) go
// through every framing; a refused step shows the handshake really ran there.
void tst_InitCli::benchHandshakeOnEveryTransport_data()
{
    QTest::addColumn<QString>("scheme");
    for (const char* scheme : {"tcp", "tcp+lsp", "http", "ws"})
        QTest::newRow(scheme) << scheme;
}

void tst_InitCli::benchHandshakeOnEveryTransport()
{
    QFETCH(QString, scheme);
    const QString target = QStringLiteral("%1://127.0.0.1:%2/").arg(scheme).arg(m_serve.port());
    const QString good = file("every-transport.json", R"([
        {"method": "echo", "params": [{"n": 5}]},
        {"method": "add", "params": ["{{init[0].result.n}}", 1, 1]},
        {"method": "notify_hello", "params": [1], "notification": true}
    ])");
    const RpcbenchRun ok = runRpcbench(
        {"bench", "--url", target, "--init", good, "--seconds", "0.2", "--warmup", "0", "--json"});
    QVERIFY2(ok.exitCode == 0, ok.err.constData());
    QVERIFY(jsonLine(ok.out).value(u"calls").toInteger() > 0);
    QCOMPARE(jsonLine(ok.out).value(u"errors").toInteger(), 0);

    const QString bad = file("every-transport-bad.json", R"([
        {"method": "echo", "params": [1]},
        {"method": "no_such_method", "params": []}
    ])");
    const RpcbenchRun refused = runRpcbench({"bench", "--url", target, "--init", bad, "--seconds", "0.2"});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("failed: init[1] no_such_method: error -32601"), refused.err.constData());
}

QTEST_GUILESS_MAIN(tst_InitCli)
#include "tst_initcli.moc"
