// The client's memory of calls that timed out on a shared connection, so their replies can be
// reported late: lookup by JSON-RPC id, one late reply per call, bounded, forgotten with the
// connection.

#include "client/TimedOutCalls.h"

#include <QTest>

using namespace rpcbench;

class TestTimedOutCalls : public QObject
{
    Q_OBJECT
private slots:
    void findsByIdOnce_data();
    void findsByIdOnce();
    void keepsOnlyTheNewest();
    void forgetsAConnection();
};

void TestTimedOutCalls::findsByIdOnce_data()
{
    QTest::addColumn<QList<qint64>>("keys");
    QTest::newRow("call") << QList<qint64>{7};
    QTest::newRow("batch") << QList<qint64>{8, 9, 10};
}

void TestTimedOutCalls::findsByIdOnce()
{
    QFETCH(QList<qint64>, keys);
    TimedOutCalls calls;
    calls.remember({7, 1, 1000}, keys);
    for (qint64 key : keys)
        QCOMPARE(calls.callForKey(key), 7u);
    QCOMPARE(calls.callForKey(99), 0u);
    const auto entry = calls.take(7);
    QVERIFY(entry);
    QCOMPARE(entry->sentUs, 1000);
    QCOMPARE(entry->linkId, 1u);
    QVERIFY(!calls.take(7)); // one late reply per call
    QCOMPARE(calls.callForKey(keys.first()), 0u);
    QCOMPARE(calls.size(), 0);
}

void TestTimedOutCalls::keepsOnlyTheNewest()
{
    TimedOutCalls calls(3);
    for (quint64 id = 1; id <= 5; ++id)
        calls.remember({id, 1, qint64(id)}, {qint64(id)});
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls.callForKey(1), 0u);
    QCOMPARE(calls.callForKey(2), 0u);
    QCOMPARE(calls.callForKey(5), 5u);
    // Taking entries and adding more never grows past the bound.
    for (quint64 id = 6; id <= 100; ++id) {
        calls.remember({id, 1, 0}, {qint64(id)});
        QVERIFY(calls.take(id - 1));
    }
    QVERIFY(calls.size() <= 3);
}

void TestTimedOutCalls::forgetsAConnection()
{
    TimedOutCalls calls;
    calls.remember({1, 10, 0}, {1});
    calls.remember({2, 20, 0}, {2});
    calls.forgetLink(10);
    QCOMPARE(calls.callForKey(1), 0u);
    QCOMPARE(calls.callForKey(2), 2u);
    QCOMPARE(calls.size(), 1);
}

QTEST_GUILESS_MAIN(TestTimedOutCalls)
#include "tst_timedoutcalls.moc"
