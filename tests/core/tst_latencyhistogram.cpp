// LatencyHistogram: bucket geometry, percentiles against a sorted reference on known
// distributions, merge, and edge cases.

#include "load/LatencyHistogram.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace rpcbench;

namespace {

using Samples = std::vector<quint64>;

// Nearest-rank percentile of a sorted list, the definition the histogram implements.
quint64 referencePercentile(const Samples& sorted, double percent)
{
    const auto n = quint64(sorted.size());
    quint64 rank = quint64(std::ceil(percent / 100.0 * double(n)));
    rank = std::clamp<quint64>(rank, 1, n);
    return sorted[size_t(rank - 1)];
}

Samples generate(const QString& kind, int n)
{
    std::mt19937_64 rng(20240611); // fixed seed: the same samples on every run
    Samples s;
    s.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        if (kind == u"constant") {
            s.push_back(4321);
        } else if (kind == u"small-exact") {
            s.push_back(rng() % 256);
        } else if (kind == u"uniform") {
            s.push_back(1 + rng() % 1'000'000);
        } else if (kind == u"exponential") {
            std::exponential_distribution<double> d(1.0 / 150.0);
            s.push_back(quint64(d(rng)));
        } else if (kind == u"lognormal") {
            std::lognormal_distribution<double> d(4.0, 1.5);
            s.push_back(quint64(d(rng)));
        } else if (kind == u"bimodal") {
            s.push_back(rng() % 10 == 0 ? 50'000 + rng() % 5'000 : 40 + rng() % 20);
        } else if (kind == u"huge") {
            s.push_back((quint64(1) << 40) + rng() % (quint64(1) << 45));
        }
    }
    return s;
}

} // namespace

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private slots:
    void bucketGeometry();
    void percentilesMatchSortedReference_data();
    void percentilesMatchSortedReference();
    void exactStatistics();
    void mergeEqualsRecordingEverything();
    void emptyHistogram();
    void extremeValues();
    void recordNAndReset();
};

void TestLatencyHistogram::bucketGeometry()
{
    // Every bucket maps its own range back to itself, buckets tile the value range without
    // gaps, and no bucket is wider than 1/128 of its lowest value (the precision promise).
    quint64 expectedLow = 0;
    for (int i = 0; i < LatencyHistogram::bucketCount(); ++i) {
        const quint64 low = LatencyHistogram::bucketLow(i);
        const quint64 width = LatencyHistogram::bucketWidth(i);
        QCOMPARE(low, expectedLow);
        QCOMPARE(LatencyHistogram::indexOf(low), i);
        QCOMPARE(LatencyHistogram::indexOf(low + (width - 1)), i);
        if (low >= 256)
            QVERIFY2(width * 128 <= low, qPrintable(QStringLiteral("bucket %1 too wide").arg(i)));
        expectedLow = low + width;
        if (expectedLow == 0) // wrapped past 2^64: the last bucket ends the range
            QCOMPARE(i, LatencyHistogram::bucketCount() - 1);
    }
    QCOMPARE(LatencyHistogram::indexOf(~quint64(0)), LatencyHistogram::bucketCount() - 1);
}

void TestLatencyHistogram::percentilesMatchSortedReference_data()
{
    QTest::addColumn<QString>("distribution");
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("percent");

    const QStringList kinds{"constant",  "small-exact", "uniform", "exponential",
                            "lognormal", "bimodal",     "huge"};
    const QList<double> percents{0.0, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0};
    for (const QString& kind : kinds) {
        for (double p : percents)
            QTest::addRow("%s-p%g", qPrintable(kind), p) << kind << 20'000 << p;
    }
    QTest::newRow("single-sample-p50") << QStringLiteral("uniform") << 1 << 50.0;
    QTest::newRow("two-samples-p50") << QStringLiteral("uniform") << 2 << 50.0;
    QTest::newRow("two-samples-p51") << QStringLiteral("uniform") << 2 << 51.0;
}

void TestLatencyHistogram::percentilesMatchSortedReference()
{
    QFETCH(QString, distribution);
    QFETCH(int, samples);
    QFETCH(double, percent);

    Samples values = generate(distribution, samples);
    LatencyHistogram h;
    for (quint64 v : values)
        h.record(v);
    std::sort(values.begin(), values.end());

    const quint64 expected = referencePercentile(values, percent);
    const quint64 actual = h.percentile(percent);
    // Values below 256 are exact; above, the bucket middle is within 1/256 of the truth.
    const double tolerance = expected < 256 ? 0.0 : std::max(1.0, double(expected) / 256.0);
    const double diff = std::abs(double(actual) - double(expected));
    QVERIFY2(
        diff <= tolerance,
        qPrintable(
            QStringLiteral("p%1: histogram %2, sorted reference %3").arg(percent).arg(actual).arg(expected)));
}

void TestLatencyHistogram::exactStatistics()
{
    LatencyHistogram h;
    const Samples values{5, 1000, 123'456, 7, 99'999'999};
    quint64 sum = 0;
    for (quint64 v : values) {
        h.record(v);
        sum += v;
    }
    QCOMPARE(h.count(), quint64(values.size()));
    QCOMPARE(h.min(), quint64(5));
    QCOMPARE(h.max(), quint64(99'999'999));
    QCOMPARE(h.mean(), double(sum) / double(values.size()));
    QCOMPARE(h.percentile(100), h.max()); // clamped to the exact maximum
    QCOMPARE(h.percentile(0), h.min());
}

void TestLatencyHistogram::mergeEqualsRecordingEverything()
{
    const Samples a = generate(QStringLiteral("lognormal"), 5000);
    const Samples b = generate(QStringLiteral("bimodal"), 3000);
    LatencyHistogram ha, hb, all;
    for (quint64 v : a) {
        ha.record(v);
        all.record(v);
    }
    for (quint64 v : b) {
        hb.record(v);
        all.record(v);
    }
    ha.merge(hb);
    QCOMPARE(ha.count(), all.count());
    QCOMPARE(ha.min(), all.min());
    QCOMPARE(ha.max(), all.max());
    QCOMPARE(ha.mean(), all.mean());
    for (double p : {1.0, 50.0, 90.0, 99.0, 99.99})
        QCOMPARE(ha.percentile(p), all.percentile(p));

    LatencyHistogram empty;
    ha.merge(empty); // merging nothing changes nothing
    QCOMPARE(ha.count(), all.count());
    QCOMPARE(ha.min(), all.min());
}

void TestLatencyHistogram::emptyHistogram()
{
    LatencyHistogram h;
    QCOMPARE(h.count(), quint64(0));
    QCOMPARE(h.percentile(50), quint64(0));
    QCOMPARE(h.max(), quint64(0));
    QCOMPARE(h.min(), quint64(0));
    QCOMPARE(h.mean(), 0.0);
}

void TestLatencyHistogram::extremeValues()
{
    LatencyHistogram h;
    h.record(0);
    h.record(~quint64(0));
    QCOMPARE(h.count(), quint64(2));
    QCOMPARE(h.percentile(50), quint64(0));
    QCOMPARE(h.percentile(100), ~quint64(0));
    // Out-of-range percentages are clamped, not undefined.
    QCOMPARE(h.percentile(-5), quint64(0));
    QCOMPARE(h.percentile(250), ~quint64(0));
}

void TestLatencyHistogram::recordNAndReset()
{
    LatencyHistogram h;
    h.recordN(100, 99);
    h.recordN(10'000, 1);
    h.recordN(777, 0); // no samples: no effect
    QCOMPARE(h.count(), quint64(100));
    QCOMPARE(h.percentile(99), quint64(100));
    QCOMPARE(h.percentile(99.5), quint64(10'000));
    QCOMPARE(h.max(), quint64(10'000));
    h.reset();
    QCOMPARE(h.count(), quint64(0));
    QCOMPARE(h.percentile(99), quint64(0));
    h.record(42);
    QCOMPARE(h.min(), quint64(42));
}

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
