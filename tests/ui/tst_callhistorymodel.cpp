// The call history: newest first, capped, deletable, and stored through JSON unchanged.

#include "client/CallHistoryModel.h"

#include <QAbstractItemModelTester>
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

QTEST_MAIN(TestCallHistoryModel)
#include "tst_callhistorymodel.moc"
