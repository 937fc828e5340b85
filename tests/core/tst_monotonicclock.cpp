// The one clock of the traffic log and the methods' figures: reads as wall-clock time, never
// goes backwards, and advances with real time.

#include "util/MonotonicClock.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>

using namespace rpcbench;

class TestMonotonicClock : public QObject
{
    Q_OBJECT
private slots:
    void readsAsWallClockTime();
    void neverGoesBackwards();
    void advancesWithRealTime();
};

void TestMonotonicClock::readsAsWallClockTime()
{
    const qint64 wallUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    QVERIFY(qAbs(MonotonicClock::nowUs() - wallUs) < 1'000'000);
    QCOMPARE(MonotonicClock::nowUs() / 1'000'000, MonotonicClock::nowNs() / 1'000'000'000);
}

void TestMonotonicClock::neverGoesBackwards()
{
    qint64 last = MonotonicClock::nowNs();
    for (int i = 0; i < 100'000; ++i) {
        const qint64 now = MonotonicClock::nowNs();
        QVERIFY(now >= last);
        last = now;
    }
}

void TestMonotonicClock::advancesWithRealTime()
{
    QElapsedTimer timer;
    timer.start();
    const qint64 start = MonotonicClock::nowNs();
    QTest::qWait(30); // the event loop's wait is the thing measured here, not a synchronisation
    const qint64 clockNs = MonotonicClock::nowNs() - start;
    const qint64 realNs = timer.nsecsElapsed();
    QVERIFY2(qAbs(clockNs - realNs) < 2'000'000,
             qPrintable(QStringLiteral("%1 vs %2").arg(clockNs).arg(realNs)));
}

QTEST_GUILESS_MAIN(TestMonotonicClock)
#include "tst_monotonicclock.moc"
