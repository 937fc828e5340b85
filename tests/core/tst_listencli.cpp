// `rpcbench listen` (and `call --listen`) against `rpcbench serve` with a subscription mock:
// the --init handshake subscribes, the events arrive as one JSON message per line, --count and
// --seconds end the run, an unsubscribe from a second process stops the events, and every way
// the connection can fail is one line with its exit code.

#include "Peers.h"
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>

namespace {

constexpr int kIntervalMs = 100;

bool writeJson(const QString& path, const QJsonValue& value)
{
    QFile f(path);
    const QByteArray bytes =
        value.isArray() ? QJsonDocument(value.toArray()).toJson() : QJsonDocument(value.toObject()).toJson();
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QJsonObject subscriptionWorkspace()
{
    const QJsonObject subscribe{
        {"name", "eth_subscribe"},
        {"params", QJsonArray{QJsonObject{{"name", "kind"}, {"type", "string"}, {"optional", true}}}},
        {"handler", QJsonObject{{"kind", "subscribe"},
                                {"notification", "eth_subscription"},
                                {"intervalMs", kIntervalMs}}}};
    const QJsonObject unsubscribe{{"name", "eth_unsubscribe"},
                                  {"params", QJsonArray{QJsonObject{{"name", "id"}, {"type", "string"}}}},
                                  {"handler", QJsonObject{{"kind", "unsubscribe"}}}};
    return QJsonObject{{"format", "rpcbench-workspace"},
                       {"version", 1},
                       {"server", QJsonObject{{"demoMethods", true}}},
                       {"methods", QJsonArray{subscribe, unsubscribe}}};
}

QString subscriptionOf(const QByteArray& line)
{
    return jsonLine(line).value(u"params").toObject().value(u"subscription").toString();
}

} // namespace

class tst_ListenCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void countEndsAfterExactlyN();
    void unsubscribeStopsTheEvents();
    void secondsEndsTheRun();
    void verboseShowsTheHandshake();
    void callListenPrintsIncomingOnStderr();
    void failuresAreOneLine_data();
    void failuresAreOneLine();
    void serverClosingExitsTwo();
    void handshakeFailureExitsTwo();
    void batchesAndAnswers_data();
    void shippedSubscriptionExample();
    void batchesAndAnswers();

private:
    QString url() const { return QStringLiteral("tcp://127.0.0.1:%1").arg(m_serve.port()); }
    QTemporaryDir m_dir;
    QString m_init;
    ServeProcess m_serve;
};

void tst_ListenCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString workspace = m_dir.filePath("subscribe.rpcbench.json");
    QVERIFY(writeJson(workspace, subscriptionWorkspace()));
    m_init = m_dir.filePath("subscribe-init.json");
    QVERIFY(writeJson(
        m_init, QJsonArray{QJsonObject{{"method", "eth_subscribe"}, {"params", QJsonArray{"newHeads"}}}}));
    QVERIFY2(m_serve.start({"--workspace", workspace, "--log", "none"}),
             m_serve.process().readAllStandardError());
}

void tst_ListenCli::countEndsAfterExactlyN()
{
    const int n = 10;
    QElapsedTimer clock;
    clock.start();
    const RpcbenchRun r = runRpcbench({"listen", url(), "--init", m_init, "--count", QString::number(n)});
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.err, QByteArray());
    const QList<QByteArray> lines = r.outLines();
    QCOMPARE(lines.size(), n);
    const QString id = subscriptionOf(lines.first());
    QVERIFY(!id.isEmpty());
    for (const QByteArray& line : lines) {
        QCOMPARE(jsonLine(line).value(u"method").toString(), QStringLiteral("eth_subscription"));
        QCOMPARE(subscriptionOf(line), id);
        QVERIFY(!line.contains(' ')); // compact: one message, one line
    }
    qInfo() << n << "events of a" << kIntervalMs << "ms subscription in" << elapsed
            << "ms (process start included; " << n * kIntervalMs << "ms expected)";
}

void tst_ListenCli::unsubscribeStopsTheEvents()
{
    RpcbenchProcess listen;
    listen.start({"listen", url(), "--init", m_init});
    QVERIFY2(listen.waitForLines(1, 10000), listen.err().constData());
    const QString id = subscriptionOf(listen.lines().first());
    QVERIFY(!id.isEmpty());
    QVERIFY2(listen.waitForLines(3, 5000), listen.err().constData());

    const RpcbenchRun unsubscribe = runRpcbench({"call", "--url", url(), "eth_unsubscribe", id});
    QVERIFY2(unsubscribe.exitCode == 0, unsubscribe.err.constData());
    QCOMPARE(unsubscribe.out, QByteArray("true\n"));
    // An event written before the unsubscribe was served may still be on its way: let it land,
    // then watch ten intervals.
    QTest::qWait(3 * kIntervalMs);
    const qsizetype before = listen.lines().size();
    QTest::qWait(10 * kIntervalMs);
    QCOMPARE(listen.lines().size(), before);
    QVERIFY(listen.running());
    listen.terminate();
    QVERIFY(listen.waitFinished(10000));
    QCOMPARE(listen.exitCode(), 0);
    QCOMPARE(runRpcbench({"call", "--url", url(), "eth_unsubscribe", id}).out, QByteArray("false\n"));
}

void tst_ListenCli::secondsEndsTheRun()
{
    QElapsedTimer clock;
    clock.start();
    const RpcbenchRun r = runRpcbench({"listen", url(), "--init", m_init, "--seconds", "1"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(clock.elapsed() >= 1000);
    qInfo() << r.outLines().size() << "events in --seconds 1 at" << kIntervalMs << "ms";
    QVERIFY(r.outLines().size() >= 2);
    for (const QByteArray& line : r.outLines())
        QCOMPARE(jsonLine(line).value(u"method").toString(), QStringLiteral("eth_subscription"));
}

void tst_ListenCli::verboseShowsTheHandshake()
{
    const RpcbenchRun r = runRpcbench({"listen", url(), "--init", m_init, "--count", "1", "--verbose"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.outLines().size(), 1);
    const QString id = subscriptionOf(r.outLines().first());
    // The subscribe call and its result (the id the events carry) are in the traffic.
    QVERIFY2(r.err.contains("--> ") && r.err.contains("eth_subscribe"), r.err.constData());
    QVERIFY2(r.err.contains("<-- ") && r.err.contains(id.toUtf8()), r.err.constData());
}

void tst_ListenCli::callListenPrintsIncomingOnStderr()
{
    const RpcbenchRun r =
        runRpcbench({"call", "--url", url(), "--listen", "0.5", "eth_subscribe", "newHeads"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = QJsonDocument::fromJson("[" + r.out + "]").array().first().toString();
    QVERIFY2(id.startsWith("0x"), r.out.constData());
    const QList<QByteArray> events = r.errLines();
    qInfo() << events.size() << "events in --listen 0.5 at" << kIntervalMs << "ms";
    QVERIFY(!events.isEmpty());
    for (const QByteArray& line : events)
        QCOMPARE(subscriptionOf(line), id);
}

void tst_ListenCli::failuresAreOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    const QString closedPort = QStringLiteral("tcp://127.0.0.1:%1").arg(Peers::freeLoopbackPort());
    QTest::newRow("unreachable") << QStringList{closedPort} << 2 << QByteArray("cannot connect to");
    QTest::newRow("bad url") << QStringList{"nope://x"} << 64 << QByteArray("invalid --url");
    QTest::newRow("no url") << QStringList{} << 64 << QByteArray("missing URL");
    QTest::newRow("url twice") << QStringList{closedPort, "--url", closedPort} << 64
                               << QByteArray("give the URL once");
    QTest::newRow("bad count") << QStringList{closedPort, "--count", "x"} << 64
                               << QByteArray("invalid --count 'x'");
    QTest::newRow("bad seconds") << QStringList{closedPort, "--seconds", "-1"} << 64
                                 << QByteArray("invalid --seconds '-1'");
    QTest::newRow("missing init") << QStringList{closedPort, "--init", "/nonexistent/init.json"} << 64
                                  << QByteArray("invalid --init file '/nonexistent/init.json'");
    QTest::newRow("missing answer") << QStringList{closedPort, "--answer", "/nonexistent/w.json"} << 64
                                    << QByteArray("invalid --answer workspace '/nonexistent/w.json'");
    const QString noMethods = m_dir.filePath("no-methods.rpcbench.json");
    writeJson(noMethods, QJsonObject{{"format", "rpcbench-workspace"}, {"version", 1}});
    QTest::newRow("answer without methods")
        << QStringList{closedPort, "--answer", noMethods} << 64 << QByteArray("it has no methods");
    QTest::newRow("exec fails") << QStringList{"--exec", "/nonexistent/server"} << 2
                                << QByteArray("cannot connect");
}

void tst_ListenCli::failuresAreOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    const RpcbenchRun r = runRpcbench(QStringList{"listen"} + args, 20000);
    QCOMPARE(r.exitCode, exitCode);
    QCOMPARE(r.out, QByteArray());
    QVERIFY2(r.errLines().first().startsWith("rpcbench listen: ") && r.errLines().first().contains(message),
             r.err.constData());
    if (exitCode != 64)
        QCOMPARE(r.errLines().size(), 1);
}

void tst_ListenCli::serverClosingExitsTwo()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--log", "none"}));
    const QString init = m_dir.filePath("add-init.json");
    QVERIFY(writeJson(init, QJsonArray{QJsonObject{{"method", "add"}, {"params", QJsonArray{1, 2}}}}));
    RpcbenchProcess listen;
    listen.start(
        {"listen", QStringLiteral("tcp://127.0.0.1:%1").arg(serve.port()), "--init", init, "--verbose"});
    // Connected for sure once the handshake's reply came (--verbose shows it).
    QVERIFY2(listen.waitForErr("<-- ", 10000), listen.err().constData());
    QVERIFY(serve.terminate());
    QVERIFY(listen.waitFinished(10000));
    QCOMPARE(listen.exitCode(), 2);
    QVERIFY2(listen.err().contains("rpcbench listen: the server closed the connection"),
             listen.err().constData());
}

void tst_ListenCli::handshakeFailureExitsTwo()
{
    const QString init = m_dir.filePath("bad-step.json");
    QVERIFY(writeJson(init, QJsonArray{QJsonObject{{"method", "no_such_method"}}}));
    const RpcbenchRun r = runRpcbench({"listen", url(), "--init", init});
    QCOMPARE(r.exitCode, 2);
    // The last line is the command's (the client library may log the failure before it).
    const QByteArray last = r.errLines().value(r.errLines().size() - 1);
    QVERIFY2(last.startsWith("rpcbench listen: handshake with ") &&
                 last.contains("failed: init[0] no_such_method: error -32601"),
             r.err.constData());
}

// A stand-in server sends a batch of two notifications, then a request, then the answer it got
// back as a notification. --answer with a workspace written for `serve` (top-level "methods",
// no "client" section) answers with those methods; without --answer the answer is -32601.
void tst_ListenCli::batchesAndAnswers_data()
{
    QTest::addColumn<bool>("answer");
    QTest::newRow("--answer") << true;
    QTest::newRow("no --answer") << false;
}

void tst_ListenCli::batchesAndAnswers()
{
    QFETCH(bool, answer);
    const QString python = Peers::executable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("python3")).constData());
    const QString script = m_dir.filePath("asks.py");
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        "import json, sys\n"
        "def send(m):\n"
        "    print(json.dumps(m), flush=True)\n"
        "send([{'jsonrpc': '2.0', 'method': 'note/a', 'params': [1]},\n"
        "      {'jsonrpc': '2.0', 'method': 'note/b', 'params': [2]}])\n"
        "send({'jsonrpc': '2.0', 'id': 7, 'method': 'ping', 'params': ['x']})\n"
        "send({'jsonrpc': '2.0', 'method': 'test/gotAnswer', 'params': json.loads(sys.stdin.readline())})\n"
        "sys.stdin.read()\n");
    f.close();
    const QString workspace = m_dir.filePath("pong.rpcbench.json");
    const QJsonObject ping{{"name", "ping"},
                           {"params", QJsonArray{QJsonObject{{"name", "what"}}}},
                           {"handler", QJsonObject{{"kind", "result"}, {"value", "pong"}}}};
    QVERIFY(writeJson(
        workspace,
        QJsonObject{{"format", "rpcbench-workspace"}, {"version", 1}, {"methods", QJsonArray{ping}}}));
    QStringList args{"listen", "--exec", python + " " + script, "--count", "4"};
    if (answer)
        args << "--answer" << workspace;
    const RpcbenchRun r = runRpcbench(args);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.outLines();
    QCOMPARE(lines.size(), 4);
    QStringList methods;
    for (const QByteArray& line : lines)
        methods << jsonLine(line).value(u"method").toString();
    QCOMPARE(methods, (QStringList{"note/a", "note/b", "ping", "test/gotAnswer"}));
    const QJsonObject got = jsonLine(lines.at(3)).value(u"params").toObject();
    QCOMPARE(got.value(u"id").toInt(), 7);
    if (answer)
        QCOMPARE(got.value(u"result").toString(), QStringLiteral("pong"));
    else
        QCOMPARE(got.value(u"error").toObject().value(u"code").toInt(), -32601);
}

// resources/examples/eth-subscribe.rpcbench.json with its handshake file, as the README shows
// them: numbered block headers once a second.
void tst_ListenCli::shippedSubscriptionExample()
{
    const QString examples = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/");
    ServeProcess serve;
    QVERIFY(serve.start({"--workspace", examples + "eth-subscribe.rpcbench.json", "--log", "none"}));
    const RpcbenchRun r = runRpcbench({"listen", QStringLiteral("tcp://127.0.0.1:%1").arg(serve.port()),
                                       "--init", examples + "eth-subscribe-init.json", "--count", "2"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.outLines().size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject params = jsonLine(r.outLines().at(i)).value(u"params").toObject();
        QCOMPARE(params.value(u"result").toObject().value(u"number").toInt(), i + 1);
        QVERIFY(params.value(u"subscription").toString().startsWith(QStringLiteral("0x")));
    }
}

QTEST_GUILESS_MAIN(tst_ListenCli)
#include "tst_listencli.moc"
