// CollectionsModel: the tree over a CollectionStore (collections → folders → calls), checked by
// QAbstractItemModelTester through every edit; renames through setData; drag and drop through
// mimeData/dropMimeData with the item's address; the last result column with its tooltip.

#include "collections/CollectionStore.h"
#include "collections/CollectionsModel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

CollectionItem call(const QString& name, const QString& method, const QString& target = {})
{
    SavedCall c;
    c.name = name;
    c.method = method;
    c.target = target;
    return CollectionItem::makeCall(c);
}

void fill(CollectionStore& store)
{
    Collection demo;
    demo.name = QStringLiteral("Demo");
    demo.items = {
        call(QStringLiteral("hello"), QStringLiteral("echo")),
        CollectionItem::makeFolder(QStringLiteral("Math"), {call(QStringLiteral("sum"), QStringLiteral("add"),
                                                                 QStringLiteral("http://127.0.0.1:1/rpc"))})};
    Collection other;
    other.name = QStringLiteral("Other");
    store.setAll({demo, other}, {});
}

QString name(const QModelIndex& index)
{
    return index.data().toString();
}

} // namespace

class TestCollectionsModel : public QObject
{
    Q_OBJECT
private slots:
    void treeAndColumns();
    void addressesRoundTrip();
    void editsKeepTheTesterHappy();
    void renameThroughSetData_data();
    void renameThroughSetData();
    void renameKeepsIndexes();
    void dragAndDrop_data();
    void dragAndDrop();
    void dropRefusals();
    void results();
};

void TestCollectionsModel::treeAndColumns()
{
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 3);
    const QModelIndex demo = model.index(0, 0);
    QCOMPARE(name(demo), QStringLiteral("Demo"));
    QVERIFY(demo.data(CollectionsModel::IsCollectionRole).toBool());
    QCOMPARE(model.rowCount(demo), 2);
    const QModelIndex math = model.index(1, 0, demo);
    QVERIFY(math.data(CollectionsModel::IsFolderRole).toBool());
    const QModelIndex sum = model.index(0, 0, math);
    QCOMPARE(name(sum), QStringLiteral("sum"));
    QCOMPARE(name(sum.siblingAtColumn(CollectionsModel::MethodColumn)),
             QStringLiteral("add → http://127.0.0.1:1/rpc"));
    QCOMPARE(name(model.index(0, CollectionsModel::MethodColumn, demo)), QStringLiteral("echo"));
    QCOMPARE(name(sum.siblingAtColumn(CollectionsModel::ResultColumn)), QStringLiteral("—"));
    QCOMPARE(sum.parent(), math);
    QCOMPARE(math.parent(), demo);
    QVERIFY(model.flags(sum) & Qt::ItemIsDragEnabled);
    QVERIFY(!(model.flags(sum) & Qt::ItemIsDropEnabled));
    QVERIFY(model.flags(math) & Qt::ItemIsDropEnabled);
    QVERIFY(!(model.flags(demo) & Qt::ItemIsDragEnabled));
    QVERIFY(model.flags(demo) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(sum.siblingAtColumn(CollectionsModel::ResultColumn)) & Qt::ItemIsEditable));
}

void TestCollectionsModel::addressesRoundTrip()
{
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    for (const ItemAddress& at :
         {ItemAddress{0, {}}, ItemAddress{0, {1}}, ItemAddress{0, {1, 0}}, ItemAddress{1, {}}})
        QCOMPARE(model.address(model.indexOf(at)), at);
    QVERIFY(!model.indexOf({0, {5}}).isValid());
    QVERIFY(!model.indexOf({3, {}}).isValid());
    QCOMPARE(model.address({}).collection, -1);
}

void TestCollectionsModel::editsKeepTheTesterHappy()
{
    CollectionStore store;
    CollectionsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(store);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    store.addItem({1, {}}, call(QStringLiteral("n"), QStringLiteral("now")));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(model.index(1, 0)), 1);
    store.duplicateItem({0, {1}});
    store.moveItem({0, {1, 0}}, {1, {}}, 0);
    store.removeItem({0, {0}});
    store.removeCollection(0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowCount(model.index(0, 0)), 2);
    QCOMPARE(name(model.index(0, 0, model.index(0, 0))), QStringLiteral("sum"));
}

void TestCollectionsModel::renameThroughSetData_data()
{
    QTest::addColumn<int>("collection");
    QTest::addColumn<QList<int>>("path");
    QTest::addColumn<QString>("newName");
    QTest::addColumn<bool>("ok");
    QTest::newRow("collection") << 0 << QList<int>{} << QStringLiteral("API") << true;
    QTest::newRow("folder") << 0 << QList<int>{1} << QStringLiteral("Arithmetic") << true;
    QTest::newRow("call") << 0 << QList<int>{1, 0} << QStringLiteral("add two") << true;
    QTest::newRow("empty") << 0 << QList<int>{1, 0} << QStringLiteral("  ") << false;
    QTest::newRow("folder with a slash") << 0 << QList<int>{1} << QStringLiteral("a/b") << false;
}

void TestCollectionsModel::renameThroughSetData()
{
    QFETCH(int, collection);
    QFETCH(QList<int>, path);
    QFETCH(QString, newName);
    QFETCH(bool, ok);
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex index = model.indexOf({collection, path});
    const QString before = name(index);
    QCOMPARE(model.setData(index, newName), ok);
    QCOMPARE(name(model.indexOf({collection, path})), ok ? newName : before);
    QVERIFY(!model.setData(index.siblingAtColumn(CollectionsModel::MethodColumn), newName));
}

void TestCollectionsModel::renameKeepsIndexes()
{
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QPersistentModelIndex sum = model.indexOf({0, {1, 0}});
    QVERIFY(model.setData(sum, QStringLiteral("total")));
    QCOMPARE(reset.count(), 0); // a rename keeps the view's selection and expansion
    QVERIFY(changed.count() > 0);
    QVERIFY(sum.isValid());
    QCOMPARE(name(sum), QStringLiteral("total"));
}

void TestCollectionsModel::dragAndDrop_data()
{
    QTest::addColumn<QList<int>>("from");
    QTest::addColumn<int>("parentCollection");
    QTest::addColumn<QList<int>>("parentPath");
    QTest::addColumn<int>("row");
    QTest::addColumn<ItemAddress>("landed");

    QTest::newRow("into a folder, at the end")
        << QList<int>{0} << 0 << QList<int>{1} << -1 << ItemAddress{0, {0, 1}};
    QTest::newRow("out of a folder, first row")
        << QList<int>{1, 0} << 0 << QList<int>{} << 0 << ItemAddress{0, {0}};
    QTest::newRow("onto a call: after it")
        << QList<int>{1, 0} << 0 << QList<int>{0} << -1 << ItemAddress{0, {1}};
    QTest::newRow("to another collection") << QList<int>{1} << 1 << QList<int>{} << -1 << ItemAddress{1, {0}};
}

void TestCollectionsModel::dragAndDrop()
{
    QFETCH(QList<int>, from);
    QFETCH(int, parentCollection);
    QFETCH(QList<int>, parentPath);
    QFETCH(int, row);
    QFETCH(ItemAddress, landed);
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex source = model.indexOf({0, from});
    const QString moved = name(source);
    std::unique_ptr<QMimeData> data(model.mimeData({source, source.siblingAtColumn(1)}));
    QVERIFY(data);
    QVERIFY(data->hasFormat(QLatin1String(CollectionsModel::mimeType)));
    const QModelIndex parent = model.indexOf({parentCollection, parentPath});
    QVERIFY(model.canDropMimeData(data.get(), Qt::MoveAction, row, 0, parent));
    QVERIFY(model.dropMimeData(data.get(), Qt::MoveAction, row, 0, parent));
    QCOMPARE(name(model.indexOf(landed)), moved);
    QCOMPARE(store.item(landed)->displayName(), moved);
}

void TestCollectionsModel::dropRefusals()
{
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    const QModelIndex math = model.indexOf({0, {1}});
    std::unique_ptr<QMimeData> data(model.mimeData({math}));
    QVERIFY(!model.dropMimeData(data.get(), Qt::MoveAction, 0, 0, math)); // into itself
    QVERIFY(!model.dropMimeData(data.get(), Qt::MoveAction, 0, 0, {}));   // outside every collection
    QVERIFY(!model.dropMimeData(data.get(), Qt::CopyAction, 0, 0, model.indexOf({1, {}})));
    QVERIFY(!model.mimeData({model.indexOf({0, {}})})); // collections do not move
    QMimeData junk;
    junk.setData(QLatin1String(CollectionsModel::mimeType), "not json");
    QVERIFY(!model.canDropMimeData(&junk, Qt::MoveAction, 0, 0, model.indexOf({1, {}})));
    QCOMPARE(name(model.indexOf({0, {1}})), QStringLiteral("Math"));
}

void TestCollectionsModel::results()
{
    CollectionStore store;
    fill(store);
    CollectionsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CallReport failed;
    failed.path = QStringLiteral("Math/sum");
    failed.skipped = false;
    failed.assertions << AssertionReport{QStringLiteral("result equals 3"),
                                         {false, QStringLiteral("3"), QStringLiteral("13")}};
    CallReport passed;
    passed.path = QStringLiteral("hello");
    passed.assertions << AssertionReport{QStringLiteral("result"), {true, {}, {}}};
    model.setResult(0, failed);
    model.setResult(0, passed);
    const QModelIndex sum = model.indexOf({0, {1, 0}}, CollectionsModel::ResultColumn);
    QCOMPARE(name(sum), QStringLiteral("FAIL"));
    const QString tip = sum.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("expected: 3")) && tip.contains(QStringLiteral("actual: 13")),
             qPrintable(tip));
    QCOMPARE(name(model.indexOf({0, {0}}, CollectionsModel::ResultColumn)), QStringLiteral("PASS"));
    QCOMPARE(name(model.indexOf({1, {}}, CollectionsModel::ResultColumn)), QString());
    store.removeCollection(1); // indexes shift: verdicts kept by index would land elsewhere
    QCOMPARE(name(model.indexOf({0, {0}}, CollectionsModel::ResultColumn)), QStringLiteral("—"));
    model.setResult(0, passed);
    store.setAll({}, {}); // another workspace: old verdicts go
    fill(store);
    QCOMPARE(name(model.indexOf({0, {0}}, CollectionsModel::ResultColumn)), QStringLiteral("—"));
}

QTEST_MAIN(TestCollectionsModel)
#include "tst_collectionsmodel.moc"
