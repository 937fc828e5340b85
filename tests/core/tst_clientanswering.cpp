// RpcClient answering the server's own requests, against scripted servers on 127.0.0.1: a server
// that interleaves notifications and requests with its (out of order) replies, alone, inside and
// around batches, gets every request answered exactly once with its id — by a client method,
// -32601 by default, or by the user while held (answered, rejected, timed out, connection
// closed) — and every call still gets its own reply. Over a JSON stream, Content-Length (LSP)
// framing and MCP Streamable HTTP (the answer is POSTed on its own, the server says 202).

#include "FakeRpcServer.h"
#include "RawHttpServer.h"
#include "client/RpcClient.h"
#include "dispatch/MethodRegistry.h"
#include "mock/UserMethod.h"
#include "wire/Framing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace rpcbench;

namespace {

// A scripted peer on a stream framing FakeRpcServer does not speak as well (Content-Length):
// records every message and lets the test write anything on the latest connection.
class StreamPeer : public QObject
{
public:
    explicit StreamPeer(Transport transport) : m_transport(transport)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                m_socket = s;
                auto framer = std::shared_ptr<Framer>(makeRequestFramer(FramingSpec{m_transport}));
                connect(s, &QTcpSocket::readyRead, this, [this, s, framer] { onRead(s, *framer); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const
    {
        const char* scheme = m_transport == Transport::Lsp ? "tcp+lsp" : "tcp";
        return QStringLiteral("%1://127.0.0.1:%2").arg(QLatin1String(scheme)).arg(m_server.serverPort());
    }
    void write(const QJsonValue& v)
    {
        if (m_socket)
            m_socket->write(frameStreamReply(m_transport, FakeRpcServer::toJson(v)));
    }
    void closeConnection()
    {
        if (m_socket)
            m_socket->abort();
    }

    std::function<void(const QJsonValue&)> onMessage;
    QList<QJsonValue> received;

private:
    struct Sink final : FrameSink
    {
        QList<QByteArray> payloads;
        void onFrame(const Frame& frame) override { payloads.append(frame.payload.toByteArray()); }
    };
    void onRead(QTcpSocket* s, Framer& framer)
    {
        Sink sink;
        framer.feed(s->readAll(), sink);
        for (const QByteArray& p : std::as_const(sink.payloads)) {
            const QJsonDocument doc = QJsonDocument::fromJson(p);
            const QJsonValue v = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
            received.append(v);
            if (onMessage)
                onMessage(v);
        }
    }

    Transport m_transport;
    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
};

QJsonObject request(const QJsonValue& id, const QString& method)
{
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", QJsonObject{{"q", 1}}}};
}
QJsonObject notification(const QString& method)
{
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", QJsonObject{{"n", 1}}}};
}
QJsonObject result(const QJsonValue& id, const QJsonValue& value)
{
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", value}};
}

// One `event: message` of a chunked text/event-stream body.
QByteArray sseChunk(const QJsonValue& v)
{
    const QByteArray e = "event: message\ndata: " + FakeRpcServer::toJson(v) + "\n\n";
    return QByteArray::number(e.size(), 16) + "\r\n" + e + "\r\n";
}

// Every reply-shaped object the server received (alone or inside arrays), in order.
QList<QJsonObject> answersIn(const QList<QJsonValue>& messages)
{
    QList<QJsonObject> out;
    for (const QJsonValue& m : messages) {
        const QJsonArray all = m.isArray() ? m.toArray() : QJsonArray{m};
        for (const QJsonValue& v : all)
            if (!v.toObject().contains("method"))
                out.append(v.toObject());
    }
    return out;
}

QJsonObject answerFor(const QList<QJsonObject>& answers, const QJsonValue& id)
{
    for (const QJsonObject& a : answers)
        if (a.value("id") == id)
            return a;
    return {};
}

int errorCode(const QJsonObject& answer)
{
    return answer.value("error").toObject().value("code").toInt();
}

// A canned client method, as the GUI and workspaces define them (UserMethod), taking the
// params the test's server requests carry ({"q": 1}): the binder is as strict as for mocks.
void addCanned(MethodRegistry& registry, const QString& name, const QJsonObject& result)
{
    QString error;
    const auto method = UserMethod::fromJson(
        QJsonObject{{"name", name},
                    {"params", QJsonArray{QJsonObject{{"name", "q"}, {"type", "integer"}}}},
                    {"handler", QJsonObject{{"kind", "result"}, {"value", result}}}},
        &error);
    QVERIFY2(method, qPrintable(error));
    method->registerInto(registry, nullptr);
}

std::shared_ptr<MethodRegistry> knownMethods()
{
    auto registry = std::make_shared<MethodRegistry>();
    addCanned(*registry, "client/known", QJsonObject{{"ok", true}});
    return registry;
}

} // namespace

class tst_ClientAnswering : public QObject
{
    Q_OBJECT
private slots:
    void interleavedTraffic_data();
    void interleavedTraffic();
    void disabledMethodIsNotFound();
    void heldRequests();
    void heldRequestsEndWithTheConnection();
    void streamableHttpAnswerIsPosted();
    void getStreamRequestIsAnswered();
};

void tst_ClientAnswering::interleavedTraffic_data()
{
    QTest::addColumn<Transport>("transport");
    QTest::newRow("json stream") << Transport::JsonStream;
    QTest::newRow("lsp framing") << Transport::Lsp;
}

// Calls a, b and the batch [c, d]; once all three are in, the server writes (in this order):
// a notification, a request with a string id, b's reply, a batch of its own (notification,
// unknown request, known request), the batch reply out of order with a request and a
// notification inside, a known request, then a's reply.
void tst_ClientAnswering::interleavedTraffic()
{
    QFETCH(Transport, transport);
    StreamPeer peer(transport);
    QVERIFY(peer.listen());
    QList<QJsonValue> calls;
    peer.onMessage = [&](const QJsonValue& m) {
        if (!m.isArray() && !m.toObject().contains("method"))
            return; // our answers
        if (m.isArray() && !m.toArray().at(0).toObject().contains("method"))
            return;
        calls.append(m);
        if (calls.size() < 3)
            return;
        QJsonValue a, b;
        QJsonArray batch;
        for (const QJsonValue& c : calls) {
            if (c.isArray())
                batch = c.toArray();
            else if (c["method"] == "a")
                a = c["id"];
            else
                b = c["id"];
        }
        peer.write(notification("window/logMessage"));
        peer.write(request("srv-1", "workspace/configuration"));
        peer.write(result(b, "b"));
        peer.write(QJsonArray{notification("n2"), request(5, "unknown/thing"), request(6, "client/known")});
        peer.write(QJsonArray{result(batch.at(1)["id"], "d"), request(7, "unknown/other"), notification("n3"),
                              result(batch.at(0)["id"], "c")});
        peer.write(request(8, "client/known"));
        peer.write(result(a, "a"));
    };
    RpcClient client(*Endpoint::parse(peer.url()), Dialect::JsonRpc2);
    auto bus = std::make_shared<TrafficBus>();
    client.setTrafficBus(bus);
    client.setClientMethods(knownMethods());
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy batches(&client, &RpcClient::batchFinished);
    QSignalSpy incoming(&client, &RpcClient::incoming);
    const quint64 a = client.call("a");
    const quint64 b = client.call("b");
    client.batch({{"c"}, {"d"}});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 1, 5000);
    for (const QList<QVariant>& f : std::as_const(finished)) {
        const auto r = f.at(1).value<CallResult>();
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result, QJsonValue(f.at(0).toULongLong() == a ? "a" : "b"));
        QVERIFY(f.at(0).toULongLong() == a || f.at(0).toULongLong() == b);
    }
    const auto batch = batches.first().at(1).value<BatchResult>();
    QVERIFY(batch.allOk());
    QCOMPARE(batch.items.at(0).result, QJsonValue("c"));
    QCOMPARE(batch.items.at(1).result, QJsonValue("d"));

    // Every message the server started is reported once: log, srv-1, its batch (one signal),
    // 7 and n3 out of the batch reply, 8.
    QCOMPARE(incoming.size(), 6);
    QStringList methods;
    for (const QList<QVariant>& i : std::as_const(incoming)) {
        const QJsonDocument doc = QJsonDocument::fromJson(i.at(1).toByteArray());
        methods << (doc.isArray() ? QStringLiteral("[batch]") : doc.object().value("method").toString());
    }
    QCOMPARE(methods, (QStringList{"window/logMessage", "workspace/configuration", "[batch]", "unknown/other",
                                   "n3", "client/known"}));

    // Every server request answered exactly once, with its id as sent.
    QList<QJsonObject> answers;
    QTRY_COMPARE_WITH_TIMEOUT((answers = answersIn(peer.received)).size(), 5, 5000);
    QList<QJsonValue> ids;
    for (const QJsonObject& answer : std::as_const(answers)) {
        QCOMPARE(answer.value("jsonrpc"), QJsonValue("2.0"));
        ids << answer.value("id");
    }
    std::sort(ids.begin(), ids.end(), [](const QJsonValue& x, const QJsonValue& y) {
        return x.toVariant().toString() < y.toVariant().toString();
    });
    QCOMPARE(ids, (QList<QJsonValue>{5, 6, 7, 8, "srv-1"}));
    QCOMPARE(errorCode(answerFor(answers, "srv-1")), -32601);
    QCOMPARE(errorCode(answerFor(answers, 5)), -32601);
    QCOMPARE(answerFor(answers, 6).value("result"), QJsonValue(QJsonObject{{"ok", true}}));
    QCOMPARE(errorCode(answerFor(answers, 7)), -32601);
    QCOMPARE(answerFor(answers, 8).value("result"), QJsonValue(QJsonObject{{"ok", true}}));
    // A batch is answered as a batch: its two requests in one array, nothing for n2.
    const auto batchAnswer =
        std::find_if(peer.received.begin(), peer.received.end(), [](const QJsonValue& m) {
            return m.isArray() && m.toArray().size() == 2 && !m.toArray().at(0).toObject().contains("method");
        });
    QVERIFY(batchAnswer != peer.received.end());

    // The answers are logged as the client's outgoing traffic.
    int loggedAnswers = 0;
    for (const TrafficEvent& e : bus->drain())
        if (e.side == Side::Client && e.direction == Direction::Out && !e.raw.contains("\"method\""))
            ++loggedAnswers;
    QCOMPARE(loggedAnswers, 4); // srv-1, the batch [5, 6], [7], 8
}

void tst_ClientAnswering::disabledMethodIsNotFound()
{
    StreamPeer peer(Transport::JsonStream);
    QVERIFY(peer.listen());
    peer.onMessage = [&](const QJsonValue& m) {
        if (m["method"] == "go") {
            peer.write(request(1, "client/known"));
            peer.write(result(m["id"], true));
        }
    };
    RpcClient client(*Endpoint::parse(peer.url()), Dialect::JsonRpc2);
    auto registry = knownMethods();
    registry->setEnabled("client/known", false);
    client.setClientMethods(registry);
    QSignalSpy finished(&client, &RpcClient::finished);
    client.call("go");
    QVERIFY(finished.wait(5000));
    QTRY_COMPARE_WITH_TIMEOUT(answersIn(peer.received).size(), 1, 5000);
    QCOMPARE(errorCode(answersIn(peer.received).first()), -32601);
}

// Four held requests: answered with a result, with an error, rejected, left to time out.
void tst_ClientAnswering::heldRequests()
{
    StreamPeer peer(Transport::JsonStream);
    QVERIFY(peer.listen());
    peer.onMessage = [&](const QJsonValue& m) {
        if (m["method"] != "go")
            return;
        for (const char* id : {"h1", "h2", "h3", "h4"})
            peer.write(request(QString::fromLatin1(id), "sampling/createMessage"));
        peer.write(result(m["id"], "went"));
    };
    RpcClient client(*Endpoint::parse(peer.url()), Dialect::JsonRpc2);
    client.setClientMethods(knownMethods()); // has no sampling/createMessage: held
    client.setHoldUnanswered(true, 400);
    QSignalSpy held(&client, &RpcClient::requestHeld);
    QSignalSpy ended(&client, &RpcClient::holdEnded);
    QSignalSpy finished(&client, &RpcClient::finished);
    client.call("go");
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 4, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000); // the call is not held up
    QVERIFY(answersIn(peer.received).isEmpty());         // nothing answered yet
    QHash<QString, quint64> holdOf;
    for (const QList<QVariant>& h : std::as_const(held))
        holdOf[QJsonDocument::fromJson(h.at(2).toByteArray()).object().value("id").toString()] =
            h.at(0).toULongLong();
    client.answerHeld(holdOf["h1"], RpcResult::success(QJsonObject{{"text", "hi"}}));
    client.answerHeld(holdOf["h2"], RpcResult::failure(-32050, "nope"));
    client.rejectHeld(holdOf["h3"]);
    client.rejectHeld(holdOf["h3"]); // answered once only
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 4, 5000);

    QHash<quint64, QString> how;
    for (const QList<QVariant>& e : std::as_const(ended))
        how[e.at(0).toULongLong()] = e.at(1).toString();
    QCOMPARE(how.value(holdOf["h1"]), QStringLiteral("answered"));
    QCOMPARE(how.value(holdOf["h2"]), QStringLiteral("answered"));
    QCOMPARE(how.value(holdOf["h3"]), QStringLiteral("rejected"));
    QCOMPARE(how.value(holdOf["h4"]), QStringLiteral("timed out"));

    QTRY_COMPARE_WITH_TIMEOUT(answersIn(peer.received).size(), 4, 5000);
    const QList<QJsonObject> answers = answersIn(peer.received);
    QCOMPARE(answerFor(answers, "h1").value("result"), QJsonValue(QJsonObject{{"text", "hi"}}));
    QCOMPARE(errorCode(answerFor(answers, "h2")), -32050);
    QCOMPARE(errorCode(answerFor(answers, "h3")), -32000);
    QCOMPARE(answerFor(answers, "h3").value("error").toObject().value("message"),
             QJsonValue("rejected by the user"));
    QCOMPARE(errorCode(answerFor(answers, "h4")), -32601);
    QVERIFY(answerFor(answers, "h4")
                .value("error")
                .toObject()
                .value("message")
                .toString()
                .contains("not answered in time"));
}

void tst_ClientAnswering::heldRequestsEndWithTheConnection()
{
    StreamPeer peer(Transport::JsonStream);
    QVERIFY(peer.listen());
    peer.onMessage = [&](const QJsonValue& m) {
        if (m["method"] == "go")
            peer.write(request(42, "elicitation/create"));
    };
    RpcClient client(*Endpoint::parse(peer.url()), Dialect::JsonRpc2);
    client.setHoldUnanswered(true);
    QSignalSpy held(&client, &RpcClient::requestHeld);
    QSignalSpy ended(&client, &RpcClient::holdEnded);
    client.call("go", QJsonValue::Undefined, 0);
    QVERIFY(held.wait(5000));
    peer.closeConnection();
    QVERIFY(ended.wait(5000));
    QCOMPARE(ended.first().at(0), held.first().at(0));
    QCOMPARE(ended.first().at(1).toString(), QStringLiteral("connection closed"));
    client.answerHeld(held.first().at(0).toULongLong(), RpcResult::success(1)); // ignored (same thread: now)
    QCOMPARE(ended.size(), 1);
    QVERIFY(answersIn(peer.received).isEmpty());
}

// MCP Streamable HTTP: the call's POST is answered with an event stream that stays open after
// a server request; the client POSTs its answer (on another connection, with the session id),
// gets 202, and only then does the server finish the stream with the call's real reply.
void tst_ClientAnswering::streamableHttpAnswerIsPosted()
{
    FakeRpcServer server(FakeRpcServer::Framing::Http);
    QVERIFY(server.listen());
    QPointer<QTcpSocket> stream;
    QJsonValue callId;
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        if (m.object().contains("method")) { // the call: open the stream, ask the client
            stream = m.socket;
            callId = m.object().value("id");
            m.socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: sess-9\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n" +
                            sseChunk(notification("notifications/message")) +
                            sseChunk(request("s-1", "sampling/createMessage")));
            return;
        }
        // the client's answer: accepted, then the stream ends with the call's reply
        m.socket->write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        if (stream)
            stream->write(sseChunk(result(callId, "done")) + "0\r\n\r\n");
    };
    RpcClient client(*Endpoint::parse(server.url() + "/mcp"), Dialect::JsonRpc2);
    auto registry = std::make_shared<MethodRegistry>();
    addCanned(*registry, "sampling/createMessage", QJsonObject{{"role", "assistant"}});
    client.setClientMethods(registry);
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy incoming(&client, &RpcClient::incoming);
    client.call("tools/call", QJsonObject{{"name", "sample"}}, 5000);
    QVERIFY(finished.wait(5000));
    const auto r = finished.first().at(1).value<CallResult>();
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result, QJsonValue("done"));
    QCOMPARE(incoming.size(), 2);

    const QList<QJsonObject> answers = [&] {
        QList<QJsonValue> all;
        for (const FakeRpcServer::Message& m : std::as_const(server.received))
            all << m.json;
        return answersIn(all);
    }();
    QCOMPARE(answers.size(), 1);
    QCOMPARE(answers.first().value("id"), QJsonValue("s-1"));
    QCOMPARE(answers.first().value("result").toObject().value("role"), QJsonValue("assistant"));
    QCOMPARE(server.connectionsAccepted, 2);
    QVERIFY(server.bytesPerConnection.at(1).startsWith("POST /mcp "));
    QVERIFY(server.bytesPerConnection.at(1).contains("Mcp-Session-Id: sess-9"));

    // The 202 answered our answer, not a call: the next call gets its own reply.
    server.onMessage = [&](const FakeRpcServer::Message& m) { server.echo(m); };
    client.call("again", QJsonArray{7}, 5000);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(1).at(1).value<CallResult>().result, QJsonValue(QJsonArray{7}));
}

// --sse: a request on the GET event stream is answered by a POST of its own (with the session
// id), on a connection other than the stream's; the 202 it gets is nobody's reply.
void tst_ClientAnswering::getStreamRequestIsAnswered()
{
    RawHttpServer server;
    QVERIFY(server.listen());
    server.respond = [](const RawHttpServer::Request& r) -> QByteArray {
        if (r.method == "GET") // an open stream carrying one request
            return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
                   "chunked\r\n\r\n" +
                   sseChunk(request(9, "roots/list"));
        if (QJsonDocument::fromJson(r.body).object().contains("method"))
            return RawHttpServer::jsonReply(r, "\"mine\"", "Mcp-Session-Id: s7\r\n");
        return RawHttpServer::response("202 Accepted", {}, {});
    };
    Endpoint endpoint = *Endpoint::parse(server.url(QStringLiteral("/mcp")));
    endpoint.options.sse = true;
    RpcClient client(endpoint, Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy incoming(&client, &RpcClient::incoming);
    client.call("first");
    QVERIFY(incoming.wait(5000));
    const auto answerPost = [&]() -> const RawHttpServer::Request* {
        for (const RawHttpServer::Request& r : std::as_const(server.requests))
            if (r.method == "POST" && !QJsonDocument::fromJson(r.body).object().contains("method"))
                return &r;
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(answerPost(), 5000);
    const RawHttpServer::Request answer = *answerPost();
    QCOMPARE(answer.target, QByteArray("/mcp"));
    QCOMPARE(answer.value("Mcp-Session-Id"), QByteArray("s7"));
    QCOMPARE(QJsonDocument::fromJson(answer.body).object().value("id"), QJsonValue(9));
    QCOMPARE(errorCode(QJsonDocument::fromJson(answer.body).object()), -32601);
    QVERIFY(answer.connection != server.requests.first().connection); // not the calls' connection

    client.call("second");
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
    for (const QList<QVariant>& f : std::as_const(finished))
        QCOMPARE(f.at(1).value<CallResult>().result, QJsonValue("mine"));
    QCOMPARE(incoming.size(), 1);
}

QTEST_GUILESS_MAIN(tst_ClientAnswering)
#include "tst_clientanswering.moc"
