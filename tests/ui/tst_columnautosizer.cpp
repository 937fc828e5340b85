// Columns grown to their content on a bounded sample: the visible rows and the newest inserted
// ones, however large the model; grow-only, capped, throttled; stretched and hand-sized
// columns left alone; a hidden view measured when shown.

#include "UiTestEvents.h"
#include "log/TrafficLogModel.h"
#include "widgets/ColumnAutoSizer.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace rpcbench;

class TestColumnAutoSizer : public QObject
{
    Q_OBJECT
private slots:
    void boundedOnALargeLog_data();
    void boundedOnALargeLog();
    void growOnlyAndCapped();
    void handSizedAndStretchedColumnsAreLeftAlone();
    void hiddenViewIsMeasuredWhenShown();
    void burstsAreThrottled();
    void scrollingMeasuresTheRowsShown();

private:
    static QStandardItemModel* textModel(QObject* parent, int rows, const QString& text);
};

QStandardItemModel* TestColumnAutoSizer::textModel(QObject* parent, int rows, const QString& text)
{
    auto* model = new QStandardItemModel(rows, 3, parent);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < 3; ++c)
            model->setItem(r, c, new QStandardItem(c == 1 ? text : QStringLiteral("x")));
    }
    model->setHorizontalHeaderLabels({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")});
    return model;
}

void TestColumnAutoSizer::boundedOnALargeLog_data()
{
    QTest::addColumn<int>("rows");
    QTest::newRow("ten") << 10;
    QTest::newRow("thousand") << 1000;
    QTest::newRow("hundred thousand") << 100'000;
}

// The long Kind of the newest row fits, yet a measurement asks for a bounded number of cells.
void TestColumnAutoSizer::boundedOnALargeLog()
{
    QFETCH(int, rows);
    TrafficLogModel model;
    model.setCapacity(100'000);
    QTableView view;
    view.setModel(&model);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* sizer = new ColumnAutoSizer(&view);
    sizer->setMaximumSectionWidth(600);

    std::vector<TrafficEvent> events = uitest::requests(rows - 1);
    TrafficEvent last = uitest::makeEvent(Side::Client, Direction::In, MessageKind::Error, 9, "1");
    last.summary.errorCode = -32000;
    last.summary.faulted = true;
    last.late = true;
    events.push_back(last);
    model.append(std::move(events));
    QElapsedTimer clock;
    clock.start();
    sizer->resizeNow();
    qInfo("measured %d cells in %lld us", sizer->lastMeasuredCells(), clock.nsecsElapsed() / 1000);

    const QString kind = model.index(rows - 1, TrafficLogModel::KindColumn).data().toString();
    QVERIFY(view.columnWidth(TrafficLogModel::KindColumn) >= view.fontMetrics().horizontalAdvance(kind));
    const int visible = view.viewport()->height() / view.verticalHeader()->defaultSectionSize() + 2;
    const int bound = (visible + 64 + 100) * TrafficLogModel::ColumnCount;
    QVERIFY2(sizer->lastMeasuredCells() <= bound,
             qPrintable(QStringLiteral("%1 > %2").arg(sizer->lastMeasuredCells()).arg(bound)));
    QVERIFY(sizer->lastMeasuredCells() > 0);
}

void TestColumnAutoSizer::growOnlyAndCapped()
{
    QTableView view;
    QStandardItemModel* model = textModel(&view, 5, QStringLiteral("medium text here"));
    view.setModel(model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* sizer = new ColumnAutoSizer(&view);
    sizer->setMaximumSectionWidth(300);
    sizer->resizeNow();
    const int medium = view.columnWidth(1);
    QVERIFY(medium >= view.fontMetrics().horizontalAdvance(QStringLiteral("medium text here")));

    model->item(0, 1)->setText(QStringLiteral("short"));
    model->item(1, 1)->setText(QStringLiteral("also short"));
    sizer->resizeNow();
    QCOMPARE(view.columnWidth(1), medium); // never shrinks under the user's eyes

    model->item(2, 1)->setText(QString(500, QLatin1Char('w')));
    sizer->resizeNow();
    QCOMPARE(view.columnWidth(1), 300); // the cap; the tooltip or the details show the rest
}

void TestColumnAutoSizer::handSizedAndStretchedColumnsAreLeftAlone()
{
    QTableView view;
    QStandardItemModel* model = textModel(&view, 5, QStringLiteral("a"));
    view.setModel(model);
    view.horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* sizer = new ColumnAutoSizer(&view);
    view.horizontalHeader()->resizeSection(1, 40); // as if dragged by the user
    const int stretched = view.columnWidth(2);
    for (int r = 0; r < 5; ++r) {
        model->item(r, 1)->setText(QStringLiteral("a much longer text than forty pixels"));
        model->item(r, 2)->setText(QString(200, QLatin1Char('w')));
    }
    sizer->resizeNow();
    QCOMPARE(view.columnWidth(1), 40);
    QCOMPARE(view.columnWidth(2), stretched);
}

void TestColumnAutoSizer::hiddenViewIsMeasuredWhenShown()
{
    QTableView view;
    QStandardItemModel* model = textModel(&view, 3, QStringLiteral("a"));
    view.setModel(model);
    auto* sizer = new ColumnAutoSizer(&view);
    sizer->setInterval(60'000); // only the show can measure within the test
    const int before = view.columnWidth(1);
    const QString text = QStringLiteral("a text that needs a wide column");
    model->item(1, 1)->setText(text);
    QCOMPARE(view.columnWidth(1), before); // hidden: nothing measured
    QCOMPARE(sizer->lastMeasuredCells(), 0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.columnWidth(1) >= view.fontMetrics().horizontalAdvance(text));
}

// A burst of changes costs one measurement at its start and one when the interval ends.
void TestColumnAutoSizer::burstsAreThrottled()
{
    TrafficLogModel model;
    QTableView view;
    view.setModel(&model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* sizer = new ColumnAutoSizer(&view);
    sizer->setMaximumSectionWidth(800);
    sizer->setInterval(200);
    // Enough rows for the scroll bar (whose arrival resizes the viewport), then quiet.
    model.append(uitest::requests(100));
    QVERIFY(sizer->measurementCount() >= 1);
    QTRY_VERIFY(!sizer->isCoolingDown());
    const int before = sizer->measurementCount();
    for (int i = 0; i < 50; ++i)
        model.append(uitest::requests(10, i * 10, QStringLiteral("m%1").arg(i)));
    model.append(uitest::requests(1, 9999, QStringLiteral("a.method.name.longer.than.any.other")));
    QCOMPARE(sizer->measurementCount(), before + 1); // the leading edge only
    QTRY_COMPARE(sizer->measurementCount(), before + 2);
    const int needed =
        view.fontMetrics().horizontalAdvance(QStringLiteral("a.method.name.longer.than.any.other"));
    QVERIFY(view.columnWidth(TrafficLogModel::MethodColumn) >= needed);
}

void TestColumnAutoSizer::scrollingMeasuresTheRowsShown()
{
    TrafficLogModel model;
    // In the middle: neither among the first rows nor the newest, so measured only once shown.
    std::vector<TrafficEvent> events = uitest::requests(2000);
    events[1000].summary.method = QStringLiteral("a.very.long.method.name.in.the.middle");
    model.append(std::move(events));
    QTableView view;
    view.setModel(&model);
    view.resize(700, 300);
    auto* sizer = new ColumnAutoSizer(&view);
    sizer->setMaximumSectionWidth(800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    sizer->resizeNow();
    const int needed =
        view.fontMetrics().horizontalAdvance(QStringLiteral("a.very.long.method.name.in.the.middle"));
    QVERIFY(view.columnWidth(TrafficLogModel::MethodColumn) < needed);
    view.scrollTo(model.index(1000, 0), QAbstractItemView::PositionAtCenter);
    QTRY_VERIFY(view.columnWidth(TrafficLogModel::MethodColumn) >= needed);
}

QTEST_MAIN(TestColumnAutoSizer)
#include "tst_columnautosizer.moc"
