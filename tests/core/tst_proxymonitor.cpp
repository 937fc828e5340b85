#include "proxy/MonitorClient.h"
#include "proxy/ProxyMonitor.h"
#include "traffic/TrafficEventCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace rpcbench;

class TestProxyMonitor : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void eventsReachTheClientsBus();
    void twoClientsBothReceive();
    void attachingToAMissingPathFails();
    void closingTheMonitorDetaches();
    void detachDoesNotReportDetached();
    void badLineIsReportedOnce();
    void slowMonitorLosesLinesAndIsToldHowMany();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString socketPath() const { return m_dir->filePath("monitor.sock"); }
    static std::vector<TrafficEvent> sampleEvents();
    static void compareEvents(const std::vector<TrafficEvent>& got, const std::vector<TrafficEvent>& want);
};

void TestProxyMonitor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::vector<TrafficEvent> TestProxyMonitor::sampleEvents()
{
    TrafficEvent request;
    request.timestampUs = 1732540000000000;
    request.connectionId = 4;
    request.peer = "127.0.0.1:4000";
    request.side = Side::Proxy;
    request.direction = Direction::In;
    request.summary.kind = MessageKind::Request;
    request.summary.dialect = Dialect::JsonRpc2;
    request.summary.method = "add";
    request.summary.idJson = "7";
    request.raw = R"({"jsonrpc":"2.0","id":7,"method":"add","params":[1,2]})";

    TrafficEvent reply = request;
    reply.timestampUs += 900;
    reply.direction = Direction::Out;
    reply.summary.kind = MessageKind::Response;
    reply.summary.method = "add";
    reply.raw = R"({"jsonrpc":"2.0","id":7,"result":3})";
    reply.latencyUs = 900;
    reply.upstreamUs = 650;
    return {request, reply};
}

void TestProxyMonitor::compareEvents(const std::vector<TrafficEvent>& got,
                                     const std::vector<TrafficEvent>& want)
{
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].summary.method, want[i].summary.method);
        QCOMPARE(got[i].summary.idJson, want[i].summary.idJson);
        QCOMPARE(got[i].raw, want[i].raw);
        QVERIFY(got[i].side == want[i].side);
        QVERIFY(got[i].direction == want[i].direction);
        QCOMPARE(got[i].upstreamUs, want[i].upstreamUs);
        QCOMPARE(got[i].latencyUs, want[i].latencyUs);
        QCOMPARE(got[i].timestampUs, want[i].timestampUs);
    }
}

void TestProxyMonitor::eventsReachTheClientsBus()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(), &error), qPrintable(error));
    QCOMPARE(monitor.path(), socketPath());

    auto bus = std::make_shared<TrafficBus>();
    MonitorClient client(bus);
    QSignalSpy attached(&client, &MonitorClient::attached);
    QSignalSpy failed(&client, &MonitorClient::failed);
    client.attach("unix:" + socketPath());
    QTRY_COMPARE(attached.count(), 1);
    QCOMPARE(attached.first().first().toString(), socketPath());
    QTRY_COMPARE(monitor.monitorCount(), 1);

    const auto events = sampleEvents();
    monitor.feed(events);
    monitor.feed(events);
    QTRY_COMPARE(client.eventsReceived(), quint64(4));
    auto both = events;
    both.insert(both.end(), events.begin(), events.end());
    compareEvents(bus->drain(), both);
    QCOMPARE(failed.count(), 0);
}

void TestProxyMonitor::twoClientsBothReceive()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(), &error), qPrintable(error));
    auto busA = std::make_shared<TrafficBus>();
    auto busB = std::make_shared<TrafficBus>();
    MonitorClient a(busA);
    MonitorClient b(busB);
    a.attach(socketPath());
    b.attach(socketPath());
    QTRY_COMPARE(monitor.monitorCount(), 2);

    const auto events = sampleEvents();
    monitor.feed(events);
    QTRY_COMPARE(a.eventsReceived(), quint64(events.size()));
    QTRY_COMPARE(b.eventsReceived(), quint64(events.size()));
    compareEvents(busA->drain(), events);
    compareEvents(busB->drain(), events);
}

void TestProxyMonitor::attachingToAMissingPathFails()
{
    MonitorClient client(std::make_shared<TrafficBus>());
    QSignalSpy failed(&client, &MonitorClient::failed);
    QSignalSpy attached(&client, &MonitorClient::attached);
    const QString missing = m_dir->filePath("nobody-listens.sock");
    client.attach(missing);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.first().first().toString().startsWith("cannot attach to " + missing + ": "),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(attached.count(), 0);
}

void TestProxyMonitor::closingTheMonitorDetaches()
{
    auto monitor = std::make_unique<ProxyMonitor>();
    QString error;
    QVERIFY2(monitor->listen(socketPath(), &error), qPrintable(error));
    MonitorClient client(std::make_shared<TrafficBus>());
    QSignalSpy attached(&client, &MonitorClient::attached);
    QSignalSpy detached(&client, &MonitorClient::detached);
    QSignalSpy failed(&client, &MonitorClient::failed);
    client.attach(socketPath());
    QTRY_COMPARE(attached.count(), 1);
    QTRY_COMPARE(monitor->monitorCount(), 1);

    monitor.reset();
    QTRY_COMPARE(detached.count(), 1);
    QCOMPARE(detached.first().first().toString(), QString("proxy closed the monitor socket"));
    QCOMPARE(failed.count(), 0);
}

void TestProxyMonitor::detachDoesNotReportDetached()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(), &error), qPrintable(error));
    MonitorClient client(std::make_shared<TrafficBus>());
    QSignalSpy attached(&client, &MonitorClient::attached);
    QSignalSpy detached(&client, &MonitorClient::detached);
    client.attach(socketPath());
    QTRY_COMPARE(attached.count(), 1);
    QTRY_COMPARE(monitor.monitorCount(), 1);

    client.detach();
    // The proxy notices the monitor leaving (and forgets it); the client stays quiet.
    QTRY_COMPARE(monitor.monitorCount(), 0);
    QCOMPARE(detached.count(), 0);
}

void TestProxyMonitor::badLineIsReportedOnce()
{
    // A raw QLocalServer plays a proxy that writes garbage between events.
    QLocalServer server;
    QLocalServer::removeServer(socketPath());
    QVERIFY(server.listen(socketPath()));
    auto bus = std::make_shared<TrafficBus>();
    MonitorClient client(bus);
    QSignalSpy failed(&client, &MonitorClient::failed);
    client.attach(socketPath());
    QTRY_VERIFY(server.hasPendingConnections());
    QLocalSocket* peer = server.nextPendingConnection();
    const auto events = sampleEvents();
    peer->write("not json\n{\"dropped\":3}\n");
    peer->write(trafficEventToJsonLine(events[0]));
    peer->write("[1,2]\n");
    // The last event arrives split in two writes: the partial tail must be kept.
    const QByteArray last = trafficEventToJsonLine(events[1]);
    peer->write(last.left(10));
    peer->flush();
    QTRY_COMPARE(client.eventsReceived(), quint64(1));
    peer->write(last.mid(10));
    QTRY_COMPARE(client.eventsReceived(), quint64(2));

    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().first().toString().startsWith("line 1: "),
             qPrintable(failed.first().first().toString()));
    compareEvents(bus->drain(), events);
}

void TestProxyMonitor::slowMonitorLosesLinesAndIsToldHowMany()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(), &error), qPrintable(error));
    QLocalSocket reader;
    reader.connectToServer(socketPath());
    QTRY_COMPARE(monitor.monitorCount(), 1);

    // Without returning to the event loop nothing is flushed, so 8 feeds of just over 1 MiB leave the
    // monitor's backlog above its 8 MiB limit, as a monitor that stopped reading would.
    TrafficEvent big = sampleEvents()[0];
    big.raw = QByteArray(1024 * 1024, 'x');
    for (int i = 0; i < 8; ++i)
        monitor.feed({big});
    const auto small = sampleEvents();
    monitor.feed(small); // dropped: 2 events
    monitor.feed(small); // dropped: 2 more

    QByteArray received;
    connect(&reader, &QLocalSocket::readyRead, this, [&] { received += reader.readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(received.count('\n') >= 8, 20000);
    monitor.feed(small);
    QTRY_COMPARE(received.count('\n'), 8 + 1 + 2);
    const QList<QByteArray> lines = received.split('\n');
    QCOMPARE(lines[8], QByteArray(R"({"dropped":4})"));
    QString lineError;
    const auto after = trafficEventFromJson(QJsonDocument::fromJson(lines[9]).object(), &lineError);
    QVERIFY2(after, qPrintable(lineError));
    QCOMPARE(after->raw, small[0].raw);
}

QTEST_GUILESS_MAIN(TestProxyMonitor)
#include "tst_proxymonitor.moc"
