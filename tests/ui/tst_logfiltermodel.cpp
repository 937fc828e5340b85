// The log filter: text, method (replies included through their request), errors only, side
// and peer; live inserts and evictions pass through the proxy correctly.

#include "UiTestEvents.h"
#include "log/LogFilterModel.h"
#include "log/TrafficLogModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <functional>

using namespace rpcbench;
using uitest::makeEvent;

using FilterSetup = std::function<void(LogFilterModel&)>;
Q_DECLARE_METATYPE(FilterSetup)

namespace {

// Server: add (conn 1), subtract (conn 2) with an error reply; client: echo.
std::vector<TrafficEvent> sample()
{
    const qint64 t = 1'700'000'000'000'000;
    TrafficEvent echo = makeEvent(Side::Client, Direction::Out, MessageKind::Request, 9, "5", "echo", t + 4);
    echo.raw = R"({"jsonrpc":"2.0","method":"echo","params":["needle in payload"],"id":5})";
    return {makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "1", "add", t),
            makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "1", {}, t + 1),
            makeEvent(Side::Server, Direction::In, MessageKind::Request, 2, "2", "subtract", t + 2),
            makeEvent(Side::Server, Direction::Out, MessageKind::Error, 2, "2", {}, t + 3),
            echo,
            makeEvent(Side::Client, Direction::In, MessageKind::Response, 9, "5", {}, t + 5)};
}

} // namespace

class TestLogFilterModel : public QObject
{
    Q_OBJECT
private slots:
    void filters_data();
    void filters();
    void combinedAndCleared();
    void liveRowsAndEvictionThroughProxy();
    void sourceRowsFollowTheFilter();
    void largeLogFilters();
    void findsLateReplies_data();
    void findsLateReplies();
};

void TestLogFilterModel::filters_data()
{
    QTest::addColumn<FilterSetup>("setup");
    QTest::addColumn<QList<int>>("rows"); // accepted source rows
    QTest::newRow("none") << FilterSetup([](LogFilterModel&) {}) << QList<int>{0, 1, 2, 3, 4, 5};
    QTest::newRow("method add, reply included")
        << FilterSetup([](LogFilterModel& f) { f.setMethod(QStringLiteral("add")); }) << QList<int>{0, 1};
    QTest::newRow("text is case-insensitive")
        << FilterSetup([](LogFilterModel& f) { f.setText(QStringLiteral("SUBTR")); }) << QList<int>{2, 3};
    QTest::newRow("text in the payload")
        << FilterSetup([](LogFilterModel& f) { f.setText(QStringLiteral("needle")); }) << QList<int>{4};
    QTest::newRow("errors only") << FilterSetup([](LogFilterModel& f) { f.setErrorsOnly(true); })
                                 << QList<int>{3};
    QTest::newRow("client side") << FilterSetup([](LogFilterModel& f) { f.setSide(Side::Client); })
                                 << QList<int>{4, 5};
    QTest::newRow("server side") << FilterSetup([](LogFilterModel& f) { f.setSide(Side::Server); })
                                 << QList<int>{0, 1, 2, 3};
    QTest::newRow("peer substring") << FilterSetup([](LogFilterModel& f) {
        f.setPeer(QStringLiteral(":40002"));
    }) << QList<int>{2, 3};
    QTest::newRow("peer by connection")
        << FilterSetup([](LogFilterModel& f) { f.setPeer(QStringLiteral("#9")); }) << QList<int>{4, 5};
    QTest::newRow("no match") << FilterSetup([](LogFilterModel& f) { f.setText(QStringLiteral("zzz")); })
                              << QList<int>{};
}

void TestLogFilterModel::filters()
{
    QFETCH(FilterSetup, setup);
    QFETCH(QList<int>, rows);
    TrafficLogModel log;
    log.append(sample());
    LogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setLogModel(&log);
    setup(filter);
    QCOMPARE(filter.sourceRows(), rows);
    QCOMPARE(filter.isActive(), rows.size() != 6);
}

void TestLogFilterModel::combinedAndCleared()
{
    TrafficLogModel log;
    log.append(sample());
    LogFilterModel filter;
    filter.setLogModel(&log);
    filter.setSide(Side::Server);
    filter.setText(QStringLiteral("add"));
    filter.setErrorsOnly(true);
    QCOMPARE(filter.rowCount(), 0); // the only error answers subtract
    filter.setErrorsOnly(false);
    QVERIFY(filter.rowCount() > 0);
    filter.setText({});
    filter.setSide(std::nullopt);
    QCOMPARE(filter.rowCount(), 6);
    QVERIFY(!filter.isActive());
}

void TestLogFilterModel::liveRowsAndEvictionThroughProxy()
{
    TrafficLogModel log;
    log.setCapacity(8);
    LogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setLogModel(&log);
    filter.setMethod(QStringLiteral("add"));
    for (int round = 0; round < 5; ++round)
        log.append(sample()); // 30 rows through a cap of 8
    QCOMPARE(log.rowCount(), 8);
    for (int row : filter.sourceRows())
        QCOMPARE(log.record(row).method(), QStringLiteral("add"));
    QCOMPARE(filter.rowCount(), 2); // the last sample's add request and its reply
}

void TestLogFilterModel::sourceRowsFollowTheFilter()
{
    TrafficLogModel log;
    log.append(sample());
    LogFilterModel filter;
    filter.setLogModel(&log);
    filter.setSide(Side::Client);
    const QList<int> rows = filter.sourceRows();
    QCOMPARE(rows.size(), filter.rowCount());
    for (int i = 0; i < rows.size(); ++i)
        QCOMPARE(filter.mapToSource(filter.index(i, 0)).row(), rows.at(i));
}

// Correctness at the default cap; the filter reads cached fields only, so this stays quick.
void TestLogFilterModel::largeLogFilters()
{
    TrafficLogModel log;
    std::vector<TrafficEvent> events;
    for (int i = 0; i < int(TrafficLogModel::DefaultCapacity); ++i)
        events.push_back(makeEvent(i % 2 ? Side::Client : Side::Server, Direction::In,
                                   i % 10 == 0 ? MessageKind::Error : MessageKind::Request, quint64(i % 7),
                                   QByteArray::number(i),
                                   i % 3 ? QStringLiteral("add") : QStringLiteral("echo")));
    log.append(std::move(events));
    LogFilterModel filter;
    filter.setLogModel(&log);
    filter.setErrorsOnly(true);
    QCOMPARE(filter.rowCount(), int(TrafficLogModel::DefaultCapacity) / 10);
    filter.setErrorsOnly(false);
    filter.setMethod(QStringLiteral("echo"));
    QCOMPARE(filter.rowCount(), (int(TrafficLogModel::DefaultCapacity) + 2) / 3);
}

void TestLogFilterModel::findsLateReplies_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("rows"); // of: request, its timely reply, a late reply
    QTest::newRow("late") << QStringLiteral("late") << QList<int>{2};
    QTest::newRow("case-insensitive marker") << QStringLiteral("AFTER TIMEOUT") << QList<int>{2};
    QTest::newRow("kind still matches") << QStringLiteral("result") << QList<int>{1, 2};
    QTest::newRow("no match") << QStringLiteral("later") << QList<int>{};
}

// A reply that came after its call timed out is found by the text its Kind column shows.
void TestLogFilterModel::findsLateReplies()
{
    QFETCH(QString, text);
    QFETCH(QList<int>, rows);
    TrafficLogModel log;
    TrafficEvent late = makeEvent(Side::Client, Direction::In, MessageKind::Response, 9, "6");
    late.late = true;
    log.append({makeEvent(Side::Client, Direction::Out, MessageKind::Request, 9, "6", "sleep"),
                makeEvent(Side::Client, Direction::In, MessageKind::Response, 9, "7"), late});
    LogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setLogModel(&log);
    filter.setText(text);
    QCOMPARE(filter.sourceRows(), rows);
}

QTEST_MAIN(TestLogFilterModel)
#include "tst_logfiltermodel.moc"
