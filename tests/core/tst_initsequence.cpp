// InitSequence (the handshake file: strict reading, templates) and RpcClient's handshake
// against a scripted server on 127.0.0.1: the steps go out in order before any call, templates
// take earlier results, a reconnect replays them, a failing step fails the waiting call with
// the step's name and closes the connection, and server requests during it are answered.

#include "FakeRpcServer.h"
#include "client/InitSequence.h"
#include "client/RpcClient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

QJsonValue parse(const QByteArray& json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isArray() ? QJsonValue(doc.array()) : doc.isObject() ? QJsonValue(doc.object()) : QJsonValue();
}

QList<InitStep> steps(const QByteArray& json)
{
    QString error;
    const auto s = InitSequence::fromJson(parse(json), &error);
    if (!s)
        qWarning() << "bad test steps:" << error;
    return s.value_or(QList<InitStep>{});
}

QStringList methodsOf(const FakeRpcServer& server)
{
    QStringList out;
    for (const FakeRpcServer::Message& m : server.received)
        out << m.object().value("method").toString();
    return out;
}

// An LSP-like handshake: initialize (awaited), then initialized with values from its result.
const QByteArray kHandshake = R"([
  {"method": "initialize", "params": {"processId": 1}},
  {"method": "initialized", "notification": true,
   "params": {"caps": "{{init[0].result.capabilities}}", "hello": "hi {{init[0].result.serverInfo.name}}"}}
])";

} // namespace

class tst_InitSequence : public QObject
{
    Q_OBJECT
private slots:
    void fromJsonErrors_data();
    void fromJsonErrors();
    void roundTrip();
    void loadNamesTheFile();
    void resolve_data();
    void resolve();

    void handshakeBeforeCallsAndReplayOnReconnect();
    void failingStepFailsTheWaitingCall_data();
    void failingStepFailsTheWaitingCall();
    void serverRequestDuringHandshakeIsAnswered();
    void perCallClassicConnectionsHaveNoHandshake();
};

void tst_InitSequence::fromJsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("not an array") << QByteArray(R"({"method":"x"})")
                                  << "init: must be an array of calls and notifications";
    QTest::newRow("item not an object")
        << QByteArray(R"([{"method":"a"}, 3])") << "init[1]: must be an object";
    QTest::newRow("method missing") << QByteArray(R"([{"method":"a"}, {"params":{}}])")
                                    << "init[1].method: missing";
    QTest::newRow("method not a string")
        << QByteArray(R"([{"method":1}])") << "init[0].method must be a string";
    QTest::newRow("method empty") << QByteArray(R"([{"method":""}])") << "init[0].method: must not be empty";
    QTest::newRow("params scalar") << QByteArray(R"([{"method":"a","params":"x"}])")
                                   << "init[0].params must be an array or an object";
    QTest::newRow("notification not bool") << QByteArray(R"([{"method":"a","notification":"yes"}])")
                                           << "init[0].notification must be true or false";
    QTest::newRow("negative timeout") << QByteArray(R"([{"method":"a","timeoutMs":-1}])")
                                      << "init[0].timeoutMs must be an integer between 0 and 86400000";
    QTest::newRow("unknown key")
        << QByteArray(R"([{"method":"a","parms":{}}])")
        << "init[0]: unknown key 'parms' (expected one of method, params, notification, "
           "timeoutMs)";
}

void tst_InitSequence::fromJsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString problem;
    QVERIFY(!InitSequence::fromJson(parse(json), &problem));
    QCOMPARE(problem, error);
}

void tst_InitSequence::roundTrip()
{
    const QList<InitStep> read = steps(R"([{"method":"initialize","params":[1],"timeoutMs":500},
                                           {"method":"initialized","notification":true}])");
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).request.timeoutMs, 500);
    QCOMPARE(read.at(1).request.timeoutMs, 30000);
    QVERIFY(read.at(1).request.notification);
    QVERIFY(read.at(1).request.params.isUndefined());
    QString error;
    const auto again = InitSequence::fromJson(InitSequence::toJson(read), &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(*again == read);
    QVERIFY(!(read.at(0) == read.at(1)));
}

void tst_InitSequence::loadNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("init.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"([{"notification": true}])");
    f.close();
    QString error;
    QVERIFY(!InitSequence::load(path, &error));
    QCOMPARE(error, path + ": init[0].method: missing");
    QVERIFY(!InitSequence::load(dir.filePath("absent.json"), &error));
    QVERIFY2(error.contains("absent.json"), qPrintable(error));
}

void tst_InitSequence::resolve_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QByteArray>("expected"); // empty: an error
    QTest::addColumn<QString>("error");
    // results: init[0] = {"caps":{"a":1},"name":"srv","n":3,"items":[{"name":"x"},{"name":"y"}]},
    // init[1] a notification.
    QTest::newRow("whole string keeps the type")
        << QByteArray(R"({"c":"{{init[0].result.caps}}","n":"{{init[0].result.n}}"})")
        << QByteArray(R"({"c":{"a":1},"n":3})") << QString();
    QTest::newRow("inside a longer string: text")
        << QByteArray(R"(["hi {{init[0].result.name}}, n={{ init[0].result.n }} {{init[0].result.caps}}"])")
        << QByteArray(R"(["hi srv, n=3 {\"a\":1}"])") << QString();
    QTest::newRow("array index") << QByteArray(R"({"v":"{{init[0].result.items[1].name}}"})")
                                 << QByteArray(R"({"v":"y"})") << QString();
    QTest::newRow("nested params") << QByteArray(R"({"deep":[{"x":"{{init[0].result}}"}]})")
                                   << QByteArray(R"({"deep":[{"x":{"caps":{"a":1},"items":[{"name":"x"},)"
                                                 R"({"name":"y"}],"n":3,"name":"srv"}}]})")
                                   << QString();
    QTest::newRow("no template") << QByteArray(R"({"a":"{not one}","b":[1,true,null]})")
                                 << QByteArray(R"({"a":"{not one}","b":[1,true,null]})") << QString();
    QTest::newRow("missing member")
        << QByteArray(R"({"v":"{{init[0].result.caps.b}}"})") << QByteArray()
        << "init[2].params: {{init[0].result.caps.b}}: init[0].result.caps has no member 'b'";
    QTest::newRow("missing inside a string")
        << QByteArray(R"(["x {{init[0].result.nope}}"])") << QByteArray()
        << "init[2].params: {{init[0].result.nope}}: init[0].result has no member 'nope'";
    QTest::newRow("index out of range")
        << QByteArray(R"(["{{init[0].result.items[5]}}"])") << QByteArray()
        << "init[2].params: {{init[0].result.items[5]}}: init[0].result.items has no element [5]";
    QTest::newRow("a notification's result")
        << QByteArray(R"(["{{init[1].result}}"])") << QByteArray()
        << "init[2].params: {{init[1].result}}: init[1] is a notification: it has no result";
    QTest::newRow("a later step")
        << QByteArray(R"(["{{init[2].result}}"])") << QByteArray()
        << "init[2].params: {{init[2].result}}: init[2] does not come before init[2]";
    QTest::newRow("not a result path") << QByteArray(R"(["{{env.HOME}}"])") << QByteArray()
                                       << "init[2].params: {{env.HOME}}: must start with init[N].result";
}

void tst_InitSequence::resolve()
{
    QFETCH(QByteArray, params);
    QFETCH(QByteArray, expected);
    QFETCH(QString, error);
    const QList<QJsonValue> results{
        parse(R"({"caps":{"a":1},"name":"srv","n":3,"items":[{"name":"x"},{"name":"y"}]})"),
        QJsonValue(QJsonValue::Undefined)};
    QString problem;
    const auto out = InitSequence::resolve(parse(params), results, &problem);
    if (expected.isEmpty()) {
        QVERIFY(!out);
        QCOMPARE(problem, error);
    } else {
        QVERIFY2(out, qPrintable(problem));
        QCOMPARE(*out, parse(expected));
    }
}

void tst_InitSequence::handshakeBeforeCallsAndReplayOnReconnect()
{
    FakeRpcServer server;
    QVERIFY(server.listen());
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        if (m.object().value("method") == "initialize")
            server.reply(
                m, QJsonObject{
                       {"jsonrpc", "2.0"},
                       {"id", m.object().value("id")},
                       {"result", parse(R"({"capabilities":{"hover":true},"serverInfo":{"name":"fake"}})")}});
        else
            server.echo(m);
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    client.setInitSequence(steps(kHandshake));
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy initFinished(&client, &RpcClient::initFinished);
    client.call("work", QJsonArray{1});
    QVERIFY(finished.wait(5000));
    QVERIFY2(finished.first().at(1).value<CallResult>().ok(),
             qPrintable(finished.first().at(1).value<CallResult>().describe()));
    QCOMPARE(finished.size(), 1); // the handshake's own calls are not reported
    QCOMPARE(methodsOf(server), (QStringList{"initialize", "initialized", "work"}));
    QCOMPARE(server.received.at(1).object().value("params"),
             parse(R"({"caps":{"hover":true},"hello":"hi fake"})"));
    QVERIFY(!server.received.at(1).object().contains("id"));
    QCOMPARE(initFinished.size(), 1);
    QCOMPARE(initFinished.first().at(1).toString(), QString());

    // The server goes away; the next call reconnects and the handshake comes first again.
    QSignalSpy states(&client, &RpcClient::stateChanged);
    server.closeConnections();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientState::Disconnected, 5000);
    client.call("work2");
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
    QVERIFY(finished.at(1).at(1).value<CallResult>().ok());
    QCOMPARE(server.connectionsAccepted, 2);
    QCOMPARE(methodsOf(server),
             (QStringList{"initialize", "initialized", "work", "initialize", "initialized", "work2"}));
    QCOMPARE(initFinished.size(), 2);
}

void tst_InitSequence::failingStepFailsTheWaitingCall_data()
{
    QTest::addColumn<QByteArray>("init");
    QTest::addColumn<bool>("replyWithError"); // else never answer initialize
    QTest::addColumn<QString>("message");
    QTest::newRow("error reply") << kHandshake << true
                                 << "handshake: init[0] initialize: error -32600: not ready";
    QTest::newRow("timeout") << QByteArray(R"([{"method":"initialize","timeoutMs":200}])") << false
                             << "handshake: init[0] initialize: timed out after 200 ms";
    QTest::newRow("template error")
        << QByteArray(
               R"([{"method":"initialize"},{"method":"initialized","params":["{{init[0].result.gone}}"]}])")
        << false
        << "handshake: init[1] initialized: init[1].params: {{init[0].result.gone}}: init[0].result has "
           "no member 'gone'";
}

void tst_InitSequence::failingStepFailsTheWaitingCall()
{
    QFETCH(QByteArray, init);
    QFETCH(bool, replyWithError);
    QFETCH(QString, message);
    FakeRpcServer server;
    QVERIFY(server.listen());
    const bool templateRow = init.contains("gone");
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        if (m.object().value("method") != "initialize")
            return server.echo(m);
        if (replyWithError)
            server.reply(m, parse(R"({"jsonrpc":"2.0","id":)" +
                                  QByteArray::number(m.object()["id"].toInteger()) +
                                  R"(,"error":{"code":-32600,"message":"not ready"}})"));
        else if (templateRow)
            server.reply(
                m, QJsonObject{{"jsonrpc", "2.0"}, {"id", m.object()["id"]}, {"result", QJsonObject()}});
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    client.setInitSequence(steps(init));
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy initFinished(&client, &RpcClient::initFinished);
    client.call("work", QJsonValue::Undefined, 5000);
    QVERIFY(finished.wait(5000));
    const auto r = finished.first().at(1).value<CallResult>();
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    QCOMPARE(r.transportError, message);
    QCOMPARE(initFinished.size(), 1);
    QCOMPARE(QStringLiteral("handshake: ") + initFinished.first().at(1).toString(), message);
    QVERIFY(!methodsOf(server).contains("work")); // never written
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientState::Disconnected, 5000);
}

void tst_InitSequence::serverRequestDuringHandshakeIsAnswered()
{
    FakeRpcServer server;
    QVERIFY(server.listen());
    FakeRpcServer::Message initialize;
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        const QJsonObject o = m.object();
        if (o.value("method") == "initialize") { // ask first, reply once answered
            initialize = m;
            server.reply(m, parse(R"({"jsonrpc":"2.0","id":"cfg","method":"workspace/configuration"})"));
        } else if (o.value("id") == "cfg") {
            server.reply(initialize,
                         QJsonObject{{"jsonrpc", "2.0"}, {"id", initialize.object()["id"]}, {"result", 1}});
        } else {
            server.echo(m);
        }
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    client.setInitSequence(steps(R"([{"method":"initialize"}])"));
    QSignalSpy finished(&client, &RpcClient::finished);
    client.call("work");
    QVERIFY(finished.wait(5000));
    QVERIFY(finished.first().at(1).value<CallResult>().ok());
    QCOMPARE(server.received.size(), 3);
    QCOMPARE(server.received.at(1).object().value("error").toObject().value("code").toInt(), -32601);
    QCOMPARE(methodsOf(server).last(), QStringLiteral("work"));
}

void tst_InitSequence::perCallClassicConnectionsHaveNoHandshake()
{
    FakeRpcServer server;
    QVERIFY(server.listen());
    server.closeAfterReply = true; // a classic server: one message per connection
    server.rawReplies = true;
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        server.reply(m, QJsonObject{{"res", "classic"}});
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::Classic);
    client.setInitSequence(steps(kHandshake));
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy initFinished(&client, &RpcClient::initFinished);
    client.call("work", QJsonArray{1});
    QVERIFY(finished.wait(5000));
    const auto r = finished.first().at(1).value<CallResult>();
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(server.received.size(), 1); // the call alone: no initialize before it
    QVERIFY(server.received.first().raw.contains("work"));
    QCOMPARE(initFinished.size(), 0);
}

QTEST_GUILESS_MAIN(tst_InitSequence)
#include "tst_initsequence.moc"
