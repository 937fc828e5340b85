// RateScheduler under a simulated clock: calls go out on schedule (within the tolerance),
// the ramp has the right shape, and calls taken after a stall count as late by how much.

#include "load/RateScheduler.h"

#include <QtTest>

using namespace rpcbench;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSecond = 1'000'000'000;

// A clock the test moves by hand.
struct SimulatedClock
{
    qint64 now = 5 * kSecond; // not zero: the schedule must be relative to start()
    RateScheduler::Clock clock()
    {
        return [this] { return now; };
    }
};

// Takes every due call, then advances the clock in `stepNs` steps up to `untilNs` doing the
// same at each step; returns the intended times taken.
QList<qint64> drive(RateScheduler& s, SimulatedClock& c, qint64 untilNs, qint64 stepNs)
{
    QList<qint64> intended;
    for (;;) {
        while (s.nextIsDue(c.now))
            intended.append(s.takeNext(c.now));
        if (c.now >= untilNs)
            return intended;
        c.now += stepNs;
    }
}

} // namespace

class TestRateScheduler : public QObject
{
    Q_OBJECT

private slots:
    void rejectsBadPlans_data();
    void rejectsBadPlans();
    void constantRateOnSchedule_data();
    void constantRateOnSchedule();
    void rampShape_data();
    void rampShape();
    void rampFromStartRate();
    void stallMakesCallsLate();
    void dueNotTakenCountsBacklog();
};

void TestRateScheduler::rejectsBadPlans_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("ramp");
    QTest::addColumn<double>("from");
    QTest::addColumn<QString>("word");
    QTest::newRow("zero-rate") << 0.0 << 0.0 << 0.0 << "rate";
    QTest::newRow("negative-rate") << -5.0 << 0.0 << 0.0 << "rate";
    QTest::newRow("nan-rate") << qQNaN() << 0.0 << 0.0 << "rate";
    QTest::newRow("negative-ramp") << 100.0 << -1.0 << 0.0 << "ramp";
    QTest::newRow("start-above-rate") << 100.0 << 1.0 << 200.0 << "start rate";
}

void TestRateScheduler::rejectsBadPlans()
{
    QFETCH(double, rate);
    QFETCH(double, ramp);
    QFETCH(double, from);
    QFETCH(QString, word);
    const QString error = RateScheduler::validate({rate, ramp, from});
    QVERIFY2(error.contains(word), qPrintable(error));
    QVERIFY(RateScheduler::validate({100, 2, 10}).isEmpty());
}

void TestRateScheduler::constantRateOnSchedule_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<qint64>("stepNs");
    QTest::newRow("1000/s, 100 µs clock steps") << 1000.0 << qint64(100'000);
    QTest::newRow("250/s, 1 ms clock steps") << 250.0 << qint64(kMs);
    QTest::newRow("20000/s, 1 ms clock steps (batches)") << 20000.0 << qint64(kMs);
}

void TestRateScheduler::constantRateOnSchedule()
{
    QFETCH(double, rate);
    QFETCH(qint64, stepNs);
    SimulatedClock c;
    RateScheduler s({rate, 0, 0}, c.clock());
    s.start();
    const qint64 start = c.now;
    const QList<qint64> intended = drive(s, c, start + 2 * kSecond, stepNs);
    // Calls 0..2·rate are due by t = 2 s (call 0 at t = 0).
    QCOMPARE(quint64(intended.size()), quint64(2 * rate) + 1);
    for (int i = 0; i < intended.size(); ++i)
        QVERIFY(qAbs(intended[i] - start - qint64(double(i) * 1e9 / rate)) <= 1);
    QCOMPARE(s.late(), quint64(0));                        // the clock never jumped past the tolerance
    QVERIFY(s.lateness().max() <= quint64(stepNs / 1000)); // at most one clock step late
    QCOMPARE(s.lateness().count(), quint64(intended.size()));
}

void TestRateScheduler::rampShape_data()
{
    QTest::addColumn<double>("atSeconds");
    QTest::addColumn<double>("expectedRate");
    QTest::addColumn<double>("expectedScheduled");
    // Ramp 0 → 1000/s over 2 s: N(t) = 250·t² in the ramp, then 1000 + 1000·(t − 2).
    QTest::newRow("start") << 0.0 << 0.0 << 0.0;
    QTest::newRow("quarter") << 0.5 << 250.0 << 62.5;
    QTest::newRow("half") << 1.0 << 500.0 << 250.0;
    QTest::newRow("end-of-ramp") << 2.0 << 1000.0 << 1000.0;
    QTest::newRow("after") << 3.0 << 1000.0 << 2000.0;
}

void TestRateScheduler::rampShape()
{
    QFETCH(double, atSeconds);
    QFETCH(double, expectedRate);
    QFETCH(double, expectedScheduled);
    SimulatedClock c;
    RateScheduler s({1000, 2, 0}, c.clock());
    s.start();
    QCOMPARE(s.rateAt(atSeconds), expectedRate);
    QCOMPARE(s.scheduledBy(atSeconds), expectedScheduled);
    // Driving the clock reproduces the curve: floor(N(t)) + 1 calls by t.
    const QList<qint64> taken = drive(s, c, c.now + qint64(atSeconds * 1e9), kMs / 10);
    QCOMPARE(quint64(taken.size()), quint64(std::floor(expectedScheduled)) + 1);
    // Gaps shrink during the ramp: the rate rises.
    if (taken.size() > 20)
        QVERIFY(taken[2] - taken[1] > taken[taken.size() - 1] - taken[taken.size() - 2]);
}

void TestRateScheduler::rampFromStartRate()
{
    SimulatedClock c;
    RateScheduler s({300, 1, 100}, c.clock()); // 100 → 300 over 1 s: N(1) = 200
    s.start();
    QCOMPARE(s.scheduledBy(1.0), 200.0);
    QCOMPARE(s.scheduledBy(0.5), 100 * 0.5 + 200 * 0.25 / 2);
    QCOMPARE(s.intendedNs(200) - s.startNs(), kSecond);
    QCOMPARE(s.intendedNs(500) - s.startNs(), 2 * kSecond);
    QCOMPARE(s.intendedNs(1) - s.startNs(),
             qint64(std::llround(1e9 * 2 / (100 + std::sqrt(100.0 * 100 + 400)))));
}

void TestRateScheduler::stallMakesCallsLate()
{
    SimulatedClock c;
    RateScheduler s({1000, 0, 0}, c.clock());
    s.start();
    const qint64 start = c.now;
    drive(s, c, start + 100 * kMs, 100'000); // on time
    QCOMPARE(s.late(), quint64(0));
    const quint64 before = s.taken();
    c.now += 50 * kMs; // the generator stalls for 50 ms, then catches up at once
    while (s.nextIsDue(c.now))
        s.takeNext(c.now);
    // The 50 calls due during the stall (at 101..150 ms) went out at 150 ms; those more than
    // the 2 ms tolerance late (101..147) count as late, the first of them by 49 ms.
    QCOMPARE(s.taken() - before, quint64(50));
    QCOMPARE(s.late(), quint64(47));
    QVERIFY2(s.lateness().max() >= 48'500 && s.lateness().max() <= 49'500,
             qPrintable(QString::number(s.lateness().max())));
    drive(s, c, c.now + 100 * kMs, 100'000);
    QCOMPARE(s.late(), quint64(47)); // back on time
}

void TestRateScheduler::dueNotTakenCountsBacklog()
{
    SimulatedClock c;
    RateScheduler s({100, 0, 0}, c.clock());
    s.start();
    QCOMPARE(s.dueNotTaken(c.now), quint64(1)); // call 0 is due at once
    c.now += kSecond;
    QCOMPARE(s.dueNotTaken(c.now), quint64(101));
    for (int i = 0; i < 40; ++i)
        s.takeNext(c.now);
    QCOMPARE(s.dueNotTaken(c.now), quint64(61));
    QCOMPARE(s.dueNotTaken(c.now - 2 * kSecond), quint64(0));
}

QTEST_GUILESS_MAIN(TestRateScheduler)
#include "tst_ratescheduler.moc"
