#include "TrafficBus.h"

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

QTEST_APPLESS_MAIN(TestTrafficBus)
#include "tst_trafficbus.moc"
