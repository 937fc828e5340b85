#include "wire/HttpReplyQueue.h"

#include <QtTest>

using namespace rpcbench;

class TestHttpReplyQueue : public QObject
{
    Q_OBJECT
private slots:
    void releasesInRequestOrder_data();
    void releasesInRequestOrder();
    void ignoresUnknownSlots();
    void takeIfNextOnlyForTheHeadWithNothingWaiting();
};

void TestHttpReplyQueue::releasesInRequestOrder_data()
{
    QTest::addColumn<QList<int>>("fillOrder");
    QTest::newRow("in order") << QList<int>{0, 1, 2, 3};
    QTest::newRow("reversed") << QList<int>{3, 2, 1, 0};
    QTest::newRow("mixed") << QList<int>{2, 0, 3, 1};
}

void TestHttpReplyQueue::releasesInRequestOrder()
{
    QFETCH(QList<int>, fillOrder);
    HttpReplyQueue q;
    for (int i = 0; i < fillOrder.size(); ++i)
        QCOMPARE(q.reserve(), quint64(i));
    QByteArray released;
    for (int slot : fillOrder) {
        q.fill(quint64(slot), QByteArray::number(slot), false);
        for (const auto& r : q.takeReady())
            released += r.bytes;
        // Nothing is released while an earlier slot is still empty.
        QVERIFY(released.size() <= fillOrder.size());
    }
    QCOMPARE(released, QByteArray("0123"));
    QVERIFY(!q.hasOutstanding());
}

void TestHttpReplyQueue::ignoresUnknownSlots()
{
    HttpReplyQueue q;
    const quint64 s = q.reserve();
    q.fill(s + 5, "bogus", false);
    QVERIFY(q.takeReady().empty());
    q.fill(s, "ok", true);
    const auto ready = q.takeReady();
    QCOMPARE(ready.size(), size_t(1));
    QVERIFY(ready[0].closeAfter);
    q.fill(s, "again", false); // already released
    QVERIFY(q.takeReady().empty());
}

// The fast path must never let a reply overtake an earlier one.
void TestHttpReplyQueue::takeIfNextOnlyForTheHeadWithNothingWaiting()
{
    HttpReplyQueue q;
    const quint64 a = q.reserve();
    const quint64 b = q.reserve();
    const quint64 c = q.reserve();
    QVERIFY(!q.takeIfNext(b)); // a is still outstanding
    QVERIFY(q.takeIfNext(a));
    q.fill(c, "c", false);     // c finished first and waits
    QVERIFY(!q.takeIfNext(b)); // b is the head, but c is waiting: use the ordered path
    q.fill(b, "b", false);
    const auto ready = q.takeReady();
    QCOMPARE(ready.size(), std::size_t(2));
    QCOMPARE(ready[0].bytes, QByteArray("b"));
    QCOMPARE(ready[1].bytes, QByteArray("c"));
    QVERIFY(!q.hasOutstanding());
}

QTEST_APPLESS_MAIN(TestHttpReplyQueue)
#include "tst_httpreplyqueue.moc"
