// The server's HTTP/1.1 transport over real loopback sockets: keep-alive, pipelining order,
// chunked bodies, Expect: 100-continue, notifications, errors and limits.

#include "DemoServerFixture.h"
#include "FrameCollector.h"
#include "SocketProbe.h"

#include "wire/HttpResponseParser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace rpcbench;

class TestServerHttp : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void postCallsMethod_data();
    void postCallsMethod();
    void keepAlivePipelinedRepliesInOrder();
    void chunkedBody();
    void expectContinue();
    void getRootServesOpenRpc();
    void errorsAndClose_data();
    void errorsAndClose();
    void connectionCloseHonoured();

private:
    QList<HttpResponse> waitForResponses(SocketProbe& probe, int count);
    std::unique_ptr<DemoServerFixture> m_fixture;
};

static QByteArray post(const QByteArray& body, const QByteArray& extraHeaders = {})
{
    return "POST /rpc HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

void TestServerHttp::init()
{
    ServerLimits limits;
    limits.maxMessageBytes = 64 * 1024;
    limits.maxHeaderBytes = 8 * 1024;
    m_fixture = std::make_unique<DemoServerFixture>(limits);
    QVERIFY(m_fixture->start());
}

void TestServerHttp::cleanup()
{
    m_fixture.reset();
}

QList<HttpResponse> TestServerHttp::waitForResponses(SocketProbe& probe, int count)
{
    QList<HttpResponse> responses;
    probe.waitFor([&] {
        HttpResponseParser parser;
        test::FrameCollector frames;
        parser.feed(probe.received(), frames);
        if (probe.isClosed())
            parser.finish(frames);
        responses = frames.responses;
        return responses.size() >= count;
    });
    return responses;
}

void TestServerHttp::postCallsMethod_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expectedBody"); // empty = no body expected
    QTest::newRow("call") << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})")
                          << QByteArray(R"({"id":1,"jsonrpc":"2.0","result":6})");
    QTest::newRow("notification") << QByteArray(R"({"jsonrpc":"2.0","method":"notify_hello","params":[1]})")
                                  << QByteArray();
    QTest::newRow("all-notification batch")
        << QByteArray(
               R"([{"jsonrpc":"2.0","method":"notify_sum","params":[1,2,4]},{"jsonrpc":"2.0","method":"notify_hello","params":[7]}])")
        << QByteArray();
    QTest::newRow("invalid json")
        << QByteArray(R"({"jsonrpc":"2.0","method":"foobar, "params":"bar")")
        << QByteArray(R"({"error":{"code":-32700,"message":"Parse error"},"id":null,"jsonrpc":"2.0"})");
}

void TestServerHttp::postCallsMethod()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expectedBody);
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    probe.send(post(body));
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, 200);
    QVERIFY(responses[0].keepAlive);
    if (expectedBody.isEmpty()) {
        QVERIFY(responses[0].body.isEmpty());
        QCOMPARE(httpHeader(responses[0].headers, "Content-Length"), QByteArray("0"));
    } else {
        QCOMPARE(httpHeader(responses[0].headers, "Content-Type"), QByteArray("application/json"));
        const QJsonObject got = QJsonDocument::fromJson(responses[0].body).object();
        const QJsonObject want = QJsonDocument::fromJson(expectedBody).object();
        QCOMPARE(got.value("id"), want.value("id"));
        QCOMPARE(got.value("result"), want.value("result"));
        QCOMPARE(got.value("error").toObject().value("code"), want.value("error").toObject().value("code"));
    }
    QVERIFY(!probe.isClosed());
}

void TestServerHttp::keepAlivePipelinedRepliesInOrder()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    // The first call finishes last; HTTP/1.1 still answers in request order.
    probe.send(post(R"({"jsonrpc":"2.0","method":"sleep","params":[200],"id":"first"})") +
               post(R"({"jsonrpc":"2.0","method":"add","params":[1,1],"id":"second"})") +
               post(R"({"jsonrpc":"2.0","method":"echo","params":["third"],"id":"third"})"));
    const auto responses = waitForResponses(probe, 3);
    QCOMPARE(responses.size(), 3);
    const QStringList ids = {"first", "second", "third"};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(QJsonDocument::fromJson(responses[i].body).object().value("id").toString(), ids[i]);
}

void TestServerHttp::chunkedBody()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1})";
    QByteArray chunked;
    for (qsizetype i = 0; i < body.size(); i += 10) {
        const QByteArray part = body.mid(i, 10);
        chunked += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
    }
    chunked += "0\r\n\r\n";
    probe.sendInChunks("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, 3);
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(responses[0].body).object().value("result").toInt(), 19);
}

void TestServerHttp::expectContinue()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","method":"echo","params":["after continue"],"id":1})";
    const QByteArray request = post(body, "Expect: 100-continue\r\n");
    const qsizetype headEnd = request.indexOf("\r\n\r\n") + 4;
    probe.send(request.left(headEnd));
    QVERIFY(probe.waitFor([&] { return probe.received().startsWith("HTTP/1.1 100 Continue\r\n\r\n"); }));
    probe.send(request.mid(headEnd));
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1); // the interim 100 is skipped by the parser
    QCOMPARE(responses[0].status, 200);
    QCOMPARE(QJsonDocument::fromJson(responses[0].body).object().value("result").toString(),
             QString("after continue"));
}

void TestServerHttp::getRootServesOpenRpc()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    probe.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, 200);
    const QJsonObject doc = QJsonDocument::fromJson(responses[0].body).object();
    QVERIFY(doc.value("openrpc").toString().startsWith("1.2"));
    QStringList names;
    for (const QJsonValue& m : doc.value("methods").toArray())
        names << m.toObject().value("name").toString();
    QVERIFY(names.contains("add"));
    QVERIFY(names.contains("sleep"));
}

void TestServerHttp::errorsAndClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("closes");
    QTest::newRow("put") << QByteArray("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") << 405
                         << false;
    QTest::newRow("get other path") << QByteArray("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n") << 404 << false;
    QTest::newRow("malformed") << QByteArray("POST /\r\n\r\n") << 400 << true;
    QTest::newRow("bad content-length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n") << 400 << true;
    QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n")
                                    << 413 << true;
    QTest::newRow("huge headers") << ("POST / HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'a') + "\r\n\r\n")
                                  << 431 << true;
    QTest::newRow("bad version") << QByteArray("POST / HTTP/2.0\r\nContent-Length: 0\r\n\r\n") << 505 << true;
}

void TestServerHttp::errorsAndClose()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(bool, closes);
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    probe.send(request);
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, status);
    if (closes)
        QVERIFY(probe.waitForClose());
    // The server keeps serving others.
    SocketProbe other;
    QVERIFY(other.connectTo(m_fixture->port()));
    other.send(post(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})"));
    QCOMPARE(waitForResponses(other, 1).value(0).status, 200);
}

void TestServerHttp::connectionCloseHonoured()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    probe.send(post(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})", "Connection: close\r\n"));
    QVERIFY(probe.waitForClose());
    const auto responses = waitForResponses(probe, 1);
    QCOMPARE(responses.size(), 1);
    QVERIFY(!responses[0].keepAlive);
    QCOMPARE(QJsonDocument::fromJson(responses[0].body).object().value("result").toInt(), 6);
}

QTEST_GUILESS_MAIN(TestServerHttp)
#include "tst_serverhttp.moc"
