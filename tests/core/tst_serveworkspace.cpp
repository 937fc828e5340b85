// `rpcbench serve --workspace FILE` as a CI pipeline runs it: the workspace's scripted and
// canned methods and its faults served headless; a bad workspace refused before listening.

#include "ServeProcess.h"
#include "SocketProbe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kExample = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/mock-service.rpcbench.json");

QByteArray request(const QString& method, const QJsonValue& params, int id)
{
    const QJsonObject o{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", id}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n";
}

} // namespace

class TestServeWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void helpMentionsWorkspace();
    void servesTheExampleHeadless();
    void faultsAreAppliedAndLogged();
    void scriptSeesParamsAsSent();
    void badWorkspaceIsRefused_data();
    void badWorkspaceIsRefused();
};

void TestServeWorkspace::helpMentionsWorkspace()
{
    QProcess p;
    p.start(RPCBENCH_BIN, {"serve", "--help"});
    QVERIFY(p.waitForFinished(15000));
    QVERIFY(p.readAllStandardOutput().contains("--workspace"));
}

void TestServeWorkspace::servesTheExampleHeadless()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--workspace", kExample, "--log", "none"}));
    SocketProbe probe;
    QVERIFY(probe.connectTo(serve.port())); // --port 0 on the command line beats the file's 5000
    probe.send(request("greet", QJsonObject{{"name", "CI"}, {"excited", true}}, 1) +
               request("payment.charge", QJsonArray{10}, 2) + request("add", QJsonArray{1, 2}, 3));
    const auto replies = probe.waitForJsonLines(3);
    QCOMPARE(replies.size(), 3);
    QMap<int, QJsonObject> byId;
    for (const QJsonValue& r : replies)
        byId.insert(r.toObject().value("id").toInt(), r.toObject());
    QCOMPARE(byId[1].value("result").toString(), QString("HELLO, CI!"));
    QCOMPARE(byId[2].value("error").toObject().value("code").toInt(), -32020);
    QCOMPARE(byId[3].value("error").toObject().value("code").toInt(), -32601); // demoMethods: false
    QVERIFY(serve.process().readAllStandardError().contains("4 user methods"));
}

void TestServeWorkspace::faultsAreAppliedAndLogged()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--workspace", kExample, "--log", "jsonl"}));
    SocketProbe probe;
    QVERIFY(probe.connectTo(serve.port()));
    probe.send(request("user.get", QJsonArray{1}, 1));
    QCOMPARE(
        probe.waitForJsonLines(1).value(0).toObject().value("result").toObject().value("name").toString(),
        QString("Ada Lovelace"));
    QTRY_VERIFY(serve.readStdout().count("\n{") >= 2);
    bool faultedReply = false;
    for (const QByteArray& line : serve.readStdout().split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        faultedReply = faultedReply || (e.value("dir") == "out" && e.value("faulted").toBool());
    }
    QVERIFY(faultedReply); // user.get has added latency in the example
}

// A workspace script reading `params` (the params as sent) next to its named variables.
void TestServeWorkspace::scriptSeesParamsAsSent()
{
    QTemporaryDir dir;
    QFile f(dir.filePath("params.rpcbench.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"format":"rpcbench-workspace","version":1,"methods":[{"name":"pick",)"
            R"("params":[{"name":"a","type":"number"},{"name":"b","type":"number","default":0}],)"
            R"("handler":{"kind":"script","source":)"
            R"("return [Array.isArray(params) ? params[0] : params.a, a + b];"}}]})");
    f.close();
    ServeProcess serve;
    QVERIFY(serve.start({"--workspace", f.fileName(), "--log", "none"}));
    SocketProbe probe;
    QVERIFY(probe.connectTo(serve.port()));
    probe.send(request("pick", QJsonObject{{"a", 2}, {"b", 3}}, 1) + request("pick", QJsonArray{4}, 2));
    const auto replies = probe.waitForJsonLines(2);
    QCOMPARE(replies.size(), 2);
    QMap<int, QJsonValue> byId;
    for (const QJsonValue& r : replies)
        byId.insert(r.toObject().value("id").toInt(), r.toObject().value("result"));
    QCOMPARE(byId[1], QJsonValue(QJsonArray{2, 5}));
    QCOMPARE(byId[2], QJsonValue(QJsonArray{4, 4}));
}

void TestServeWorkspace::badWorkspaceIsRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("broken JSON") << QByteArray("{\"format\": \"rpcbench-workspace\",\n\"version\": 1\n\"x\"}")
                                 << "line 3, column";
    QTest::newRow("version") << QByteArray(R"({"format":"rpcbench-workspace","version":9})") << "version 9";
    QTest::newRow("script") << QByteArray(
                                   R"({"format":"rpcbench-workspace","version":1,"methods":[)"
                                   R"({"name":"s","handler":{"kind":"script","source":"return 1 +;"}}]})")
                            << "methods[0] 's': script line 1: SyntaxError";
}

void TestServeWorkspace::badWorkspaceIsRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    QFile f(dir.filePath("bad.rpcbench.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    QProcess p;
    p.start(RPCBENCH_BIN, {"serve", "--port", "0", "--workspace", f.fileName()});
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 65);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains(mentions.toUtf8()) && err.contains("bad.rpcbench.json"), err.constData());
    QVERIFY(!p.readAllStandardOutput().contains("listening"));
}

QTEST_GUILESS_MAIN(TestServeWorkspace)
#include "tst_serveworkspace.moc"
