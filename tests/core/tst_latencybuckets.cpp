// LatencyBuckets, the per-method latency histogram of the dispatcher: bucket geometry,
// percentiles against a sorted reference within the documented precision, snapshots, and
// exact totals when several threads record at once (no lock, no lost increments).

#include "dispatch/LatencyBuckets.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

using namespace rpcbench;

namespace {

using Samples = std::vector<quint64>;

// Nearest-rank percentile of a sorted list, the definition the snapshot implements.
quint64 referencePercentile(const Samples& sorted, double percent)
{
    const auto n = quint64(sorted.size());
    const quint64 rank = std::clamp<quint64>(quint64(std::ceil(percent / 100.0 * double(n))), 1, n);
    return sorted[size_t(rank - 1)];
}

// Latencies in ns, all inside the histogram's precise range [128 ns, 137 s).
Samples generate(const QString& kind, int n)
{
    std::mt19937_64 rng(20261204); // fixed seed: the same samples on every run
    Samples s;
    s.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        if (kind == u"constant") {
            s.push_back(12'345);
        } else if (kind == u"uniform") {
            s.push_back(1'000 + rng() % 1'000'000);
        } else if (kind == u"lognormal") {
            std::lognormal_distribution<double> d(10.0, 1.5); // median ≈ 22 µs
            s.push_back(std::clamp<quint64>(quint64(d(rng)), 128, quint64(1) << 36));
        } else if (kind == u"bimodal") { // fast calls and a few 500 ms faults
            s.push_back(rng() % 20 == 0 ? 500'000'000 + rng() % 2'000'000 : 800 + rng() % 400);
        }
    }
    return s;
}

} // namespace

class TestLatencyBuckets : public QObject
{
    Q_OBJECT
private slots:
    void bucketOfValue_data();
    void bucketOfValue();
    void boundsTileTheRange();
    void widthIsAtMostAnEighth();
    void percentilesMatchSortedList_data();
    void percentilesMatchSortedList();
    void emptySnapshot();
    void snapshotBuckets();
    void concurrentRecordingSumsExactly();
};

void TestLatencyBuckets::bucketOfValue_data()
{
    QTest::addColumn<quint64>("ns");
    QTest::addColumn<int>("index");
    QTest::addColumn<quint64>("lower");
    QTest::addColumn<quint64>("upper");
    QTest::newRow("0 ns: underflow") << quint64(0) << 0 << quint64(0) << quint64(128);
    QTest::newRow("127 ns: underflow") << quint64(127) << 0 << quint64(0) << quint64(128);
    QTest::newRow("128 ns: first log bucket") << quint64(128) << 1 << quint64(128) << quint64(144);
    QTest::newRow("143 ns") << quint64(143) << 1 << quint64(128) << quint64(144);
    QTest::newRow("144 ns") << quint64(144) << 2 << quint64(144) << quint64(160);
    QTest::newRow("255 ns: last of 1st octave") << quint64(255) << 8 << quint64(240) << quint64(256);
    QTest::newRow("256 ns: 2nd octave") << quint64(256) << 9 << quint64(256) << quint64(288);
    // 10 µs = 10000 ns: msb 13 (8192), sub (10000 >> 10) & 7 = 1 → 1 + 6*8 + 1
    QTest::newRow("10 µs") << quint64(10'000) << 50 << quint64(9'216) << quint64(10'240);
    QTest::newRow("last precise") << (quint64(1) << 37) - 1 << LatencyBuckets::OverflowBucket - 1
                                  << (quint64(15) << 33) << (quint64(1) << 37);
    QTest::newRow("2^37 ns: overflow")
        << (quint64(1) << 37) << LatencyBuckets::OverflowBucket << (quint64(1) << 37) << ~quint64(0);
    QTest::newRow("max: overflow") << ~quint64(0) << LatencyBuckets::OverflowBucket << (quint64(1) << 37)
                                   << ~quint64(0);
}

void TestLatencyBuckets::bucketOfValue()
{
    QFETCH(quint64, ns);
    QFETCH(int, index);
    QFETCH(quint64, lower);
    QFETCH(quint64, upper);
    QCOMPARE(LatencyBuckets::indexOf(ns), index);
    QCOMPARE(LatencyBuckets::lowerBound(index), lower);
    QCOMPARE(LatencyBuckets::upperBound(index), upper);
    QVERIFY(ns >= lower && (ns < upper || upper == ~quint64(0)));
}

void TestLatencyBuckets::boundsTileTheRange()
{
    QCOMPARE(LatencyBuckets::BucketCount, 242);
    for (int i = 0; i + 1 < LatencyBuckets::BucketCount; ++i) {
        QCOMPARE(LatencyBuckets::upperBound(i), LatencyBuckets::lowerBound(i + 1));
        QVERIFY(LatencyBuckets::lowerBound(i) < LatencyBuckets::upperBound(i));
        // Both ends of every bucket map back to it.
        QCOMPARE(LatencyBuckets::indexOf(LatencyBuckets::lowerBound(i)), i);
        QCOMPARE(LatencyBuckets::indexOf(LatencyBuckets::upperBound(i) - 1), i);
    }
}

// The documented precision: inside [128 ns, 2^37 ns) a bucket is at most 1/8 of its lower
// bound wide, and its middle (where percentiles are reported) within 1/16 of any value in it.
void TestLatencyBuckets::widthIsAtMostAnEighth()
{
    for (int i = 1; i < LatencyBuckets::OverflowBucket; ++i) {
        const quint64 low = LatencyBuckets::lowerBound(i);
        const quint64 width = LatencyBuckets::upperBound(i) - low;
        QVERIFY2(width * 8 <= low,
                 qPrintable(QStringLiteral("bucket %1: %2 wide at %3").arg(i).arg(width).arg(low)));
        const quint64 mid = LatencyBuckets::representative(i);
        QVERIFY(mid >= low && mid < LatencyBuckets::upperBound(i));
        QVERIFY((mid - low) * 16 <= low);
    }
}

void TestLatencyBuckets::percentilesMatchSortedList_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("n");
    for (const char* kind : {"constant", "uniform", "lognormal", "bimodal"}) {
        QTest::newRow(qPrintable(QStringLiteral("%1, 1").arg(QLatin1String(kind))))
            << QString::fromLatin1(kind) << 1;
        QTest::newRow(qPrintable(QStringLiteral("%1, 1000").arg(QLatin1String(kind))))
            << QString::fromLatin1(kind) << 1000;
        QTest::newRow(qPrintable(QStringLiteral("%1, 100000").arg(QLatin1String(kind))))
            << QString::fromLatin1(kind) << 100'000;
    }
}

void TestLatencyBuckets::percentilesMatchSortedList()
{
    QFETCH(QString, kind);
    QFETCH(int, n);
    Samples samples = generate(kind, n);
    LatencyBuckets buckets;
    for (quint64 s : samples)
        buckets.record(s);
    std::sort(samples.begin(), samples.end());
    const LatencyBuckets::Snapshot snap = buckets.snapshot();
    QCOMPARE(snap.count(), quint64(n));
    for (double p : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
        const quint64 expected = referencePercentile(samples, p);
        const qint64 got = snap.percentile(p);
        // Same bucket as the true value, hence within 1/16 of it (documented: 12.5 % by width).
        QCOMPARE(LatencyBuckets::indexOf(quint64(got)), LatencyBuckets::indexOf(expected));
        const double error = std::abs(double(got) - double(expected)) / double(expected);
        QVERIFY2(error <= 0.0625,
                 qPrintable(
                     QStringLiteral("p%1: %2 vs %3 (%4 %)").arg(p).arg(got).arg(expected).arg(error * 100)));
    }
    QVERIFY(snap.minNs() <= qint64(samples.front()));
    QVERIFY(snap.maxNs() > qint64(samples.back()));
    QVERIFY(snap.maxNs() <= qint64(samples.back() + samples.back() / 8 + 1));
}

void TestLatencyBuckets::emptySnapshot()
{
    LatencyBuckets buckets;
    const LatencyBuckets::Snapshot snap = buckets.snapshot();
    QVERIFY(snap.isEmpty());
    QCOMPARE(snap.count(), quint64(0));
    QCOMPARE(snap.percentile(50), qint64(-1));
    QCOMPARE(snap.minNs(), qint64(-1));
    QCOMPARE(snap.maxNs(), qint64(-1));
    QCOMPARE(snap.firstNonEmpty(), -1);
    QVERIFY(snap.buckets().empty());
    QVERIFY(LatencyBuckets::Snapshot().isEmpty());
}

void TestLatencyBuckets::snapshotBuckets()
{
    LatencyBuckets buckets;
    for (int i = 0; i < 30; ++i)
        buckets.record(10'000);       // 10 µs
    buckets.record(1'000'000);        // 1 ms
    buckets.record(50);               // underflow
    buckets.record(quint64(1) << 40); // overflow (~18 min)
    LatencyBuckets::Snapshot snap = buckets.snapshot();
    QCOMPARE(snap.count(), quint64(33));
    QCOMPARE(snap.firstNonEmpty(), LatencyBuckets::UnderflowBucket);
    QCOMPARE(snap.lastNonEmpty(), LatencyBuckets::OverflowBucket);
    QCOMPARE(snap.percentile(50), qint64(LatencyBuckets::representative(LatencyBuckets::indexOf(10'000))));
    QCOMPARE(snap.percentile(0), qint64(64));                 // the underflow bucket's middle
    QCOMPARE(snap.percentile(100), qint64(quint64(1) << 37)); // overflow: only its lower bound is known
    QCOMPARE(snap.maxNs(), qint64(quint64(1) << 37));
    const auto list = snap.buckets();
    QCOMPARE(int(list.size()), LatencyBuckets::BucketCount); // first to last, empty ones included
    quint64 sum = 0;
    for (size_t i = 0; i < list.size(); ++i) {
        QCOMPARE(list[i].index, int(i));
        QCOMPARE(list[i].count, snap.countAt(int(i)));
        sum += list[i].count;
    }
    QCOMPARE(sum, snap.count());
    QCOMPARE(snap.countAt(LatencyBuckets::indexOf(10'000)), quint64(30));

    buckets.reset();
    QVERIFY(buckets.snapshot().isEmpty());
    QCOMPARE(snap.count(), quint64(33)); // a snapshot is a copy
}

// Four threads hammer the same histogram (as the server's workers do with one method): every
// increment lands, and the snapshot taken afterwards is exact.
void TestLatencyBuckets::concurrentRecordingSumsExactly()
{
    constexpr int threads = 4;
    constexpr int perThread = 200'000;
    LatencyBuckets buckets;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&buckets, t] {
            for (int i = 0; i < perThread; ++i)
                buckets.record(quint64(1'000 + (i % 4) * 1'000 + t)); // 1, 2, 3, 4 µs
        });
    }
    // Snapshots while they record: never more than was recorded, never decreasing.
    quint64 previous = 0;
    for (int i = 0; i < 50; ++i) {
        const quint64 now = buckets.snapshot().count();
        QVERIFY(now >= previous && now <= quint64(threads) * perThread);
        previous = now;
    }
    for (auto& w : workers)
        w.join();
    const LatencyBuckets::Snapshot snap = buckets.snapshot();
    QCOMPARE(snap.count(), quint64(threads) * perThread);
    for (quint64 us : {1, 2, 3, 4})
        QCOMPARE(snap.countAt(LatencyBuckets::indexOf(us * 1'000)), quint64(threads) * perThread / 4);
}

QTEST_GUILESS_MAIN(TestLatencyBuckets)
#include "tst_latencybuckets.moc"
