// RpcClient against a scriptable fake server on 127.0.0.1: request shapes per dialect, id
// matching, pipelining, out-of-order replies, timeouts, cancel, batches, reconnection, the
// classic one-connection-per-call rule, traffic events and threading (discovery:
// tst_methoddiscovery).

#include "FakeRpcServer.h"
#include "client/RpcClient.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace rpcbench;

namespace {

using Message = FakeRpcServer::Message;

// The CallResult the spy recorded for `id` (status NoReply with callId 0 when absent).
CallResult resultFor(const QSignalSpy& spy, quint64 id)
{
    for (const QList<QVariant>& args : spy)
        if (args.at(0).toULongLong() == id)
            return args.at(1).value<CallResult>();
    return {};
}

Endpoint endpointOf(const FakeRpcServer& server)
{
    return *Endpoint::parse(server.url());
}

// Replies in the request's own dialect, with the params as the result.
void dialectEcho(FakeRpcServer& server, const Message& m)
{
    const QJsonObject req = m.object();
    if (req.contains("method_name"))
        server.reply(m,
                     QJsonObject{{"res", QJsonArray{req.value("method_args"), req.value("method_kwargs")}}});
    else if (!req.contains("jsonrpc"))
        server.reply(m, QJsonObject{{"result", req.value("params")},
                                    {"error", QJsonValue::Null},
                                    {"id", req.value("id")}});
    else
        server.echo(m);
}

} // namespace

class tst_RpcClient : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void requestShape_data();
    void requestShape();
    void pipelinesAndMatchesOutOfOrderReplies();
    void rpcErrorReplies_data();
    void rpcErrorReplies();
    void timeoutEndsCallAndIgnoresLateReply();
    void cancelEndsCallAndIgnoresLateReply();
    void notificationHasNoIdAndFinishes();
    void batchMatchesRepliesAndMarksMissing();
    void batchRejectedAsWhole();
    void requestsTheDialectCannotExpress_data();
    void requestsTheDialectCannotExpress();
    void reconnectsAfterServerGoesAway_data();
    void reconnectsAfterServerGoesAway();
    void pendingCallsFailWhenConnectionDrops();
    void connectionRefused();
    void noUrlSet();
    void malformedReplyFailsCall();
    void classicUsesOneConnectionPerCall();
    void httpPipelinesAndAcknowledgesNotifications();
    void httpErrorStatus();
    void publishesTrafficEvents();
    void worksFromAnotherThread();

private:
    std::unique_ptr<FakeRpcServer> m_server;
    std::unique_ptr<RpcClient> m_client;
    std::unique_ptr<QSignalSpy> m_finished;

    void startServer(FakeRpcServer::Framing framing = FakeRpcServer::Framing::JsonStream);
    CallResult callAndWait(const CallRequest& request);
};

void tst_RpcClient::init()
{
    startServer();
}

void tst_RpcClient::cleanup()
{
    m_finished.reset();
    m_client.reset();
    m_server.reset();
}

void tst_RpcClient::startServer(FakeRpcServer::Framing framing)
{
    m_finished.reset();
    m_client.reset();
    m_server = std::make_unique<FakeRpcServer>(framing);
    QVERIFY(m_server->listen());
    m_client = std::make_unique<RpcClient>(endpointOf(*m_server), Dialect::JsonRpc2);
    m_finished = std::make_unique<QSignalSpy>(m_client.get(), &RpcClient::finished);
}

CallResult tst_RpcClient::callAndWait(const CallRequest& request)
{
    const qsizetype before = m_finished->size();
    const quint64 id = m_client->call(request);
    if (!QTest::qWaitFor([&] { return m_finished->size() > before; }, 5000))
        return {};
    return resultFor(*m_finished, id);
}

void tst_RpcClient::requestShape_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<QJsonObject>("kwargs");
    QTest::addColumn<QJsonObject>("expectedRequest"); // without the id
    QTest::addColumn<QJsonValue>("expectedResult");

    const QJsonArray pos{1, "two", QJsonObject{{"x", true}}};
    const QJsonObject named{{"a", 1}, {"b", QJsonArray{2}}};
    const int v2 = int(Dialect::JsonRpc2), v1 = int(Dialect::JsonRpc1), classic = int(Dialect::Classic);

    QTest::newRow("2.0 positional") << v2 << QJsonValue(pos) << QJsonObject()
                                    << QJsonObject{{"jsonrpc", "2.0"}, {"method", "m"}, {"params", pos}}
                                    << QJsonValue(pos);
    QTest::newRow("2.0 named") << v2 << QJsonValue(named) << QJsonObject()
                               << QJsonObject{{"jsonrpc", "2.0"}, {"method", "m"}, {"params", named}}
                               << QJsonValue(named);
    QTest::newRow("2.0 no params") << v2 << QJsonValue(QJsonValue::Undefined) << QJsonObject()
                                   << QJsonObject{{"jsonrpc", "2.0"}, {"method", "m"}}
                                   << QJsonValue(QJsonValue::Null);
    QTest::newRow("1.0 positional") << v1 << QJsonValue(pos) << QJsonObject()
                                    << QJsonObject{{"method", "m"}, {"params", pos}} << QJsonValue(pos);
    QTest::newRow("1.0 no params = []")
        << v1 << QJsonValue(QJsonValue::Undefined) << QJsonObject()
        << QJsonObject{{"method", "m"}, {"params", QJsonArray()}} << QJsonValue(QJsonArray());
    QTest::newRow("classic args+kwargs")
        << classic << QJsonValue(pos) << named
        << QJsonObject{{"method_name", "m"}, {"method_args", pos}, {"method_kwargs", named}}
        << QJsonValue(QJsonArray{pos, named});
    QTest::newRow("classic by name") << classic << QJsonValue(named) << QJsonObject()
                                     << QJsonObject{{"method_name", "m"},
                                                    {"method_args", QJsonArray()},
                                                    {"method_kwargs", named}}
                                     << QJsonValue(QJsonArray{QJsonArray(), named});
}

void tst_RpcClient::requestShape()
{
    QFETCH(int, dialect);
    QFETCH(QJsonValue, params);
    QFETCH(QJsonObject, kwargs);
    QFETCH(QJsonObject, expectedRequest);
    QFETCH(QJsonValue, expectedResult);

    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) { dialectEcho(*server, m); };
    m_client->setDialect(Dialect(dialect));
    CallRequest r;
    r.method = "m";
    r.params = params;
    r.kwargs = kwargs;
    const CallResult result = callAndWait(r);

    QCOMPARE(toString(result.status), toString(CallStatus::Ok));
    QCOMPARE(server->received.size(), 1);
    QJsonObject sent = server->received.first().object();
    if (Dialect(dialect) != Dialect::Classic) {
        QCOMPARE(sent.value("id").toInteger(), qint64(result.callId)); // the id is the call id
        QCOMPARE(result.id, QJsonValue(qint64(result.callId)));
        sent.remove("id");
    }
    QCOMPARE(sent, expectedRequest);
    QCOMPARE(result.result, expectedResult);
    QCOMPARE(result.method, QStringLiteral("m"));
    QCOMPARE(result.requestBytes, server->received.first().raw);
    QVERIFY(result.latencyUs >= 0);
    QCOMPARE(result.replySize, result.replyBytes.size());
}

void tst_RpcClient::pipelinesAndMatchesOutOfOrderReplies()
{
    m_server->onMessage = nullptr; // hold every request
    QList<quint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << m_client->call("echo", QJsonArray{i});
    // All five are on the wire before any reply: pipelined on one connection.
    QTRY_COMPARE(m_server->received.size(), 5);
    QCOMPARE(m_server->connectionsAccepted, 1);
    QCOMPARE(m_client->pendingCount(), 5);
    for (qsizetype i = m_server->received.size() - 1; i >= 0; --i)
        m_server->echo(m_server->received.at(i));
    QTRY_COMPARE(m_finished->size(), 5);
    for (int i = 0; i < 5; ++i) {
        const CallResult r = resultFor(*m_finished, ids.at(i));
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result, QJsonValue(QJsonArray{i}));
    }
    // Replies came back newest first, so the first call finished last.
    QCOMPARE(m_finished->last().at(0).toULongLong(), ids.first());
    QCOMPARE(m_client->pendingCount(), 0);
}

void tst_RpcClient::rpcErrorReplies_data()
{
    QTest::addColumn<QJsonObject>("reply"); // "id" is filled in
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QJsonValue>("data");

    QTest::newRow("2.0 with data")
        << QJsonObject{{"jsonrpc", "2.0"},
                       {"error", QJsonObject{{"code", -32000}, {"message", "boom"}, {"data", QJsonArray{1}}}}}
        << -32000 << "boom" << QJsonValue(QJsonArray{1});
    QTest::newRow("2.0 method not found")
        << QJsonObject{{"jsonrpc", "2.0"},
                       {"error", QJsonObject{{"code", -32601}, {"message", "Method not found"}}}}
        << -32601 << "Method not found" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("1.0 result null") << QJsonObject{{"result", QJsonValue::Null},
                                                    {"error", QJsonObject{{"code", 7}, {"message", "seven"}}}}
                                     << 7 << "seven" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("error as a string")
        << QJsonObject{{"result", QJsonValue::Null}, {"error", "it broke"}} << ErrorCode::ServerError
        << "it broke" << QJsonValue(QJsonValue::Undefined);
}

void tst_RpcClient::rpcErrorReplies()
{
    QFETCH(QJsonObject, reply);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QJsonValue, data);
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server, reply](const Message& m) {
        QJsonObject r = reply;
        r.insert("id", m.object().value("id"));
        server->reply(m, r);
    };
    const CallResult r = callAndWait({"fail"});
    QCOMPARE(toString(r.status), toString(CallStatus::RpcError));
    QCOMPARE(r.error.code, code);
    QCOMPARE(r.error.message, message);
    QCOMPARE(r.error.data, data);
    QCOMPARE(r.describe(), QStringLiteral("error %1: %2").arg(code).arg(message));
}

void tst_RpcClient::timeoutEndsCallAndIgnoresLateReply()
{
    m_server->onMessage = nullptr;
    CallRequest slow{"slow"};
    slow.timeoutMs = 100;
    const CallResult r = callAndWait(slow);
    QCOMPARE(toString(r.status), toString(CallStatus::Timeout));
    QCOMPARE(r.transportError, QStringLiteral("timed out after 100 ms"));
    QCOMPARE(r.latencyUs, -1);

    // The late reply is dropped; the connection keeps working for the next call.
    m_server->echo(m_server->received.first());
    m_server->onMessage = [this](const Message& m) { m_server->echo(m); };
    QVERIFY(callAndWait({"next", QJsonArray{1}}).ok());
    QCOMPARE(m_finished->size(), 2);
    QCOMPARE(m_server->connectionsAccepted, 1);
}

void tst_RpcClient::cancelEndsCallAndIgnoresLateReply()
{
    m_server->onMessage = nullptr;
    const quint64 id = m_client->call("slow");
    QTRY_COMPARE(m_server->received.size(), 1);
    m_client->cancel(id);
    m_client->cancel(id);      // twice: ignored
    m_client->cancel(id + 99); // unknown: ignored
    QTRY_COMPARE(m_finished->size(), 1);
    QCOMPARE(toString(resultFor(*m_finished, id).status), toString(CallStatus::Cancelled));

    m_server->echo(m_server->received.first());
    m_server->onMessage = [this](const Message& m) { m_server->echo(m); };
    QVERIFY(callAndWait({"next", QJsonArray{1}}).ok());
    QCOMPARE(m_finished->size(), 2);
}

void tst_RpcClient::notificationHasNoIdAndFinishes()
{
    const quint64 id = m_client->notify("hello", QJsonArray{1});
    QTRY_COMPARE(m_finished->size(), 1);
    const CallResult r = resultFor(*m_finished, id);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QVERIFY(r.notification);
    QTRY_COMPARE(m_server->received.size(), 1);
    const QJsonObject sent = m_server->received.first().object();
    QVERIFY(!sent.contains("id"));
    QCOMPARE(sent.value("method").toString(), QStringLiteral("hello"));
}

void tst_RpcClient::batchMatchesRepliesAndMarksMissing()
{
    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        const QJsonArray calls = m.json.toArray();
        // Replies out of order, one as an error, none for the third request.
        server->reply(m, QJsonArray{
                             QJsonObject{{"jsonrpc", "2.0"}, {"id", calls.at(3)["id"]}, {"result", "fourth"}},
                             QJsonObject{{"jsonrpc", "2.0"},
                                         {"id", calls.at(0)["id"]},
                                         {"error", QJsonObject{{"code", -32602}, {"message", "bad a"}}}},
                         });
    };
    CallRequest note{"note"};
    note.notification = true;
    const quint64 id =
        m_client->batch({{"first", QJsonArray{1}}, note, {"third"}, {"fourth", QJsonObject{{"k", 1}}}});
    QVERIFY(batches.wait(5000));
    QCOMPARE(batches.first().at(0).toULongLong(), id);
    const BatchResult b = batches.first().at(1).value<BatchResult>();
    QVERIFY(b.ok());
    QVERIFY(!b.allOk());
    QCOMPARE(b.items.size(), 4);
    QCOMPARE(toString(b.items[0].status), toString(CallStatus::RpcError));
    QCOMPARE(b.items[0].error.message, QStringLiteral("bad a"));
    QVERIFY(b.items[1].notification);
    QCOMPARE(toString(b.items[1].status), toString(CallStatus::Ok));
    QCOMPARE(toString(b.items[2].status), toString(CallStatus::NoReply));
    QCOMPARE(b.items[2].method, QStringLiteral("third"));
    QCOMPARE(toString(b.items[3].status), toString(CallStatus::Ok));
    QCOMPARE(b.items[3].result, QJsonValue("fourth"));

    // On the wire: one array; the notification carries no id, ids are distinct.
    const QJsonArray sent = m_server->received.first().json.toArray();
    QCOMPARE(sent.size(), 4);
    QVERIFY(!sent.at(1).toObject().contains("id"));
    QVERIFY(sent.at(0)["id"] != sent.at(2)["id"]);
    QCOMPARE(b.requestBytes, m_server->received.first().raw);
    QCOMPARE(m_finished->size(), 0); // batches report through batchFinished only
}

void tst_RpcClient::batchRejectedAsWhole()
{
    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        server->reply(m,
                      QJsonObject{{"jsonrpc", "2.0"},
                                  {"id", QJsonValue::Null},
                                  {"error", QJsonObject{{"code", -32600}, {"message", "no batches here"}}}});
    };
    m_client->batch({{"a"}, {"b"}});
    QVERIFY(batches.wait(5000));
    const BatchResult b = batches.first().at(1).value<BatchResult>();
    QCOMPARE(toString(b.status), toString(CallStatus::RpcError));
    QCOMPARE(b.error.code, -32600);
    QCOMPARE(toString(b.items[1].status), toString(CallStatus::RpcError));
}

void tst_RpcClient::requestsTheDialectCannotExpress_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<bool>("notification");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<QJsonObject>("kwargs");
    QTest::addColumn<QString>("errorPart");
    const int v2 = int(Dialect::JsonRpc2), classic = int(Dialect::Classic);
    QTest::newRow("classic notification")
        << classic << true << QJsonValue(QJsonArray()) << QJsonObject() << "no notifications";
    QTest::newRow("2.0 mixed args") << v2 << false << QJsonValue(QJsonArray{1}) << QJsonObject{{"a", 1}}
                                    << "cannot mix";
    QTest::newRow("scalar params") << v2 << false << QJsonValue(3) << QJsonObject() << "array or object";
}

void tst_RpcClient::requestsTheDialectCannotExpress()
{
    QFETCH(int, dialect);
    QFETCH(bool, notification);
    QFETCH(QJsonValue, params);
    QFETCH(QJsonObject, kwargs);
    QFETCH(QString, errorPart);
    m_client->setDialect(Dialect(dialect));
    CallRequest r{"m", params, kwargs, notification};
    const CallResult result = callAndWait(r);
    QCOMPARE(toString(result.status), toString(CallStatus::TransportError));
    QVERIFY2(result.transportError.contains(errorPart), qPrintable(result.transportError));
    QCOMPARE(m_server->connectionsAccepted, 0); // nothing was sent

    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    m_client->setDialect(Dialect::Classic);
    m_client->batch({{"a"}});
    QVERIFY(batches.wait(5000));
    QVERIFY(batches.first().at(1).value<BatchResult>().transportError.contains("no batches"));
}

void tst_RpcClient::reconnectsAfterServerGoesAway_data()
{
    QTest::addColumn<bool>("restart");
    QTest::newRow("connection closed") << false;
    QTest::newRow("server restarted") << true;
}

void tst_RpcClient::reconnectsAfterServerGoesAway()
{
    QFETCH(bool, restart);
    QSignalSpy states(m_client.get(), &RpcClient::stateChanged);
    QVERIFY(callAndWait({"a", QJsonArray{1}}).ok());
    QCOMPARE(toString(m_client->state()), toString(ClientState::Connected));

    const quint16 port = m_server->port();
    if (restart) {
        m_server->shutdown();
        QTRY_COMPARE(toString(m_client->state()), toString(ClientState::Disconnected));
        QVERIFY(m_server->listen(port));
    } else {
        m_server->closeConnections();
        QTRY_COMPARE(toString(m_client->state()), toString(ClientState::Disconnected));
    }
    QCOMPARE(states.last().at(1).toString(), QStringLiteral("connection closed by server"));

    const CallResult r = callAndWait({"b", QJsonArray{2}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result, QJsonValue(QJsonArray{2}));
    QCOMPARE(m_server->connectionsAccepted, 2);
}

void tst_RpcClient::pendingCallsFailWhenConnectionDrops()
{
    m_server->onMessage = nullptr;
    const quint64 a = m_client->call("a");
    const quint64 b = m_client->call("b");
    QTRY_COMPARE(m_server->received.size(), 2);
    m_server->closeConnections();
    QTRY_COMPARE(m_finished->size(), 2);
    for (quint64 id : {a, b}) {
        const CallResult r = resultFor(*m_finished, id);
        QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
        QCOMPARE(r.transportError, QStringLiteral("connection closed by server"));
    }
}

void tst_RpcClient::connectionRefused()
{
    const quint16 port = m_server->port();
    m_server->shutdown(); // the port was just free: nobody listens there now
    m_client->setEndpoint(*Endpoint::parse(QStringLiteral("tcp://127.0.0.1:%1").arg(port)));
    QSignalSpy states(m_client.get(), &RpcClient::stateChanged);
    const CallResult r = callAndWait({"a"});
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    const QString expected = QStringLiteral("connect to 127.0.0.1:%1 failed: connection refused").arg(port);
    QCOMPARE(r.transportError, expected);
    QCOMPARE(toString(states.last().at(0).value<ClientState>()), toString(ClientState::Disconnected));
    QCOMPARE(states.last().at(1).toString(), expected);
}

void tst_RpcClient::noUrlSet()
{
    RpcClient client;
    QSignalSpy spy(&client, &RpcClient::finished);
    const quint64 id = client.call("a");
    QCOMPARE(spy.size(), 0); // never from inside call()
    QVERIFY(spy.wait(5000));
    QCOMPARE(resultFor(spy, id).transportError, QStringLiteral("no server URL set"));
}

void tst_RpcClient::malformedReplyFailsCall()
{
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) { server->write(m.socket, "this is not json"); };
    const CallResult r = callAndWait({"a"});
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    QVERIFY2(r.transportError.startsWith("malformed reply"), qPrintable(r.transportError));
}

void tst_RpcClient::classicUsesOneConnectionPerCall()
{
    FakeRpcServer* server = m_server.get();
    server->closeAfterReply = true; // like the original Python server
    server->rawReplies = true;
    server->onMessage = [server](const Message& m) { dialectEcho(*server, m); };
    m_client->setDialect(Dialect::Classic);
    QList<quint64> ids;
    for (int i = 0; i < 3; ++i)
        ids << m_client->call("m", QJsonArray{i});
    QTRY_COMPARE(m_finished->size(), 3);
    for (int i = 0; i < 3; ++i) {
        const CallResult r = resultFor(*m_finished, ids.at(i));
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result, QJsonValue(QJsonArray{QJsonArray{i}, QJsonObject()}));
    }
    QCOMPARE(m_server->connectionsAccepted, 3);
    // Each connection carried exactly one message, with no delimiter after it.
    for (const QByteArray& bytes : m_server->bytesPerConnection) {
        QVERIFY(bytes.startsWith('{') && bytes.endsWith('}'));
        QVERIFY(QJsonDocument::fromJson(bytes).isObject());
    }
    QCOMPARE(toString(m_client->state()),
             toString(ClientState::Disconnected)); // no shared connection involved
}

void tst_RpcClient::httpPipelinesAndAcknowledgesNotifications()
{
    startServer(FakeRpcServer::Framing::Http);
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        if (m.object().contains("id"))
            server->echo(m);
        else
            server->write(m.socket, QByteArray()); // notification: 200 with an empty body
    };
    const quint64 a = m_client->call("a", QJsonArray{1});
    const quint64 n = m_client->notify("n");
    const quint64 b = m_client->call("b", QJsonArray{2});
    QTRY_COMPARE(m_finished->size(), 3);
    QCOMPARE(resultFor(*m_finished, a).result, QJsonValue(QJsonArray{1}));
    QCOMPARE(resultFor(*m_finished, b).result, QJsonValue(QJsonArray{2}));
    QVERIFY(resultFor(*m_finished, n).ok());
    QCOMPARE(m_server->connectionsAccepted, 1); // keep-alive
    QVERIFY(m_server->bytesPerConnection.first().startsWith("POST / HTTP/1.1\r\n"));
}

void tst_RpcClient::httpErrorStatus()
{
    startServer(FakeRpcServer::Framing::Http);
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) { server->write(m.socket, "no such page", 404); };
    const CallResult r = callAndWait({"a"});
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    QCOMPARE(r.transportError, QStringLiteral("HTTP 404 Not Found: no such page"));
}

void tst_RpcClient::publishesTrafficEvents()
{
    auto bus = std::make_shared<TrafficBus>();
    m_client->setTrafficBus(bus);
    QVERIFY(callAndWait({"echo", QJsonArray{"hi"}}).ok());
    const std::vector<TrafficEvent> events = bus->drain();
    QCOMPARE(events.size(), size_t(2));
    const TrafficEvent& out = events.at(0);
    const TrafficEvent& in = events.at(1);
    QCOMPARE(toString(out.side), toString(Side::Client));
    QCOMPARE(toString(out.direction), toString(Direction::Out));
    QCOMPARE(toString(in.direction), toString(Direction::In));
    QCOMPARE(out.peer, m_server->url());
    QCOMPARE(out.connectionId, in.connectionId);
    QCOMPARE(toString(out.transport), toString(Transport::JsonStream));
    QCOMPARE(toString(out.summary.kind), toString(MessageKind::Request));
    QCOMPARE(out.summary.method, QStringLiteral("echo"));
    QCOMPARE(toString(in.summary.kind), toString(MessageKind::Response));
    QCOMPARE(in.summary.idJson, out.summary.idJson);
    QCOMPARE(out.raw, m_server->received.first().raw);
    QCOMPARE(out.latencyUs, -1);
    QVERIFY(in.latencyUs >= 0);
}

void tst_RpcClient::worksFromAnotherThread()
{
    QThread worker;
    auto* client = new RpcClient(endpointOf(*m_server), Dialect::JsonRpc2);
    client->moveToThread(&worker);
    connect(&worker, &QThread::finished, client, &QObject::deleteLater);
    worker.start();

    QHash<quint64, CallResult> results;
    QList<ClientState> states;
    connect(client, &RpcClient::finished, this, [&](quint64 id, const CallResult& r) {
        QCOMPARE(QThread::currentThread(), thread()); // delivered queued to the caller's thread
        results.insert(id, r);
    });
    connect(client, &RpcClient::stateChanged, this, [&](ClientState s) { states << s; });

    QList<quint64> ids;
    for (int i = 0; i < 20; ++i)
        ids << client->call("echo", QJsonArray{i});
    QTRY_COMPARE(results.size(), 20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(results.value(ids.at(i)).result, QJsonValue(QJsonArray{i}));
    QCOMPARE(QSet<quint64>(ids.begin(), ids.end()).size(), 20);
    QVERIFY(states.contains(ClientState::Connected));

    m_server->onMessage = nullptr;
    const quint64 held = client->call("held");
    QTRY_COMPARE(m_server->received.size(), 21);
    client->cancel(held);
    QTRY_COMPARE(toString(results.value(held).status), toString(CallStatus::Cancelled));

    // Reconfiguring from this thread: the next call goes to the new server.
    FakeRpcServer other;
    QVERIFY(other.listen());
    QVERIFY(client->setUrl(other.url()));
    QCOMPARE(client->endpoint(), endpointOf(other));
    const quint64 moved = client->call("echo", QJsonArray{"moved"});
    QTRY_COMPARE(results.value(moved).result, QJsonValue(QJsonArray{"moved"}));
    QCOMPARE(other.connectionsAccepted, 1);

    worker.quit();
    QVERIFY(worker.wait(5000));
}

QTEST_GUILESS_MAIN(tst_RpcClient)
#include "tst_rpcclient.moc"
