// The call history: newest first, capped, deletable, stored through JSON unchanged, late
// replies marked on their entry, every column with a header and its full text as a tooltip.

#include "client/CallHistoryModel.h"
#include "util/JsonText.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {
HistoryEntry entry(const QString& method, const QJsonValue& params = QJsonArray{1, 2})
{
    HistoryEntry e;
    e.time = QDateTime::fromString(QStringLiteral("2024-05-01T12:34:56.789Z"), Qt::ISODateWithMs);
    e.method = method;
    e.params = params;
    e.url = QStringLiteral("tcp://127.0.0.1:5000");
    e.dialect = QStringLiteral("2.0");
    e.status = QStringLiteral("ok");
    e.outcome = QStringLiteral("3");
    e.latencyUs = 250;
    return e;
}
} // namespace

class TestCallHistoryModel : public QObject
{
    Q_OBJECT
private slots:
    void newestFirstAndCapped();
    void removeAndClear();
    void jsonRoundTrip();
    void longOutcomesAreTruncated();
    void lateReplyMarksEntry_data();
    void lateReplyMarksEntry();
    void lateSurvivesJson();
    void headersAndToolTips_data();
    void headersAndToolTips();
};

void TestCallHistoryModel::newestFirstAndCapped()
{
    CallHistoryModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &CallHistoryModel::historyChanged);
    for (int i = 0; i < 5; ++i)
        model.add(entry(QStringLiteral("m%1").arg(i)));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.entry(0).method, QStringLiteral("m4"));
    QCOMPARE(model.entry(2).method, QStringLiteral("m2"));
    QCOMPARE(changed.count(), 5);
    QCOMPARE(model.data(model.index(0, CallHistoryModel::ParamsColumn)).toString(), QStringLiteral("[1,2]"));
    QCOMPARE(model.data(model.index(0, CallHistoryModel::LatencyColumn)).toString(),
             QStringLiteral("250 µs"));
}

void TestCallHistoryModel::removeAndClear()
{
    CallHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.add(entry(QStringLiteral("a")));
    model.add(entry(QStringLiteral("b")));
    model.remove(1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.entry(0).method, QStringLiteral("b"));
    model.remove(7); // out of range: ignored
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestCallHistoryModel::jsonRoundTrip()
{
    CallHistoryModel model;
    HistoryEntry notify = entry(QStringLiteral("notify_hello"), QJsonValue::Undefined);
    notify.notification = true;
    model.add(entry(QStringLiteral("first")));
    model.add(notify);
    const QJsonArray json = model.toJson();
    QCOMPARE(json.first().toObject().value(QStringLiteral("method")).toString(),
             QStringLiteral("first")); // oldest first
    CallHistoryModel copy;
    QAbstractItemModelTester tester(&copy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    copy.load(json);
    QCOMPARE(copy.rowCount(), 2);
    QCOMPARE(copy.entry(0).method, QStringLiteral("notify_hello"));
    QVERIFY(copy.entry(0).params.isUndefined());
    QVERIFY(copy.entry(0).notification);
    QCOMPARE(copy.entry(1).params, QJsonValue(QJsonArray{1, 2}));
    QCOMPARE(copy.entry(1).time, entry(QString()).time);
    QCOMPARE(copy.toJson(), json);
    copy.load(QJsonArray{QStringLiteral("junk"), QJsonObject{}}); // unusable entries are skipped
    QCOMPARE(copy.rowCount(), 0);
}

void TestCallHistoryModel::longOutcomesAreTruncated()
{
    CallHistoryModel model;
    HistoryEntry big = entry(QStringLiteral("blob"));
    big.outcome = QString(100'000, QLatin1Char('x'));
    model.add(big);
    QCOMPARE(model.entry(0).outcome.size(), CallHistoryModel::MaxOutcomeChars + 1);
}

void TestCallHistoryModel::lateReplyMarksEntry_data()
{
    QTest::addColumn<quint64>("markedId");
    QTest::addColumn<int>("markedRow"); // -1: nothing marked
    QTest::newRow("newest") << quint64(12) << 0;
    QTest::newRow("older") << quint64(11) << 1;
    QTest::newRow("unknown id") << quint64(99) << -1;
    QTest::newRow("id 0 never matches") << quint64(0) << -1;
}

void TestCallHistoryModel::lateReplyMarksEntry()
{
    QFETCH(quint64, markedId);
    QFETCH(int, markedRow);
    CallHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    HistoryEntry old = entry(QStringLiteral("sleep"));
    old.callId = 11;
    old.status = QStringLiteral("timeout");
    old.outcome = QStringLiteral("timed out after 50 ms");
    old.latencyUs = -1;
    HistoryEntry newer = old;
    newer.callId = 12;
    HistoryEntry batchItem = entry(QStringLiteral("add")); // callId 0
    model.add(batchItem);
    model.add(old);
    model.add(newer);
    QSignalSpy changed(&model, &CallHistoryModel::historyChanged);
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.markLate(markedId, 612'000), markedRow >= 0);
    QCOMPARE(changed.count(), markedRow >= 0 ? 1 : 0);
    QCOMPARE(dataChanged.count(), markedRow >= 0 ? 1 : 0);
    for (int row = 0; row < model.rowCount(); ++row) {
        const bool late = row == markedRow;
        QCOMPARE(model.entry(row).late, late);
        const QString outcome = model.index(row, CallHistoryModel::OutcomeColumn).data().toString();
        QCOMPARE(outcome.contains(QStringLiteral("late (after timeout)")), late);
        if (!late)
            continue;
        QCOMPARE(model.entry(row).status, QStringLiteral("timeout")); // the outcome keeps the timeout
        QVERIFY(outcome.contains(QStringLiteral("timeout: timed out after 50 ms")));
        QCOMPARE(model.index(row, CallHistoryModel::LatencyColumn).data().toString(),
                 JsonText::formatLatency(612'000) + QStringLiteral(" (late)"));
        QVERIFY(!model.index(row, CallHistoryModel::OutcomeColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
    }
}

void TestCallHistoryModel::lateSurvivesJson()
{
    CallHistoryModel model;
    HistoryEntry e = entry(QStringLiteral("sleep"));
    e.callId = 5;
    e.status = QStringLiteral("timeout");
    model.add(e);
    QVERIFY(model.markLate(5, 700'000));
    const QJsonArray json = model.toJson();
    QVERIFY(!json.first().toObject().contains(QStringLiteral("callId"))); // this run only
    CallHistoryModel copy;
    copy.load(json);
    QVERIFY(copy.entry(0).late);
    QCOMPARE(copy.entry(0).lateLatencyUs, 700'000);
    QCOMPARE(copy.entry(0).callId, quint64(0));
    QVERIFY(!copy.markLate(5, 1)); // a new run's call ids mean other calls
    QCOMPARE(copy.toJson(), json);
}

void TestCallHistoryModel::headersAndToolTips_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("inToolTip");
    QTest::newRow("time") << int(CallHistoryModel::TimeColumn) << "Time"
                          << "2024-05-01";
    QTest::newRow("method") << int(CallHistoryModel::MethodColumn) << "Method"
                            << "echo";
    QTest::newRow("params: whole") << int(CallHistoryModel::ParamsColumn) << "Params"
                                   << "yyyEND";
    QTest::newRow("result: whole") << int(CallHistoryModel::OutcomeColumn) << "Result"
                                   << "yyyEND";
    QTest::newRow("latency") << int(CallHistoryModel::LatencyColumn) << "Latency"
                             << "250 µs";
}

void TestCallHistoryModel::headersAndToolTips()
{
    QFETCH(int, column);
    QFETCH(QString, header);
    QFETCH(QString, inToolTip);
    CallHistoryModel model;
    const QString longText = QStringLiteral("v") + QString(500, QLatin1Char('y')) + QStringLiteral("END");
    HistoryEntry e = entry(QStringLiteral("echo"), QJsonArray{longText});
    e.outcome = QStringLiteral("\"%1\"").arg(longText);
    model.add(e);
    QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), header);
    QVERIFY(!model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    const QString tip = model.index(0, column).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(inToolTip), qPrintable(tip.left(200)));
    QVERIFY(tip.contains(QStringLiteral("tcp://127.0.0.1:5000"))); // and the call itself
}

QTEST_MAIN(TestCallHistoryModel)
#include "tst_callhistorymodel.moc"
