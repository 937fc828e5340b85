// Messages the embedded server starts (RpcServer::notifyClient / requestClient) over raw
// loopback peers in every framing that can carry them: JSON stream, LSP, WebSocket and the
// MCP GET event stream over HTTP. The client's replies complete the server's requests (and are
// never answered), connections() and connectionsChanged follow connections as they come and go,
// and both directions are published on the traffic bus.

#include "DemoServerFixture.h"
#include "SocketProbe.h"

#include "dispatch/PeerLink.h"
#include "server/ListenSpec.h"
#include "server/RpcServer.h"
#include "traffic/TrafficBus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace rpcbench;

Q_DECLARE_METATYPE(rpcbench::CallStatus)

namespace {

QJsonObject parseObject(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// The server's pushes in an LSP stream: every Content-Length framed payload.
QList<QJsonObject> lspMessages(const QByteArray& stream)
{
    QList<QJsonObject> out;
    qsizetype pos = 0;
    while (true) {
        const qsizetype header = stream.indexOf("Content-Length: ", pos);
        const qsizetype body = stream.indexOf("\r\n\r\n", header);
        if (header < 0 || body < 0)
            break;
        const int length = stream.mid(header + 16, body - header - 16).trimmed().toInt();
        if (stream.size() < body + 4 + length)
            break;
        out << parseObject(stream.mid(body + 4, length));
        pos = body + 4 + length;
    }
    return out;
}

// The `data:` payloads of an SSE stream (chunk framing left in: the data lines are whole).
QList<QJsonObject> sseMessages(const QByteArray& stream)
{
    QList<QJsonObject> out;
    for (const QByteArray& line : stream.split('\n')) {
        if (line.startsWith("data: "))
            out << parseObject(line.mid(6).trimmed());
    }
    return out;
}

// The only connection the server has, once it has sniffed its framing.
quint64 onlyConnection(RpcServer& server)
{
    quint64 id = 0;
    (void)QTest::qWaitFor([&] {
        const QList<ConnectionInfo> list = server.connections();
        id = list.size() == 1 && list.first().canPush ? list.first().id : 0;
        return id != 0;
    });
    return id;
}

QList<TrafficEvent> drain(TrafficBus& bus)
{
    std::vector<TrafficEvent> events;
    bus.drainInto(events);
    return QList<TrafficEvent>(events.begin(), events.end());
}

} // namespace

class tst_ServerPush : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void notifyOneOverJsonStream();
    void notifyAll();
    void notifyOverLsp();
    void notifyOverWebSocket();
    void requestOverUnixSocket();
    void httpEventStream();
    void httpWithoutStreamCannotCarry();
    void eventStreamOutlivesKeepAliveTimeout();
    void handlerPushesThroughSessionStream();
    void peerLinkTimers();
    void requestAnswered_data();
    void requestAnswered();
    void requestTimesOut();
    void requestConnectionClosedFirst();
    void requestUnknownConnection();
    void unmatchedReplyIsDroppedNotAnswered();
    void mixedBatch();
    void connectionsAndChanges();
    void trafficEvents();

private:
    // A raw JSON-stream peer that has sent one call (so the server knows its framing).
    bool openJsonPeer(SocketProbe& probe);
    CallResult awaitResult(QSignalSpy& spy, quint64 requestId);
    std::unique_ptr<DemoServerFixture> m_fixture;
};

void tst_ServerPush::init()
{
    m_fixture = std::make_unique<DemoServerFixture>();
    QVERIFY(m_fixture->start());
}

void tst_ServerPush::cleanup()
{
    m_fixture.reset();
}

bool tst_ServerPush::openJsonPeer(SocketProbe& probe)
{
    if (!probe.connectTo(m_fixture->port()))
        return false;
    probe.send(R"({"jsonrpc":"2.0","method":"echo","params":["hi"],"id":1})"
               "\n");
    return probe.waitFor([&] { return probe.received().contains("\"hi\""); });
}

CallResult tst_ServerPush::awaitResult(QSignalSpy& spy, quint64 requestId)
{
    (void)QTest::qWaitFor([&] { return !spy.isEmpty(); }, 10000);
    for (const QList<QVariant>& args : std::as_const(spy)) {
        if (args.at(0).toULongLong() == requestId)
            return args.at(1).value<CallResult>();
    }
    return {};
}

void tst_ServerPush::notifyOneOverJsonStream()
{
    SocketProbe a;
    QVERIFY(openJsonPeer(a));
    const quint64 id = onlyConnection(*m_fixture->server);
    QVERIFY(id != 0);
    a.received().clear();
    QCOMPARE(m_fixture->server->notifyClient(id, "window/logMessage", QJsonObject{{"message", "hello"}}), 1);
    const QList<QJsonValue> lines = a.waitForJsonLines(1);
    QCOMPARE(lines.size(), 1);
    const QJsonObject n = lines.first().toObject();
    QCOMPARE(n.value("jsonrpc").toString(), QStringLiteral("2.0"));
    QCOMPARE(n.value("method").toString(), QStringLiteral("window/logMessage"));
    QCOMPARE(n.value("params").toObject().value("message").toString(), QStringLiteral("hello"));
    QVERIFY(!n.contains("id"));
}

void tst_ServerPush::notifyAll()
{
    SocketProbe a, b;
    QVERIFY(openJsonPeer(a));
    QVERIFY(openJsonPeer(b));
    SocketProbe silent; // connected, framing unknown: it cannot take a push yet
    QVERIFY(silent.connectTo(m_fixture->port()));
    QTRY_COMPARE(m_fixture->server->connections().size(), 3);
    a.received().clear();
    b.received().clear();
    QCOMPARE(m_fixture->server->notifyClient(0, "tick", QJsonArray{1}), 2);
    QCOMPARE(a.waitForJsonLines(1).value(0).toObject().value("method").toString(), QStringLiteral("tick"));
    QCOMPARE(b.waitForJsonLines(1).value(0).toObject().value("method").toString(), QStringLiteral("tick"));
    QVERIFY(silent.received().isEmpty());
    QCOMPARE(m_fixture->server->notifyClient(987654321, "tick", {}), 0);
}

void tst_ServerPush::notifyOverLsp()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_fixture->port()));
    const QByteArray call = R"({"jsonrpc":"2.0","method":"echo","params":["x"],"id":1})";
    p.send("Content-Length: " + QByteArray::number(call.size()) + "\r\n\r\n" + call);
    QTRY_COMPARE(lspMessages(p.received()).size(), 1);
    const quint64 id = onlyConnection(*m_fixture->server);
    QVERIFY(m_fixture->server->connections().first().transport == Transport::Lsp);
    QCOMPARE(m_fixture->server->notifyClient(id, "$/progress", QJsonObject{{"token", 1}}), 1);
    QTRY_COMPARE(lspMessages(p.received()).size(), 2);
    QCOMPARE(lspMessages(p.received()).at(1).value("method").toString(), QStringLiteral("$/progress"));
}

void tst_ServerPush::notifyOverWebSocket()
{
    QWebSocket ws;
    QList<QJsonObject> received;
    connect(&ws, &QWebSocket::textMessageReceived, this,
            [&](const QString& text) { received << parseObject(text.toUtf8()); });
    ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_fixture->port())));
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    const quint64 id = onlyConnection(*m_fixture->server);
    QVERIFY(id != 0);
    QVERIFY(m_fixture->server->connections().first().transport == Transport::WebSocket);
    QCOMPARE(m_fixture->server->notifyClient(id, "hello", QJsonObject{{"n", 1}}), 1);
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(received.first().value("method").toString(), QStringLiteral("hello"));

    // A request over the same socket, answered by the client as a text message.
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "workspace/configuration", QJsonArray{}, 5000);
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(1).value("id").toInteger(), qint64(rid));
    ws.sendTextMessage(QString::fromUtf8(compact({{"jsonrpc", "2.0"}, {"id", qint64(rid)}, {"result", 7}})));
    const CallResult r = awaitResult(finished, rid);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toInt(), 7);
}

// A Unix-domain listener: the push and the reply take the same stream path as TCP.
void tst_ServerPush::requestOverUnixSocket()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("push.sock");
    const auto spec = ListenSpec::parse("unix:" + path);
    QVERIFY(spec);
    RpcServer& server = *m_fixture->server;
    QVERIFY(server.start(QList<ListenSpec>{*spec}));
    QLocalSocket socket;
    QByteArray received;
    connect(&socket, &QLocalSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToServer(path);
    QTRY_VERIFY(socket.state() == QLocalSocket::ConnectedState);
    socket.write(R"({"jsonrpc":"2.0","method":"echo","params":["u"],"id":1})"
                 "\n");
    const quint64 id = onlyConnection(server);
    QVERIFY(id != 0);
    QVERIFY(server.connections().first().listener.startsWith("unix:"));
    QSignalSpy finished(&server, &RpcServer::clientRequestFinished);
    const quint64 rid = server.requestClient(id, "ask", QJsonArray{1}, 5000);
    QTRY_VERIFY(received.contains("\"ask\""));
    socket.write(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(rid) + R"(,"result":"unix"})" + "\n");
    const CallResult r = awaitResult(finished, rid);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toString(), QStringLiteral("unix"));
}

// MCP Streamable HTTP: the GET stream carries pushes and requests; the reply comes as a POST on
// another connection and gets 202 without a body.
void tst_ServerPush::httpEventStream()
{
    SocketProbe stream;
    QVERIFY(stream.connectTo(m_fixture->port()));
    stream.send("GET /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
    QVERIFY(stream.waitFor([&] { return stream.received().contains("\r\n\r\n"); }));
    QVERIFY(stream.received().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(stream.received().contains("Content-Type: text/event-stream"));
    QVERIFY(stream.received().contains("Transfer-Encoding: chunked"));
    const quint64 id = onlyConnection(*m_fixture->server);
    QVERIFY(id != 0);
    QVERIFY(m_fixture->server->connections().first().transport == Transport::Http);

    QCOMPARE(m_fixture->server->notifyClient(id, "notifications/message", QJsonObject{{"level", "info"}}), 1);
    QTRY_COMPARE(sseMessages(stream.received()).size(), 1);
    QVERIFY(stream.received().contains("event: message\n"));
    QCOMPARE(sseMessages(stream.received()).first().value("method").toString(),
             QStringLiteral("notifications/message"));

    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "sampling/createMessage", QJsonObject{}, 5000);
    QTRY_COMPARE(sseMessages(stream.received()).size(), 2);
    QCOMPARE(sseMessages(stream.received()).at(1).value("id").toInteger(), qint64(rid));

    SocketProbe post;
    QVERIFY(post.connectTo(m_fixture->port()));
    const QByteArray body = compact(
        {{"jsonrpc", "2.0"}, {"id", qint64(rid)}, {"error", QJsonObject{{"code", -1}, {"message", "no"}}}});
    post.send("POST /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: application/json, text/event-stream\r\n"
              "Content-Type: application/json\r\nContent-Length: " +
              QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(post.waitFor([&] { return post.received().contains("\r\n\r\n"); }));
    QVERIFY2(post.received().startsWith("HTTP/1.1 202"), post.received().constData());
    QVERIFY(post.received().contains("Content-Length: 0"));
    const CallResult r = awaitResult(finished, rid);
    QVERIFY(r.status == CallStatus::RpcError);
    QCOMPARE(r.error.code, -1);
    QVERIFY(r.latencyUs >= 0);
}

// The keep-alive limit closes silent connections, but an event stream is silent by nature: the
// client holds it open to hear from us.
void tst_ServerPush::eventStreamOutlivesKeepAliveTimeout()
{
    ServerLimits limits;
    limits.keepAliveTimeoutMs = 100;
    DemoServerFixture fixture(limits);
    QVERIFY(fixture.start());
    auto idle = std::make_unique<SocketProbe>();
    SocketProbe stream;
    QVERIFY(idle->connectTo(fixture.port()));
    idle->send(R"({"jsonrpc":"2.0","method":"echo","params":["x"],"id":1})"
               "\n");
    QVERIFY(stream.connectTo(fixture.port()));
    stream.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
    QVERIFY(idle->waitForClose()); // the ordinary silent connection is closed
    idle.reset();
    QTRY_COMPARE(fixture.server->connections().size(), 1);
    QTest::qWait(300); // three keep-alive limits
    QVERIFY(!stream.isClosed());
    const QList<ConnectionInfo> left = fixture.server->connections();
    QCOMPARE(left.size(), 1);
    QVERIFY(left.first().canPush);
    QCOMPARE(fixture.server->notifyClient(0, "still/here", {}), 1);
    QTRY_COMPARE(sseMessages(stream.received()).size(), 1);
}

void tst_ServerPush::httpWithoutStreamCannotCarry()
{
    SocketProbe p;
    QVERIFY(p.connectTo(m_fixture->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","method":"echo","params":["x"],"id":1})";
    p.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(p.waitFor([&] { return p.received().contains("\"x\""); }));
    QTRY_VERIFY(m_fixture->server->connections().value(0).transport == Transport::Http);
    const ConnectionInfo info = m_fixture->server->connections().first();
    QVERIFY(!info.canPush);
    QCOMPARE(m_fixture->server->notifyClient(info.id, "x", {}), 0);
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(info.id, "x", {}, 5000);
    QVERIFY(finished.isEmpty()); // never from inside the call
    const CallResult r = awaitResult(finished, rid);
    QVERIFY(r.status == CallStatus::TransportError);
    QVERIFY2(r.transportError.contains("event stream"), qPrintable(r.transportError));
}

namespace {
QByteArray post(const QByteArray& body, const QByteArray& session = {})
{
    return "POST /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: application/json, text/event-stream\r\n" +
           (session.isEmpty() ? QByteArray() : "Mcp-Session-Id: " + session + "\r\n") +
           "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}
} // namespace

// MCP: a handler called by a POST (on its own connection) messages the client through the GET
// stream of the same session; its link closes with the POST's connection.
void tst_ServerPush::handlerPushesThroughSessionStream()
{
    std::shared_ptr<PeerLink> kept;
    MethodInfo info;
    info.name = QStringLiteral("poke");
    m_fixture->registry->addSync(info, [&kept](const QJsonArray&) {
        kept = PeerLink::current();
        return RpcResult::success(kept && kept->isOpen() &&
                                  kept->notify("poked", QJsonObject{{"by", "handler"}}));
    });
    SocketProbe init;
    QVERIFY(init.connectTo(m_fixture->port()));
    init.send(post(R"({"jsonrpc":"2.0","method":"initialize","params":{},"id":1})"));
    QVERIFY(init.waitFor([&] { return init.received().contains("\r\n\r\n"); }));
    const qsizetype at = init.received().indexOf("Mcp-Session-Id: ");
    QVERIFY(at > 0);
    const QByteArray session = init.received().mid(at + 16, 32);

    SocketProbe stream;
    QVERIFY(stream.connectTo(m_fixture->port()));
    stream.send("GET /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nMcp-Session-Id: " +
                session + "\r\n\r\n");
    QVERIFY(stream.waitFor([&] { return stream.received().contains("\r\n\r\n"); }));
    QVERIFY(stream.received().startsWith("HTTP/1.1 200"));

    auto caller = std::make_unique<SocketProbe>();
    QVERIFY(caller->connectTo(m_fixture->port()));
    caller->send(post(R"({"jsonrpc":"2.0","method":"poke","id":2})", session));
    QVERIFY(caller->waitFor([&] { return caller->received().contains("\"result\""); }));
    QVERIFY2(caller->received().contains("\"result\":true"), caller->received().constData());
    QTRY_COMPARE(sseMessages(stream.received()).size(), 1);
    QCOMPARE(sseMessages(stream.received()).first().value("method").toString(), QStringLiteral("poked"));

    QVERIFY(kept);
    QCOMPARE(m_fixture->server->connections().size(), 3);
    caller.reset();
    QTRY_COMPARE(m_fixture->server->connections().size(), 2); // init's and the stream's remain
    QVERIFY(!kept->isOpen());
    QVERIFY(!kept->notify("late", {}));
    QCOMPARE(kept->every(10, [] { return true; }), quint64(0));
}

// every() ticks on the connection's thread until the tick says stop or cancel(); the connection's
// end stops it. A handle from another thread works the same.
void tst_ServerPush::peerLinkTimers()
{
    std::shared_ptr<PeerLink> kept;
    std::atomic<int> ticks{0};
    MethodInfo info;
    info.name = QStringLiteral("tick3");
    m_fixture->registry->addSync(info, [&](const QJsonArray&) {
        kept = PeerLink::current();
        kept->every(10, [&ticks, link = kept.get()] {
            link->notify("t", ticks.fetch_add(1) + 1);
            return ticks.load() < 3;
        });
        return RpcResult::success(true);
    });
    auto p = std::make_unique<SocketProbe>();
    QVERIFY(p->connectTo(m_fixture->port()));
    p->send(R"({"jsonrpc":"2.0","method":"tick3","id":1})"
            "\n");
    QTRY_COMPARE(p->received().count("\"method\":\"t\""), 3);
    QTest::qWait(60);
    QCOMPARE(ticks.load(), 3);
    QVERIFY(kept->isOpen());
    QVERIFY(kept->notify("from/test", 1)); // from another thread: posted to the connection's
    QTRY_VERIFY(p->received().contains("from/test"));

    std::atomic<int> endless{0};
    const quint64 handle = kept->every(10, [&endless] { return ++endless > 0; }); // from this thread
    QVERIFY(handle != 0);
    QTRY_VERIFY(endless.load() >= 2);
    kept->cancel(handle);
    QTest::qWait(30); // the cancel is posted: let it land
    const int stopped = endless.load();
    QTest::qWait(60);
    QCOMPARE(endless.load(), stopped);

    kept->every(10, [&endless] { return ++endless > 0; });
    QTRY_VERIFY(endless.load() > stopped);
    p.reset(); // the connection's end stops the timer
    QTRY_VERIFY(!kept->isOpen());
    QTest::qWait(30);
    const int ended = endless.load();
    QTest::qWait(60);
    QCOMPARE(endless.load(), ended);
}

void tst_ServerPush::requestAnswered_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<CallStatus>("status");
    QTest::newRow("result") << QByteArray(R"("result":{"ok":true})") << CallStatus::Ok;
    QTest::newRow("error") << QByteArray(R"("error":{"code":-32601,"message":"Method not found"})")
                           << CallStatus::RpcError;
}

void tst_ServerPush::requestAnswered()
{
    QFETCH(QByteArray, answer);
    QFETCH(CallStatus, status);
    SocketProbe p;
    QVERIFY(openJsonPeer(p));
    const quint64 id = onlyConnection(*m_fixture->server);
    p.received().clear();
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "workspace/configuration",
                                                         QJsonObject{{"items", QJsonArray{}}}, 5000);
    const QJsonObject req = p.waitForJsonLines(1).value(0).toObject();
    QCOMPARE(req.value("method").toString(), QStringLiteral("workspace/configuration"));
    QCOMPARE(req.value("id").toInteger(), qint64(rid));
    p.received().clear();
    p.send(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(rid) + "," + answer + "}\n");
    const CallResult r = awaitResult(finished, rid);
    QVERIFY(r.status == status);
    QCOMPARE(r.callId, rid);
    QCOMPARE(r.method, QStringLiteral("workspace/configuration"));
    QVERIFY(r.latencyUs >= 0);
    QVERIFY(!r.requestBytes.isEmpty());
    QVERIFY(!r.replyBytes.isEmpty());
    if (status == CallStatus::Ok)
        QVERIFY(r.result.toObject().value("ok").toBool());
    else
        QCOMPARE(r.error.code, -32601);
    // The reply was not answered: the connection still works and sent nothing more.
    p.send(R"({"jsonrpc":"2.0","method":"echo","params":["after"],"id":2})"
           "\n");
    QVERIFY(p.waitFor([&] { return p.received().contains("after"); }));
    QCOMPARE(p.received().count('\n'), 1);
}

void tst_ServerPush::requestTimesOut()
{
    SocketProbe p;
    QVERIFY(openJsonPeer(p));
    const quint64 id = onlyConnection(*m_fixture->server);
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "slow", {}, 100);
    const CallResult r = awaitResult(finished, rid);
    QVERIFY(r.status == CallStatus::Timeout);
    QVERIFY2(r.transportError.contains("100 ms"), qPrintable(r.transportError));
    // A reply after the timeout matches nothing: dropped, nothing answered, nothing emitted.
    p.received().clear();
    p.send(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(rid) + R"(,"result":1})" + "\n");
    p.send(R"({"jsonrpc":"2.0","method":"echo","params":["z"],"id":3})"
           "\n");
    QVERIFY(p.waitFor([&] { return p.received().contains("\"z\""); }));
    QCOMPARE(finished.size(), 1);
}

void tst_ServerPush::requestConnectionClosedFirst()
{
    auto p = std::make_unique<SocketProbe>();
    QVERIFY(openJsonPeer(*p));
    const quint64 id = onlyConnection(*m_fixture->server);
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "never", {}, 0);
    QVERIFY(p->waitFor([&] { return p->received().contains("never"); }));
    p.reset(); // hangs up without answering
    const CallResult r = awaitResult(finished, rid);
    QVERIFY(r.status == CallStatus::TransportError);
    QCOMPARE(r.transportError, QStringLiteral("connection closed"));
}

void tst_ServerPush::requestUnknownConnection()
{
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 a = m_fixture->server->requestClient(424242, "x", {});
    const quint64 b = m_fixture->server->requestClient(424242, "x", {});
    QVERIFY(a != b);
    const CallResult r = awaitResult(finished, a);
    QVERIFY(r.status == CallStatus::TransportError);
    QVERIFY2(r.transportError.contains("424242"), qPrintable(r.transportError));
}

void tst_ServerPush::unmatchedReplyIsDroppedNotAnswered()
{
    SocketProbe p;
    QVERIFY(openJsonPeer(p));
    p.received().clear();
    p.send(R"({"jsonrpc":"2.0","id":99999,"result":"stray"})"
           "\n"
           R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})"
           "\n"
           R"({"jsonrpc":"2.0","method":"echo","params":["next"],"id":5})"
           "\n");
    QVERIFY(p.waitFor([&] { return p.received().contains("next"); }));
    const QList<QJsonValue> lines = p.waitForJsonLines(1);
    QCOMPARE(lines.size(), 1); // only the echo was answered
    QCOMPARE(lines.first().toObject().value("id").toInt(), 5);
}

// Reply elements of a batch go to the pending requests; the request elements are answered as a
// batch of their own.
void tst_ServerPush::mixedBatch()
{
    SocketProbe p;
    QVERIFY(openJsonPeer(p));
    const quint64 id = onlyConnection(*m_fixture->server);
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    const quint64 rid = m_fixture->server->requestClient(id, "ask", {}, 5000);
    QVERIFY(p.waitFor([&] { return p.received().contains("ask"); }));
    p.received().clear();
    p.send("[" + compact({{"jsonrpc", "2.0"}, {"id", qint64(rid)}, {"result", "yes"}}) +
           R"(,{"jsonrpc":"2.0","method":"echo","params":["b"],"id":6}])"
           "\n");
    const CallResult r = awaitResult(finished, rid);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toString(), QStringLiteral("yes"));
    const QList<QJsonValue> lines = p.waitForJsonLines(1);
    QCOMPARE(lines.size(), 1);
    QVERIFY(lines.first().isArray());
    QCOMPARE(lines.first().toArray().size(), 1);
    QCOMPARE(lines.first().toArray().first().toObject().value("id").toInt(), 6);
}

void tst_ServerPush::connectionsAndChanges()
{
    RpcServer& server = *m_fixture->server;
    QSignalSpy changed(&server, &RpcServer::connectionsChanged);
    QVERIFY(server.connections().isEmpty());
    auto a = std::make_unique<SocketProbe>();
    QVERIFY(a->connectTo(m_fixture->port()));
    QTRY_VERIFY(!changed.isEmpty()); // maybe delivered already while connecting
    QCOMPARE(server.connections().size(), 1);
    ConnectionInfo info = server.connections().first();
    QVERIFY(!info.canPush); // nothing sent yet: framing unknown
    QVERIFY(info.listener.startsWith("tcp://"));
    QVERIFY(info.peer.contains("127.0.0.1"));
    QVERIFY(info.openedUs > 0);

    changed.clear();
    a->send(R"({"jsonrpc":"2.0","method":"echo","params":["hi"],"id":1})"
            "\n");
    QTRY_VERIFY(!changed.isEmpty());
    QTRY_VERIFY(server.connections().value(0).messagesOut == 1);
    info = server.connections().first();
    QVERIFY(info.canPush);
    QCOMPARE(info.messagesIn, quint64(1));

    SocketProbe b;
    QVERIFY(b.connectTo(m_fixture->port()));
    QTRY_COMPARE(server.connections().size(), 2);
    QVERIFY(server.connections().at(0).id < server.connections().at(1).id); // oldest first
    changed.clear();
    a.reset();
    QTRY_COMPARE(server.connections().size(), 1);
    QTRY_VERIFY(!changed.isEmpty());
    QVERIFY(server.connections().first().id != info.id);

    server.stop();
    QVERIFY(server.connections().isEmpty());
}

void tst_ServerPush::trafficEvents()
{
    m_fixture->bus->setEnabled(true);
    SocketProbe p;
    QVERIFY(openJsonPeer(p));
    const quint64 id = onlyConnection(*m_fixture->server);
    drain(*m_fixture->bus);
    QSignalSpy finished(m_fixture->server.get(), &RpcServer::clientRequestFinished);
    m_fixture->server->notifyClient(id, "note", {});
    const quint64 rid = m_fixture->server->requestClient(id, "ask", {}, 5000);
    QVERIFY(p.waitFor([&] { return p.received().contains("ask"); }));
    p.send(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(rid) + R"(,"result":1})" + "\n");
    QVERIFY(!awaitResult(finished, rid).replyBytes.isEmpty());
    QList<TrafficEvent> events;
    QTRY_VERIFY((events += drain(*m_fixture->bus)).size() >= 3);
    QCOMPARE(events.size(), 3);
    QVERIFY(events.at(0).side == Side::Server);
    QVERIFY(events.at(0).direction == Direction::Out);
    QVERIFY(events.at(0).summary.kind == MessageKind::Notification);
    QCOMPARE(events.at(0).summary.method, QStringLiteral("note"));
    QCOMPARE(events.at(0).connectionId, id);
    QVERIFY(events.at(1).direction == Direction::Out);
    QVERIFY(events.at(1).summary.kind == MessageKind::Request);
    QCOMPARE(events.at(1).summary.idJson, QByteArray::number(rid));
    QVERIFY(events.at(2).direction == Direction::In);
    QVERIFY(events.at(2).summary.kind == MessageKind::Response);
    QCOMPARE(events.at(2).summary.idJson, QByteArray::number(rid));
    QVERIFY(events.at(2).raw.contains("\"result\":1"));
}

QTEST_GUILESS_MAIN(tst_ServerPush)
#include "tst_serverpush.moc"
