// HttpRouter over a real loopback connection: what each request is answered with, that POSTs
// come back to be dispatched, that replies leave in request order, and when it closes.

#include "dispatch/Dispatcher.h"
#include "dispatch/MethodRegistry.h"
#include "server/ConnectionOutput.h"
#include "server/HttpRouter.h"
#include "wire/TcpChannel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace rpcbench;

namespace {

struct Fixture
{
    QTcpServer listener;
    QTcpSocket peer;
    QByteArray received;
    Dispatcher dispatcher{std::make_shared<MethodRegistry>()};
    std::unique_ptr<TcpChannel> channel;
    std::unique_ptr<ConnectionOutput> output;
    std::unique_ptr<HttpRouter> router;

    bool open()
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return false;
        QObject::connect(&peer, &QTcpSocket::readyRead, [this] { received += peer.readAll(); });
        peer.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!QTest::qWaitFor([this] { return listener.hasPendingConnections(); }))
            return false;
        channel = std::make_unique<TcpChannel>(listener.nextPendingConnection());
        output = std::make_unique<ConnectionOutput>(*channel);
        router = std::make_unique<HttpRouter>(*output, dispatcher);
        return QTest::qWaitFor([this] { return peer.state() == QAbstractSocket::ConnectedState; });
    }
};

HttpRequest request(const QByteArray& method, const QByteArray& target, bool keepAlive = true)
{
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.version = "HTTP/1.1";
    r.keepAlive = keepAlive;
    return r;
}

QByteArray bodyOf(const QByteArray& response)
{
    return response.mid(response.indexOf("\r\n\r\n") + 4);
}

// One whole response has arrived (head and Content-Length bytes of body).
bool isComplete(const QByteArray& response)
{
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    const qsizetype at = response.indexOf("Content-Length: ");
    if (headEnd < 0 || at < 0)
        return false;
    const qsizetype end = response.indexOf("\r\n", at);
    const qsizetype length = response.mid(at + 16, end - at - 16).toLongLong();
    return response.size() - (headEnd + 4) >= length;
}

} // namespace

class TestHttpRouter : public QObject
{
    Q_OBJECT

private slots:
    void answersWhatIsNotACall_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("GET /") << QByteArray("GET") << QByteArray("/") << QByteArray("HTTP/1.1 200 OK")
                               << QByteArray("Content-Type: application/json");
        QTest::newRow("GET /openrpc.json") << QByteArray("GET") << QByteArray("/openrpc.json")
                                           << QByteArray("HTTP/1.1 200 OK") << QByteArray("Content-Length: ");
        QTest::newRow("GET elsewhere")
            << QByteArray("GET") << QByteArray("/nope") << QByteArray("HTTP/1.1 404 Not Found")
            << QByteArray("Content-Length: ");
        QTest::newRow("PUT") << QByteArray("PUT") << QByteArray("/")
                             << QByteArray("HTTP/1.1 405 Method Not Allowed")
                             << QByteArray("Allow: GET, POST");
    }

    void answersWhatIsNotACall()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, statusLine);
        QFETCH(QByteArray, header);
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(!f.router->route(request(method, target)));
        QTRY_VERIFY(isComplete(f.received));
        QVERIFY2(f.received.startsWith(statusLine + "\r\n"), f.received.constData());
        QVERIFY(f.received.contains(header));
        QVERIFY(f.received.contains("Connection: keep-alive"));
        const QJsonObject body = QJsonDocument::fromJson(bodyOf(f.received)).object();
        if (statusLine.contains("200"))
            QVERIFY(body.contains(QStringLiteral("openrpc")));
        else
            QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(),
                     -32600);
        QVERIFY(!f.output->isClosing());
    }

    void postComesBackAsACall()
    {
        Fixture f;
        QVERIFY(f.open());
        const auto call = f.router->route(request("POST", "/rpc", false));
        QVERIFY(call);
        QVERIFY(!call->keepAlive);
        QCOMPARE(f.output->pendingBytes(), qsizetype(0));
        f.router->reply(*call, R"({"jsonrpc":"2.0","result":3,"id":1})", 0);
        QTRY_VERIFY(f.received.endsWith(R"({"jsonrpc":"2.0","result":3,"id":1})"));
        QVERIFY(f.received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(f.received.contains("Connection: close"));
        QVERIFY(f.output->isClosing()); // no keep-alive: the connection ends after the reply
    }

    void notificationIsAnsweredWithAnEmptyOk()
    {
        Fixture f;
        QVERIFY(f.open());
        const auto call = f.router->route(request("POST", "/"));
        QVERIFY(call);
        f.router->reply(*call, QByteArray(), 0);
        QTRY_VERIFY(f.received.endsWith("\r\n\r\n"));
        QVERIFY(f.received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(f.received.contains("Content-Length: 0\r\n"));
        QVERIFY(!f.output->isClosing());
    }

    void pipelinedRepliesLeaveInRequestOrder()
    {
        Fixture f;
        QVERIFY(f.open());
        const auto first = f.router->route(request("POST", "/"));
        QVERIFY(!f.router->route(request("GET", "/missing"))); // answered, but waits for `first`
        const auto third = f.router->route(request("POST", "/"));
        QVERIFY(first && third);
        f.router->reply(*third, R"("third")", 0);
        QCOMPARE(f.output->pendingBytes(), qsizetype(0)); // nothing may overtake `first`
        f.router->reply(*first, R"("first")", 0);
        QTRY_VERIFY(f.received.endsWith(R"("third")"));
        const qsizetype a = f.received.indexOf(R"("first")");
        const qsizetype b = f.received.indexOf("404 Not Found");
        const qsizetype c = f.received.indexOf(R"("third")");
        QVERIFY(a >= 0 && b > a && c > b);
    }

    void failureIsAnsweredAfterEarlierRepliesThenCloses()
    {
        Fixture f;
        QVERIFY(f.open());
        const auto call = f.router->route(request("POST", "/"));
        f.router->fail(413, R"({"error":"too large"})");
        QVERIFY(!f.output->isClosing()); // the failure waits behind the call
        f.router->reply(*call, R"("ok")", 0);
        QVERIFY(f.output->isClosing());
        QTRY_VERIFY(f.received.endsWith(R"({"error":"too large"})"));
        QVERIFY(f.received.indexOf(R"("ok")") < f.received.indexOf("413 Payload Too Large"));
        QVERIFY(f.received.contains("Connection: close"));
    }
};

QTEST_MAIN(TestHttpRouter)
#include "tst_httprouter.moc"
