// The live log's model: batched inserts (one rowsInserted per flush), eviction at the cap
// (one rowsRemoved, counted), pairing of replies with requests, pause without loss, and the
// per-flush budget: a backlog comes in bounded chunks, what lies beyond the cap is skipped and
// counted, and received = rows + evicted + pending holds after every step.

#include "UiTestEvents.h"
#include "log/TrafficLogModel.h"
#include "widgets/Palette.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;
using uitest::makeEvent;
using uitest::requests;

class TestTrafficLogModel : public QObject
{
    Q_OBJECT
private slots:
    void modelTesterAcrossOperations();
    void oneInsertPerBatch_data();
    void oneInsertPerBatch();
    void flushDrainsBusInOneBatch();
    void evictionAtCap_data();
    void evictionAtCap();
    void batchLargerThanCap();
    void shrinkingCapEvicts();
    void pairing_data();
    void pairing();
    void pairedRowBothWaysAndAfterEviction();
    void batchRepliesPairPerConnection();
    void pauseKeepsEvents();
    void pauseOverflowIsCounted();
    void clearAndReplace();
    void displayText();
    void flushBudgetSplitsBacklog_data();
    void flushBudgetSplitsBacklog();
    void backlogDrainsWithoutTheIntervalTimer();
    void pairingAcrossChunks();
    void resumeComesInChunks();
    void loweredCapSkipsPending();
    void lateReplyIsMarked_data();
    void lateReplyIsMarked();
    void toolTipHasTheFullText_data();
    void toolTipHasTheFullText();
};

namespace {

// Every event taken in is a row, evicted, or still pending.
void verifyAccounting(const TrafficLogModel& model)
{
    QCOMPARE(model.receivedCount(),
             quint64(model.rowCount()) + model.evictedCount() + quint64(model.pendingCount()));
    QVERIFY(model.skippedCount() <= model.evictedCount());
}

} // namespace

void TestTrafficLogModel::modelTesterAcrossOperations()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(50);
    model.append(requests(30));
    model.append(requests(40, 100)); // evicts 20
    QCOMPARE(model.rowCount(), 50);
    model.setPaused(true);
    model.append(requests(5, 500));
    model.setPaused(false);
    model.replaceAll(requests(3));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestTrafficLogModel::oneInsertPerBatch_data()
{
    QTest::addColumn<int>("existing");
    QTest::addColumn<int>("batch");
    QTest::newRow("first single") << 0 << 1;
    QTest::newRow("ten after ten") << 10 << 10;
    QTest::newRow("thousand") << 5 << 1000;
}

void TestTrafficLogModel::oneInsertPerBatch()
{
    QFETCH(int, existing);
    QFETCH(int, batch);
    TrafficLogModel model;
    model.append(requests(existing));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy flushed(&model, &TrafficLogModel::flushed);
    model.append(requests(batch, 1000));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), existing);
    QCOMPARE(inserted.at(0).at(2).toInt(), existing + batch - 1); // last = first + n - 1
    QCOMPARE(flushed.count(), 1);
    QCOMPARE(flushed.at(0).at(0).toInt(), batch);
    QCOMPARE(model.rowCount(), existing + batch);
    QCOMPARE(model.receivedCount(), quint64(existing + batch));
}

void TestTrafficLogModel::flushDrainsBusInOneBatch()
{
    auto bus = std::make_shared<TrafficBus>();
    TrafficLogModel model;
    model.setBus(bus, 60'000); // the test flushes by hand
    for (TrafficEvent& e : requests(50))
        bus->publish(std::move(e));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.flush();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 50);
    QVERIFY(bus->drain().empty());
    model.flush(); // nothing new: no signal
    QCOMPARE(inserted.count(), 1);
}

void TestTrafficLogModel::evictionAtCap_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("existing");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("removed");
    QTest::newRow("fits") << 100 << 40 << 60 << 0;
    QTest::newRow("overflow by 30") << 100 << 80 << 50 << 30;
    QTest::newRow("full, one more") << 10 << 10 << 1 << 1;
}

void TestTrafficLogModel::evictionAtCap()
{
    QFETCH(int, cap);
    QFETCH(int, existing);
    QFETCH(int, added);
    QFETCH(int, removed);
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(cap);
    model.append(requests(existing, 1));
    QSignalSpy removedSpy(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy insertedSpy(&model, &QAbstractItemModel::rowsInserted);
    model.append(requests(added, 10'000));
    QCOMPARE(removedSpy.count(), removed ? 1 : 0);
    if (removed) {
        QCOMPARE(removedSpy.at(0).at(1).toInt(), 0);
        QCOMPARE(removedSpy.at(0).at(2).toInt(), removed - 1);
    }
    QCOMPARE(insertedSpy.count(), 1);
    QCOMPARE(model.rowCount(), qMin(cap, existing + added));
    QCOMPARE(model.evictedCount(), quint64(removed));
    // The oldest went first: the first row is the oldest survivor.
    const QByteArray firstId = removed < existing ? QByteArray::number(1 + removed)
                                                  : QByteArray::number(10'000 + removed - existing);
    QCOMPARE(model.record(0).event.summary.idJson, firstId);
}

void TestTrafficLogModel::batchLargerThanCap()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(10);
    model.append(requests(4));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(requests(25, 100));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.evictedCount(), quint64(4 + 15));
    QCOMPARE(model.record(0).event.summary.idJson, QByteArray("115"));
    QCOMPARE(model.record(9).event.summary.idJson, QByteArray("124"));
}

void TestTrafficLogModel::shrinkingCapEvicts()
{
    TrafficLogModel model;
    model.append(requests(20));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setCapacity(5);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.evictedCount(), quint64(15));
}

void TestTrafficLogModel::pairing_data()
{
    QTest::addColumn<TrafficEvent>("request");
    QTest::addColumn<TrafficEvent>("reply");
    QTest::addColumn<qint64>("latency"); // -1 = not paired
    const qint64 t = 1'700'000'000'000'000;
    QTest::newRow("server, computed")
        << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "1", "add", t)
        << makeEvent(Side::Server, Direction::Out, MessageKind::Response, 7, "1", {}, t + 2500)
        << qint64(2500);
    QTest::newRow("engine latency wins")
        << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "1", "add", t)
        << makeEvent(Side::Server, Direction::Out, MessageKind::Response, 7, "1", {}, t + 2500, 777)
        << qint64(777);
    QTest::newRow("client, string id")
        << makeEvent(Side::Client, Direction::Out, MessageKind::Request, 3, "\"a\"", "echo", t)
        << makeEvent(Side::Client, Direction::In, MessageKind::Response, 3, "\"a\"", {}, t + 40)
        << qint64(40);
    QTest::newRow("error reply") << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "9",
                                              "nope", t)
                                 << makeEvent(Side::Server, Direction::Out, MessageKind::Error, 7, "9", {},
                                              t + 10)
                                 << qint64(10);
    QTest::newRow("other connection")
        << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "1", "add", t)
        << makeEvent(Side::Server, Direction::Out, MessageKind::Response, 8, "1", {}, t + 10) << qint64(-1);
    QTest::newRow("other side") << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "1", "add",
                                             t)
                                << makeEvent(Side::Client, Direction::In, MessageKind::Response, 7, "1", {},
                                             t + 10)
                                << qint64(-1);
    QTest::newRow("other id") << makeEvent(Side::Server, Direction::In, MessageKind::Request, 7, "1", "add",
                                           t)
                              << makeEvent(Side::Server, Direction::Out, MessageKind::Response, 7, "2", {},
                                           t + 10)
                              << qint64(-1);
}

void TestTrafficLogModel::pairing()
{
    QFETCH(TrafficEvent, request);
    QFETCH(TrafficEvent, reply);
    QFETCH(qint64, latency);
    // Paired whether both arrive in one flush or in two.
    for (const bool oneBatch : {true, false}) {
        TrafficLogModel model;
        if (oneBatch) {
            model.append({request, reply});
        } else {
            model.append({request});
            model.append({reply});
        }
        QCOMPARE(model.record(1).latencyUs, latency);
        QCOMPARE(model.pairedRow(1), latency >= 0 ? 0 : -1);
        QCOMPARE(model.pairedRow(0), latency >= 0 ? 1 : -1);
        if (latency >= 0) {
            QCOMPARE(model.record(1).method(), request.summary.method); // replies show their request's method
            QVERIFY(!model.data(model.index(1, TrafficLogModel::LatencyColumn)).toString().isEmpty());
        }
    }
}

void TestTrafficLogModel::pairedRowBothWaysAndAfterEviction()
{
    TrafficLogModel model;
    model.setCapacity(3);
    const qint64 t = 1'700'000'000'000'000;
    model.append({makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "1", "add", t),
                  makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "2", "add", t + 1)});
    model.append({makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "1", {}, t + 100)});
    QCOMPARE(model.pairedRow(2), 0);
    QCOMPARE(model.pairedRow(0), 2);
    model.append(
        {makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "2", {}, t + 300)}); // evicts id 1
    QCOMPARE(model.evictedCount(), quint64(1));
    QCOMPARE(model.pairedRow(1), -1); // its request is gone
    QCOMPARE(model.record(1).latencyUs, qint64(100));
    QCOMPARE(model.pairedRow(2), 0); // id 2 paired across the eviction
    QCOMPARE(model.record(2).latencyUs, qint64(299));
}

void TestTrafficLogModel::batchRepliesPairPerConnection()
{
    const qint64 t = 1'700'000'000'000'000;
    TrafficEvent request = makeEvent(Side::Client, Direction::Out, MessageKind::Batch, 4, {}, {}, t);
    request.summary.batchSize = 2;
    TrafficEvent other = makeEvent(Side::Client, Direction::Out, MessageKind::Batch, 5, {}, {}, t + 5);
    TrafficEvent reply = makeEvent(Side::Client, Direction::In, MessageKind::Batch, 4, {}, {}, t + 60);
    TrafficLogModel model;
    model.append({request, other, reply});
    QCOMPARE(model.pairedRow(2), 0);
    QCOMPARE(model.record(2).latencyUs, qint64(60));
    QCOMPARE(model.pairedRow(1), -1);
    QCOMPARE(model.data(model.index(0, TrafficLogModel::KindColumn)).toString(), QStringLiteral("batch ×2"));
}

void TestTrafficLogModel::pauseKeepsEvents()
{
    TrafficLogModel model;
    model.append(requests(5));
    model.setPaused(true);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(requests(30, 100));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.pendingCount(), 30);
    model.setPaused(false);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 35);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(model.evictedCount(), quint64(0));
}

void TestTrafficLogModel::pauseOverflowIsCounted()
{
    TrafficLogModel model;
    model.setCapacity(10);
    model.setPaused(true);
    model.append(requests(25));
    QCOMPARE(model.pendingCount(), 10);
    QCOMPARE(model.evictedCount(), quint64(15));
    QCOMPARE(model.receivedCount(), quint64(25));
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.record(0).event.summary.idJson, QByteArray("16"));
}

void TestTrafficLogModel::clearAndReplace()
{
    TrafficLogModel model;
    model.setCapacity(10);
    model.append(requests(15));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.evictedCount(), quint64(0));
    model.replaceAll(requests(3, 50));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.record(0).event.summary.idJson, QByteArray("50"));
}

void TestTrafficLogModel::displayText()
{
    TrafficLogModel model;
    model.append({makeEvent(Side::Server, Direction::In, MessageKind::Request, 12, "1", "add"),
                  makeEvent(Side::Server, Direction::Out, MessageKind::Error, 12, "1")});
    const auto text = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QVERIFY(QRegularExpression(QStringLiteral(R"(^\d\d:\d\d:\d\d\.\d{3}$)"))
                .match(text(0, TrafficLogModel::TimeColumn))
                .hasMatch());
    QCOMPARE(text(0, TrafficLogModel::SideColumn), QStringLiteral("server"));
    QCOMPARE(text(0, TrafficLogModel::PeerColumn), QStringLiteral("#12 127.0.0.1:40012"));
    QCOMPARE(text(0, TrafficLogModel::MethodColumn), QStringLiteral("add"));
    QCOMPARE(text(0, TrafficLogModel::SizeColumn),
             QStringLiteral("%1 B").arg(model.record(0).event.raw.size()));
    QCOMPARE(text(1, TrafficLogModel::KindColumn), QStringLiteral("error -32601"));
    QVERIFY(!model.data(model.index(0, 0), Qt::BackgroundRole).isValid());
    QVERIFY(model.data(model.index(1, 0), Qt::BackgroundRole).isValid()); // errors are highlighted
    QCOMPARE(model.data(model.index(1, 0), TrafficLogModel::ErrorRole).toBool(), true);
}

void TestTrafficLogModel::flushBudgetSplitsBacklog_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("existing"); // rows already in the log
    QTest::addColumn<int>("budget");
    QTest::addColumn<int>("published");
    QTest::addColumn<int>("firstRows");    // rows after the first flush
    QTest::addColumn<int>("firstPending"); // pending after the first flush
    QTest::addColumn<int>("skipped");      // pending beyond the cap, never rows
    QTest::addColumn<int>("flushes");      // flushes until nothing is pending

    QTest::newRow("fits in one flush") << 1000 << 0 << 256 << 200 << 200 << 0 << 0 << 1;
    QTest::newRow("exactly the budget") << 1000 << 0 << 256 << 256 << 256 << 0 << 0 << 1;
    QTest::newRow("three chunks") << 1000 << 0 << 256 << 700 << 256 << 444 << 0 << 3;
    QTest::newRow("full log, chunks evict") << 1000 << 1000 << 300 << 700 << 1000 << 400 << 0 << 3;
    QTest::newRow("beyond the cap skipped") << 1000 << 0 << 400 << 2500 << 400 << 600 << 1500 << 3;
    QTest::newRow("full log, far behind") << 1000 << 1000 << 500 << 5000 << 1000 << 500 << 4000 << 2;
}

void TestTrafficLogModel::flushBudgetSplitsBacklog()
{
    QFETCH(int, cap);
    QFETCH(int, existing);
    QFETCH(int, budget);
    QFETCH(int, published);
    QFETCH(int, firstRows);
    QFETCH(int, firstPending);
    QFETCH(int, skipped);
    QFETCH(int, flushes);

    auto bus = std::make_shared<TrafficBus>();
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(cap);
    model.setFlushBudget(budget, 0); // rows only: no clock in a unit test
    model.setBus(bus, 60'000);       // the test flushes by hand
    model.append(requests(existing, 1));
    for (TrafficEvent& e : requests(published, 100'000))
        bus->publish(std::move(e));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.flush();
    QCOMPARE(model.rowCount(), firstRows);
    QCOMPARE(model.pendingCount(), firstPending);
    QCOMPARE(model.skippedCount(), quint64(skipped));
    QCOMPARE(model.receivedCount(), quint64(existing + published));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt() - inserted.at(0).at(1).toInt() + 1, qMin(budget, published));
    verifyAccounting(model);

    int n = 1;
    while (model.pendingCount() > 0 && n < 100) {
        model.flush();
        ++n;
        verifyAccounting(model);
    }
    QCOMPARE(n, flushes);
    QCOMPARE(inserted.count(), flushes); // one insert per flush, never more
    QVERIFY(removed.count() <= flushes);
    const int total = existing + published;
    QCOMPARE(model.rowCount(), qMin(cap, total));
    QCOMPARE(model.evictedCount(), quint64(total - qMin(cap, total)));
    QCOMPARE(model.skippedCount(), quint64(skipped));
    // The newest events survive, in order.
    QCOMPARE(model.record(model.rowCount() - 1).event.summary.idJson,
             QByteArray::number(100'000 + published - 1));
    const int gone = total - qMin(cap, total); // the oldest of existing (ids 1..) then published (100,000..)
    const int firstId = gone < existing ? 1 + gone : 100'000 + gone - existing;
    QCOMPARE(model.record(0).event.summary.idJson, QByteArray::number(firstId));
}

void TestTrafficLogModel::backlogDrainsWithoutTheIntervalTimer()
{
    auto bus = std::make_shared<TrafficBus>();
    TrafficLogModel model;
    model.setFlushBudget(256, 0);
    model.setBus(bus, 60'000); // the interval timer will not fire during the test
    for (TrafficEvent& e : requests(1000))
        bus->publish(std::move(e));
    model.flush();
    QCOMPARE(model.rowCount(), 256);
    // The rest follows from the zero catch-up timer, chunk by chunk, as the loop runs.
    QTRY_COMPARE(model.rowCount(), 1000);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(model.evictedCount(), quint64(0));
}

void TestTrafficLogModel::pairingAcrossChunks()
{
    auto bus = std::make_shared<TrafficBus>();
    TrafficLogModel model;
    model.setFlushBudget(256, 0);
    model.setBus(bus, 60'000);
    const qint64 t = 1'700'000'000'000'000;
    // 200 requests, then their 200 replies (newest first): the chunk boundary at 256 falls
    // among the replies, so some pair within a chunk and some with a request already shown.
    for (int i = 0; i < 200; ++i)
        bus->publish(makeEvent(Side::Server, Direction::In, MessageKind::Request, 2, QByteArray::number(i),
                               QStringLiteral("m%1").arg(i), t + i));
    for (int i = 199; i >= 0; --i)
        bus->publish(makeEvent(Side::Server, Direction::Out, MessageKind::Response, 2, QByteArray::number(i),
                               {}, t + 1000));
    model.flush();
    QCOMPARE(model.rowCount(), 256);
    model.flush();
    QCOMPARE(model.rowCount(), 400);
    for (int row = 200; row < 400; ++row) {
        const int request = 399 - row;
        QCOMPARE(model.pairedRow(row), request);
        QCOMPARE(model.pairedRow(request), row);
        QCOMPARE(model.record(row).method(), QStringLiteral("m%1").arg(request));
        QCOMPARE(model.record(row).latencyUs, qint64(1000 - request));
    }
}

void TestTrafficLogModel::resumeComesInChunks()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(500);
    model.setFlushBudget(256, 0);
    model.setPaused(true);
    model.append(requests(800));
    QCOMPARE(model.pendingCount(), 500);
    QCOMPARE(model.skippedCount(), quint64(300));
    verifyAccounting(model);
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 256); // one budget at once, not the whole cap
    verifyAccounting(model);
    QTRY_COMPARE(model.rowCount(), 500);
    QCOMPARE(model.record(0).event.summary.idJson, QByteArray("301"));
    QCOMPARE(model.evictedCount(), quint64(300));
    verifyAccounting(model);
}

void TestTrafficLogModel::loweredCapSkipsPending()
{
    TrafficLogModel model;
    model.setPaused(true);
    model.append(requests(50));
    model.setCapacity(20);
    QCOMPARE(model.pendingCount(), 20);
    QCOMPARE(model.skippedCount(), quint64(30));
    QCOMPARE(model.evictedCount(), quint64(30));
    verifyAccounting(model);
}

void TestTrafficLogModel::lateReplyIsMarked_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("late");
    QTest::addColumn<QString>("shown");
    QTest::newRow("response, in time") << int(MessageKind::Response) << false << QStringLiteral("response");
    QTest::newRow("response, late") << int(MessageKind::Response) << true
                                    << QStringLiteral("response — late (after timeout)");
    QTest::newRow("error, late") << int(MessageKind::Error) << true
                                 << QStringLiteral("error -32601 — late (after timeout)");
}

// A reply that arrived after its call timed out says so in its Kind, in its tooltip, and in a
// background of its own (not the error or fault tint).
void TestTrafficLogModel::lateReplyIsMarked()
{
    QFETCH(int, kind);
    QFETCH(bool, late);
    QFETCH(QString, shown);
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TrafficEvent reply = makeEvent(Side::Client, Direction::In, MessageKind(kind), 9, "4");
    reply.late = late;
    model.append({makeEvent(Side::Client, Direction::Out, MessageKind::Request, 9, "4", "sleep"), reply});
    const QModelIndex cell = model.index(1, TrafficLogModel::KindColumn);
    QCOMPARE(cell.data().toString(), shown);
    QCOMPARE(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("timed out")), late);
    const QVariant background = model.index(1, TrafficLogModel::TimeColumn).data(Qt::BackgroundRole);
    if (late)
        QCOMPARE(background.value<QColor>(), Palette::lateTint());
    else
        QVERIFY(background.value<QColor>() != Palette::lateTint());
    QCOMPARE(model.record(1).pairSeq, model.record(0).seq); // still paired with its request
}

void TestTrafficLogModel::toolTipHasTheFullText_data()
{
    QTest::addColumn<int>("column");
    QTest::newRow("kind") << int(TrafficLogModel::KindColumn);
    QTest::newRow("method") << int(TrafficLogModel::MethodColumn);
    QTest::newRow("peer") << int(TrafficLogModel::PeerColumn);
    QTest::newRow("id") << int(TrafficLogModel::IdColumn);
}

// A column too narrow for its text elides it; the tooltip starts with the whole of it.
void TestTrafficLogModel::toolTipHasTheFullText()
{
    QFETCH(int, column);
    TrafficLogModel model;
    TrafficEvent e = makeEvent(Side::Server, Direction::Out, MessageKind::Error, 3, "\"a-long-request-id\"",
                               QStringLiteral("system.methodSignature"));
    e.summary.errorCode = -32000;
    e.summary.faulted = true;
    model.append({e});
    const QModelIndex cell = model.index(0, column);
    const QString text = cell.data().toString();
    QVERIFY(!text.isEmpty());
    QVERIFY2(cell.data(Qt::ToolTipRole).toString().startsWith(text + QLatin1Char('\n')),
             qPrintable(cell.data(Qt::ToolTipRole).toString()));
}

QTEST_MAIN(TestTrafficLogModel)
#include "tst_trafficlogmodel.moc"
