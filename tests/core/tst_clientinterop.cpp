// RpcClient (and `rpcbench call`) against servers written independently in python3 (stdlib
// only): one behaving like the original classic framework (single recv, reply, close) and a
// newline-delimited JSON-RPC 2.0 server that answers concurrently (replies out of order).

#include "PythonServer.h"
#include "client/RpcClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

class tst_ClientInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void classicCalls_data();
    void classicCalls();
    void classicConcurrentCalls();
    void classicDiscoveryFailsCleanly();
    void classicFromCommandLine();

    void ndjsonCalls_data();
    void ndjsonCalls();
    void ndjsonOutOfOrderReplies();
    void ndjsonBatch();
    void ndjsonNotification();

private:
    PythonServer m_classic;
    PythonServer m_ndjson;

    std::unique_ptr<RpcClient> client(const PythonServer& server, Dialect dialect);
    CallResult callAndWait(RpcClient& client, const CallRequest& request);
};

void tst_ClientInterop::initTestCase()
{
    if (PythonServer::python3().isEmpty())
        QSKIP("python3 is not installed");
    QVERIFY2(m_classic.start("classic_server.py"), m_classic.errors().constData());
    QVERIFY2(m_ndjson.start("ndjson_server.py"), m_ndjson.errors().constData());
}

std::unique_ptr<RpcClient> tst_ClientInterop::client(const PythonServer& server, Dialect dialect)
{
    return std::make_unique<RpcClient>(
        *Endpoint::parse(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port())), dialect);
}

CallResult tst_ClientInterop::callAndWait(RpcClient& client, const CallRequest& request)
{
    QSignalSpy spy(&client, &RpcClient::finished);
    const quint64 id = client.call(request);
    if (!spy.wait(10000))
        return {};
    [&] { QCOMPARE(spy.first().at(0).toULongLong(), id); }();
    return spy.first().at(1).value<CallResult>();
}

void tst_ClientInterop::classicCalls_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonArray>("args");
    QTest::addColumn<QJsonObject>("kwargs");
    QTest::addColumn<QJsonValue>("result"); // Undefined: an error is expected
    QTest::addColumn<int>("errorCode");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("args and kwargs") << "add" << QJsonArray{1, 2} << QJsonObject{{"c", 3}} << QJsonValue(6)
                                     << 0 << "";
    QTest::newRow("default used") << "add" << QJsonArray{1, 2} << QJsonObject() << QJsonValue(13) << 0 << "";
    QTest::newRow("all by name") << "add" << QJsonArray() << QJsonObject{{"a", 1}, {"b", 1}, {"c", 1}}
                                 << QJsonValue(3) << 0 << "";
    QTest::newRow("varargs + kwarg") << "concat" << QJsonArray{"a", "b", 3} << QJsonObject{{"sep", "-"}}
                                     << QJsonValue("a-b-3") << 0 << "";
    QTest::newRow("unicode") << "echo" << QJsonArray{"héllo ✓"} << QJsonObject() << QJsonValue("héllo ✓") << 0
                             << "";
    QTest::newRow("object") << "echo" << QJsonArray{QJsonObject{{"k", QJsonArray{1, true, QJsonValue::Null}}}}
                            << QJsonObject()
                            << QJsonValue(QJsonObject{{"k", QJsonArray{1, true, QJsonValue::Null}}}) << 0
                            << "";
    QTest::newRow("exception") << "divide" << QJsonArray{1, 0} << QJsonObject()
                               << QJsonValue(QJsonValue::Undefined) << -32000 << "ZeroDivisionError";
    QTest::newRow("unknown method") << "nope" << QJsonArray() << QJsonObject()
                                    << QJsonValue(QJsonValue::Undefined) << -32601 << "nope";
}

void tst_ClientInterop::classicCalls()
{
    QFETCH(QString, method);
    QFETCH(QJsonArray, args);
    QFETCH(QJsonObject, kwargs);
    QFETCH(QJsonValue, result);
    QFETCH(int, errorCode);
    QFETCH(QString, errorPart);
    auto c = client(m_classic, Dialect::Classic);
    CallRequest r{method, args, kwargs};
    const CallResult out = callAndWait(*c, r);
    if (result.isUndefined()) {
        QCOMPARE(toString(out.status), toString(CallStatus::RpcError));
        QCOMPARE(out.error.code, errorCode);
        QVERIFY2(out.error.message.contains(errorPart), qPrintable(out.error.message));
    } else {
        QVERIFY2(out.ok(), qPrintable(out.describe()));
        QCOMPARE(out.result, result);
    }
}

void tst_ClientInterop::classicConcurrentCalls()
{
    // The server handles one connection at a time; the client opens one per call and they
    // queue in the listen backlog. Every call must get its own answer.
    auto c = client(m_classic, Dialect::Classic);
    QSignalSpy spy(c.get(), &RpcClient::finished);
    QHash<quint64, int> expected;
    for (int i = 0; i < 8; ++i)
        expected.insert(c->call(CallRequest{"add", QJsonArray{i, i}, QJsonObject{{"c", 0}}}), 2 * i);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 8, 10000);
    for (const QList<QVariant>& args : spy) {
        const CallResult r = args.at(1).value<CallResult>();
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result.toInt(), expected.value(args.at(0).toULongLong()));
    }
}

void tst_ClientInterop::classicDiscoveryFailsCleanly()
{
    auto c = client(m_classic, Dialect::Classic);
    QSignalSpy spy(c.get(), &RpcClient::discovered);
    c->discover();
    QVERIFY(spy.wait(10000));
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY(!d.ok());
    QVERIFY(!d.transportFailure);
    QVERIFY2(d.error.contains("rpc.discover") && d.error.contains("-32601"), qPrintable(d.error));
    // The server is still fine afterwards.
    QVERIFY(callAndWait(*c, CallRequest{"echo", QJsonArray{1}}).ok());
}

void tst_ClientInterop::classicFromCommandLine()
{
    QProcess p;
    p.start(QStringLiteral(RPCBENCH_BIN),
            {"call", "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(m_classic.port()), "--dialect",
             "classic", "add", "1", "2", "c=3"});
    QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 10000));
    QCOMPARE(p.readAllStandardError(), QByteArray());
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("6\n"));
}

void tst_ClientInterop::ndjsonCalls_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<QJsonValue>("result"); // Undefined: an error is expected
    QTest::addColumn<int>("errorCode");

    QTest::newRow("positional") << "add" << QJsonValue(QJsonArray{1, 2, 3}) << QJsonValue(6) << 0;
    QTest::newRow("named") << "add" << QJsonValue(QJsonObject{{"a", 1}, {"b", 2}}) << QJsonValue(13) << 0;
    QTest::newRow("integer above 2^53") << "echo" << QJsonValue(QJsonArray{qint64(9007199254740993)})
                                        << QJsonValue(qint64(9007199254740993)) << 0;
    QTest::newRow("string with newline")
        << "echo" << QJsonValue(QJsonArray{"a\nb\"}{"}) << QJsonValue("a\nb\"}{") << 0;
    QTest::newRow("method not found")
        << "nope" << QJsonValue(QJsonArray()) << QJsonValue(QJsonValue::Undefined) << -32601;
    QTest::newRow("invalid params") << "add" << QJsonValue(QJsonArray{1}) << QJsonValue(QJsonValue::Undefined)
                                    << -32602;
    QTest::newRow("server error") << "fail" << QJsonValue(QJsonArray{-32050, "no"})
                                  << QJsonValue(QJsonValue::Undefined) << -32050;
}

void tst_ClientInterop::ndjsonCalls()
{
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(QJsonValue, result);
    QFETCH(int, errorCode);
    auto c = client(m_ndjson, Dialect::JsonRpc2);
    const CallResult out = callAndWait(*c, CallRequest{method, params});
    if (result.isUndefined()) {
        QCOMPARE(toString(out.status), toString(CallStatus::RpcError));
        QCOMPARE(out.error.code, errorCode);
    } else {
        QVERIFY2(out.ok(), qPrintable(out.describe()));
        QCOMPARE(out.result, result);
        QCOMPARE(out.result.toInteger(), result.toInteger()); // exact, not via double
    }
}

void tst_ClientInterop::ndjsonOutOfOrderReplies()
{
    auto c = client(m_ndjson, Dialect::JsonRpc2);
    QSignalSpy spy(c.get(), &RpcClient::finished);
    const quint64 slow = c->call("sleep", QJsonArray{400});
    const quint64 fast = c->call("sleep", QJsonArray{5});
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 10000);
    QCOMPARE(spy.at(0).at(0).toULongLong(), fast); // answered first, matched by id
    QCOMPARE(spy.at(1).at(0).toULongLong(), slow);
    QCOMPARE(spy.at(0).at(1).value<CallResult>().result.toInt(), 5);
    QCOMPARE(spy.at(1).at(1).value<CallResult>().result.toInt(), 400);
}

void tst_ClientInterop::ndjsonBatch()
{
    auto c = client(m_ndjson, Dialect::JsonRpc2);
    QSignalSpy spy(c.get(), &RpcClient::batchFinished);
    CallRequest note{"echo", QJsonArray{0}};
    note.notification = true;
    c->batch({{"add", QJsonArray{1, 1, 1}}, note, {"nope"}, {"echo", QJsonArray{"x"}}});
    QVERIFY(spy.wait(10000));
    const BatchResult b = spy.first().at(1).value<BatchResult>();
    QVERIFY2(b.ok(), qPrintable(b.transportError));
    QCOMPARE(b.items.size(), 4);
    QCOMPARE(b.items[0].result.toInt(), 3);
    QVERIFY(b.items[1].notification && b.items[1].ok());
    QCOMPARE(b.items[2].error.code, -32601);
    QCOMPARE(b.items[3].result, QJsonValue("x"));
}

void tst_ClientInterop::ndjsonNotification()
{
    auto c = client(m_ndjson, Dialect::JsonRpc2);
    QSignalSpy spy(c.get(), &RpcClient::finished);
    c->notify("echo", QJsonArray{1});
    QVERIFY(spy.wait(10000));
    QVERIFY(spy.first().at(1).value<CallResult>().ok());
    // The connection still answers calls afterwards (nothing stray arrived for the notification).
    QCOMPARE(callAndWait(*c, CallRequest{"echo", QJsonArray{2}}).result.toInt(), 2);
}

QTEST_GUILESS_MAIN(tst_ClientInterop)
#include "tst_clientinterop.moc"
