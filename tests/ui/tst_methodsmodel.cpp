// The server panel's methods table: one row per registered method with its signature, and
// live figures that follow the registry's counters; changes to the registry reload it.

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "server/MethodsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

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
    stats->totalLatencyUs += 4000;
    model.refreshStats();
    QCOMPARE(changed.count(), 1);
    const int row = model.rowOf(QStringLiteral("add"));
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(row, MethodsModel::CallsColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(row, MethodsModel::LatencyColumn));
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

QTEST_MAIN(TestMethodsModel)
#include "tst_methodsmodel.moc"
