// CollectionStore: every edit of the Collections panel, with the addresses it uses (collection,
// path of item indexes) and the moves drag and drop makes: a folder cannot go into itself, a
// reorder in one folder counts the removed row, a move across collections takes the item along.

#include "collections/CollectionStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

CollectionItem call(const QString& name)
{
    SavedCall c;
    c.name = name;
    c.method = name;
    return CollectionItem::makeCall(c);
}

// "a,b,[F:c,d]" — a collection's (or folder's) items as one line, folders in brackets.
QString shape(const QList<CollectionItem>& items)
{
    QStringList parts;
    for (const CollectionItem& i : items)
        parts << (i.isFolder ? QStringLiteral("[%1:%2]").arg(i.folder, shape(i.items))
                             : i.call.displayName());
    return parts.join(QLatin1Char(','));
}

// Collection 0: a, b, [F: c, [G: d]], e.  Collection 1: x.
void fill(CollectionStore& store)
{
    Collection one;
    one.name = QStringLiteral("one");
    one.items = {call(QStringLiteral("a")), call(QStringLiteral("b")),
                 CollectionItem::makeFolder(
                     QStringLiteral("F"),
                     {call(QStringLiteral("c")),
                      CollectionItem::makeFolder(QStringLiteral("G"), {call(QStringLiteral("d"))})}),
                 call(QStringLiteral("e"))};
    Collection two;
    two.name = QStringLiteral("two");
    two.items = {call(QStringLiteral("x"))};
    store.setAll({one, two},
                 {{QStringLiteral("dev"), {{QStringLiteral("baseUrl"), QStringLiteral("http://x")}}}});
}

} // namespace

class TestCollectionStore : public QObject
{
    Q_OBJECT
private slots:
    void setAllResetsAndKeepsEnvironmentChoice();
    void addRenameRemove();
    void badAddressesChangeNothing();
    void duplicate();
    void insertAgainAfterRemove();
    void move_data();
    void move();
    void saveCallMakesCollectionAndFolders();
    void runPath();
};

void TestCollectionStore::setAllResetsAndKeepsEnvironmentChoice()
{
    CollectionStore store;
    QSignalSpy reset(&store, &CollectionStore::reset);
    QSignalSpy changed(&store, &CollectionStore::changed);
    QSignalSpy env(&store, &CollectionStore::currentEnvironmentChanged);
    fill(store);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(changed.count(), 1);
    store.setCurrentEnvironment(QStringLiteral("dev"));
    QCOMPARE(env.count(), 1);
    fill(store); // still defined: kept
    QCOMPARE(store.currentEnvironment(), QStringLiteral("dev"));
    store.setAll({}, {}); // gone: back to none
    QCOMPARE(store.currentEnvironment(), QString());
    QCOMPARE(env.count(), 2);
}

void TestCollectionStore::addRenameRemove()
{
    CollectionStore store;
    fill(store);
    QSignalSpy changed(&store, &CollectionStore::changed);
    const int c = store.addCollection(QStringLiteral("three"));
    QCOMPARE(c, 2);
    QVERIFY(store.addItem({c, {}}, CollectionItem::makeFolder(QStringLiteral("H"))));
    QVERIFY(store.addItem({c, {0}}, call(QStringLiteral("y"))));
    QCOMPARE(shape(store.collections()[c].items), QStringLiteral("[H:y]"));
    QVERIFY(store.renameItem({c, {0}}, QStringLiteral(" I ")));
    QVERIFY(store.renameItem({c, {0, 0}}, QStringLiteral("z")));
    QCOMPARE(shape(store.collections()[c].items), QStringLiteral("[I:z]"));
    QVERIFY(!store.renameItem({c, {0}}, QStringLiteral("a/b"))); // a folder path separator
    QVERIFY(!store.renameItem({c, {0}}, QStringLiteral("  ")));
    QVERIFY(store.renameCollection(c, QStringLiteral("3")));
    QCOMPARE(store.collections()[c].name, QStringLiteral("3"));
    SavedCall replaced;
    replaced.method = QStringLiteral("echo");
    QVERIFY(store.replaceItem({c, {0, 0}}, CollectionItem::makeCall(replaced)));
    QCOMPARE(store.item({c, {0, 0}})->call.method, QStringLiteral("echo"));
    QVERIFY(store.removeItem({c, {0, 0}}));
    QCOMPARE(shape(store.collections()[c].items), QStringLiteral("[I:]"));
    QVERIFY(store.removeCollection(c));
    QCOMPARE(store.collections().size(), 2);
    QCOMPARE(changed.count(), 9);
}

void TestCollectionStore::badAddressesChangeNothing()
{
    CollectionStore store;
    fill(store);
    QSignalSpy changed(&store, &CollectionStore::changed);
    QVERIFY(!store.addItem({5, {}}, call(QStringLiteral("q"))));
    QVERIFY(!store.addItem({0, {0}}, call(QStringLiteral("q")))); // a call is no folder
    QVERIFY(!store.replaceItem({0, {9}}, call(QStringLiteral("q"))));
    QVERIFY(!store.removeItem({0, {}}));
    QVERIFY(!store.removeItem({0, {2, 7}}));
    QVERIFY(!store.duplicateItem({1, {1}}));
    QVERIFY(!store.renameCollection(-1, QStringLiteral("n")));
    QVERIFY(!store.removeCollection(2));
    QVERIFY(!store.moveItem({0, {9}}, {1, {}}, 0));
    QVERIFY(!store.moveItem({0, {0}}, {0, {1}}, 0)); // into a call
    QVERIFY(!store.insertItem({0, {0}}, 0, call(QStringLiteral("q"))));
    QVERIFY(store.item({0, {}}) == nullptr);
    QCOMPARE(changed.count(), 0);
}

void TestCollectionStore::duplicate()
{
    CollectionStore store;
    fill(store);
    QVERIFY(store.duplicateItem({0, {0}}));
    QVERIFY(store.duplicateItem({0, {3}})); // the folder, with everything in it
    QCOMPARE(shape(store.collections()[0].items),
             QStringLiteral("a,a copy,b,[F:c,[G:d]],[F copy:c,[G:d]],e"));
}

void TestCollectionStore::insertAgainAfterRemove()
{
    CollectionStore store;
    fill(store);
    const CollectionItem folder = *store.item({0, {2}});
    QVERIFY(store.removeItem({0, {2}}));
    QVERIFY(store.insertItem({0, {}}, 2, folder));
    const Collection two = store.collections()[1];
    QVERIFY(store.removeCollection(1));
    QCOMPARE(store.insertCollection(0, two), 0);
    QCOMPARE(store.collections()[0].name, QStringLiteral("two"));
    QCOMPARE(shape(store.collections()[1].items), QStringLiteral("a,b,[F:c,[G:d]],e"));
}

void TestCollectionStore::move_data()
{
    QTest::addColumn<int>("fromCollection");
    QTest::addColumn<QList<int>>("from");
    QTest::addColumn<int>("toCollection");
    QTest::addColumn<QList<int>>("to");
    QTest::addColumn<int>("row");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("one");
    QTest::addColumn<QString>("two");

    const QString unchanged = QStringLiteral("a,b,[F:c,[G:d]],e");
    QTest::newRow("down in the same folder") << 0 << QList<int>{0} << 0 << QList<int>{} << 3 << true
                                             << QStringLiteral("b,[F:c,[G:d]],a,e") << QStringLiteral("x");
    QTest::newRow("to the end") << 0 << QList<int>{0} << 0 << QList<int>{} << 4 << true
                                << QStringLiteral("b,[F:c,[G:d]],e,a") << QStringLiteral("x");
    QTest::newRow("up in the same folder") << 0 << QList<int>{3} << 0 << QList<int>{} << 0 << true
                                           << QStringLiteral("e,a,b,[F:c,[G:d]]") << QStringLiteral("x");
    QTest::newRow("onto its own place")
        << 0 << QList<int>{1} << 0 << QList<int>{} << 1 << true << unchanged << QStringLiteral("x");
    QTest::newRow("into a later folder") << 0 << QList<int>{0} << 0 << QList<int>{2, 1} << 0 << true
                                         << QStringLiteral("b,[F:c,[G:a,d]],e") << QStringLiteral("x");
    QTest::newRow("out of a folder, before it")
        << 0 << QList<int>{2, 1, 0} << 0 << QList<int>{} << 0 << true << QStringLiteral("d,a,b,[F:c,[G:]],e")
        << QStringLiteral("x");
    QTest::newRow("folder into itself")
        << 0 << QList<int>{2} << 0 << QList<int>{2} << 0 << false << unchanged << QStringLiteral("x");
    QTest::newRow("folder into its own subfolder")
        << 0 << QList<int>{2} << 0 << QList<int>{2, 1} << 0 << false << unchanged << QStringLiteral("x");
    QTest::newRow("across collections") << 0 << QList<int>{2} << 1 << QList<int>{} << 0 << true
                                        << QStringLiteral("a,b,e") << QStringLiteral("[F:c,[G:d]],x");
    QTest::newRow("same path, other collection") << 1 << QList<int>{0} << 0 << QList<int>{2} << 1 << true
                                                 << QStringLiteral("a,b,[F:c,x,[G:d]],e") << QString();
}

void TestCollectionStore::move()
{
    QFETCH(int, fromCollection);
    QFETCH(QList<int>, from);
    QFETCH(int, toCollection);
    QFETCH(QList<int>, to);
    QFETCH(int, row);
    CollectionStore store;
    fill(store);
    QSignalSpy changed(&store, &CollectionStore::changed);
    QTEST(store.moveItem({fromCollection, from}, {toCollection, to}, row), "ok");
    QTEST(shape(store.collections()[0].items), "one");
    QTEST(shape(store.collections()[1].items), "two");
    QCOMPARE(changed.count(), QTest::currentDataTag() == QByteArray("folder into itself") ||
                                      QTest::currentDataTag() == QByteArray("folder into its own subfolder")
                                  ? 0
                                  : 1);
}

void TestCollectionStore::saveCallMakesCollectionAndFolders()
{
    CollectionStore store;
    fill(store);
    SavedCall c;
    c.method = QStringLiteral("add");
    c.params = QJsonArray{1, 2};
    ItemAddress at = store.saveCall(QStringLiteral("Saved calls"), QString(), c);
    QCOMPARE(at, (ItemAddress{2, {0}}));
    QCOMPARE(store.item(at)->call, c);
    at = store.saveCall(QStringLiteral("one"), QStringLiteral("F/G"), c); // existing folders
    QCOMPARE(at, (ItemAddress{0, {2, 1, 1}}));
    at = store.saveCall(QStringLiteral("one"), QStringLiteral("F/New/Deeper"), c); // made
    QCOMPARE(at, (ItemAddress{0, {2, 2, 0, 0}}));
    QCOMPARE(shape(store.collections()[0].items), QStringLiteral("a,b,[F:c,[G:d,add],[New:[Deeper:add]]],e"));
    QCOMPARE(store.collections().size(), 3);
}

void TestCollectionStore::runPath()
{
    CollectionStore store;
    fill(store);
    QCOMPARE(store.runPath({0, {}}), QString());
    QCOMPARE(store.runPath({0, {2}}), QStringLiteral("F"));
    QCOMPARE(store.runPath({0, {2, 1, 0}}), QStringLiteral("F/G/d"));
    QCOMPARE(store.runPath({0, {2, 5}}), QString());
    QCOMPARE(store.runPath({4, {0}}), QString());
    // The runner's own paths: every call's runPath is one of Collection::calls().
    QCOMPARE(store.collections()[0].calls().at(3).path, store.runPath({0, {2, 1, 0}}));
}

QTEST_MAIN(TestCollectionStore)
#include "tst_collectionstore.moc"
