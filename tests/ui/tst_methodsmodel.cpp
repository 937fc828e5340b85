// The server panel's methods table: one row per registered method with its signature, and
// live figures that follow the registry's counters (mean, p50 and p99 latency from real calls
// through the Dispatcher); changes to the registry reload it.

#include "DispatchHarness.h"
#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "server/MethodsModel.h"
#include "util/JsonText.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace rpcbench;

class TestMethodsModel : public QObject
{
    Q_OBJECT
private slots:
    void rowsMatchTheRegistry();
    void signatureColumn_data();
    void signatureColumn();
    void statsRefreshOnlyWhenChanged();
    void registryChangesReload();
    void everyColumnHasAHeader();
    void figuresAreCompactWithFullTooltips_data();
    void figuresAreCompactWithFullTooltips();
    void toolTipsGiveTheFullText();
    void sortRoleSortsNumbers();
    void percentilesFromRealCalls();
    void percentilesFollowNewCalls();
};

namespace {
std::shared_ptr<MethodRegistry> demoRegistry()
{
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    return registry;
}

QString cell(const MethodsModel& model, const QString& method, int column)
{
    return model.data(model.index(model.rowOf(method), column)).toString();
}
} // namespace

void TestMethodsModel::rowsMatchTheRegistry()
{
    auto registry = demoRegistry();
    MethodsModel model(registry);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), registry->names().size());
    QCOMPARE(model.names(), registry->names());
    QVERIFY(model.rowOf(QStringLiteral("add")) >= 0);
    QCOMPARE(model.rowOf(QStringLiteral("no.such.method")), -1);
    QCOMPARE(model.method(model.rowOf(QStringLiteral("add"))).name, QStringLiteral("add"));
}

void TestMethodsModel::signatureColumn_data()
{
    QTest::addColumn<QString>("method");
    QTest::newRow("add") << QStringLiteral("add");
    QTest::newRow("sum (variadic)") << QStringLiteral("sum");
    QTest::newRow("now (no params)") << QStringLiteral("now");
}

void TestMethodsModel::signatureColumn()
{
    QFETCH(QString, method);
    auto registry = demoRegistry();
    MethodsModel model(registry);
    QCOMPARE(cell(model, method, MethodsModel::SignatureColumn), registry->find(method)->info.signature());
    QCOMPARE(cell(model, method, MethodsModel::NameColumn), method);
    QCOMPARE(cell(model, method, MethodsModel::CallsColumn), QStringLiteral("0"));
    QCOMPARE(cell(model, method, MethodsModel::LatencyColumn), QString());
    QCOMPARE(cell(model, method, MethodsModel::P50Column), QString());
    QCOMPARE(cell(model, method, MethodsModel::P99Column), QString());
    QVERIFY(model.latency(model.rowOf(method)).isEmpty());
}

void TestMethodsModel::statsRefreshOnlyWhenChanged()
{
    auto registry = demoRegistry();
    MethodsModel model(registry);
    model.setRefreshInterval(60'000); // refreshed by hand below
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refreshStats();
    QCOMPARE(changed.count(), 0);

    const auto stats = registry->find(QStringLiteral("add"))->stats;
    stats->calls += 4;
    stats->errors += 1;
    stats->answered += 4;
    stats->totalLatencyNs += 4'000'000;
    model.refreshStats();
    QCOMPARE(changed.count(), 1);
    const int row = model.rowOf(QStringLiteral("add"));
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(row, MethodsModel::CallsColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(row, MethodsModel::P99Column));
    QCOMPARE(cell(model, QStringLiteral("add"), MethodsModel::CallsColumn), QStringLiteral("4"));
    QCOMPARE(cell(model, QStringLiteral("add"), MethodsModel::ErrorsColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, QStringLiteral("add"), MethodsModel::LatencyColumn), QStringLiteral("1.00 ms"));
}

void TestMethodsModel::registryChangesReload()
{
    auto registry = demoRegistry();
    MethodsModel model(registry);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int before = model.rowCount();
    registry->def(
        QStringLiteral("zz.triple"), [](qint64 x) { return x * 3; }, QStringLiteral("Triples"),
        arg(QStringLiteral("x")));
    QTRY_COMPARE(model.rowCount(), before + 1); // reload is queued
    QCOMPARE(cell(model, QStringLiteral("zz.triple"), MethodsModel::SignatureColumn),
             QStringLiteral("zz.triple(x: integer) -> integer"));
    registry->setEnabled(QStringLiteral("zz.triple"), false);
    QTRY_VERIFY(cell(model, QStringLiteral("zz.triple"), MethodsModel::NameColumn)
                    .contains(QStringLiteral("disabled")));
    registry->remove(QStringLiteral("zz.triple"));
    QTRY_COMPARE(model.rowCount(), before);
}

void TestMethodsModel::everyColumnHasAHeader()
{
    MethodsModel model(demoRegistry());
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY2(!model.headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(QString::number(c)));
}

void TestMethodsModel::figuresAreCompactWithFullTooltips_data()
{
    QTest::addColumn<quint64>("calls");
    QTest::addColumn<quint64>("errors");
    QTest::addColumn<quint64>("totalNs");
    QTest::addColumn<QString>("callsText");
    QTest::addColumn<QString>("errorsText");
    QTest::addColumn<QString>("latencyText");
    QTest::newRow("echo, sub-µs") << quint64(1'754'321) << quint64(12'345) << quint64(1'754'321) * 800
                                  << "1.75M"
                                  << "12.3k"
                                  << "0.8 µs";
    QTest::newRow("add, 500 ms fault") << quint64(999) << quint64(0) << quint64(999) * 500'300'000 << "999"
                                       << "0"
                                       << "500.30 ms";
}

void TestMethodsModel::figuresAreCompactWithFullTooltips()
{
    QFETCH(quint64, calls);
    QFETCH(quint64, errors);
    QFETCH(quint64, totalNs);
    QFETCH(QString, callsText);
    QFETCH(QString, errorsText);
    QFETCH(QString, latencyText);
    auto registry = demoRegistry();
    MethodsModel model(registry);
    const auto stats = registry->find(QStringLiteral("add"))->stats;
    stats->calls = calls;
    stats->answered = calls;
    stats->errors = errors;
    stats->totalLatencyNs = totalNs;
    model.refreshStats();
    const QString add = QStringLiteral("add");
    QCOMPARE(cell(model, add, MethodsModel::CallsColumn), callsText);
    QCOMPARE(cell(model, add, MethodsModel::ErrorsColumn), errorsText);
    QCOMPARE(cell(model, add, MethodsModel::LatencyColumn), latencyText);
    const QModelIndex callsCell = model.index(model.rowOf(add), MethodsModel::CallsColumn);
    QVERIFY2(callsCell.data(Qt::ToolTipRole).toString().contains(QLocale().toString(calls)),
             qPrintable(callsCell.data(Qt::ToolTipRole).toString()));
    const QModelIndex latencyCell = model.index(model.rowOf(add), MethodsModel::LatencyColumn);
    QVERIFY(latencyCell.data(Qt::ToolTipRole).toString().contains(latencyText));
}

void TestMethodsModel::toolTipsGiveTheFullText()
{
    auto registry = demoRegistry();
    MethodsModel model(registry);
    const QString name = QStringLiteral("system.methodSignature");
    const MethodInfo info = registry->find(name)->info;
    const int row = model.rowOf(name);
    QVERIFY(row >= 0);
    for (int c = 0; c < model.columnCount(); ++c) {
        const QModelIndex index = model.index(row, c);
        const QString shown = index.data().toString();
        const QString tip = index.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(shown),
                 qPrintable(QStringLiteral("column %1: '%2' not in '%3'").arg(c).arg(shown, tip)));
    }
    QVERIFY(model.index(row, MethodsModel::NameColumn).data(Qt::ToolTipRole).toString().startsWith(name));
    QVERIFY(model.index(row, MethodsModel::SignatureColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(info.signature()));
    QCOMPARE(model.index(row, MethodsModel::DescriptionColumn).data(Qt::ToolTipRole).toString(),
             info.description);
}

void TestMethodsModel::sortRoleSortsNumbers()
{
    auto registry = demoRegistry();
    MethodsModel model(registry);
    registry->find(QStringLiteral("add"))->stats->calls = 1'754'321;
    registry->find(QStringLiteral("echo"))->stats->calls = 999;
    model.refreshStats();
    const auto key = [&](const char* method) {
        return model.index(model.rowOf(QString::fromLatin1(method)), MethodsModel::CallsColumn)
            .data(MethodsModel::SortRole);
    };
    QVERIFY(key("add").toULongLong() > key("echo").toULongLong());
    QCOMPARE(key("add").toULongLong(), 1'754'321u);
}

namespace {
// A registry with "nap": sleeps the given microseconds, so latencies are known from below.
std::shared_ptr<MethodRegistry> napRegistry()
{
    auto registry = demoRegistry();
    registry->def(
        QStringLiteral("nap"),
        [](qint64 us) {
            std::this_thread::sleep_for(std::chrono::microseconds(us));
            return us;
        },
        QStringLiteral("Sleeps"), arg(QStringLiteral("us")));
    return registry;
}

void nap(test::DispatchHarness& harness, qint64 us, int times)
{
    for (int i = 0; i < times; ++i) {
        const auto out =
            harness.send(QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"nap","params":[%2]})")
                             .arg(i)
                             .arg(us)
                             .toUtf8());
        QCOMPARE(out->calls, 1); // synchronous method: answered (and recorded) before send() returns
    }
}
} // namespace

// 98 calls of at least 200 µs and 2 of at least 20 ms through the real Dispatcher: p50 is a
// fast call, p99 a slow one (rank 99 of 100), the mean in between.
void TestMethodsModel::percentilesFromRealCalls()
{
    auto registry = napRegistry();
    MethodsModel model(registry);
    model.setRefreshInterval(60'000); // refreshed by hand below
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    test::DispatchHarness harness(registry);
    nap(harness, 200, 98);
    nap(harness, 20'000, 2);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refreshStats();
    QCOMPARE(changed.count(), 1);

    const int row = model.rowOf(QStringLiteral("nap"));
    const LatencyBuckets::Snapshot latency = model.latency(row);
    QCOMPARE(latency.count(), quint64(100));
    const auto key = [&](int column) {
        return model.index(row, column).data(MethodsModel::SortRole).toLongLong();
    };
    const qint64 p50 = key(MethodsModel::P50Column);
    const qint64 p99 = key(MethodsModel::P99Column);
    const qint64 mean = key(MethodsModel::LatencyColumn);
    QCOMPARE(p50, latency.percentile(50));
    QCOMPARE(p99, latency.percentile(99));
    // Within the histogram's precision (1/16 at the bucket middle) of what the calls took.
    QVERIFY2(p50 >= 200'000 * 15 / 16 && p50 < 20'000'000 * 15 / 16, qPrintable(QString::number(p50)));
    QVERIFY2(p99 >= 20'000'000 * 15 / 16, qPrintable(QString::number(p99)));
    QVERIFY2(p50 < mean && mean < p99, qPrintable(QStringLiteral("%1 %2 %3").arg(p50).arg(mean).arg(p99)));

    // Compact text like the mean; the full sentence in the tooltip.
    QCOMPARE(cell(model, QStringLiteral("nap"), MethodsModel::P50Column), JsonText::formatLatencyNs(p50));
    QCOMPARE(cell(model, QStringLiteral("nap"), MethodsModel::P99Column), JsonText::formatLatencyNs(p99));
    const QString tip = model.index(row, MethodsModel::P99Column).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(JsonText::formatLatencyNs(p99)) && tip.contains(QStringLiteral("100")),
             qPrintable(tip));
    QVERIFY(model.index(row, MethodsModel::P50Column)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Median")));
    QCOMPARE(model.headerData(MethodsModel::P50Column, Qt::Horizontal).toString(), QStringLiteral("p50"));
    QCOMPARE(model.headerData(MethodsModel::P99Column, Qt::Horizontal).toString(), QStringLiteral("p99"));
    QVERIFY(!model.headerData(MethodsModel::P99Column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(model.index(row, MethodsModel::P99Column).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));

    // Nothing moved: no signal, same figures.
    model.refreshStats();
    QCOMPARE(changed.count(), 1);
}

// The timer picks up new calls: the p99 climbs once slow calls are the top percent.
void TestMethodsModel::percentilesFollowNewCalls()
{
    auto registry = napRegistry();
    MethodsModel model(registry);
    model.setRefreshInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    test::DispatchHarness harness(registry);
    nap(harness, 0, 50);
    const int row = model.rowOf(QStringLiteral("nap"));
    QTRY_COMPARE(model.latency(row).count(), quint64(50));
    const qint64 fast = model.index(row, MethodsModel::P99Column).data(MethodsModel::SortRole).toLongLong();
    QVERIFY(fast > 0);
    nap(harness, 30'000, 5); // 5 of 55: beyond the 99th percentile's rank
    QTRY_VERIFY(model.index(row, MethodsModel::P99Column).data(MethodsModel::SortRole).toLongLong() >=
                30'000'000 * 15 / 16);
    QCOMPARE(model.latency(row).count(), quint64(55));
    QVERIFY(model.index(row, MethodsModel::P50Column).data(MethodsModel::SortRole).toLongLong() < 30'000'000);
}

QTEST_MAIN(TestMethodsModel)
#include "tst_methodsmodel.moc"
