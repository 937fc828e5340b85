// RpcClient's failures in one line that says what failed: HTTP error statuses (401/403 called
// out as authentication, with the first line of the body), and a reply over the size limit
// (--max-reply-bytes), which ends the call and the connection.

#include "FakeRpcServer.h"
#include "client/RpcClient.h"

#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

using Message = FakeRpcServer::Message;

CallResult waitForResult(QSignalSpy& spy, quint64 id)
{
    if (!QTest::qWaitFor(
            [&] {
                return std::any_of(spy.begin(), spy.end(),
                                   [id](const QList<QVariant>& a) { return a.at(0).toULongLong() == id; });
            },
            5000))
        return {};
    for (const QList<QVariant>& args : spy)
        if (args.at(0).toULongLong() == id)
            return args.at(1).value<CallResult>();
    return {};
}

} // namespace

class tst_ClientErrors : public QObject
{
    Q_OBJECT
private slots:
    void httpStatus_data();
    void httpStatus();
    void httpErrorWithJsonRpcBodyIsTheReply();
    void replyOverTheLimit_data();
    void replyOverTheLimit();
    void processThatCannotStart();
};

void tst_ClientErrors::httpStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("401") << 401 << QByteArray("invalid token\nsee the docs\n")
                         << "HTTP 401 Unauthorized (authentication failed): invalid token";
    QTest::newRow("401 with a JSON body")
        << 401 << QByteArray(R"({"error":"missing bearer token"})")
        << R"(HTTP 401 Unauthorized (authentication failed): {"error":"missing bearer token"})";
    QTest::newRow("403")
        << 403 << QByteArray("\n\n  no access to this project  \n")
        << "HTTP 403 Forbidden (authentication failed: forbidden): no access to this project";
    QTest::newRow("500") << 500 << QByteArray("boom: database is down\ntraceback...")
                         << "HTTP 500 Internal Server Error: boom: database is down";
    QTest::newRow("503 without a body") << 503 << QByteArray() << "HTTP 503 Service Unavailable";
    QTest::newRow("long first line is cut")
        << 502 << QByteArray(300, 'x') << "HTTP 502 Bad Gateway: " + QString(200, u'x') + "...";
}

void tst_ClientErrors::httpStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);

    FakeRpcServer server(FakeRpcServer::Framing::Http);
    QVERIFY(server.listen());
    server.onMessage = [&server, status, body](const Message& m) { server.write(m.socket, body, status); };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    const CallResult r = waitForResult(finished, client.call("eth_blockNumber"));
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    QCOMPARE(r.transportError, expected);
    QVERIFY(!r.describe().contains(u'\n'));
}

void tst_ClientErrors::httpErrorWithJsonRpcBodyIsTheReply()
{
    // Servers answer JSON-RPC errors with 4xx/5xx too: the error object says more than the status.
    FakeRpcServer server(FakeRpcServer::Framing::Http);
    QVERIFY(server.listen());
    server.onMessage = [&server](const Message& m) {
        const QJsonObject reply{{"jsonrpc", "2.0"},
                                {"id", m.object().value("id")},
                                {"error", QJsonObject{{"code", -32601}, {"message", "Method not found"}}}};
        server.write(m.socket, FakeRpcServer::toJson(reply), 404);
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    const CallResult r = waitForResult(finished, client.call("nope"));
    QCOMPARE(toString(r.status), toString(CallStatus::RpcError));
    QCOMPARE(r.error.code, -32601);
}

void tst_ClientErrors::replyOverTheLimit_data()
{
    QTest::addColumn<bool>("http");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QString>("expected");

    QTest::newRow("json stream, KiB")
        << false << qint64(4096) << "reply larger than the 4 KiB limit (--max-reply-bytes)";
    QTest::newRow("json stream, MiB")
        << false << qint64(1024 * 1024) << "reply larger than the 1 MiB limit (--max-reply-bytes)";
    QTest::newRow("json stream, bytes")
        << false << qint64(1000) << "reply larger than the 1000 bytes limit (--max-reply-bytes)";
    QTest::newRow("http body") << true << qint64(4096)
                               << "reply larger than the 4 KiB limit (--max-reply-bytes)";
}

void tst_ClientErrors::replyOverTheLimit()
{
    QFETCH(bool, http);
    QFETCH(qint64, limit);
    QFETCH(QString, expected);

    FakeRpcServer server(http ? FakeRpcServer::Framing::Http : FakeRpcServer::Framing::JsonStream);
    QVERIFY(server.listen());
    // "big" gets a result just over the limit; "small" waits, and then is answered normally.
    QList<Message> held;
    server.onMessage = [&server, &held, limit](const Message& m) {
        const QString method = m.object().value("method").toString();
        if (method == "big")
            server.reply(m, QJsonObject{{"jsonrpc", "2.0"},
                                        {"id", m.object().value("id")},
                                        {"result", QString(limit, u'a')}});
        else if (method == "held")
            held << m;
        else
            server.echo(m);
    };
    Endpoint ep = *Endpoint::parse(server.url());
    ep.options.maxReplyBytes = limit;
    RpcClient client(ep, Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy states(&client, &RpcClient::stateChanged);
    quint64 heldId = 0;
    if (!http) { // a call in flight on the same stream ends with it
        heldId = client.call("held");
        QTRY_COMPARE(held.size(), 1);
    }
    const CallResult big = waitForResult(finished, client.call("big"));
    QCOMPARE(toString(big.status), toString(CallStatus::TransportError));
    QCOMPARE(big.transportError, expected);
    if (heldId != 0)
        QCOMPARE(waitForResult(finished, heldId).transportError, expected);
    QTRY_COMPARE(toString(client.state()), toString(ClientState::Disconnected));
    QCOMPARE(states.last().at(1).toString(), expected);

    // The connection could not be resynchronised: the next call opens a new one and works.
    const CallResult next = waitForResult(finished, client.call("small", QJsonArray{1}));
    QVERIFY2(next.ok(), qPrintable(next.describe()));
    QCOMPARE(server.connectionsAccepted, 2);
}

void tst_ClientErrors::processThatCannotStart()
{
    // The channel's own line names the step; the client passes it on unchanged.
    const auto ep =
        Endpoint::forCommand(QStringLiteral("/nonexistent/rpcbench-peer --stdio"), Transport::Lsp);
    QVERIFY(ep);
    RpcClient client(*ep, Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy states(&client, &RpcClient::stateChanged);
    const CallResult r = waitForResult(finished, client.call("initialize"));
    QCOMPARE(toString(r.status), toString(CallStatus::TransportError));
    QVERIFY2(r.transportError.contains("/nonexistent/rpcbench-peer") &&
                 r.transportError.contains("not found"),
             qPrintable(r.transportError));
    QVERIFY(!r.transportError.contains(u'\n'));
    QTRY_COMPARE(states.last().at(1).toString(), r.transportError);
}

QTEST_GUILESS_MAIN(tst_ClientErrors)
#include "tst_clienterrors.moc"
