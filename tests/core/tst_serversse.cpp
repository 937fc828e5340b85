// The server side of MCP Streamable HTTP over raw loopback sockets: POSTs that accept an event
// stream get their reply as one SSE event, JSON stays JSON for clients that prefer it,
// notifications from MCP clients get 202, sessions (Mcp-Session-Id) are issued on initialize,
// honoured and ended by DELETE, and a GET with Accept: text/event-stream opens the server's event stream (its
// pushes are tested in tst_serverpush).

#include "DemoServerFixture.h"
#include "FrameCollector.h"
#include "SocketProbe.h"

#include "wire/HttpResponseParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace rpcbench;

namespace {

const QByteArray kCall = R"({"jsonrpc":"2.0","method":"echo","params":["x"],"id":7})";
const QByteArray kNotification = R"({"jsonrpc":"2.0","method":"notify_hello","params":[1]})";

QByteArray request(const QByteArray& method, const QByteArray& body, const QByteArray& headers,
                   const QByteArray& target = "/mcp")
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers;
    if (method == "POST")
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

} // namespace

class TestServerSse : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void replyFormat_data();
    void replyFormat();
    void sessions();
    void getEventStreamOpens();

private:
    HttpResponse exchange(const QByteArray& bytes, QByteArray* raw = nullptr);
    std::unique_ptr<DemoServerFixture> m_fixture;
};

void TestServerSse::init()
{
    m_fixture = std::make_unique<DemoServerFixture>();
    QVERIFY(m_fixture->start());
}

void TestServerSse::cleanup()
{
    m_fixture.reset();
}

// Sends one request on a fresh connection and returns the response (status 0 on timeout).
// The raw response goes to *raw (the parser delivers an event stream's data, not its text).
HttpResponse TestServerSse::exchange(const QByteArray& bytes, QByteArray* raw)
{
    SocketProbe probe;
    if (!probe.connectTo(m_fixture->port()))
        return {};
    probe.send(bytes);
    QList<HttpResponse> responses;
    probe.waitFor([&] {
        HttpResponseParser parser;
        test::FrameCollector frames;
        parser.feed(probe.received(), frames);
        responses = frames.responses;
        return !responses.isEmpty();
    });
    if (raw)
        *raw = probe.received();
    return responses.isEmpty() ? HttpResponse{} : responses.first();
}

void TestServerSse::replyFormat_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("accept"); // the Accept header line, or empty
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType"); // empty: no body
    const QByteArray sse = "text/event-stream";
    const QByteArray json = "application/json";
    QTest::newRow("event stream only") << kCall << QByteArray("Accept: text/event-stream\r\n") << 200 << sse;
    QTest::newRow("event stream first")
        << kCall << QByteArray("Accept: text/event-stream, application/json\r\n") << 200 << sse;
    QTest::newRow("json first (MCP clients)")
        << kCall << QByteArray("Accept: application/json, text/event-stream\r\n") << 200 << json;
    QTest::newRow("plain JSON-RPC client") << kCall << QByteArray() << 200 << json;
    QTest::newRow("notification from an MCP client")
        << kNotification << QByteArray("Accept: application/json, text/event-stream\r\n") << 202
        << QByteArray();
    QTest::newRow("notification, event stream only")
        << kNotification << QByteArray("Accept: text/event-stream\r\n") << 202 << QByteArray();
    QTest::newRow("notification from a plain client (unchanged)")
        << kNotification << QByteArray() << 200 << QByteArray();
}

void TestServerSse::replyFormat()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, accept);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QByteArray raw;
    const HttpResponse r = exchange(request("POST", body, accept), &raw);
    QCOMPARE(r.status, status);
    QCOMPARE(httpHeader(r.headers, "Content-Type"), contentType);
    if (contentType.isEmpty()) {
        QVERIFY(r.body.isEmpty());
        return;
    }
    QByteArray json = r.body;
    if (contentType == "text/event-stream") {
        // One event, then the response ends (it has a Content-Length).
        const QByteArray events = raw.mid(raw.indexOf("\r\n\r\n") + 4);
        QVERIFY2(events.startsWith("event: message\ndata: ") && events.endsWith("\n\n"), raw.constData());
        QCOMPARE(events.count("data: "), 1);
        json = events.mid(events.indexOf("data: ") + 6).trimmed();
        QCOMPARE(httpHeader(r.headers, "Content-Length"), QByteArray::number(events.size()));
    }
    const QJsonObject reply = QJsonDocument::fromJson(json).object();
    QCOMPARE(reply.value("id").toInt(), 7);
    QCOMPARE(reply.value("result").toString(), QStringLiteral("x"));
}

void TestServerSse::sessions()
{
    const QByteArray accept = "Accept: application/json, text/event-stream\r\n";
    const QByteArray init = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})";
    const HttpResponse first = exchange(request("POST", init, accept));
    QCOMPARE(first.status, 200);
    const QByteArray session = httpHeader(first.headers, "Mcp-Session-Id");
    QCOMPARE(session.size(), 32);
    // A second initialize opens another session.
    QVERIFY(httpHeader(exchange(request("POST", init, accept)).headers, "Mcp-Session-Id") != session);
    // Ordinary calls carry no new session id.
    QVERIFY(httpHeader(exchange(request("POST", kCall, accept)).headers, "Mcp-Session-Id").isEmpty());

    const QByteArray withSession = accept + "Mcp-Session-Id: " + session + "\r\n";
    QCOMPARE(exchange(request("POST", kCall, withSession)).status, 200); // any connection
    QCOMPARE(exchange(request("POST", kCall, accept + "Mcp-Session-Id: 0123\r\n")).status, 404);
    QCOMPARE(exchange(request("DELETE", {}, withSession)).status, 200);
    QCOMPARE(exchange(request("POST", kCall, withSession)).status, 404); // ended
    QCOMPARE(exchange(request("DELETE", {}, withSession)).status, 404);
    QCOMPARE(exchange(request("DELETE", {}, {})).status, 405); // no session named: as before
}

void TestServerSse::getEventStreamOpens()
{
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_fixture->port()));
    probe.send(request("GET", {}, "Accept: text/event-stream\r\n"));
    QVERIFY(probe.waitFor([&] { return probe.received().contains("\r\n\r\n"); }));
    QVERIFY(probe.received().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(probe.received().contains("Content-Type: text/event-stream"));
    QVERIFY(!probe.isClosed());
    // The OpenRPC document is still served to a plain GET; an unknown session is refused.
    QCOMPARE(exchange(request("GET", {}, {}, "/")).status, 200);
    QCOMPARE(exchange(request("GET", {}, "Accept: text/event-stream\r\nMcp-Session-Id: nope\r\n")).status,
             404);
}

QTEST_GUILESS_MAIN(TestServerSse)
#include "tst_serversse.moc"
