// Tests of the `rpcbench serve` command as a user runs it: options, shutdown, logging, and
// interoperability with stdlib Python clients and curl.

#include "ServeProcess.h"
#include "SocketProbe.h"
#include "server/ServerLimitTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

class TestServeCommand : public QObject
{
    Q_OBJECT
private slots:
    void helpListsLimits();
    void helpListsEveryLimitOption_data();
    void helpListsEveryLimitOption();
    void badOptions_data();
    void badOptions();
    void keepAliveTimeoutClosesSilentPeers_data();
    void keepAliveTimeoutClosesSilentPeers();
    void portInUseFailsClearly();
    void sigtermStopsCleanly();
    void jsonlLogShowsTraffic();
    void bindAllWarns();
    void pythonClassicClient();
    void pythonJsonRpc2Client();
    void curlExpectContinueLargeBody();

private:
    // Runs a Python client script from tests/support against a fresh server; its JSON lines.
    static QList<QJsonValue> runScript(const QString& script, QByteArray* errors);
};

static QByteArray runRpcbench(const QStringList& args, int* exitCode, QByteArray* err = nullptr)
{
    QProcess p;
    p.start(QStringLiteral(RPCBENCH_BIN), args);
    p.waitForFinished(15000);
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (err)
        *err = p.readAllStandardError();
    return p.readAllStandardOutput();
}

void TestServeCommand::helpListsLimits()
{
    int rc = 0;
    const QByteArray out = runRpcbench({"serve", "--help"}, &rc);
    QCOMPARE(rc, 0);
    for (const char* text :
         {"--port", "--bind", "--log", "--max-message-bytes", "16777216", "--idle-timeout-ms", "30000",
          "--keepalive-timeout-ms", "300000", "--max-connections", "1024", "--handler-timeout-ms", "--listen",
          "--tls-cert", "--tls-key", "--stdio", "--framing"})
        QVERIFY2(out.contains(text), text);
}

// Every limit of the table with an option is in --help with its unit and default, and refuses
// a value one past its range.
void TestServeCommand::helpListsEveryLimitOption_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<qint64>("byDefault");
    QTest::addColumn<qint64>("max");
    for (const rpcbench::ServerLimitInfo& limit : rpcbench::serverLimitTable()) {
        if (limit.option)
            QTest::newRow(limit.option)
                << QString(limit.option) << QString(limit.unit) << limit.defaultValue() << limit.max;
    }
}

void TestServeCommand::helpListsEveryLimitOption()
{
    QFETCH(QString, option);
    QFETCH(QString, unit);
    QFETCH(qint64, byDefault);
    QFETCH(qint64, max);
    int rc = 0;
    // QCommandLineParser wraps long help lines: compare with single spaces.
    const QString help = QString::fromUtf8(runRpcbench({"serve", "--help"}, &rc)).simplified();
    QCOMPARE(rc, 0);
    const QString head = QString("--%1 <%2> ").arg(option, unit);
    const qsizetype at = help.indexOf(head);
    QVERIFY2(at >= 0, qPrintable(head));
    const QString entry = help.mid(at, help.indexOf(" --", at + head.size()) - at); // up to the next option
    QVERIFY2(entry.endsWith(QString("Default %1.").arg(byDefault)), qPrintable(entry));
    QByteArray err;
    runRpcbench({"serve", "--" + option, QString::number(max + 1)}, &rc, &err);
    QCOMPARE(rc, 64);
    QVERIFY2(err.contains(QString("invalid --%1").arg(option).toUtf8()), err.constData());
}

void TestServeCommand::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("port text") << QStringList{"--port", "abc"} << "--port";
    QTest::newRow("port range") << QStringList{"--port", "70000"} << "--port";
    QTest::newRow("bind") << QStringList{"--bind", "not-an-ip"} << "--bind";
    QTest::newRow("log") << QStringList{"--log", "xml"} << "--log";
    QTest::newRow("unknown") << QStringList{"--frobnicate"} << "frobnicate";
    const QString keepAliveRange = "must be an integer between 0 and 86400000";
    QTest::newRow("keep-alive negative") << QStringList{"--keepalive-timeout-ms=-1"}
                                         << "invalid --keepalive-timeout-ms '-1': " + keepAliveRange;
    QTest::newRow("keep-alive over a day") << QStringList{"--keepalive-timeout-ms", "86400001"}
                                           << "invalid --keepalive-timeout-ms '86400001': " + keepAliveRange;
    QTest::newRow("keep-alive text") << QStringList{"--keepalive-timeout-ms", "5m"}
                                     << "invalid --keepalive-timeout-ms '5m': " + keepAliveRange;
    QTest::newRow("idle timeout zero") << QStringList{"--idle-timeout-ms", "0"}
                                       << "invalid --idle-timeout-ms '0': must be an integer between 1 and";
}

void TestServeCommand::badOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    int rc = 0;
    QByteArray err;
    runRpcbench(QStringList{"serve"} + args, &rc, &err);
    QCOMPARE(rc, 64);
    QVERIFY2(err.contains(mentions.toUtf8()), err.constData());
}

// A peer that connects and never speaks is closed after the keep-alive timeout, whether it comes
// from the command line or the workspace; the command line wins over the workspace.
void TestServeCommand::keepAliveTimeoutClosesSilentPeers_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("workspaceKeepAliveMs"); // -1: no workspace
    QTest::newRow("option") << QStringList{"--keepalive-timeout-ms", "200"} << -1;
    QTest::newRow("workspace") << QStringList{} << 200;
    QTest::newRow("option beats workspace") << QStringList{"--keepalive-timeout-ms", "200"} << 0;
}

void TestServeCommand::keepAliveTimeoutClosesSilentPeers()
{
    QFETCH(QStringList, args);
    QFETCH(int, workspaceKeepAliveMs);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (workspaceKeepAliveMs >= 0) {
        const QString path = dir.filePath("keepalive.rpcbench.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QJsonObject limits{{"keepAliveTimeoutMs", workspaceKeepAliveMs}};
        file.write(QJsonDocument(QJsonObject{{"format", "rpcbench-workspace"},
                                             {"version", 1},
                                             {"server", QJsonObject{{"limits", limits}}}})
                       .toJson());
        file.close();
        args << "--workspace" << path;
    }
    ServeProcess serve;
    QVERIFY(serve.start(args + QStringList{"--log", "none"}));
    SocketProbe silent;
    QVERIFY(silent.connectTo(serve.port()));
    // The default (300 s) or "never" would keep it open far longer than this.
    QVERIFY2(silent.waitForClose(10000), "a silent connection was not closed");
    QVERIFY(silent.received().isEmpty()); // closed without an error message: nothing was asked
    // The server itself goes on serving.
    SocketProbe peer;
    QVERIFY(peer.connectTo(serve.port()));
    peer.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})"
              "\n");
    QCOMPARE(peer.waitForJsonLines(1).value(0).toObject().value("result").toInt(), 13); // c = 10
}

void TestServeCommand::portInUseFailsClearly()
{
    ServeProcess first;
    QVERIFY(first.start({"--log", "none"}));
    int rc = 0;
    QByteArray err;
    runRpcbench({"serve", "--port", QString::number(first.port())}, &rc, &err);
    QCOMPARE(rc, 1);
    QVERIFY2(err.contains("in use"), err.constData());
}

void TestServeCommand::sigtermStopsCleanly()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--log", "none"}));
    SocketProbe probe;
    QVERIFY(probe.connectTo(serve.port()));
    probe.send(R"({"jsonrpc":"2.0","method":"sleep","params":[5000],"id":1})"
               "\n");
    QVERIFY(serve.terminate());
    QCOMPARE(serve.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.process().exitCode(), 0);
    QVERIFY(serve.process().readAllStandardError().contains("stopped"));
    QVERIFY(probe.waitForClose());
}

void TestServeCommand::jsonlLogShowsTraffic()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--log", "jsonl"}));
    SocketProbe probe;
    QVERIFY(probe.connectTo(serve.port()));
    probe.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":"q"})"
               "\n");
    QCOMPARE(probe.waitForJsonLines(1).size(), 1);
    QTRY_VERIFY(serve.readStdout().count("\n{") >= 2);
    QList<QJsonObject> events;
    for (const QByteArray& line : serve.readStdout().split('\n'))
        if (line.startsWith('{'))
            events << QJsonDocument::fromJson(line).object();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].value("dir").toString(), QString("in"));
    QCOMPARE(events[0].value("method").toString(), QString("add"));
    QCOMPARE(events[0].value("kind").toString(), QString("request"));
    QCOMPARE(events[1].value("dir").toString(), QString("out"));
    QCOMPARE(events[1].value("id").toString(), QString("\"q\""));
    QVERIFY(events[1].value("raw").toString().contains("\"result\":13"));
}

void TestServeCommand::bindAllWarns()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--bind", "0.0.0.0", "--log", "none"}));
    QByteArray err;
    QTRY_VERIFY((err += serve.process().readAllStandardError()).contains("WARNING"));
}

QList<QJsonValue> TestServeCommand::runScript(const QString& script, QByteArray* errors)
{
    ServeProcess serve;
    if (!serve.start({"--log", "none"})) {
        *errors = "rpcbench serve did not start";
        return {};
    }
    QProcess p;
    p.start(QStandardPaths::findExecutable("python3"),
            {QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/") + script, QString::number(serve.port())});
    const bool finished = QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000);
    *errors =
        (finished ? QByteArray() : "the script did not finish within 20 s\n") + p.readAllStandardError();
    QList<QJsonValue> out;
    for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
        if (!line.isEmpty()) {
            const auto doc = QJsonDocument::fromJson(line);
            out << (doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        }
    return out;
}

void TestServeCommand::pythonClassicClient()
{
    if (QStandardPaths::findExecutable("python3").isEmpty())
        QSKIP("python3 not installed");
    QByteArray errors;
    const auto r = runScript("classic_client.py", &errors);
    QVERIFY2(r.size() == 5, errors.constData());
    QCOMPARE(r[0].toObject(), QJsonObject({{"res", 6}}));
    QCOMPARE(r[1].toObject(), QJsonObject({{"res", QString::fromUtf8("héllo")}}));
    QCOMPARE(r[2].toObject().value("error").toObject().value("code").toInt(), -32601);
    QCOMPARE(r[3].toObject().value("error").toObject().value("code").toInt(), -32602);
    QCOMPARE(r[4].toArray(), QJsonArray({QJsonObject{{"res", 12}}, QJsonObject{{"res", 14}}}));
}

void TestServeCommand::pythonJsonRpc2Client()
{
    if (QStandardPaths::findExecutable("python3").isEmpty())
        QSKIP("python3 not installed");
    QByteArray errors;
    const auto r = runScript("jsonrpc2_client.py", &errors);
    QVERIFY2(r.size() == 4, errors.constData());
    QCOMPARE(r[0].toObject().value("status").toInt(), 200);
    QCOMPARE(r[0].toObject().value("type").toString(), QString("application/json"));
    QCOMPARE(r[0].toObject().value("body").toObject().value("result").toInt(), 13);
    const QJsonArray batch = r[1].toObject().value("body").toArray();
    QCOMPARE(batch.size(), 1); // the notification in the batch gets no reply
    QCOMPARE(batch[0].toObject().value("result").toString(), QString("x"));
    QCOMPARE(r[2].toObject().value("status").toInt(), 200);
    QVERIFY(r[2].toObject().value("body").isNull()); // notification only: empty body
    const QJsonArray stream = r[3].toArray();
    QCOMPARE(stream.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(stream[i].toObject().value("result").toInt(), 10 - stream[i].toObject().value("id").toInt());
}

void TestServeCommand::curlExpectContinueLargeBody()
{
    const QString curl = QStandardPaths::findExecutable("curl");
    if (curl.isEmpty())
        QSKIP("curl not installed");
    ServeProcess serve;
    QVERIFY(serve.start({"--log", "none"}));
    const QByteArray big(4000, 'z');
    const QByteArray body = R"({"jsonrpc":"2.0","method":"echo","params":[")" + big + R"("],"id":1})";
    QProcess p;
    p.start(curl,
            {"-sS", "--max-time", "10", "-H", "Content-Type: application/json", "-H", "Expect: 100-continue",
             "--data-binary", "@-", QStringLiteral("http://127.0.0.1:%1/").arg(serve.port())});
    p.write(body);
    p.closeWriteChannel();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 15000);
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject reply = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(reply.value("result").toString().size(), big.size());
}

QTEST_GUILESS_MAIN(TestServeCommand)
#include "tst_servecommand.moc"
