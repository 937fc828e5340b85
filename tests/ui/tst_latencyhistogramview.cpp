// LatencyHistogramView (offscreen): the empty state, then the geometry computed from known
// samples — bars that hold every sample, heights scaled to the tallest, a log axis labelled
// by decade, p50/p99 markers inside the bars that hold them — checked as numbers; grab()
// renders at small and large sizes without crashing.

#include "dispatch/LatencyBuckets.h"
#include "widgets/LatencyHistogramView.h"

#include <QTest>

using namespace rpcbench;

class TestLatencyHistogramView : public QObject
{
    Q_OBJECT
private slots:
    void emptyShowsText();
    void barsHoldEverySample_data();
    void barsHoldEverySample();
    void markersSitInTheirBars();
    void axisIsLogByDecade();
    void tooltipsTellRangeAndCount();
    void narrowWidgetMergesBuckets();
};

namespace {
// 1000 calls around 10 µs, 10 at 1 ms, 1 at 50 ms.
LatencyBuckets::Snapshot sample()
{
    LatencyBuckets buckets;
    for (int i = 0; i < 1000; ++i)
        buckets.record(9'500 + quint64(i % 10) * 100);
    for (int i = 0; i < 10; ++i)
        buckets.record(1'000'000);
    buckets.record(50'000'000);
    return buckets.snapshot();
}
} // namespace

void TestLatencyHistogramView::emptyShowsText()
{
    LatencyHistogramView view;
    view.resize(300, 100);
    QVERIFY(view.isEmpty());
    QCOMPARE(view.emptyText(), QStringLiteral("no calls yet"));
    QVERIFY(view.bars().empty());
    QCOMPARE(view.markerX(50), -1.0);
    QCOMPARE(view.summary(), view.emptyText());
    QVERIFY(!view.grab().isNull());
    view.setEmptyText(QStringLiteral("Select a method"));
    QCOMPARE(view.summary(), QStringLiteral("Select a method"));

    view.setSnapshot(sample());
    QVERIFY(!view.bars().empty());
    view.clear();
    QVERIFY(view.bars().empty());
    QVERIFY(view.ticks().empty());
}

void TestLatencyHistogramView::barsHoldEverySample_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("dock") << QSize(360, 110);
    QTest::newRow("small") << QSize(160, 70);
    QTest::newRow("wide") << QSize(1200, 300);
}

void TestLatencyHistogramView::barsHoldEverySample()
{
    QFETCH(QSize, size);
    LatencyHistogramView view;
    view.resize(size);
    const LatencyBuckets::Snapshot snap = sample();
    view.setSnapshot(snap);
    const QRectF plot = view.plotRect();
    QVERIFY(plot.height() > 10);
    quint64 total = 0;
    quint64 tallest = 0;
    qreal previousRight = plot.left() - 1;
    for (const auto& bar : view.bars()) {
        QVERIFY(bar.count > 0);
        total += bar.count;
        tallest = std::max(tallest, bar.count);
        QVERIFY(bar.lowerNs < bar.upperNs);
        QVERIFY2(bar.rect.left() >= previousRight, "bars are ordered and do not overlap");
        previousRight = bar.rect.right();
        QVERIFY(plot.contains(bar.rect.center()));
        QCOMPARE(bar.rect.bottom(), plot.bottom());
        QVERIFY(bar.rect.height() >= 1); // even the single 50 ms call shows
        QVERIFY(bar.rect.width() >= 1);
    }
    QCOMPARE(total, snap.count());
    for (const auto& bar : view.bars()) {
        // Heights are proportional to counts, the tallest filling the plot.
        const qreal expected = std::max<qreal>(1, plot.height() * double(bar.count) / double(tallest));
        QVERIFY2(qAbs(bar.rect.height() - expected) < 0.01,
                 qPrintable(QStringLiteral("%1 vs %2").arg(bar.rect.height()).arg(expected)));
    }
    const auto top = std::max_element(view.bars().begin(), view.bars().end(),
                                      [](const auto& a, const auto& b) { return a.count < b.count; });
    QCOMPARE(top->rect.height(), plot.height());
    QVERIFY(top->lowerNs <= 10'000 && top->upperNs > 9'500);
    QVERIFY(!view.grab().isNull());
}

void TestLatencyHistogramView::markersSitInTheirBars()
{
    LatencyHistogramView view;
    view.resize(400, 120);
    view.setSnapshot(sample());
    const qint64 p50 = view.p50Ns();
    const qint64 p99 = view.p99Ns();
    QVERIFY(p50 >= 9'500 * 15 / 16 && p50 <= 10'400 * 17 / 16);
    QVERIFY(p99 >= 1'000'000 * 15 / 16 && p99 <= 1'000'000 * 17 / 16); // rank 1001 of 1011
    const qreal x50 = view.markerX(50);
    const qreal x99 = view.markerX(99);
    QVERIFY(x50 < x99);
    for (const auto& [x, ns] : {std::pair{x50, p50}, std::pair{x99, p99}}) {
        const int bar = view.barAt(x);
        QVERIFY2(bar >= 0, qPrintable(QString::number(x)));
        const auto& b = view.bars()[size_t(bar)];
        QVERIFY2(quint64(ns) >= b.lowerNs && quint64(ns) < b.upperNs,
                 qPrintable(QStringLiteral("%1 not in [%2, %3)").arg(ns).arg(b.lowerNs).arg(b.upperNs)));
    }
    QVERIFY(view.summary().contains(QStringLiteral("1,011")) ||
            view.summary().contains(QStringLiteral("1011")));
}

void TestLatencyHistogramView::axisIsLogByDecade()
{
    LatencyHistogramView view;
    view.resize(500, 120);
    view.setSnapshot(sample()); // 9.5 µs .. 50 ms: decades 1 µs .. 100 ms
    QStringList labels;
    for (const auto& tick : view.ticks()) {
        if (!tick.label.isEmpty())
            labels << tick.label;
    }
    QCOMPARE(labels,
             (QStringList{QStringLiteral("1 µs"), QStringLiteral("10 µs"), QStringLiteral("100 µs"),
                          QStringLiteral("1 ms"), QStringLiteral("10 ms"), QStringLiteral("100 ms")}));
    // Equal distance per decade: a log scale.
    const auto& t = view.ticks();
    for (size_t i = 1; i + 1 < t.size(); ++i)
        QVERIFY(qAbs((t[i + 1].x - t[i].x) - (t[1].x - t[0].x)) < 0.01);
    QCOMPARE(t.front().x, view.plotRect().left());
    QCOMPARE(t.back().x, view.plotRect().right());
    QCOMPARE(view.xForNs(10'000), t[1].x);

    // Too narrow for a label per decade: every other one, and the ticks stay.
    view.resize(130, 80);
    int labelled = 0;
    for (const auto& tick : view.ticks())
        labelled += tick.label.isEmpty() ? 0 : 1;
    QCOMPARE(view.ticks().size(), size_t(6));
    QVERIFY2(labelled >= 1 && labelled < 6, qPrintable(QString::number(labelled)));
    QVERIFY(!view.grab().isNull());
}

void TestLatencyHistogramView::tooltipsTellRangeAndCount()
{
    LatencyHistogramView view;
    view.resize(400, 120);
    view.setSnapshot(sample());
    const auto& bars = view.bars();
    const auto slowest = int(bars.size()) - 1;
    QCOMPARE(bars.back().count, quint64(1));
    const QString tip = view.barToolTip(slowest);
    QVERIFY2(tip.contains(QStringLiteral("ms to")) && tip.contains(QStringLiteral(": 1 call (")),
             qPrintable(tip));
    QCOMPARE(view.barAt(bars.back().rect.center().x()), slowest);
    QCOMPARE(view.barAt(view.plotRect().left() - 2), -1);
    QVERIFY(view.barToolTip(-1).isEmpty());
}

// Many decades in little width: neighbouring buckets share a bar, so bars stay visible.
void TestLatencyHistogramView::narrowWidgetMergesBuckets()
{
    LatencyBuckets buckets;
    for (quint64 ns = 200; ns < 20'000'000'000; ns = ns * 21 / 20) // 200 ns .. 20 s, every 5 %
        buckets.record(ns);
    const LatencyBuckets::Snapshot snap = buckets.snapshot();
    LatencyHistogramView view;
    view.resize(200, 80);
    view.setSnapshot(snap);
    quint64 total = 0;
    for (const auto& bar : view.bars()) {
        total += bar.count;
        QVERIFY2(bar.rect.width() >= 3, qPrintable(QString::number(bar.rect.width())));
    }
    QCOMPARE(total, snap.count());
    QVERIFY(int(view.bars().size()) < snap.lastNonEmpty() - snap.firstNonEmpty());
    view.resize(2000, 80); // room for a bar per bucket
    QCOMPARE(int(view.bars().size()), snap.lastNonEmpty() - snap.firstNonEmpty() + 1);
    QVERIFY(!view.grab().isNull());
}

QTEST_MAIN(TestLatencyHistogramView)
#include "tst_latencyhistogramview.moc"
