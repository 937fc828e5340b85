// JSON-RPC over WebSocket, both roles: our RpcClient over ws:// to our RpcServer (the upgrade
// on its sniffed TCP port), real peers (python3-websockets, the `ws` npm package) as client of
// our server and as server for our client, the handshake's headers and bearer token, close
// codes and reasons, a refused upgrade, and the server's limits.

#include "DemoServerFixture.h"
#include "Peers.h"
#include "TestCerts.h"

#include "client/RpcClient.h"
#include "wire/WebSocketChannel.h"
#include "wire/WebSocketFramer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace rpcbench;

namespace {

const QString kSupport = QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/");

// python3 with the websockets module: the Debian one when the first python3 on PATH lacks it.
QString pythonWebSockets()
{
    const QString found = Peers::pythonWith(QStringLiteral("websockets"));
    if (!found.isEmpty())
        return found;
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("import websockets")});
    return p.waitForFinished(20000) && p.exitCode() == 0 ? QStringLiteral("/usr/bin/python3") : QString();
}

bool haveNodeWs()
{
    return !Peers::node().isEmpty() &&
           !Peers::npmScript(QStringLiteral("ws"), QStringLiteral("index.js")).isEmpty();
}

// A peer program: python3 ws_peer.py ... or node ws_peer.js ...
struct Peer
{
    QString program;
    QStringList arguments;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

std::optional<Peer> peer(const QString& kind, const QStringList& args)
{
    if (kind == QLatin1String("python")) {
        const QString python = pythonWebSockets();
        if (python.isEmpty())
            return std::nullopt;
        return Peer{python, QStringList{kSupport + QStringLiteral("ws_peer.py")} + args};
    }
    if (!haveNodeWs())
        return std::nullopt;
    Peer p{Peers::node(), QStringList{kSupport + QStringLiteral("ws_peer.js")} + args};
    p.env.insert(QStringLiteral("NODE_PATH"), Peers::nodeModules());
    return p;
}

// A peer server that prints its port first.
struct PeerServer
{
    QProcess process;
    quint16 port = 0;
    ~PeerServer()
    {
        process.kill();
        process.waitForFinished(5000);
    }
    bool start(const Peer& p)
    {
        process.setProcessEnvironment(p.env);
        process.start(p.program, p.arguments);
        QByteArray out;
        (void)QTest::qWaitFor( // the port check below says whether it worked
            [&] {
                out += process.readAllStandardOutput();
                return out.contains('\n') || process.state() == QProcess::NotRunning;
            },
            15000);
        port = quint16(out.trimmed().toUInt());
        return port != 0;
    }
};

// Opens a raw WebSocket on our server: the upgrade request and its 101; false when refused.
bool rawUpgrade(QTcpSocket& socket, quint16 port, QByteArray* rest)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return false;
    socket.write("GET /anything HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    QByteArray in;
    if (!QTest::qWaitFor([&] { return (in += socket.readAll()).contains("\r\n\r\n"); }, 5000))
        return false;
    if (!in.startsWith("HTTP/1.1 101 Switching Protocols\r\n") ||
        !in.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        return false;
    *rest = in.mid(in.indexOf("\r\n\r\n") + 4);
    return true;
}

CallResult callAndWait(RpcClient& client, const CallRequest& request)
{
    QSignalSpy spy(&client, &RpcClient::finished);
    client.call(request);
    if (!spy.wait(15000))
        return {};
    return spy.first().at(1).value<CallResult>();
}

} // namespace

class TestWebSocket : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ourClientToOurServer();
    void serverTrafficIsMarkedWs();
    void peerClientToOurServer_data();
    void peerClientToOurServer();
    void ourClientToPeerServer_data();
    void ourClientToPeerServer();
    void closeByServerIsReported();
    void refusedUpgradeIsOneLine();
    void connectionRefusedIsOneLine();
    void secureWebSocket();
    void replyOverClientLimit();
    void serverAnswersPingAndClose();
    void serverClosesOverLimitWith1009();
    void badUpgradeIsRefused();
    void serverTimeoutsCloseWithACode_data();
    void serverTimeoutsCloseWithACode();

private:
    std::unique_ptr<RpcClient> client(const QString& url, const ConnectOptions& options = {}) const
    {
        auto endpoint = Endpoint::parse(url);
        endpoint->options = options;
        return std::make_unique<RpcClient>(*endpoint, Dialect::JsonRpc2);
    }
    QString ourUrl(const QString& path = QStringLiteral("/rpc")) const
    {
        return QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server->port()).arg(path);
    }

    std::unique_ptr<DemoServerFixture> m_server;
};

void TestWebSocket::initTestCase()
{
    ServerLimits limits;
    limits.maxMessageBytes = 4096;
    m_server = std::make_unique<DemoServerFixture>(limits);
    QVERIFY(m_server->start());
}

void TestWebSocket::ourClientToOurServer()
{
    auto c = client(ourUrl());
    CallResult r = callAndWait(*c, CallRequest{"add", QJsonArray{1, 2, 3}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toDouble(), 6.0);
    r = callAndWait(*c, CallRequest{"no_such_method"});
    QCOMPARE(r.error.code, ErrorCode::MethodNotFound);

    QSignalSpy batchSpy(c.get(), &RpcClient::batchFinished);
    c->batch({CallRequest{"echo", QJsonArray{"a"}}, CallRequest{"echo", QJsonArray{"b"}}});
    QVERIFY(batchSpy.wait(10000));
    const auto batch = batchSpy.first().at(1).value<BatchResult>();
    QCOMPARE(batch.items.size(), 2);
    QCOMPARE(batch.items[1].result, QJsonValue("b"));

    QSignalSpy spy(c.get(), &RpcClient::finished);
    c->notify(QStringLiteral("echo"), QJsonArray{1});
    QVERIFY(spy.wait(10000));
    QVERIFY(spy.first().at(1).value<CallResult>().ok());
    // The connection is still usable after the notification (nothing came back for it).
    r = callAndWait(*c, CallRequest{"echo", QJsonArray{"after"}});
    QCOMPARE(r.result, QJsonValue(QJsonArray{"after"}).toArray().at(0));
}

void TestWebSocket::serverTrafficIsMarkedWs()
{
    m_server->bus->setEnabled(true);
    m_server->bus->drain();
    auto c = client(ourUrl());
    QVERIFY(callAndWait(*c, CallRequest{"echo", QJsonArray{7}}).ok());
    bool sawIn = false;
    bool sawOut = false;
    QStringList transports;
    const auto collect = [&] {
        for (const TrafficEvent& e : m_server->bus->drain()) {
            if (e.side != Side::Server)
                continue;
            transports << toString(e.transport);
            (e.direction == Direction::In ? sawIn : sawOut) = true;
        }
        return sawIn && sawOut;
    };
    QTRY_VERIFY_WITH_TIMEOUT(collect(), 5000);
    transports.removeDuplicates();
    QCOMPARE(transports, QStringList{QStringLiteral("ws")});
    m_server->bus->setEnabled(false);
}

void TestWebSocket::peerClientToOurServer_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("python websockets") << "python";
    QTest::newRow("node ws") << "node";
}

void TestWebSocket::peerClientToOurServer()
{
    QFETCH(QString, kind);
    const QByteArray request = R"({"jsonrpc":"2.0","id":5,"method":"echo","params":["hi"]})";
    const auto p = peer(kind, {QStringLiteral("client"), ourUrl(QStringLiteral("/any/path")), request});
    if (!p)
        QSKIP(Peers::skipMessage(kind == QLatin1String("python") ? "python3-websockets" : "ws (npm)"));
    QProcess process;
    process.setProcessEnvironment(p->env);
    process.start(p->program, p->arguments);
    QVERIFY(process.waitForFinished(20000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QJsonObject reply = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    QCOMPARE(reply.value("id").toInt(), 5);
    QCOMPARE(reply.value("result").toString(), QStringLiteral("hi"));
}

void TestWebSocket::ourClientToPeerServer_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("python websockets") << "python";
    QTest::newRow("node ws") << "node";
}

void TestWebSocket::ourClientToPeerServer()
{
    QFETCH(QString, kind);
    const auto p = peer(kind, {QStringLiteral("server")});
    if (!p)
        QSKIP(Peers::skipMessage(kind == QLatin1String("python") ? "python3-websockets" : "ws (npm)"));
    PeerServer server;
    QVERIFY(server.start(*p));

    ConnectOptions options;
    options.headers = {{"X-Bench-Test", "yes"}};
    options.bearerToken = QStringLiteral("s3cret");
    auto c = client(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port), options);
    CallResult r = callAndWait(*c, CallRequest{"echo", QJsonArray{"hi"}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result, QJsonValue(QJsonArray{"hi"}));
    // The handshake carried the user's header and the bearer token (seen by the server).
    r = callAndWait(*c, CallRequest{"headers"});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    const QJsonObject headers = r.result.toObject();
    QCOMPARE(headers.value("x-bench-test").toString(), QStringLiteral("yes"));
    QCOMPARE(headers.value("authorization").toString(), QStringLiteral("Bearer s3cret"));
}

void TestWebSocket::closeByServerIsReported()
{
    const auto p = peer(QStringLiteral("python"), {QStringLiteral("server")});
    if (!p)
        QSKIP(Peers::skipMessage("python3-websockets"));
    PeerServer server;
    QVERIFY(server.start(*p));
    auto c = client(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port));
    const CallResult r = callAndWait(*c, CallRequest{"close_me"});
    QVERIFY(!r.ok());
    QVERIFY2(r.transportError.contains(
                 QStringLiteral("closed by server: code 1008 (policy violation) reason 'xyz'")),
             qPrintable(r.transportError));
}

void TestWebSocket::refusedUpgradeIsOneLine()
{
    const auto p = peer(QStringLiteral("python"),
                        {QStringLiteral("server"), QStringLiteral("--refuse"), QStringLiteral("403")});
    if (!p)
        QSKIP(Peers::skipMessage("python3-websockets"));
    PeerServer server;
    QVERIFY(server.start(*p));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/x").arg(server.port);
    auto c = client(url);
    const CallResult r = callAndWait(*c, CallRequest{"echo"});
    QVERIFY(!r.ok());
    QVERIFY2(r.transportError.contains(
                 QStringLiteral("WebSocket upgrade to %1 refused: HTTP 403 Forbidden").arg(url)),
             qPrintable(r.transportError));
    QVERIFY(!r.transportError.contains('\n'));
}

void TestWebSocket::connectionRefusedIsOneLine()
{
    const quint16 port = Peers::freeLoopbackPort();
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(port);
    WebSocketChannel channel(*Endpoint::parse(url));
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    channel.open();
    QVERIFY(closed.wait(10000));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).toString(),
             QStringLiteral("WebSocket connection to %1 failed: connection refused").arg(url));
    QCOMPARE(closed.size(), 1);
}

// wss:// to a python websockets server with a certificate from a test CA: trusted with
// --cacert, refused in one line naming the TLS step without it.
void TestWebSocket::secureWebSocket()
{
    TestCerts certs;
    if (!certs.ok())
        QSKIP(qPrintable(certs.error()));
    const auto p = peer(QStringLiteral("python"), {QStringLiteral("server"), QStringLiteral("--tls"),
                                                   certs.serverCert(), certs.serverKey()});
    if (!p)
        QSKIP(Peers::skipMessage("python3-websockets"));
    PeerServer server;
    QVERIFY(server.start(*p));
    const QString url = QStringLiteral("wss://127.0.0.1:%1/").arg(server.port);

    ConnectOptions trusted;
    trusted.caCertificates = {certs.caCert()};
    trusted.bearerToken = QStringLiteral("tok");
    auto c = client(url, trusted);
    CallResult r = callAndWait(*c, CallRequest{"headers"});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toObject().value("authorization").toString(), QStringLiteral("Bearer tok"));

    auto untrusted = client(url);
    r = callAndWait(*untrusted, CallRequest{"echo"});
    QVERIFY(!r.ok());
    QVERIFY2(r.transportError.startsWith(
                 QStringLiteral("TLS handshake with 127.0.0.1:%1 failed: ").arg(server.port)),
             qPrintable(r.transportError));
    QVERIFY(!r.transportError.contains('\n'));
}

// A reply over --max-reply-bytes ends the connection with the client's own one line.
void TestWebSocket::replyOverClientLimit()
{
    const auto p = peer(QStringLiteral("python"), {QStringLiteral("server")});
    if (!p)
        QSKIP(Peers::skipMessage("python3-websockets"));
    PeerServer server;
    QVERIFY(server.start(*p));
    ConnectOptions options;
    options.maxReplyBytes = 1000;
    auto c = client(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port), options);
    const CallResult r = callAndWait(*c, CallRequest{"echo", QJsonArray{QString(5000, QLatin1Char('x'))}});
    QVERIFY(!r.ok());
    QVERIFY2(r.transportError.contains(QStringLiteral("--max-reply-bytes")), qPrintable(r.transportError));
}

// Raw bytes against our server: a masked call is answered with one unmasked text frame, a
// ping with its pong, and a close with the echoed close before the server hangs up.
void TestWebSocket::serverAnswersPingAndClose()
{
    QTcpSocket socket;
    QByteArray in;
    QVERIFY(rawUpgrade(socket, m_server->port(), &in));

    const QByteArray call = R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["x"]})";
    const QByteArray reply = R"({"jsonrpc":"2.0","result":"x","id":1})";
    socket.write(WebSocketFramer::frame(WebSocketFramer::Text, call, true, 0x01020304));
    socket.write(WebSocketFramer::frame(WebSocketFramer::Ping, "p", true, 0x0A0B0C0D));
    const QByteArray closeBody = QByteArray("\x03\xE8", 2) + "bye"; // code 1000
    socket.write(WebSocketFramer::frame(WebSocketFramer::Close, closeBody, true, 0x11223344));
    const QByteArray expected = WebSocketFramer::frameText(reply) +
                                WebSocketFramer::frame(WebSocketFramer::Pong, "p") +
                                WebSocketFramer::frameClose(1000);
    QTRY_VERIFY_WITH_TIMEOUT((in += socket.readAll()).size() >= expected.size(), 5000);
    QCOMPARE(in, expected);
    // Then the server hangs up (its side first, as RFC 6455 7.1.1 asks of servers).
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
}

// A QWebSocket sending more than the server's limit is closed with 1009 and the reason.
void TestWebSocket::serverClosesOverLimitWith1009()
{
    QWebSocket big;
    QSignalSpy bigConnected(&big, &QWebSocket::connected);
    QSignalSpy bigDisconnected(&big, &QWebSocket::disconnected);
    big.open(QUrl(ourUrl()));
    QVERIFY(bigConnected.wait(10000));
    big.sendTextMessage(QString(5000, QLatin1Char('x')));
    QTRY_COMPARE_WITH_TIMEOUT(bigDisconnected.size(), 1, 10000);
    QCOMPARE(int(big.closeCode()), 1009);
    QVERIFY2(big.closeReason().contains(QStringLiteral("limit of 4096 bytes")),
             qPrintable(big.closeReason()));
}

void TestWebSocket::badUpgradeIsRefused()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\r\n\r\n"), 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 426 "), answer.constData());
    QVERIFY(answer.contains("Sec-WebSocket-Version: 13"));
}

// The server's own deadlines end a WebSocket with a close frame saying why: keep-alive (1001
// going away, "idle") and a message left incomplete (1008 with the reason).
void TestWebSocket::serverTimeoutsCloseWithACode_data()
{
    QTest::addColumn<QByteArray>("send");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("silent: keep-alive") << QByteArray() << 1001 << QByteArray("idle");
    QTest::newRow("incomplete message")
        << WebSocketFramer::frame(WebSocketFramer::Text, "[1,", false, 0x01020304) << 1008
        << QByteArray("incomplete message: not completed within 300 ms");
}

void TestWebSocket::serverTimeoutsCloseWithACode()
{
    QFETCH(QByteArray, send);
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    ServerLimits limits;
    limits.keepAliveTimeoutMs = 300;
    limits.idleTimeoutMs = 300;
    DemoServerFixture server(limits);
    QVERIFY(server.start());
    QTcpSocket socket;
    QByteArray in;
    QVERIFY(rawUpgrade(socket, server.port(), &in));
    socket.write(send);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    in += socket.readAll();
    QCOMPARE(in, WebSocketFramer::frameClose(quint16(code), reason));
}

QTEST_GUILESS_MAIN(TestWebSocket)
#include "tst_websocket.moc"
