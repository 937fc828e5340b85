// MCP Streamable HTTP on the client side: a POST answered with an event stream (messages
// before the reply, chunked), the Mcp-Session-Id kept and sent back, the GET event stream of
// --sse (events delivered, 405 reported and harmless) and the DELETE ending the session —
// against a raw scripted server, then against the real @modelcontextprotocol/server-everything.

#include "Peers.h"
#include "RawHttpServer.h"
#include "client/ClientConnection.h"
#include "client/RpcClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {
CallResult callAndWait(RpcClient& client, const QString& method,
                       const QJsonValue& params = QJsonValue::Undefined, bool notification = false)
{
    CallRequest request{method, params};
    request.notification = notification;
    request.timeoutMs = 15000;
    QSignalSpy spy(&client, &RpcClient::finished);
    client.call(request);
    if (!spy.wait(20000))
        return {};
    return spy.first().at(1).value<CallResult>();
}

QByteArray sseEvent(const QByteArray& json, const QByteArray& type = {})
{
    return (type.isEmpty() ? QByteArray() : "event: " + type + "\n") + "data: " + json + "\n\n";
}
} // namespace

class tst_StreamableHttp : public QObject
{
    Q_OBJECT
private slots:
    void replyInEventStream_data();
    void replyInEventStream();
    void sessionIdSentBack();
    void getStreamEvents();
    void getStreamNotOffered();
    void realServerEverything_data();
    void realServerEverything();
};

void tst_StreamableHttp::replyInEventStream_data()
{
    QTest::addColumn<QByteArray>("eventType");
    QTest::newRow("message events") << QByteArray();
    QTest::newRow("named events") << QByteArray("message");
}

// A notification event, then the reply event, in one chunked event stream.
void tst_StreamableHttp::replyInEventStream()
{
    QFETCH(QByteArray, eventType);
    RawHttpServer server;
    QVERIFY(server.listen());
    server.respond = [&](const RawHttpServer::Request& r) {
        const QByteArray id =
            QJsonDocument(QJsonArray{r.jsonId()}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
        return RawHttpServer::eventStream(
            {sseEvent(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})",
                      eventType),
             ": keep-alive\n\n",
             sseEvent(R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{"answer":42}})", eventType)});
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    const CallResult result = callAndWait(client, QStringLiteral("tools/call"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.result.toObject().value(QLatin1String("answer")).toInt(), 42);
    QCOMPARE(server.requests.value(0).value("Accept"), QByteArray("application/json, text/event-stream"));
}

// The session id of the initialize reply comes back on every later request, and ending the
// connection sends DELETE for it.
void tst_StreamableHttp::sessionIdSentBack()
{
    RawHttpServer server;
    QVERIFY(server.listen());
    server.respond = [](const RawHttpServer::Request& r) {
        if (r.method == "DELETE")
            return RawHttpServer::response("200 OK", {}, {});
        return RawHttpServer::jsonReply(r, "{}", "Mcp-Session-Id: sess-1\r\n");
    };
    auto client = std::make_unique<RpcClient>(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    QVERIFY(callAndWait(*client, QStringLiteral("initialize")).ok());
    QVERIFY(callAndWait(*client, QStringLiteral("tools/list")).ok());
    QCOMPARE(server.requests.size(), 2);
    QVERIFY(server.requests.at(0).values("Mcp-Session-Id").isEmpty());
    QCOMPARE(server.requests.at(1).values("Mcp-Session-Id"), QList<QByteArray>{"sess-1"});

    client.reset();
    QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 3, 10000);
    QCOMPARE(server.requests.at(2).method, QByteArray("DELETE"));
    QCOMPARE(server.requests.at(2).target, QByteArray("/rpc"));
    QCOMPARE(server.requests.at(2).value("Mcp-Session-Id"), QByteArray("sess-1"));
}

// --sse: once the first response is in, a GET opens the event stream (with the session id and
// the user's headers); what the server sends there comes out of received().
void tst_StreamableHttp::getStreamEvents()
{
    RawHttpServer server;
    QVERIFY(server.listen());
    server.respond = [](const RawHttpServer::Request& r) {
        if (r.method == "GET") // an open stream: head and one event, no end
            return QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
                              "chunked\r\n\r\n") +
                   "2a\r\n" + sseEvent(R"({"jsonrpc":"2.0","method":"hello"})").leftJustified(0x2a, ' ') +
                   "\r\n";
        return RawHttpServer::jsonReply(r, "1", "Mcp-Session-Id: s2\r\n");
    };
    Endpoint endpoint = *Endpoint::parse(server.url(QStringLiteral("/mcp")));
    endpoint.options.sse = true;
    endpoint.options.headers = {{"X-Team", "qa"}};
    ClientConnection conn(endpoint, 1);
    QSignalSpy connected(&conn, &ClientConnection::connected);
    QSignalSpy received(&conn, &ClientConnection::received);
    QSignalSpy closed(&conn, &ClientConnection::closed);
    conn.open();
    QVERIFY(connected.wait(5000));
    conn.send(R"({"jsonrpc":"2.0","id":1,"method":"initialize"})");
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
    QCOMPARE(conn.sessionId(), QByteArray("s2"));
    const RawHttpServer::Request get = server.requests.value(1);
    QCOMPARE(get.method, QByteArray("GET"));
    QCOMPARE(get.target, QByteArray("/mcp"));
    QCOMPARE(get.value("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(get.value("Mcp-Session-Id"), QByteArray("s2"));
    QCOMPARE(get.value("X-Team"), QByteArray("qa"));
    QCOMPARE(received.at(1).at(0).toByteArray(), QByteArray(R"({"jsonrpc":"2.0","method":"hello"})"));
    QCOMPARE(received.at(1).at(1).toInt(), 200);
    QCOMPARE(closed.size(), 0);
}

// A server without the GET stream answers 405: reported once, calls go on.
void tst_StreamableHttp::getStreamNotOffered()
{
    RawHttpServer server;
    QVERIFY(server.listen());
    server.respond = [](const RawHttpServer::Request& r) {
        if (r.method == "GET")
            return RawHttpServer::response("405 Method Not Allowed", "Allow: POST\r\n", {});
        return RawHttpServer::jsonReply(r, "7");
    };
    Endpoint endpoint = *Endpoint::parse(server.url());
    endpoint.options.sse = true;
    RpcClient client(endpoint, Dialect::JsonRpc2);
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("no event stream .*405")));
    for (int i = 0; i < 3; ++i) {
        const CallResult result = callAndWait(client, QStringLiteral("add"));
        QVERIFY2(result.ok(), qPrintable(result.describe()));
        QCOMPARE(result.result.toInt(), 7);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(server.requests.cbegin(), server.requests.cend(),
                                         [](const auto& r) { return r.method == "GET"; }),
                             5000);
    QCOMPARE(std::count_if(server.requests.cbegin(), server.requests.cend(),
                           [](const auto& r) { return r.method == "GET"; }),
             1);
}

void tst_StreamableHttp::realServerEverything_data()
{
    QTest::addColumn<bool>("sse");
    QTest::newRow("POST only") << false;
    QTest::newRow("with the GET stream") << true;
}

void tst_StreamableHttp::realServerEverything()
{
    QFETCH(bool, sse);
    const QString script = Peers::npmScript(QStringLiteral("@modelcontextprotocol/server-everything"),
                                            QStringLiteral("dist/index.js"));
    if (script.isEmpty() || Peers::node().isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("@modelcontextprotocol/server-everything")).constData());
    const quint16 port = Peers::freeLoopbackPort();
    QVERIFY(port != 0);
    QProcess peer;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORT"), QString::number(port));
    peer.setProcessEnvironment(env);
    peer.start(Peers::node(), {script, QStringLiteral("streamableHttp")});
    QByteArray out, err;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     err += peer.readAllStandardError();
                     return err.contains("listening on port") || peer.state() == QProcess::NotRunning;
                 },
                 30000) &&
                 err.contains("listening on port"),
             err.constData());
    auto stop = qScopeGuard([&] {
        peer.kill();
        peer.waitForFinished(5000);
    });

    Endpoint endpoint = *Endpoint::parse(QStringLiteral("http://127.0.0.1:%1/mcp").arg(port));
    endpoint.options.sse = sse;
    auto client = std::make_unique<RpcClient>(endpoint, Dialect::JsonRpc2);
    const CallResult init =
        callAndWait(*client, QStringLiteral("initialize"),
                    QJsonObject{{"protocolVersion", "2025-06-18"},
                                {"capabilities", QJsonObject{}},
                                {"clientInfo", QJsonObject{{"name", "rpcbench"}, {"version", "0"}}}});
    QVERIFY2(init.ok(), qPrintable(init.describe()));
    QVERIFY(init.result.toObject().contains(QLatin1String("serverInfo")));
    const CallResult initialized =
        callAndWait(*client, QStringLiteral("notifications/initialized"), QJsonValue::Undefined, true);
    QVERIFY2(initialized.ok(), qPrintable(initialized.describe()));

    const CallResult list = callAndWait(*client, QStringLiteral("tools/list"), QJsonObject{});
    QVERIFY2(list.ok(), qPrintable(list.describe()));
    QStringList names;
    for (const QJsonValue& tool : list.result.toObject().value(QLatin1String("tools")).toArray())
        names << tool.toObject().value(QLatin1String("name")).toString();
    QVERIFY2(names.contains(QLatin1String("echo")), qPrintable(names.join(QLatin1Char(' '))));

    const CallResult echo =
        callAndWait(*client, QStringLiteral("tools/call"),
                    QJsonObject{{"name", "echo"}, {"arguments", QJsonObject{{"message", "hi"}}}});
    QVERIFY2(echo.ok(), qPrintable(echo.describe()));
    const QString text = echo.result.toObject()
                             .value(QLatin1String("content"))
                             .toArray()
                             .at(0)
                             .toObject()
                             .value(QLatin1String("text"))
                             .toString();
    QVERIFY2(text.contains(QLatin1String("hi")), qPrintable(text));
    if (sse) { // the server logs the GET stream it established for our session
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         out += peer.readAllStandardOutput();
                         return out.contains("Establishing new SSE stream");
                     },
                     10000),
                 out.constData());
    }

    // Disconnecting ends the session: the server logs the DELETE it accepted.
    client->disconnectFromServer();
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     out += peer.readAllStandardOutput();
                     return out.contains("Received session termination request");
                 },
                 10000),
             out.constData());
}

QTEST_GUILESS_MAIN(tst_StreamableHttp)
#include "tst_streamablehttp.moc"
