// RpcClient's reply routing against a scripted server on 127.0.0.1: a message that carries
// "method" (the server's own request or notification, alone or inside an array) is never taken
// as a reply; replies are matched by id only, a foreign id leaves the call waiting (then it times
// out); null-id errors go to the call in flight as before. Also: a launched process's stderr
// lines become their own traffic rows.

#include "FakeRpcServer.h"
#include "client/RpcClient.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace rpcbench;

namespace {

using Message = FakeRpcServer::Message;

// Drains the bus into `events` and tells whether one matches.
bool sawEvent(TrafficBus& bus, std::vector<TrafficEvent>& events,
              const std::function<bool(const TrafficEvent&)>& match)
{
    for (TrafficEvent& e : bus.drain())
        events.push_back(std::move(e));
    return std::any_of(events.begin(), events.end(), match);
}

bool isIncoming(const TrafficEvent& e)
{
    return e.direction == Direction::In &&
           (e.summary.kind == MessageKind::Request || e.summary.kind == MessageKind::Notification ||
            (e.summary.kind == MessageKind::Batch && !e.summary.method.isEmpty()));
}

} // namespace

class tst_ClientRouting : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void callWithServerMessages_data();
    void callWithServerMessages();
    void batchReplyWithServerMessageInside();
    void serverBatchBeforeBatchReply();
    void batchReplyWithForeignIdsKeepsWaiting();
    void stderrOfLaunchedProcessIsPublished();

private:
    std::unique_ptr<FakeRpcServer> m_server;
    std::unique_ptr<RpcClient> m_client;
    std::shared_ptr<TrafficBus> m_bus;
};

void tst_ClientRouting::init()
{
    m_server = std::make_unique<FakeRpcServer>();
    QVERIFY(m_server->listen());
    m_client = std::make_unique<RpcClient>(*Endpoint::parse(m_server->url()), Dialect::JsonRpc2);
    m_bus = std::make_shared<TrafficBus>();
    m_client->setTrafficBus(m_bus);
}

void tst_ClientRouting::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_bus.reset();
}

void tst_ClientRouting::callWithServerMessages_data()
{
    // What the server writes for the call, in order; "@ID@" is the call's JSON-RPC id.
    QTest::addColumn<QList<QByteArray>>("frames");
    QTest::addColumn<int>("status"); // CallStatus the call ends with
    QTest::addColumn<QJsonValue>("result");
    QTest::addColumn<int>("incoming"); // incoming() signals expected
    QTest::addColumn<bool>("foreign"); // a foreign reply is warned about

    const QByteArray reply = R"({"jsonrpc":"2.0","id":@ID@,"result":"mine"})";
    const int ok = int(CallStatus::Ok), timeout = int(CallStatus::Timeout);
    QTest::newRow("notification before the reply")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","method":"window/logMessage","params":{"message":"hi"}})",
                             reply}
        << ok << QJsonValue("mine") << 1 << false;
    QTest::newRow("server request before the reply")
        << QList<
               QByteArray>{R"({"jsonrpc":"2.0","id":"srv-1","method":"workspace/configuration","params":{}})",
                           reply}
        << ok << QJsonValue("mine") << 1 << false;
    QTest::newRow("server request reusing our id")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","id":@ID@,"method":"sampling/createMessage"})", reply} << ok
        << QJsonValue("mine") << 1 << false;
    QTest::newRow("1.0 notification (id null) before the reply")
        << QList<QByteArray>{R"({"method":"log","params":["x"],"id":null})", reply} << ok
        << QJsonValue("mine") << 1 << false;
    QTest::newRow("server batch of requests before the reply")
        << QList<QByteArray>{R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":7,"method":"b"}])",
                             reply}
        << ok << QJsonValue("mine") << 1 << false;
    QTest::newRow("foreign id string")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","id":"someone-else","result":"theirs"})"} << timeout
        << QJsonValue(QJsonValue::Undefined) << 0 << true;
    QTest::newRow("unknown integer id")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","id":987654321,"result":"theirs"})"} << timeout
        << QJsonValue(QJsonValue::Undefined) << 0 << true;
    QTest::newRow("foreign reply, then ours")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","id":"x","result":"theirs"})", reply} << ok
        << QJsonValue("mine") << 0 << true;
    QTest::newRow("null-id error fails the call in flight")
        << QList<QByteArray>{R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})"}
        << int(CallStatus::RpcError) << QJsonValue(QJsonValue::Undefined) << 0 << false;
}

void tst_ClientRouting::callWithServerMessages()
{
    QFETCH(QList<QByteArray>, frames);
    QFETCH(int, status);
    QFETCH(QJsonValue, result);
    QFETCH(int, incoming);
    QFETCH(bool, foreign);

    FakeRpcServer* server = m_server.get();
    server->onMessage = [server, frames](const Message& m) {
        const QByteArray id = QByteArray::number(m.object().value("id").toInteger());
        for (QByteArray frame : frames)
            server->write(m.socket, frame.replace("@ID@", id));
    };
    if (foreign)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("foreign reply"));
    QSignalSpy finished(m_client.get(), &RpcClient::finished);
    QSignalSpy incomingSpy(m_client.get(), &RpcClient::incoming);
    CallRequest request{"work"};
    request.timeoutMs = status == int(CallStatus::Timeout) ? 300 : 5000;
    const quint64 id = m_client->call(request);

    std::vector<TrafficEvent> events;
    if (status == int(CallStatus::Timeout)) {
        // The foreign reply is in, logged, and the call is still waiting for its own.
        QTRY_VERIFY(sawEvent(*m_bus, events, [](const TrafficEvent& e) {
            return e.direction == Direction::In && e.summary.kind == MessageKind::Response;
        }));
        QCOMPARE(m_client->pendingCount(), 1);
        QCOMPARE(finished.size(), 0);
    }
    QVERIFY(finished.size() == 1 || finished.wait(5000));
    QCOMPARE(finished.first().at(0).toULongLong(), id);
    const CallResult r = finished.first().at(1).value<CallResult>();
    QCOMPARE(toString(CallStatus(r.status)), toString(CallStatus(status)));
    QCOMPARE(r.result, result);
    if (r.status == CallStatus::RpcError)
        QCOMPARE(r.error.code, -32700);
    QCOMPARE(incomingSpy.size(), incoming);
    for (const QList<QVariant>& args : incomingSpy)
        QVERIFY(args.at(1).toByteArray().contains("\"method\""));
    // Each server message is logged once, as a request or notification (a batch of them as one).
    sawEvent(*m_bus, events, [](const TrafficEvent&) { return false; });
    QCOMPARE(std::count_if(events.begin(), events.end(), isIncoming), qsizetype(incoming));
    QCOMPARE(m_server->connectionsAccepted, 1);
}

void tst_ClientRouting::batchReplyWithServerMessageInside()
{
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        const QJsonArray calls = m.json.toArray();
        server->reply(
            m, QJsonArray{
                   QJsonObject{{"jsonrpc", "2.0"}, {"id", calls.at(1)["id"]}, {"result", "second"}},
                   QJsonObject{{"jsonrpc", "2.0"}, {"method", "$/progress"}, {"params", QJsonObject()}},
                   QJsonObject{{"jsonrpc", "2.0"}, {"id", calls.at(0)["id"]}, {"result", "first"}},
               });
    };
    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    QSignalSpy incoming(m_client.get(), &RpcClient::incoming);
    m_client->batch({{"a"}, {"b"}});
    QVERIFY(batches.wait(5000));
    const BatchResult b = batches.first().at(1).value<BatchResult>();
    QVERIFY(b.allOk());
    QCOMPARE(b.items.at(0).result, QJsonValue("first"));
    QCOMPARE(b.items.at(1).result, QJsonValue("second"));
    QVERIFY(!b.replyBytes.contains("$/progress")); // the reply is the replies only
    QCOMPARE(incoming.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(incoming.first().at(1).toByteArray()).object().value("method"),
             QJsonValue("$/progress"));
    std::vector<TrafficEvent> events;
    sawEvent(*m_bus, events, [](const TrafficEvent&) { return false; });
    QCOMPARE(std::count_if(events.begin(), events.end(), isIncoming), 1);
}

void tst_ClientRouting::serverBatchBeforeBatchReply()
{
    // A batch of server requests is not our batch's reply, even with our ids in it.
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        const QJsonArray calls = m.json.toArray();
        server->reply(
            m, QJsonArray{QJsonObject{{"jsonrpc", "2.0"}, {"id", calls.at(0)["id"]}, {"method", "ask"}}});
        server->reply(m,
                      QJsonArray{QJsonObject{{"jsonrpc", "2.0"}, {"id", calls.at(0)["id"]}, {"result", 1}}});
    };
    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    QSignalSpy incoming(m_client.get(), &RpcClient::incoming);
    m_client->batch({{"a"}});
    QVERIFY(batches.wait(5000));
    const BatchResult b = batches.first().at(1).value<BatchResult>();
    QVERIFY(b.allOk());
    QCOMPARE(b.items.at(0).result, QJsonValue(1));
    QCOMPARE(incoming.size(), 1);
    QVERIFY(incoming.first().at(1).toByteArray().startsWith('['));
}

void tst_ClientRouting::batchReplyWithForeignIdsKeepsWaiting()
{
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        server->reply(m, QJsonArray{QJsonObject{{"jsonrpc", "2.0"}, {"id", "someone-else"}, {"result", 1}},
                                    QJsonObject{{"jsonrpc", "2.0"}, {"id", 123456789}, {"result", 2}}});
    };
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("foreign reply"));
    QSignalSpy batches(m_client.get(), &RpcClient::batchFinished);
    m_client->batch({{"a"}, {"b"}}, 300);
    std::vector<TrafficEvent> events;
    QTRY_VERIFY(sawEvent(*m_bus, events, [](const TrafficEvent& e) {
        return e.direction == Direction::In && e.summary.kind == MessageKind::Batch;
    }));
    QCOMPARE(m_client->pendingCount(), 1);
    QVERIFY(batches.wait(5000));
    QCOMPARE(toString(batches.first().at(1).value<BatchResult>().status), toString(CallStatus::Timeout));
}

void tst_ClientRouting::stderrOfLaunchedProcessIsPublished()
{
    // A stdio peer that logs on stderr, answers one call, then dies with a message while the
    // second call is in flight.
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 not found");
    const QString script =
        QStringLiteral("import sys, json\n"
                       "sys.stderr.write('starting up\\n'); sys.stderr.flush()\n"
                       "req = json.loads(sys.stdin.readline())\n"
                       "print(json.dumps({'jsonrpc': '2.0', 'id': req['id'], 'result': 'hi'}), flush=True)\n"
                       "sys.stdin.readline()\n"
                       "sys.stderr.write('fatal: out of cheese\\n'); sys.stderr.flush()\n"
                       "sys.exit(3)\n");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath("peer.py"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(script.toUtf8());
    file.close();
    const auto parsed = Endpoint::forCommand(python + u' ' + file.fileName(), Transport::JsonStream);
    QVERIFY(parsed);
    const Endpoint ep = *parsed;
    m_client->setEndpoint(ep);
    QSignalSpy finished(m_client.get(), &RpcClient::finished);
    const quint64 first = m_client->call("hello");
    QVERIFY(finished.wait(10000));
    const CallResult r = finished.first().at(1).value<CallResult>();
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(finished.first().at(0).toULongLong(), first);

    const quint64 second = m_client->call("dies");
    QVERIFY(finished.wait(10000));
    const CallResult dead = finished.last().at(1).value<CallResult>();
    QCOMPARE(finished.last().at(0).toULongLong(), second);
    QCOMPARE(toString(dead.status), toString(CallStatus::TransportError));
    QVERIFY2(dead.transportError.contains("3") && dead.transportError.contains("out of cheese"),
             qPrintable(dead.transportError));

    std::vector<TrafficEvent> events;
    QTRY_VERIFY(sawEvent(*m_bus, events, [](const TrafficEvent& e) {
        return e.kind == TrafficEvent::Kind::Stderr && e.raw == "fatal: out of cheese";
    }));
    const auto it = std::find_if(events.begin(), events.end(), [](const TrafficEvent& e) {
        return e.kind == TrafficEvent::Kind::Stderr && e.raw == "starting up";
    });
    QVERIFY(it != events.end());
    QCOMPARE(toString(it->direction), toString(Direction::In));
    QCOMPARE(toString(it->side), toString(Side::Client));
    QCOMPARE(it->peer, ep.toString());
    const auto reply = std::find_if(events.begin(), events.end(), [](const TrafficEvent& e) {
        return e.kind == TrafficEvent::Kind::Message && e.direction == Direction::In;
    });
    QVERIFY(reply != events.end());
    QCOMPARE(it->connectionId, reply->connectionId);
}

QTEST_GUILESS_MAIN(tst_ClientRouting)
#include "tst_clientrouting.moc"
