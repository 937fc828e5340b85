// LoadTimeSeries: events bucketed by second from start(), per-second percentiles of that
// second's completions only, empty seconds closed with zeros (a stall shows), the callback
// called once per closed second, and the partial last second at finish().

#include "load/LoadTimeSeries.h"

#include <QtTest>

using namespace rpcbench;

namespace {
constexpr qint64 kSecond = 1'000'000'000;
constexpr qint64 kStart = 42 * kSecond;
qint64 at(double seconds)
{
    return kStart + qint64(seconds * 1e9);
}
} // namespace

class TestLoadTimeSeries : public QObject
{
    Q_OBJECT

private slots:
    void bucketsBySecond();
    void percentilesPerSecond();
    void emptySecondsAreClosedWithZeros();
    void callbackOncePerSecond();
    void finishClosesPartialSecond();
    void ignoredBeforeStart();
    void emittedPointsCarryTheirSamples();
};

// The callback's point carries that second's histogram (a live chart merges them into the
// whole run's) and its errors by code; the points kept for the run keep the codes only.
void TestLoadTimeSeries::emittedPointsCarryTheirSamples()
{
    LoadTimeSeries series;
    QList<LoadSecond> emitted;
    series.setCallback([&](const LoadSecond& p) { emitted.append(p); });
    series.start(kStart);
    LatencyHistogram whole;
    for (quint64 us = 10; us < 1000; us += 7) {
        series.addCompleted(at(0.3), us);
        whole.record(us);
    }
    series.addErrors(at(0.4), 2, -32601);
    series.addErrors(at(0.5), 1, -32000);
    series.addCompleted(at(1.3), 5'000'000);
    whole.record(5'000'000);
    series.addErrors(at(1.4), 1, -32601);
    series.finish(at(1.5));
    QCOMPARE(emitted.size(), 2);
    LatencyHistogram merged;
    for (const LoadSecond& p : std::as_const(emitted)) {
        QVERIFY(p.latency);
        QCOMPARE(p.latency->count(), p.completed);
        merged.merge(*p.latency);
    }
    QCOMPARE(merged.count(), whole.count());
    QCOMPARE(merged.max(), whole.max());
    for (int i = 0; i < LatencyHistogram::bucketCount(); ++i)
        QCOMPARE(merged.countAt(i), whole.countAt(i));
    QVERIFY((emitted[0].errorsByCode == std::map<qint64, quint64>{{-32601, 2}, {-32000, 1}}));
    QCOMPARE(emitted[0].errors, quint64(3));
    QVERIFY((emitted[1].errorsByCode == std::map<qint64, quint64>{{-32601, 1}}));
    for (const LoadSecond& kept : series.points())
        QVERIFY(!kept.latency);
    QVERIFY(series.points()[0].errorsByCode == emitted[0].errorsByCode);
}

void TestLoadTimeSeries::bucketsBySecond()
{
    LoadTimeSeries series;
    series.start(kStart);
    series.addSent(at(0.1), 3);
    series.addCompleted(at(0.2), 100);
    series.addSent(at(0.999999), 1);
    series.addSent(at(1.0), 2); // exactly 1 s: second 1
    series.addCompleted(at(1.5), 200);
    series.addErrors(at(1.5), 1);
    series.addCompleted(at(1.6), 300);
    series.finish(at(1.7));
    const QList<LoadSecond>& p = series.points();
    QCOMPARE(p.size(), 2);
    QCOMPARE(p[0].second, 0);
    QCOMPARE(p[0].sent, quint64(4));
    QCOMPARE(p[0].completed, quint64(1));
    QCOMPARE(p[0].errors, quint64(0));
    QCOMPARE(p[1].second, 1);
    QCOMPARE(p[1].sent, quint64(2));
    QCOMPARE(p[1].completed, quint64(2));
    QCOMPARE(p[1].errors, quint64(1));
}

void TestLoadTimeSeries::percentilesPerSecond()
{
    LoadTimeSeries series;
    series.start(kStart);
    // Second 0: 1..100 µs; second 1: 1000 × 50 µs and one 10 ms outlier.
    for (quint64 us = 1; us <= 100; ++us)
        series.addCompleted(at(0.5), us);
    for (int i = 0; i < 1000; ++i)
        series.addCompleted(at(1.2), 50);
    series.addCompleted(at(1.9), 10'000);
    series.finish(at(2.0));
    const QList<LoadSecond>& p = series.points();
    QCOMPARE(p.size(), 2);
    QCOMPARE(p[0].p50Us, quint64(50));
    QCOMPARE(p[0].p90Us, quint64(90));
    QCOMPARE(p[0].p99Us, quint64(99));
    QCOMPARE(p[0].maxUs, quint64(100));
    // Second 1 is not polluted by second 0's samples, and its outlier shows in max only.
    QCOMPARE(p[1].p50Us, quint64(50));
    QCOMPARE(p[1].p99Us, quint64(50));
    QCOMPARE(p[1].maxUs, quint64(10'000));
}

void TestLoadTimeSeries::emptySecondsAreClosedWithZeros()
{
    LoadTimeSeries series;
    series.start(kStart);
    series.addCompleted(at(0.5), 10);
    series.addCompleted(at(3.5), 500'000); // nothing in seconds 1 and 2 (a stall)
    series.finish(at(3.6));
    const QList<LoadSecond>& p = series.points();
    QCOMPARE(p.size(), 4);
    for (int s : {1, 2}) {
        QCOMPARE(p[s].second, s);
        QCOMPARE(p[s].completed, quint64(0));
        QCOMPARE(p[s].maxUs, quint64(0));
    }
    QCOMPARE(p[3].maxUs, quint64(500'000));
}

void TestLoadTimeSeries::callbackOncePerSecond()
{
    LoadTimeSeries series;
    QList<LoadSecond> seen;
    series.setCallback([&seen](const LoadSecond& point) { seen.append(point); });
    series.start(kStart);
    series.addSent(at(0.1));
    series.advance(at(0.9));
    QCOMPARE(seen.size(), 0); // second 0 is still open
    series.advance(at(1.0));
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen[0].sent, quint64(1));
    series.advance(at(3.2)); // seconds 1 and 2 closed with nothing in them
    QCOMPARE(seen.size(), 3);
    series.advance(at(3.3));
    QCOMPARE(seen.size(), 3);
    QCOMPARE(seen.last().second, 2);
}

void TestLoadTimeSeries::finishClosesPartialSecond()
{
    LoadTimeSeries series;
    series.start(kStart);
    series.addSent(at(1.2));
    series.finish(at(1.3));
    QCOMPARE(series.points().size(), 2);
    QCOMPARE(series.points().last().sent, quint64(1));
    QVERIFY(!series.isStarted());

    // An empty trailing second is not a point; an empty run still has one.
    LoadTimeSeries trailing;
    trailing.start(kStart);
    trailing.addSent(at(0.5));
    trailing.finish(at(1.01));
    QCOMPARE(trailing.points().size(), 1);
    LoadTimeSeries empty;
    empty.start(kStart);
    empty.finish(at(0.5));
    QCOMPARE(empty.points().size(), 1);
    QCOMPARE(empty.points().first().sent, quint64(0));
}

void TestLoadTimeSeries::ignoredBeforeStart()
{
    LoadTimeSeries series;
    series.addSent(at(0.1), 5);
    series.addCompleted(at(0.1), 5);
    series.advance(at(2));
    QVERIFY(series.points().isEmpty());
    series.start(kStart);
    series.addSent(kStart - 1000); // just before the start (same pass): second 0
    series.finish(at(0.5));
    QCOMPARE(series.points().size(), 1);
    QCOMPARE(series.points().first().sent, quint64(1));
}

QTEST_GUILESS_MAIN(TestLoadTimeSeries)
#include "tst_loadtimeseries.moc"
