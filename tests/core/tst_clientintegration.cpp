// RpcClient against the real embedded server (in process, demo service, port 0): every
// transport and dialect, batches, async interleaving, discovery, large replies, traffic events
// and reconnection after the server restarts; the two sides' time stamps on one clock, and
// replies that arrive after their call timed out.

#include "DemoServerFixture.h"
#include "client/RpcClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace rpcbench;

class tst_ClientIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void everyTransportAndDialect_data();
    void everyTransportAndDialect();
    void batchOnEveryTransport_data();
    void batchOnEveryTransport();
    void asyncRepliesInterleave_data();
    void asyncRepliesInterleave();
    void largeReply_data();
    void largeReply();
    void discoveryOnEveryTransport_data();
    void discoveryOnEveryTransport();
    void trafficOnBothSides();
    void reconnectsAfterServerRestart();
    void timestampsOrderedOnOneClock_data();
    void timestampsOrderedOnOneClock();
    void lateReplyAfterTimeout_data();
    void lateReplyAfterTimeout();

private:
    DemoServerFixture m_fixture;
    std::unique_ptr<RpcClient> client(const QString& scheme, Dialect dialect = Dialect::JsonRpc2) const;
    static CallResult callAndWait(RpcClient& client, const CallRequest& request);
    static void addTransports();
};

void tst_ClientIntegration::initTestCase()
{
    QVERIFY(m_fixture.start());
}

std::unique_ptr<RpcClient> tst_ClientIntegration::client(const QString& scheme, Dialect dialect) const
{
    const QString url = QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_fixture.port());
    return std::make_unique<RpcClient>(*Endpoint::parse(url), dialect);
}

CallResult tst_ClientIntegration::callAndWait(RpcClient& client, const CallRequest& request)
{
    QSignalSpy spy(&client, &RpcClient::finished);
    client.call(request);
    if (!spy.wait(10000))
        return {};
    return spy.first().at(1).value<CallResult>();
}

void tst_ClientIntegration::addTransports()
{
    QTest::addColumn<QString>("scheme");
    for (const char* scheme : {"tcp", "tcp+lsp", "http"})
        QTest::newRow(scheme) << scheme;
}

void tst_ClientIntegration::everyTransportAndDialect_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("dialect");
    for (const char* scheme : {"tcp", "tcp+lsp", "http"})
        for (Dialect d : {Dialect::JsonRpc2, Dialect::JsonRpc1, Dialect::Classic})
            QTest::addRow("%s %s", scheme, qPrintable(toString(d))) << scheme << int(d);
}

void tst_ClientIntegration::everyTransportAndDialect()
{
    QFETCH(QString, scheme);
    QFETCH(int, dialect);
    auto c = client(scheme, Dialect(dialect));

    // Several calls on the same client: results, errors and exact big integers.
    CallResult r = callAndWait(*c, CallRequest{"add", QJsonArray{1, 2, 3}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toDouble(), 6.0);

    r = callAndWait(*c, CallRequest{"echo", QJsonArray{qint64(9007199254740993)}});
    QCOMPARE(r.result.toInteger(), qint64(9007199254740993));

    r = callAndWait(*c, CallRequest{"fail", QJsonArray{-32042, "nope"}});
    QCOMPARE(toString(r.status), toString(CallStatus::RpcError));
    QCOMPARE(r.error.code, -32042);
    QCOMPARE(r.error.message, QStringLiteral("nope"));

    r = callAndWait(*c, CallRequest{"no_such_method"});
    QCOMPARE(r.error.code, ErrorCode::MethodNotFound);

    if (Dialect(dialect) == Dialect::Classic) { // positional and keyword arguments together
        r = callAndWait(*c, CallRequest{"add", QJsonArray{1, 2}, QJsonObject{{"c", 0}}});
        QCOMPARE(r.result.toDouble(), 3.0);
    } else {
        if (Dialect(dialect) == Dialect::JsonRpc2) { // 1.0 params are positional only
            r = callAndWait(*c, CallRequest{"subtract", QJsonObject{{"subtrahend", 2}, {"minuend", 9}}});
            QCOMPARE(r.result.toDouble(), 7.0);
        }
        CallRequest note{"notify_hello", QJsonArray{1}};
        note.notification = true;
        r = callAndWait(*c, note);
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        // A notification leaves nothing behind: the next call still matches its own reply.
        QCOMPARE(callAndWait(*c, CallRequest{"echo", QJsonArray{"after"}}).result, QJsonValue("after"));
    }
    QCOMPARE(c->pendingCount(), 0);
}

void tst_ClientIntegration::batchOnEveryTransport_data()
{
    addTransports();
}

void tst_ClientIntegration::batchOnEveryTransport()
{
    QFETCH(QString, scheme);
    auto c = client(scheme);
    QSignalSpy spy(c.get(), &RpcClient::batchFinished);
    CallRequest note{"notify_sum", QJsonArray{1, 2}};
    note.notification = true;
    c->batch(
        {{"sum", QJsonArray{1, 2, 4}}, note, {"subtract", QJsonArray{42, 23}}, {"foo.get"}, {"get_data"}});
    QVERIFY(spy.wait(10000));
    const BatchResult b = spy.first().at(1).value<BatchResult>();
    QVERIFY2(b.ok(), qPrintable(b.transportError));
    QCOMPARE(b.items.size(), 5);
    QCOMPARE(b.items[0].result.toDouble(), 7.0);
    QVERIFY(b.items[1].notification && b.items[1].ok());
    QCOMPARE(b.items[2].result.toDouble(), 19.0);
    QCOMPARE(b.items[3].error.code, ErrorCode::MethodNotFound);
    QCOMPARE(b.items[4].result, QJsonValue(QJsonArray{"hello", 5}));

    // All notifications: the server sends nothing back, the batch still completes.
    spy.clear();
    c->batch({note, note});
    QVERIFY(spy.wait(10000));
    QVERIFY(spy.first().at(1).value<BatchResult>().allOk());
}

void tst_ClientIntegration::asyncRepliesInterleave_data()
{
    addTransports();
}

void tst_ClientIntegration::asyncRepliesInterleave()
{
    QFETCH(QString, scheme);
    auto c = client(scheme);
    QSignalSpy spy(c.get(), &RpcClient::finished);
    const quint64 slow = c->call("sleep", QJsonArray{300});
    const quint64 fast = c->call("sleep", QJsonArray{1});
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 10000);
    for (const QList<QVariant>& args : spy) {
        const CallResult r = args.at(1).value<CallResult>();
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result.toInt(), args.at(0).toULongLong() == slow ? 300 : 1);
    }
    if (scheme != "http") // HTTP answers in request order; the streams do not wait for the slow call
        QCOMPARE(spy.first().at(0).toULongLong(), fast);
}

void tst_ClientIntegration::largeReply_data()
{
    addTransports();
}

void tst_ClientIntegration::largeReply()
{
    QFETCH(QString, scheme);
    auto c = client(scheme);
    const int size = 3 * 1024 * 1024;
    const CallResult r = callAndWait(*c, CallRequest{"blob", QJsonArray{size}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toString().size(), size);
    QVERIFY(r.replySize > size);
}

void tst_ClientIntegration::discoveryOnEveryTransport_data()
{
    addTransports();
}

void tst_ClientIntegration::discoveryOnEveryTransport()
{
    QFETCH(QString, scheme);
    auto c = client(scheme);
    QSignalSpy spy(c.get(), &RpcClient::discovered);
    c->discover();
    QVERIFY(spy.wait(10000));
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(d.source, QStringLiteral("rpc.discover"));
    const auto add =
        std::find_if(d.methods.begin(), d.methods.end(), [](const MethodInfo& m) { return m.name == "add"; });
    QVERIFY(add != d.methods.end());
    QCOMPARE(add->signature(), QStringLiteral("add(a: number, b: number, c: number = 10) -> number"));
    QVERIFY(!add->description.isEmpty());
    // Same list as the registry's own (enabled, non rpc.*) methods.
    QStringList expected;
    for (const MethodInfo& m : m_fixture.registry->methods())
        if (m.enabled && !m.name.startsWith("rpc."))
            expected << m.name;
    QStringList got;
    for (const MethodInfo& m : d.methods)
        got << m.name;
    QCOMPARE(got, expected);
}

void tst_ClientIntegration::trafficOnBothSides()
{
    m_fixture.bus->drain();
    auto bus = std::make_shared<TrafficBus>();
    auto c = client("tcp");
    c->setTrafficBus(bus);
    QVERIFY(callAndWait(*c, CallRequest{"echo", QJsonArray{"x"}}).ok());
    const auto clientEvents = bus->drain();
    QCOMPARE(clientEvents.size(), size_t(2));
    QCOMPARE(toString(clientEvents[0].side), toString(Side::Client));
    QCOMPARE(clientEvents[0].summary.method, QStringLiteral("echo"));
    QVERIFY(clientEvents[1].latencyUs >= 0);
    QTRY_VERIFY(m_fixture.bus->publishedCount() > 0);
    const auto serverEvents = m_fixture.bus->drain();
    QVERIFY(std::any_of(serverEvents.begin(), serverEvents.end(), [&](const TrafficEvent& e) {
        return e.side == Side::Server && e.direction == Direction::In && e.raw == clientEvents[0].raw;
    }));
}

void tst_ClientIntegration::reconnectsAfterServerRestart()
{
    auto c = client("tcp");
    QVERIFY(callAndWait(*c, CallRequest{"echo", QJsonArray{1}}).ok());
    const quint16 port = m_fixture.port();
    m_fixture.server->stop();
    QTRY_COMPARE(toString(c->state()), toString(ClientState::Disconnected));
    QVERIFY(m_fixture.server->start(QHostAddress::LocalHost, port));
    const CallResult r = callAndWait(*c, CallRequest{"echo", QJsonArray{2}});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toInt(), 2);
}

namespace {

const TrafficEvent* findEvent(const std::vector<TrafficEvent>& events, Side side, Direction direction)
{
    for (const TrafficEvent& e : events)
        if (e.side == side && e.direction == direction)
            return &e;
    return nullptr;
}

} // namespace

void tst_ClientIntegration::timestampsOrderedOnOneClock_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonArray>("params");
    QTest::addColumn<qint64>("minHandlerUs"); // the server's in-to-out time is at least this
    QTest::newRow("add") << "add" << QJsonArray{1, 2} << qint64(0);
    QTest::newRow("sleep(50)") << "sleep" << QJsonArray{50} << qint64(50'000);
    QTest::newRow("blob(2000000)") << "blob" << QJsonArray{2'000'000} << qint64(0);
}

// One call through the embedded client and server sharing one bus, as in the GUI: every message
// is stamped when its bytes are read or written, on one clock, so the log's order is the
// physical one and latencies are differences of stamps.
void tst_ClientIntegration::timestampsOrderedOnOneClock()
{
    QFETCH(QString, method);
    QFETCH(QJsonArray, params);
    QFETCH(qint64, minHandlerUs);
    m_fixture.bus->drain();
    auto c = client("tcp");
    c->setTrafficBus(m_fixture.bus);
    const CallResult r = callAndWait(*c, CallRequest{method, params});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QTRY_COMPARE(m_fixture.bus->pendingCount(), 4); // the server may publish "out" after the client's "in"
    const std::vector<TrafficEvent> events = m_fixture.bus->drain();
    const TrafficEvent* clientOut = findEvent(events, Side::Client, Direction::Out);
    const TrafficEvent* serverIn = findEvent(events, Side::Server, Direction::In);
    const TrafficEvent* serverOut = findEvent(events, Side::Server, Direction::Out);
    const TrafficEvent* clientIn = findEvent(events, Side::Client, Direction::In);
    QVERIFY(clientOut && serverIn && serverOut && clientIn);
    const auto order = QStringLiteral("client out %1, server in %2, server out %3, client in %4")
                           .arg(clientOut->timestampUs)
                           .arg(serverIn->timestampUs)
                           .arg(serverOut->timestampUs)
                           .arg(clientIn->timestampUs);
    QVERIFY2(clientOut->timestampUs < serverIn->timestampUs, qPrintable(order));
    QVERIFY2(serverIn->timestampUs <= serverOut->timestampUs, qPrintable(order));
    QVERIFY2(serverOut->timestampUs < clientIn->timestampUs, qPrintable(order));
    // Latencies are the differences of the stamps on that clock.
    QCOMPARE(serverOut->latencyUs, serverOut->timestampUs - serverIn->timestampUs);
    QCOMPARE(clientIn->latencyUs, clientIn->timestampUs - clientOut->timestampUs);
    QCOMPARE(r.latencyUs, clientIn->latencyUs);
    QVERIFY2(serverOut->latencyUs >= minHandlerUs, qPrintable(order));
    // And the clock reads as wall-clock time.
    const qint64 wallUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    QVERIFY2(qAbs(clientIn->timestampUs - wallUs) < 60'000'000, qPrintable(order));
}

void tst_ClientIntegration::lateReplyAfterTimeout_data()
{
    addTransports();
}

// A reply that comes after its call timed out (on the shared connection) is reported late: a
// signal with its latency since the request was sent, and a log event marked late.
void tst_ClientIntegration::lateReplyAfterTimeout()
{
    QFETCH(QString, scheme);
    m_fixture.bus->drain();
    auto c = client(scheme);
    c->setTrafficBus(m_fixture.bus);
    QSignalSpy late(c.get(), &RpcClient::lateReply);
    CallRequest slow{"sleep", QJsonArray{200}};
    slow.timeoutMs = 50;
    const CallResult r = callAndWait(*c, slow);
    QCOMPARE(toString(r.status), toString(CallStatus::Timeout));
    QVERIFY(late.isEmpty());

    QVERIFY(late.wait(5000));
    QCOMPARE(late.size(), 1);
    QCOMPARE(late.first().at(0).toULongLong(), r.callId);
    const qint64 latencyUs = late.first().at(1).toLongLong();
    QVERIFY2(latencyUs >= 200'000 && latencyUs < 5'000'000, qPrintable(QString::number(latencyUs)));

    const std::vector<TrafficEvent> events = m_fixture.bus->drain();
    const auto lateEvent = std::find_if(events.begin(), events.end(), [](const TrafficEvent& e) {
        return e.side == Side::Client && e.direction == Direction::In;
    });
    QVERIFY(lateEvent != events.end());
    QVERIFY(lateEvent->late);
    QCOMPARE(lateEvent->latencyUs, latencyUs);
    const TrafficEvent* sent = findEvent(events, Side::Client, Direction::Out);
    QVERIFY(sent);
    QCOMPARE(lateEvent->timestampUs - sent->timestampUs, latencyUs);

    // The connection keeps working, and replies in time are not late.
    QVERIFY(callAndWait(*c, CallRequest{"echo", QJsonArray{1}}).ok());
    QCOMPARE(late.size(), 1);
    QTRY_VERIFY(m_fixture.bus->pendingCount() >= 2);
    for (const TrafficEvent& e : m_fixture.bus->drain())
        QVERIFY(!e.late);
}

QTEST_GUILESS_MAIN(tst_ClientIntegration)
#include "tst_clientintegration.moc"
