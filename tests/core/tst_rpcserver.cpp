// Integration tests of RpcServer over real loopback sockets: framings, dialects,
// pipelining, async interleaving, limits, traffic events and lifecycle.

#include "DemoServerFixture.h"
#include "FrameCollector.h"
#include "SocketProbe.h"

#include "traffic/TrafficEvent.h"
#include "wire/LspFramer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace rpcbench;

namespace {

// After a limit or fault hit one peer, the server must still serve a fresh one.
bool servesNewPeer(quint16 port)
{
    SocketProbe peer;
    if (!peer.connectTo(port))
        return false;
    peer.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})");
    return peer.waitForJsonLines(1).value(0).toObject().value("result").toInt() == 6;
}

} // namespace

class TestRpcServer : public QObject
{
    Q_OBJECT

private slots:
    void startsOnFreePortAndRestartsOnSamePort();
    void portInUseGivesClearError();
    void jsonStreamFramings_data();
    void jsonStreamFramings();
    void lspFraming();
    void classicWithoutDelimiterKeepsConnectionOpen();
    void jsonRpc1Reply();
    void pipelinedRequestsAllAnswered();
    void asyncCallsDoNotBlockOthers();
    void bigIntegerRoundTrips();
    void messageTooLargeGetsErrorThenClose();
    void halfMessageTimesOut();
    void silentConnectionsAreClosed_data();
    void silentConnectionsAreClosed();
    void busyConnectionsOutliveKeepAlive();
    void connectionLimitRefusesWithError();
    void garbageGetsParseErrorAndStreamStaysUsable();
    void syntaxErrorAnsweredAtOnceAndStreamStaysUsable();
    void trafficEventsPublished();
    void stopWithCallsInFlight();
    void abruptDisconnectDuringAsyncCall();
};

void TestRpcServer::startsOnFreePortAndRestartsOnSamePort()
{
    DemoServerFixture f;
    QSignalSpy started(f.server.get(), &RpcServer::started);
    QSignalSpy stopped(f.server.get(), &RpcServer::stopped);
    QVERIFY2(f.start(), qPrintable(f.server->errorString()));
    QVERIFY(f.port() != 0);
    QCOMPARE(started.count(), 1);
    const quint16 port = f.port();
    f.server->stop();
    QCOMPARE(stopped.count(), 1);
    QVERIFY(!f.server->isListening());
    QVERIFY2(f.server->start(QHostAddress::LocalHost, port), qPrintable(f.server->errorString()));
    QCOMPARE(f.port(), port);
    SocketProbe probe;
    QVERIFY(probe.connectTo(port));
    probe.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})"
               "\n");
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].toObject().value("result").toDouble(), 13.0);
}

void TestRpcServer::portInUseGivesClearError()
{
    DemoServerFixture a;
    QVERIFY(a.start());
    DemoServerFixture b;
    QVERIFY(!b.server->start(QHostAddress::LocalHost, a.port()));
    QVERIFY(!b.server->isListening());
    QVERIFY2(b.server->errorString().contains(QString::number(a.port())),
             qPrintable(b.server->errorString()));
    QVERIFY2(b.server->errorString().contains("in use", Qt::CaseInsensitive),
             qPrintable(b.server->errorString()));
}

void TestRpcServer::jsonStreamFramings_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<int>("expectedReplies");
    const QByteArray a = R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})";
    const QByteArray b = R"({"jsonrpc":"2.0","method":"echo","params":{"value":"}{\"]["},"id":"b"})";
    QTest::newRow("newline") << (a + "\n" + b + "\n") << 1 << 2;
    QTest::newRow("crlf") << (a + "\r\n" + b + "\r\n") << 1 << 2;
    QTest::newRow("no delimiter") << (a + b) << 1 << 2;
    QTest::newRow("whitespace before") << ("  \n\t" + a) << 1 << 1;
    QTest::newRow("one piece") << (a + "\n" + b) << 4096 << 2;
    QTest::newRow("7-byte chunks") << (a + b + a) << 7 << 3;
}

void TestRpcServer::jsonStreamFramings()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, chunk);
    QFETCH(int, expectedReplies);
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.sendInChunks(bytes, chunk);
    const auto replies = probe.waitForJsonLines(expectedReplies);
    QCOMPARE(replies.size(), expectedReplies);
    QCOMPARE(replies[0].toObject().value("result").toDouble(), 6.0);
    if (expectedReplies > 1 && replies[1].toObject().value("id") == "b")
        QCOMPARE(replies[1].toObject().value("result").toString(), QString("}{\"]["));
    // Replies are compact JSON, one per line.
    QVERIFY(!probe.received().contains(": "));
}

void TestRpcServer::lspFraming()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    const QByteArray body =
        R"({"jsonrpc":"2.0","method":"subtract","params":{"minuend":42,"subtrahend":23},"id":3})";
    probe.sendInChunks(LspFramer::frame(body) + LspFramer::frame(body), 5);
    QVERIFY(probe.waitFor(
        [&] { return probe.received().count("Content-Length:") == 2 && probe.received().endsWith('}'); }));
    LspFramer framer;
    test::FrameCollector frames;
    QVERIFY(framer.feed(probe.received(), frames));
    const QList<QByteArray>& messages = frames.payloads;
    QCOMPARE(messages.size(), 2);
    const QJsonObject reply = QJsonDocument::fromJson(messages[0]).object();
    QCOMPARE(reply.value("result").toInt(), 19);
    QCOMPARE(reply.value("id").toInt(), 3);
}

void TestRpcServer::classicWithoutDelimiterKeepsConnectionOpen()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"method_name": "add", "method_args": [1, 2], "method_kwargs": {"c": 3}})");
    auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].toObject(), QJsonObject({{"res", 6}}));
    probe.send(R"({"method_name": "add", "method_args": [1], "method_kwargs": {}})");
    replies = probe.waitForJsonLines(2);
    QCOMPARE(replies.size(), 2);
    QVERIFY(replies[1].toObject().contains("error"));
    QVERIFY(replies[1].toObject().value("error").toObject().value("message").toString().contains("'b'"));
    QVERIFY(!probe.isClosed());
}

void TestRpcServer::jsonRpc1Reply()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"method":"echo","params":["hi"],"id":7})"
               "\n");
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    const QJsonObject r = replies[0].toObject();
    QCOMPARE(r.value("result").toString(), QString("hi"));
    QVERIFY(r.contains("error") && r.value("error").isNull());
    QCOMPARE(r.value("id").toInt(), 7);
    QVERIFY(!r.contains("jsonrpc"));
}

void TestRpcServer::pipelinedRequestsAllAnswered()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    const int n = 2000;
    QByteArray bytes;
    for (int i = 0; i < n; ++i)
        bytes += QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[)") + QByteArray::number(i) +
                 R"(,0,0],"id":)" + QByteArray::number(i) + "}\n";
    probe.send(bytes);
    const auto replies = probe.waitForJsonLines(n, 15000);
    QCOMPARE(replies.size(), n);
    QSet<int> ids;
    for (const QJsonValue& r : replies) {
        const QJsonObject o = r.toObject();
        QCOMPARE(o.value("result").toInt(), o.value("id").toInt());
        ids.insert(o.value("id").toInt());
    }
    QCOMPARE(ids.size(), n);
}

void TestRpcServer::asyncCallsDoNotBlockOthers()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe slow, other;
    QVERIFY(slow.connectTo(f.port()));
    QVERIFY(other.connectTo(f.port()));
    slow.send(R"({"jsonrpc":"2.0","method":"sleep","params":[400],"id":"slow"})"
              "\n"
              R"({"jsonrpc":"2.0","method":"add","params":[1,1],"id":"fast"})"
              "\n");
    other.send(R"({"jsonrpc":"2.0","method":"add","params":[2,2],"id":"other"})"
               "\n");
    // The other connection and the later call on the same connection answer first.
    auto otherReplies = other.waitForJsonLines(1);
    QCOMPARE(otherReplies.size(), 1);
    auto slowReplies = slow.waitForJsonLines(1);
    QCOMPARE(slowReplies.size(), 1);
    QCOMPARE(slowReplies[0].toObject().value("id").toString(), QString("fast"));
    slowReplies = slow.waitForJsonLines(2);
    QCOMPARE(slowReplies.size(), 2);
    QCOMPARE(slowReplies[1].toObject().value("id").toString(), QString("slow"));
    QCOMPARE(slowReplies[1].toObject().value("result").toInt(), 400);
}

void TestRpcServer::bigIntegerRoundTrips()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"jsonrpc":"2.0","method":"echo","params":[9007199254740993],"id":9007199254740995})"
               "\n");
    QVERIFY(probe.waitFor([&] { return probe.received().endsWith('\n'); }));
    QVERIFY2(probe.received().contains(R"("result":9007199254740993)"), probe.received().constData());
    QVERIFY2(probe.received().contains(R"("id":9007199254740995)"), probe.received().constData());
}

void TestRpcServer::messageTooLargeGetsErrorThenClose()
{
    ServerLimits limits;
    limits.maxMessageBytes = 4096;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send("[" + QByteArray(64 * 1024, '['));
    QVERIFY(probe.waitForClose());
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].toObject().value("error").toObject().value("code").toInt(),
             ErrorCode::MessageTooLarge);
    QVERIFY(servesNewPeer(f.port()));
}

void TestRpcServer::halfMessageTimesOut()
{
    ServerLimits limits;
    limits.idleTimeoutMs = 200;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"jsonrpc":"2.0","meth)");
    QVERIFY(probe.waitForClose(5000));
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.value(0).toObject().value("error").toObject().value("code").toInt(),
             ErrorCode::ServerError);
    // An idle connection with nothing half-received stays open.
    SocketProbe idle;
    QVERIFY(idle.connectTo(f.port()));
    idle.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})"
              "\n");
    QCOMPARE(idle.waitForJsonLines(1).size(), 1);
    QTest::qWait(400); // longer than the idle limit: the connection must survive it
    QVERIFY(!idle.isClosed());
}

void TestRpcServer::silentConnectionsAreClosed_data()
{
    QTest::addColumn<QByteArray>("firstBytes"); // sent right after connecting; empty = nothing
    QTest::addColumn<int>("expectedReplies");
    QTest::newRow("never speaks") << QByteArray() << 0;
    QTest::newRow("after a JSON stream call")
        << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})"
                      "\n")
        << 1;
    QTest::newRow("HTTP keep-alive after a call")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 44\r\n\r\n"
                      R"({"jsonrpc":"2.0","method":"echo","id":1})"
                      "    ")
        << 0; // an HTTP reply, not a JSON line; checked through the bytes below
}

// A peer that connects and never speaks (or stops speaking) must not hold a connection
// slot forever: after keepAliveTimeoutMs of silence the server closes it.
void TestRpcServer::silentConnectionsAreClosed()
{
    QFETCH(QByteArray, firstBytes);
    QFETCH(int, expectedReplies);
    ServerLimits limits;
    limits.keepAliveTimeoutMs = 300;
    limits.maxConnections = 1;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    if (!firstBytes.isEmpty())
        probe.send(firstBytes);
    if (expectedReplies > 0)
        QCOMPARE(probe.waitForJsonLines(expectedReplies).size(), expectedReplies);
    QVERIFY(probe.waitForClose(10000));
    if (firstBytes.startsWith("POST"))
        QVERIFY(probe.received().startsWith("HTTP/1.1 200"));
    else if (firstBytes.isEmpty())
        QVERIFY(probe.received().isEmpty()); // closed quietly, not with an error
    // The slot is free again: a new peer is served instead of refused.
    QTRY_COMPARE(f.server->stats().openConnections, 0);
    QCOMPARE(f.server->stats().idleClosedConnections, quint64(1));
    QVERIFY(servesNewPeer(f.port()));
}

// A call that takes longer than the keep-alive limit is not "silence".
void TestRpcServer::busyConnectionsOutliveKeepAlive()
{
    ServerLimits limits;
    limits.keepAliveTimeoutMs = 100;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"jsonrpc":"2.0","method":"sleep","params":[600],"id":1})");
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.value(0).toObject().value("result").toInt(), 600);
    QVERIFY(probe.waitForClose(10000)); // and once it is answered, silence closes it
}

void TestRpcServer::connectionLimitRefusesWithError()
{
    ServerLimits limits;
    limits.maxConnections = 2;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe a, b, c;
    QVERIFY(a.connectTo(f.port()));
    QVERIFY(b.connectTo(f.port()));
    QTRY_COMPARE(f.server->stats().openConnections, 2);
    QVERIFY(c.connectTo(f.port()));
    QVERIFY(c.waitForClose());
    QCOMPARE(c.waitForJsonLines(1).value(0).toObject().value("error").toObject().value("code").toInt(),
             ErrorCode::Overloaded);
    QCOMPARE(f.server->stats().rejectedConnections, quint64(1));
    a.socket().disconnectFromHost();
    QTRY_COMPARE(f.server->stats().openConnections, 1);
    QVERIFY(servesNewPeer(f.port()));
}

void TestRpcServer::garbageGetsParseErrorAndStreamStaysUsable()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"params\": \"bar\", \"baz]\n");
    // The unterminated string swallows the rest; send a closing to finish it, then a good call.
    probe.send("\"}\n{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2,3],\"id\":5}\n");
    const auto replies = probe.waitForJsonLines(2);
    QCOMPARE(replies.size(), 2);
    QVERIFY(replies[0].toObject().contains("error"));
    QCOMPARE(replies[1].toObject().value("result").toInt(), 6);
}

void TestRpcServer::trafficEventsPublished()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":42})"
               "\n");
    QCOMPARE(probe.waitForJsonLines(1).size(), 1);
    std::vector<TrafficEvent> events;
    // Collect until both events arrived (they may be drained in two goes).
    QTRY_VERIFY([&] {
        auto more = f.bus->drain();
        events.insert(events.end(), more.begin(), more.end());
        return events.size() >= 2;
    }());
    QVERIFY(events[0].direction == Direction::In);
    QVERIFY(events[0].summary.kind == MessageKind::Request);
    QCOMPARE(events[0].summary.method, QString("add"));
    QCOMPARE(events[0].summary.idJson, QByteArray("42"));
    QVERIFY(events[0].side == Side::Server);
    QVERIFY(events[0].peer.startsWith("127.0.0.1:"));
    QVERIFY(events[1].direction == Direction::Out);
    QVERIFY(events[1].summary.kind == MessageKind::Response);
    QCOMPARE(events[1].summary.idJson, QByteArray("42"));
    QVERIFY(events[1].latencyUs >= 0);
    QCOMPARE(events[1].connectionId, events[0].connectionId);
    QVERIFY(events[1].timestampUs >= events[0].timestampUs);
}

void TestRpcServer::stopWithCallsInFlight()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    const quint16 port = f.port();
    SocketProbe probe;
    QVERIFY(probe.connectTo(port));
    for (int i = 0; i < 50; ++i)
        probe.send(R"({"jsonrpc":"2.0","method":"sleep","params":[100],"id":1})"
                   "\n");
    QTRY_VERIFY(f.server->stats().messagesIn >= 50);
    f.server->stop();
    QVERIFY(probe.waitForClose());
    QVERIFY2(f.server->start(QHostAddress::LocalHost, port), qPrintable(f.server->errorString()));
    QTest::qWait(250); // the abandoned sleeps' timers would fire now: they must not crash
    QVERIFY(servesNewPeer(port));
}

void TestRpcServer::abruptDisconnectDuringAsyncCall()
{
    DemoServerFixture f;
    QVERIFY(f.start());
    {
        SocketProbe probe;
        QVERIFY(probe.connectTo(f.port()));
        probe.send(R"({"jsonrpc":"2.0","method":"sleep","params":[150],"id":1})"
                   "\n");
        QTRY_VERIFY(f.server->stats().messagesIn >= 1);
        probe.socket().abort();
    }
    QTRY_COMPARE(f.server->stats().openConnections, 0);
    QTest::qWait(300); // let the orphaned sleep finish: its reply must be dropped safely
    QVERIFY(servesNewPeer(f.port()));
}

// Over a raw JSON stream the framer answers a message at the byte where it stops being JSON:
// the specification's invalid batch on one line (its last `]` closes a `{`) gets -32700 at
// once, not when the idle timeout (set far beyond the wait here) gives up on it, and the
// connection serves the next call with no other reply in between.
void TestRpcServer::syntaxErrorAnsweredAtOnceAndStreamStaysUsable()
{
    ServerLimits limits;
    limits.idleTimeoutMs = 60'000;
    DemoServerFixture f(limits);
    QVERIFY(f.start());
    SocketProbe probe;
    QVERIFY(probe.connectTo(f.port()));
    probe.send(R"([{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"])"
               "\n");
    QList<QJsonValue> replies = probe.waitForJsonLines(1, 5000);
    QCOMPARE(replies.size(), 1);
    const QJsonObject parseError = replies[0].toObject();
    QCOMPARE(parseError.value("error").toObject().value("code").toInt(), ErrorCode::ParseError);
    QVERIFY(parseError.value("id").isNull());
    probe.send(R"({"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":2})"
               "\n");
    replies = probe.waitForJsonLines(2, 5000);
    QCOMPARE(replies.size(), 2);
    QCOMPARE(replies[1].toObject().value("result").toInt(), 7);
    QCOMPARE(replies[1].toObject().value("id").toInt(), 2);
    QVERIFY(!probe.isClosed());
}

QTEST_GUILESS_MAIN(TestRpcServer)
#include "tst_rpcserver.moc"
