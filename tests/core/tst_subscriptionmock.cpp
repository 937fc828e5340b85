// Mock subscriptions (user methods with the "subscribe" and "unsubscribe" handler kinds) served
// by a real RpcServer to raw loopback peers: events arrive at the interval with the id the
// subscribe call returned and a 1-based sequence, stop at maxEvents, at unsubscribe (from the
// same or another connection) and with the connection; their settings round-trip as JSON.

#include "ServeProcess.h"
#include "SocketProbe.h"

#include "dispatch/MethodRegistry.h"
#include "dispatch/PeerLink.h"
#include "mock/Subscriptions.h"
#include "mock/UserMethod.h"
#include "server/RpcServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace rpcbench;

namespace {

UserMethod method(const QJsonObject& json)
{
    QString error;
    const std::optional<UserMethod> m = UserMethod::fromJson(json, &error);
    if (!m)
        qFatal("bad test method: %s", qPrintable(error));
    return *m;
}

QJsonObject subscribeJson(int maxEvents)
{
    return QJsonObject{
        {"name", "eth_subscribe"},
        {"params", QJsonArray{QJsonObject{{"name", "kind"}, {"type", "string"}}}},
        {"handler", QJsonObject{{"kind", "subscribe"},
                                {"notification", "eth_subscription"},
                                {"intervalMs", 50},
                                {"maxEvents", maxEvents},
                                {"params", QJsonObject{{"subscription", "{{subscription}}"},
                                                       {"result", QJsonObject{{"number", "{{n}}"},
                                                                              {"label", "block {{n}}"},
                                                                              {"time", "{{time}}"}}}}}}}};
}

// The notifications among the lines a peer received.
QList<QJsonObject> events(SocketProbe& probe, const QString& id = {})
{
    QList<QJsonObject> out;
    for (const QByteArray& line : probe.received().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value("method").toString() != u"eth_subscription")
            continue;
        if (id.isEmpty() || o.value("params").toObject().value("subscription").toString() == id)
            out << o;
    }
    return out;
}

// The result of the reply with `id` among the lines a peer received (Undefined until it came).
QJsonValue resultOf(SocketProbe& probe, int id)
{
    for (const QByteArray& line : probe.received().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.contains("id") && o.value("id").toInt() == id && !o.contains("method"))
            return o.contains("result") ? o.value("result") : QJsonValue(o.value("error"));
    }
    return QJsonValue::Undefined;
}

QByteArray call(const QString& method, const QJsonValue& params, int id)
{
    return QJsonDocument(QJsonObject{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", id}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

} // namespace

class tst_SubscriptionMock : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void eventsUntilUnsubscribe();
    void maxEventsHonoured();
    void unsubscribeFromAnotherConnection();
    void endsWithTheConnection();
    void unsubscribeUnknownId();
    void needsAConnection();
    void httpNeedsAnEventStream();
    void overMcpEventStream();
    void templateFilling();
    void jsonRoundTrip();
    void strictReader_data();
    void strictReader();
    void servesTheEthExample();
    void overStdio();

private:
    QString subscribe(SocketProbe& probe, int callId);
    std::shared_ptr<MethodRegistry> m_registry;
    std::unique_ptr<RpcServer> m_server;
};

void tst_SubscriptionMock::init()
{
    m_registry = std::make_shared<MethodRegistry>();
    method(subscribeJson(0)).registerInto(*m_registry, nullptr);
    UserMethod limited = method(subscribeJson(3));
    limited.name = QStringLiteral("eth_subscribe3");
    limited.registerInto(*m_registry, nullptr);
    method(QJsonObject{{"name", "eth_unsubscribe"},
                       {"params", QJsonArray{QJsonObject{{"name", "id"}, {"type", "string"}}}},
                       {"handler", QJsonObject{{"kind", "unsubscribe"}}}})
        .registerInto(*m_registry, nullptr);
    m_server = std::make_unique<RpcServer>(m_registry, std::make_shared<TrafficBus>());
    QVERIFY(m_server->start(QHostAddress::LocalHost, 0));
}

void tst_SubscriptionMock::cleanup()
{
    m_server.reset();
    QTRY_COMPARE(Subscriptions::instance().activeCount(), 0);
}

QString tst_SubscriptionMock::subscribe(SocketProbe& probe, int callId)
{
    probe.send(call(callId == 1 ? "eth_subscribe" : "eth_subscribe3", QJsonArray{"newHeads"}, callId));
    (void)probe.waitFor([&] { return !resultOf(probe, callId).isUndefined(); });
    return resultOf(probe, callId).toString();
}

void tst_SubscriptionMock::eventsUntilUnsubscribe()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_server->port()));
    const QString id = subscribe(p, 1);
    QVERIFY2(id.startsWith("0x") && id.size() == 34, qPrintable(id));
    QTRY_VERIFY_WITH_TIMEOUT(events(p, id).size() >= 4, 5000);
    const QList<QJsonObject> got = events(p, id);
    for (int i = 0; i < got.size(); ++i) {
        const QJsonObject result = got.at(i).value("params").toObject().value("result").toObject();
        QCOMPARE(result.value("number").toInteger(), i + 1); // an integer: the whole string was "{{n}}"
        QCOMPARE(result.value("label").toString(), QStringLiteral("block %1").arg(i + 1));
        QVERIFY(result.value("time").toInteger() > 1'600'000'000'000);
        QVERIFY(!got.at(i).contains("id"));
    }
    p.send(call("eth_unsubscribe", QJsonArray{id}, 2));
    QTRY_COMPARE(resultOf(p, 2), QJsonValue(true));
    const qsizetype after = events(p, id).size();
    QTest::qWait(250); // five intervals: nothing more may come
    QCOMPARE(events(p, id).size(), after);
    // Ended: a second unsubscribe finds nothing.
    p.send(call("eth_unsubscribe", QJsonObject{{"id", id}}, 3));
    QTRY_COMPARE(resultOf(p, 3), QJsonValue(false));
}

void tst_SubscriptionMock::maxEventsHonoured()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_server->port()));
    const QString id = subscribe(p, 7);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(events(p, id).size(), 3, 5000);
    QTest::qWait(250);
    QCOMPARE(events(p, id).size(), 3);
    QCOMPARE(
        events(p, id).last().value("params").toObject().value("result").toObject().value("number").toInt(),
        3);
    p.send(call("eth_unsubscribe", QJsonArray{id}, 8));
    QTRY_COMPARE(resultOf(p, 8), QJsonValue(false)); // it ended by itself
}

void tst_SubscriptionMock::unsubscribeFromAnotherConnection()
{
    SocketProbe p, q;
    QVERIFY(p.connectTo(m_server->port()));
    QVERIFY(q.connectTo(m_server->port()));
    const QString id = subscribe(p, 1);
    QTRY_VERIFY(!events(p, id).isEmpty());
    q.send(call("eth_unsubscribe", QJsonArray{id}, 2));
    QTRY_COMPARE(resultOf(q, 2), QJsonValue(true));
    const qsizetype after = events(p, id).size();
    QTest::qWait(250);
    QCOMPARE(events(p, id).size(), after);
    QVERIFY(events(q).isEmpty()); // the events never went to the other connection
}

void tst_SubscriptionMock::endsWithTheConnection()
{
    auto p = std::make_unique<SocketProbe>();
    QVERIFY(p->connectTo(m_server->port()));
    const QString id = subscribe(*p, 1);
    QTRY_VERIFY(!events(*p, id).isEmpty());
    QCOMPARE(Subscriptions::instance().activeCount(), 1);
    p.reset();
    QTRY_COMPARE(Subscriptions::instance().activeCount(), 0);
    QTRY_VERIFY(m_server->connections().isEmpty());
    SocketProbe q;
    QVERIFY(q.connectTo(m_server->port()));
    q.send(call("eth_unsubscribe", QJsonArray{id}, 2));
    QTRY_COMPARE(resultOf(q, 2), QJsonValue(false));
}

void tst_SubscriptionMock::unsubscribeUnknownId()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_server->port()));
    p.send(call("eth_unsubscribe", QJsonArray{"0x1234"}, 1));
    QTRY_COMPARE(resultOf(p, 1), QJsonValue(false));
}

// A subscribe handler run outside any connection (no PeerLink) answers an error that says why.
void tst_SubscriptionMock::needsAConnection()
{
    const RpcResult r = Subscriptions::instance().subscribe(SubscribeSettings{});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.message.contains("connection"), qPrintable(r.error.message));
}

// Over HTTP the events can only go out on an event stream: without one the call says so.
void tst_SubscriptionMock::httpNeedsAnEventStream()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_server->port()));
    const QByteArray body = call("eth_subscribe", QJsonArray{"newHeads"}, 1).trimmed();
    p.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(p.waitFor([&] { return p.received().contains("\"id\":1"); }));
    QVERIFY2(p.received().contains("-32000") && p.received().contains("event stream"),
             p.received().constData());
    QCOMPARE(Subscriptions::instance().activeCount(), 0);
}

namespace {
QByteArray mcpPost(const QByteArray& body, const QByteArray& session = {})
{
    return "POST /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: application/json, text/event-stream\r\n" +
           (session.isEmpty() ? QByteArray() : "Mcp-Session-Id: " + session + "\r\n") +
           "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}
} // namespace

// MCP Streamable HTTP: subscribe by POST in a session whose GET event stream is open; the
// events arrive on the stream.
void tst_SubscriptionMock::overMcpEventStream()
{
    SocketProbe calls, stream;
    QVERIFY(calls.connectTo(m_server->port()));
    calls.send(mcpPost(R"({"jsonrpc":"2.0","method":"initialize","params":{},"id":1})"));
    QVERIFY(calls.waitFor([&] { return calls.received().contains("\"id\":1"); }));
    const qsizetype at = calls.received().indexOf("Mcp-Session-Id: ");
    QVERIFY(at > 0);
    const QByteArray session = calls.received().mid(at + 16, 32);
    QVERIFY(stream.connectTo(m_server->port()));
    stream.send("GET /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nMcp-Session-Id: " +
                session + "\r\n\r\n");
    QVERIFY(stream.waitFor([&] { return stream.received().contains("\r\n\r\n"); }));
    calls.received().clear();
    calls.send(mcpPost(call("eth_subscribe", QJsonArray{"newHeads"}, 2).trimmed(), session));
    QVERIFY(calls.waitFor([&] { return calls.received().contains("\"id\":2"); }));
    const qsizetype idAt = calls.received().indexOf("\"result\":\"0x");
    QVERIFY2(idAt > 0, calls.received().constData());
    const QString id = QString::fromLatin1(calls.received().mid(idAt + 10, 34));
    QTRY_VERIFY_WITH_TIMEOUT(stream.received().count(id.toLatin1()) >= 2, 5000);
    QVERIFY(stream.received().contains("event: message"));
    calls.received().clear();
    calls.send(mcpPost(call("eth_unsubscribe", QJsonArray{id}, 3).trimmed(), session));
    QVERIFY(calls.waitFor([&] { return calls.received().contains("\"id\":3"); }));
    QVERIFY(calls.received().contains("\"result\":true"));
}

void tst_SubscriptionMock::templateFilling()
{
    const QJsonValue filled = Subscriptions::fill(Subscriptions::defaultTemplate(), "0xab", 4, 99);
    QCOMPARE(filled, QJsonValue(QJsonObject{{"subscription", "0xab"}, {"result", QJsonObject{{"n", 4}}}}));
    QCOMPARE(Subscriptions::fill(QJsonArray{"{{time}}", "t={{time}}", 5, "{{subscription}}!"}, "s", 1, 42),
             QJsonValue(QJsonArray{42, "t=42", 5, "s!"}));
}

void tst_SubscriptionMock::jsonRoundTrip()
{
    const UserMethod sub = method(subscribeJson(5));
    QVERIFY(sub.kind == UserHandlerKind::Subscribe);
    QCOMPARE(sub.subscription.intervalMs, 50);
    QCOMPARE(sub.subscription.maxEvents, 5);
    QCOMPARE(method(sub.toJson()), sub);
    UserMethod other = sub;
    other.subscription.intervalMs = 51;
    QVERIFY(!(other == sub));

    const UserMethod defaults =
        method(QJsonObject{{"name", "s"}, {"handler", QJsonObject{{"kind", "subscribe"}}}});
    QCOMPARE(defaults.subscription.notification, QStringLiteral("eth_subscription"));
    QCOMPARE(defaults.subscription.intervalMs, 1000);
    QVERIFY(defaults.subscription.params.isUndefined());
    QVERIFY(!defaults.toJson().value("handler").toObject().contains("params"));
    QCOMPARE(method(defaults.toJson()), defaults);

    const UserMethod unsub =
        method(QJsonObject{{"name", "u"}, {"handler", QJsonObject{{"kind", "unsubscribe"}}}});
    QVERIFY(unsub.kind == UserHandlerKind::Unsubscribe);
    QCOMPARE(toString(unsub.kind), QStringLiteral("unsubscribe"));
    QCOMPARE(method(unsub.toJson()), unsub);
}

void tst_SubscriptionMock::strictReader_data()
{
    QTest::addColumn<QJsonObject>("handler");
    QTest::addColumn<QString>("error");
    QTest::newRow("interval 0") << QJsonObject{{"kind", "subscribe"}, {"intervalMs", 0}} << "intervalMs";
    QTest::newRow("interval text") << QJsonObject{{"kind", "subscribe"}, {"intervalMs", "fast"}}
                                   << "intervalMs";
    QTest::newRow("negative max") << QJsonObject{{"kind", "subscribe"}, {"maxEvents", -1}} << "maxEvents";
    QTest::newRow("empty notification")
        << QJsonObject{{"kind", "subscribe"}, {"notification", ""}} << "notification";
    QTest::newRow("notification number")
        << QJsonObject{{"kind", "subscribe"}, {"notification", 3}} << "notification";
    QTest::newRow("unknown key") << QJsonObject{{"kind", "subscribe"}, {"interval", 5}} << "interval";
    QTest::newRow("unsubscribe extra") << QJsonObject{{"kind", "unsubscribe"}, {"value", 1}} << "value";
    QTest::newRow("unknown kind") << QJsonObject{{"kind", "stream"}} << "subscribe or unsubscribe";
}

void tst_SubscriptionMock::strictReader()
{
    QFETCH(QJsonObject, handler);
    QFETCH(QString, error);
    QString problem;
    QVERIFY(!UserMethod::fromJson(QJsonObject{{"name", "m"}, {"handler", handler}}, &problem));
    QVERIFY2(problem.startsWith("handler: ") && problem.contains(error), qPrintable(problem));
}

// `rpcbench serve --workspace resources/examples/eth-subscribe.rpcbench.json`: the example loads
// and its subscription sends one block a second until eth_unsubscribe.
void tst_SubscriptionMock::servesTheEthExample()
{
    ServeProcess serve;
    QVERIFY(serve.start({"--workspace", RPCBENCH_SOURCE_DIR "/resources/examples/eth-subscribe.rpcbench.json",
                         "--log", "none"}));
    SocketProbe p;
    QVERIFY(p.connectTo(serve.port()));
    p.send(call("eth_blockNumber", QJsonArray{}, 1) + call("eth_subscribe", QJsonArray{"newHeads"}, 2));
    QTRY_COMPARE(resultOf(p, 1), QJsonValue("0x10d4f"));
    QTRY_VERIFY(resultOf(p, 2).isString());
    const QString id = resultOf(p, 2).toString();
    QTRY_VERIFY_WITH_TIMEOUT(events(p, id).size() >= 2, 5000);
    const QJsonObject block = events(p, id).at(1).value("params").toObject().value("result").toObject();
    QCOMPARE(block.value("number").toInt(), 2);
    QCOMPARE(block.value("hash").toString(), QStringLiteral("0xmock-block-2"));
    p.send(call("eth_unsubscribe", QJsonArray{id}, 3));
    QTRY_COMPARE(resultOf(p, 3), QJsonValue(true));
}

// `serve --stdio`: the events go out on standard output between the replies.
void tst_SubscriptionMock::overStdio()
{
    QProcess serve;
    serve.start(RPCBENCH_BIN, {"serve", "--stdio", "--log", "none", "--workspace",
                               RPCBENCH_SOURCE_DIR "/resources/examples/eth-subscribe.rpcbench.json"});
    QVERIFY(serve.waitForStarted());
    QByteArray out;
    connect(&serve, &QProcess::readyReadStandardOutput, this, [&] { out += serve.readAllStandardOutput(); });
    serve.write(call("eth_subscribe", QJsonArray{"newHeads"}, 1));
    QTRY_VERIFY_WITH_TIMEOUT(out.count("eth_subscription") >= 1, 5000);
    const QJsonObject first = QJsonDocument::fromJson(out.split('\n').value(1)).object();
    QCOMPARE(first.value("method").toString(), QStringLiteral("eth_subscription"));
    QCOMPARE(first.value("params").toObject().value("result").toObject().value("number").toInt(), 1);
    serve.closeWriteChannel(); // end of input ends the server
    QVERIFY(serve.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(tst_SubscriptionMock)
#include "tst_subscriptionmock.moc"
