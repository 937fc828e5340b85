#include "traffic/TrafficBus.h"

#include <QtTest>

#include <thread>

using namespace rpcbench;

class TestTrafficBus : public QObject
{
    Q_OBJECT
private slots:
    void drainsInOrder();
    void countsDropsAtCapacity_data();
    void countsDropsAtCapacity();
    void disabledBusIgnoresEvents();
    void concurrentProducersLoseNothing();
    void pendingCountIsTheBacklog_data();
    void pendingCountIsTheBacklog();
    void drainIntoRecyclesTheBuffer();
    void tryDrainLosesNothingUnderContention();
};

static TrafficEvent eventWithId(quint64 id)
{
    TrafficEvent e;
    e.connectionId = id;
    return e;
}

void TestTrafficBus::drainsInOrder()
{
    TrafficBus bus;
    for (quint64 i = 0; i < 10; ++i)
        bus.publish(eventWithId(i));
    const auto events = bus.drain();
    QCOMPARE(events.size(), size_t(10));
    for (quint64 i = 0; i < 10; ++i)
        QCOMPARE(events[i].connectionId, i);
    QVERIFY(bus.drain().empty());
}

void TestTrafficBus::countsDropsAtCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("published");
    QTest::newRow("under") << 10 << 5;
    QTest::newRow("exact") << 10 << 10;
    QTest::newRow("over") << 10 << 25;
}

void TestTrafficBus::countsDropsAtCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, published);
    TrafficBus bus(capacity);
    for (int i = 0; i < published; ++i)
        bus.publish(eventWithId(quint64(i)));
    const auto events = bus.drain();
    QCOMPARE(int(events.size()), std::min(capacity, published));
    QCOMPARE(int(bus.droppedCount()), std::max(0, published - capacity));
    QCOMPARE(int(bus.publishedCount() + bus.droppedCount()), published);
}

void TestTrafficBus::disabledBusIgnoresEvents()
{
    TrafficBus bus;
    bus.setEnabled(false);
    bus.publish(eventWithId(1));
    QVERIFY(bus.drain().empty());
    QCOMPARE(bus.droppedCount(), quint64(0));
}

void TestTrafficBus::concurrentProducersLoseNothing()
{
    TrafficBus bus(1'000'000);
    const int perThread = 20'000;
    std::vector<std::thread> producers;
    for (int t = 0; t < 4; ++t)
        producers.emplace_back([&bus, t] {
            for (int i = 0; i < perThread; ++i)
                bus.publish(eventWithId(quint64(t) << 32 | quint64(i)));
        });
    size_t drained = 0;
    std::array<qint64, 4> last = {-1, -1, -1, -1};
    auto consume = [&] {
        for (const auto& e : bus.drain()) {
            const int t = int(e.connectionId >> 32);
            const qint64 i = qint64(e.connectionId & 0xffffffff);
            QVERIFY(i > last[t]); // per-producer order is kept
            last[t] = i;
            ++drained;
        }
    };
    // Drain while the producers run, as the GUI's timer does.
    while (drained < size_t(4 * perThread) && !QTest::currentTestFailed()) {
        consume();
        std::this_thread::yield();
    }
    for (auto& p : producers)
        p.join();
    consume();
    QCOMPARE(drained, size_t(4 * perThread));
    QCOMPARE(bus.droppedCount(), quint64(0));
}

void TestTrafficBus::pendingCountIsTheBacklog_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("published");
    QTest::newRow("below capacity") << 100 << 40;
    QTest::newRow("at capacity") << 10 << 10;
    QTest::newRow("overflowing") << 10 << 25;
}

void TestTrafficBus::pendingCountIsTheBacklog()
{
    QFETCH(int, capacity);
    QFETCH(int, published);
    TrafficBus bus(capacity);
    QCOMPARE(bus.pendingCount(), 0);
    for (int i = 0; i < published; ++i)
        bus.publish(eventWithId(quint64(i)));
    const int kept = qMin(capacity, published);
    QCOMPARE(bus.pendingCount(), kept);
    QCOMPARE(bus.publishedCount() - quint64(bus.pendingCount()), quint64(0)); // nothing drained yet
    QCOMPARE(bus.droppedCount(), quint64(published - kept));
    QCOMPARE(qsizetype(bus.drain().size()), qsizetype(kept));
    QCOMPARE(bus.pendingCount(), 0);
}

void TestTrafficBus::drainIntoRecyclesTheBuffer()
{
    TrafficBus bus;
    std::vector<TrafficEvent> mine;
    mine.reserve(64);
    const TrafficEvent* buffer = mine.data();
    bus.drainInto(mine); // nothing pending: the bus now holds my buffer
    QVERIFY(mine.empty());
    for (quint64 i = 0; i < 3; ++i)
        bus.publish(eventWithId(i));
    bus.drainInto(mine);
    QCOMPARE(mine.size(), size_t(3));
    QCOMPARE(mine.data(), buffer); // the events were published straight into it
    for (quint64 i = 0; i < 3; ++i)
        QCOMPARE(mine[i].connectionId, i);
    QCOMPARE(bus.pendingCount(), 0);
    // A huge buffer is not handed back to the producer.
    std::vector<TrafficEvent> huge;
    huge.reserve(TrafficBus::RecycledCapacity + 1);
    bus.drainInto(huge);
    bus.publish(eventWithId(7));
    bus.drainInto(mine);
    QCOMPARE(mine.size(), size_t(1));
    QVERIFY(mine.capacity() <= TrafficBus::RecycledCapacity);
}

// tryDrainInto() may give up while a producer holds the lock (it never waits); retried, it
// still takes every event exactly once and in order.
void TestTrafficBus::tryDrainLosesNothingUnderContention()
{
    constexpr quint64 Count = 20'000;
    TrafficBus bus{qsizetype(Count)};
    std::thread producer([&bus] {
        for (quint64 i = 0; i < Count; ++i)
            bus.publish(eventWithId(i));
    });
    std::vector<TrafficEvent> out;
    quint64 next = 0;
    while (next < Count) {
        if (!bus.tryDrainInto(out)) {
            QVERIFY(out.empty());
            continue;
        }
        for (const TrafficEvent& e : out)
            QCOMPARE(e.connectionId, next++);
        if (next < Count)
            std::this_thread::yield();
    }
    producer.join();
    QCOMPARE(next, Count);
    QCOMPARE(bus.droppedCount(), quint64(0));
    QVERIFY(bus.tryDrainInto(out));
    QVERIFY(out.empty());
}

QTEST_APPLESS_MAIN(TestTrafficBus)
#include "tst_trafficbus.moc"
