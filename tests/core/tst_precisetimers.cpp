// Timers whose length the user measures are precise: Qt makes a static singleShot of 2 s or more
// a coarse timer that may fire 5 % early or late (sleep(3000) once answered in 2885 ms). A real
// client calls the embedded server over loopback; the answer must come within ±20 ms, and the
// method's mean latency in the server's figures must say the same (injected latency included).

#include "DemoServerFixture.h"
#include "client/RpcClient.h"
#include "dispatch/MethodRegistry.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

class TestPreciseTimers : public QObject
{
    Q_OBJECT
private slots:
    void answersOnTime_data();
    void answersOnTime();
};

void TestPreciseTimers::answersOnTime_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonArray>("params");
    QTest::addColumn<int>("faultLatencyMs"); // 0: none
    QTest::addColumn<int>("expectedMs");
    QTest::newRow("sleep(3000)") << "sleep" << QJsonArray{3000} << 0 << 3000;
    QTest::newRow("add with a 2500 ms fault latency") << "add" << QJsonArray{1, 2} << 2500 << 2500;
    QTest::newRow("echo with a 500 ms fault latency") << "echo" << QJsonArray{1} << 500 << 500;
}

void TestPreciseTimers::answersOnTime()
{
    QFETCH(QString, method);
    QFETCH(QJsonArray, params);
    QFETCH(int, faultLatencyMs);
    QFETCH(int, expectedMs);
    constexpr qint64 toleranceMs = 20;

    DemoServerFixture fixture;
    QVERIFY(fixture.start());
    if (faultLatencyMs > 0) {
        FaultSettings fault;
        fault.latencyMinMs = fault.latencyMaxMs = faultLatencyMs;
        fixture.registry->faults().set(method, fault);
    }
    RpcClient client(*Endpoint::parse(QStringLiteral("tcp://127.0.0.1:%1").arg(fixture.port())),
                     Dialect::JsonRpc2);
    QSignalSpy connected(&client, &RpcClient::stateChanged);
    client.connectToServer(); // connecting is not part of the measured time
    QTRY_COMPARE(toString(client.state()), toString(ClientState::Connected));

    QSignalSpy finished(&client, &RpcClient::finished);
    QElapsedTimer clock;
    clock.start();
    client.call(method, params, 20'000);
    QVERIFY(finished.wait(20'000));
    const qint64 elapsedMs = clock.elapsed();
    const CallResult r = finished.first().at(1).value<CallResult>();
    QVERIFY2(r.ok(), qPrintable(r.describe()));

    QVERIFY2(qAbs(elapsedMs - expectedMs) <= toleranceMs,
             qPrintable(QStringLiteral("answered after %1 ms, expected %2").arg(elapsedMs).arg(expectedMs)));
    QVERIFY2(qAbs(r.latencyUs / 1000 - expectedMs) <= toleranceMs,
             qPrintable(QStringLiteral("latency %1 µs").arg(r.latencyUs)));
    // The server's figures: from the request read to the reply written, faults included.
    const auto stats = fixture.registry->find(method)->stats;
    QCOMPARE(stats->answered.load(), 1u);
    const qint64 meanMs = stats->meanLatencyNs() / 1'000'000;
    QVERIFY2(qAbs(meanMs - expectedMs) <= toleranceMs,
             qPrintable(QStringLiteral("mean latency %1 ns").arg(stats->meanLatencyNs())));
}

QTEST_GUILESS_MAIN(TestPreciseTimers)
#include "tst_precisetimers.moc"
