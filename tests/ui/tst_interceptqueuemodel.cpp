// InterceptQueueModel: the held messages of every proxy of a ProxySet, with the countdown from
// an injected clock, how each ended (forwarded, edited, answered, dropped, timed out, connection
// closed), ids that repeat across proxies kept apart, rows of a removed proxy gone, ended rows
// capped and cleared. The queues are driven directly here; through real sockets:
// tst_interceptpanel.
#include "proxy/InterceptQueueModel.h"
#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"
#include "traffic/TrafficBus.h"
#include "util/MonotonicClock.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;
using Action = InterceptDecision::Action;

namespace {

HeldMessage message(quint64 connectionId, const QString& method, int id, bool toServer = true)
{
    HeldMessage m;
    m.connectionId = connectionId;
    m.toServer = toServer;
    m.proxy = QStringLiteral("tcp://127.0.0.1:9001");
    if (method.isEmpty()) { // a reply
        m.json = QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"result":3})").arg(id).toUtf8();
        m.summary.kind = MessageKind::Response;
    } else {
        m.json = QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"%2","params":[1,2]})")
                     .arg(id)
                     .arg(method)
                     .toUtf8();
        m.summary.kind = MessageKind::Request;
        m.summary.method = method;
    }
    m.summary.idJson = QByteArray::number(id);
    return m;
}

ProxyConfig config(int port)
{
    ProxyConfig c;
    c.listen = QStringLiteral("tcp://127.0.0.1:%1").arg(port);
    c.upstream = QStringLiteral("tcp://127.0.0.1:9000");
    return c;
}

QString cell(const QAbstractItemModel& model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class tst_InterceptQueueModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void rowsShowHeldMessages();
    void countdownFromClock();
    void endings_data();
    void endings();
    void editedForwardSaysSo();
    void refusedDecisionKeepsRowUntilQueueSays();
    void timeoutAndClosedConnection();
    void idsRepeatAcrossProxies();
    void removedProxyRowsGo();
    void pendingBeforeModelAreShown();
    void clearEndedKeepsWaiting();
    void endedRowsCapped();

private:
    std::shared_ptr<InterceptQueue> queue(int index) const { return m_set->proxy(index)->intercept(); }
    quint64 hold(int proxy, const HeldMessage& m);

    std::unique_ptr<ProxySet> m_set;
    std::unique_ptr<InterceptQueueModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    // The resume callbacks' context (the proxy's leg in real use); a new one per test, so a
    // decision still queued from the previous test is discarded with the old one.
    std::unique_ptr<QObject> m_context;
    QList<InterceptDecision> m_resumed;
};

void tst_InterceptQueueModel::init()
{
    m_set = std::make_unique<ProxySet>(std::make_shared<TrafficBus>());
    m_set->add(config(9001));
    m_model = std::make_unique<InterceptQueueModel>(m_set.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_resumed.clear();
    m_context = std::make_unique<QObject>();
}

void tst_InterceptQueueModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_set.reset();
    m_context.reset();
}

quint64 tst_InterceptQueueModel::hold(int proxy, const HeldMessage& m)
{
    return queue(proxy)->hold(m, m_context.get(), [this](const InterceptDecision& d) { m_resumed << d; });
}

void tst_InterceptQueueModel::rowsShowHeldMessages()
{
    QSignalSpy waiting(m_model.get(), &InterceptQueueModel::waitingCountChanged);
    hold(0, message(7, QStringLiteral("eth_call"), 4));
    HeldMessage reply = message(8, QString(), 5, false);
    reply.requestMethod = QStringLiteral("add");
    hold(0, reply);
    HeldMessage errorReply = reply;
    errorReply.summary.kind = MessageKind::Error;
    hold(0, errorReply);
    hold(0, message(8, QString(), 6, false)); // no request waits for it: its id is all there is
    QTRY_COMPARE(m_model->rowCount(), 4);
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::ProxyColumn), QStringLiteral("tcp://127.0.0.1:9001"));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::ConnectionColumn), QStringLiteral("7"));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::DirectionColumn), QStringLiteral("\u2192 server"));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::MethodColumn), QStringLiteral("eth_call"));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::IdColumn), QStringLiteral("4"));
    QCOMPARE(cell(*m_model, 1, InterceptQueueModel::DirectionColumn), QStringLiteral("\u2192 client"));
    QCOMPARE(cell(*m_model, 1, InterceptQueueModel::MethodColumn), QStringLiteral("reply to add"));
    QCOMPARE(cell(*m_model, 2, InterceptQueueModel::MethodColumn), QStringLiteral("error reply to add"));
    QCOMPARE(cell(*m_model, 3, InterceptQueueModel::MethodColumn), QStringLiteral("reply"));
    QCOMPARE(m_model->waitingCount(), 4);
    QCOMPARE(waiting.last().at(0).toInt(), 4);
    QVERIFY(m_model->countdownActive());
}

void tst_InterceptQueueModel::countdownFromClock()
{
    qint64 now = 0;
    m_model->setClock([&now] { return now; });
    hold(0, message(1, QStringLiteral("add"), 1));
    QTRY_COMPARE(m_model->rowCount(), 1);
    const qint64 deadline = m_model->row(0).message.deadlineUs;
    QCOMPARE(deadline - m_model->row(0).message.heldAtUs, qint64(60'000'000)); // the default timeout
    now = deadline - 12'300'000;
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), QStringLiteral("13 s left"));
    now = deadline - 1;
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), QStringLiteral("1 s left"));
    now = deadline + 5'000'000; // late: the queue's timer has not fired yet
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), QStringLiteral("0 s left"));
    // Nothing waits any more: the countdown stops redrawing.
    QVERIFY(m_model->decide(0, {Action::Drop, {}, false}, nullptr));
    QVERIFY(!m_model->countdownActive());
}

void tst_InterceptQueueModel::endings_data()
{
    QTest::addColumn<Action>("action");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("ended");
    QTest::newRow("forward") << Action::Forward << QByteArray() << QStringLiteral("forwarded");
    QTest::newRow("answer") << Action::Answer << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":null})")
                            << QStringLiteral("answered locally");
    QTest::newRow("drop") << Action::Drop << QByteArray() << QStringLiteral("dropped");
}

void tst_InterceptQueueModel::endings()
{
    QFETCH(Action, action);
    QFETCH(QByteArray, json);
    QFETCH(QString, ended);
    const HeldMessage m = message(1, QStringLiteral("add"), 1);
    hold(0, m);
    QTRY_COMPARE(m_model->rowCount(), 1);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QString error;
    QVERIFY2(m_model->decide(0, {action, json.isEmpty() ? m.json : json, false}, &error), qPrintable(error));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), ended);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(m_model->waitingCount(), 0);
    QTRY_COMPARE(m_resumed.size(), 1);
    QVERIFY(m_resumed[0].action == action);
    // The queue's own word on it (queued before the resume, so in by now) changes nothing.
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), ended);
}

void tst_InterceptQueueModel::editedForwardSaysSo()
{
    hold(0, message(1, QStringLiteral("add"), 1));
    QTRY_COMPARE(m_model->rowCount(), 1);
    const QByteArray edited = R"({"jsonrpc":"2.0","id":1,"method":"add","params":[5,6]})";
    QVERIFY(m_model->decide(0, {Action::Forward, edited, false}, nullptr));
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), QStringLiteral("edited \u2192 forwarded"));
    QTRY_COMPARE(m_resumed.size(), 1);
    QCOMPARE(m_resumed[0].json, edited);
}

void tst_InterceptQueueModel::refusedDecisionKeepsRowUntilQueueSays()
{
    const quint64 id = hold(0, message(1, QStringLiteral("add"), 1));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QString error;
    QVERIFY(!m_model->decide(0, {Action::Forward, "{not json", false}, &error));
    QVERIFY2(error.startsWith(QStringLiteral("not valid JSON")), qPrintable(error));
    QVERIFY(m_model->row(0).waiting());
    // Decided elsewhere (the timeout, another window): the model's decide is refused with the
    // queue's reason, and the row shows how it ended once the queue's signal arrives.
    QVERIFY(queue(0)->decide(id, {Action::Drop, {}, false}));
    QVERIFY(!m_model->decide(0, {Action::Drop, {}, false}, &error));
    QCOMPARE(error, QStringLiteral("no longer waiting"));
    QTRY_COMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn), QStringLiteral("dropped"));
    QVERIFY(!m_model->decide(0, {Action::Drop, {}, false}, &error));
    QCOMPARE(error, QStringLiteral("no longer waiting: dropped"));
}

void tst_InterceptQueueModel::timeoutAndClosedConnection()
{
    queue(0)->setTimeoutMs(50);
    hold(0, message(1, QStringLiteral("add"), 1));
    queue(0)->setTimeoutMs(60'000);
    hold(0, message(2, QStringLiteral("add"), 2));
    QTRY_COMPARE(m_model->rowCount(), 2);
    QTRY_COMPARE(cell(*m_model, 0, InterceptQueueModel::StateColumn),
                 QStringLiteral("timed out \u2192 forwarded"));
    QVERIFY(m_model->row(1).waiting());
    queue(0)->discardConnection(2);
    QTRY_COMPARE(cell(*m_model, 1, InterceptQueueModel::StateColumn), QStringLiteral("connection closed"));
    QCOMPARE(m_model->waitingCount(), 0);
    QVERIFY(!m_model->countdownActive());
}

void tst_InterceptQueueModel::idsRepeatAcrossProxies()
{
    m_set->add(config(9002));
    const quint64 a = hold(0, message(1, QStringLiteral("add"), 1));
    const quint64 b = hold(1, message(1, QStringLiteral("add"), 1));
    QCOMPARE(a, b); // each queue numbers its own messages
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->rowOf(queue(1).get(), b), 1);
    QVERIFY(m_model->decide(1, {Action::Drop, {}, false}, nullptr));
    QTRY_COMPARE(m_resumed.size(), 1);
    QVERIFY(m_model->row(0).waiting()); // the other proxy's message with the same id still waits
    QCOMPARE(queue(0)->pending().size(), 1);
    QCOMPARE(queue(1)->pending().size(), 0);
}

void tst_InterceptQueueModel::removedProxyRowsGo()
{
    m_set->add(config(9002));
    hold(0, message(1, QStringLiteral("add"), 1));
    hold(1, message(1, QStringLiteral("echo"), 1));
    hold(1, message(1, QStringLiteral("echo"), 2));
    QTRY_COMPARE(m_model->rowCount(), 3);
    QSignalSpy waiting(m_model.get(), &InterceptQueueModel::waitingCountChanged);
    m_set->remove(1);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::MethodColumn), QStringLiteral("add"));
    QCOMPARE(waiting.last().at(0).toInt(), 1);
    // A proxy added later is watched too.
    m_set->add(config(9003));
    hold(1, message(4, QStringLiteral("late"), 9));
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(cell(*m_model, 1, InterceptQueueModel::MethodColumn), QStringLiteral("late"));
}

void tst_InterceptQueueModel::pendingBeforeModelAreShown()
{
    hold(0, message(1, QStringLiteral("early"), 1));
    InterceptQueueModel late(m_set.get());
    QAbstractItemModelTester tester(&late, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(late.rowCount(), 1);
    QTest::qWait(0); // nothing more arrives for it (add() ignores a message it has)
    QCOMPARE(late.rowCount(), 1);
    QCOMPARE(cell(late, 0, InterceptQueueModel::MethodColumn), QStringLiteral("early"));
}

void tst_InterceptQueueModel::clearEndedKeepsWaiting()
{
    for (int i = 1; i <= 3; ++i)
        hold(0, message(1, QStringLiteral("m%1").arg(i), i));
    QTRY_COMPARE(m_model->rowCount(), 3);
    QVERIFY(m_model->decide(0, {Action::Drop, {}, false}, nullptr));
    QVERIFY(m_model->decide(2, {Action::Drop, {}, false}, nullptr));
    m_model->clearEnded();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(cell(*m_model, 0, InterceptQueueModel::MethodColumn), QStringLiteral("m2"));
}

void tst_InterceptQueueModel::endedRowsCapped()
{
    // Driven through add()/release() directly: 600 messages through a real queue are slow to no gain.
    const auto q = queue(0);
    HeldMessage waiting = message(1, QStringLiteral("keep"), 0);
    waiting.id = 100'000;
    m_model->add(q, waiting);
    for (int i = 1; i <= InterceptQueueModel::MaxRows + 20; ++i) {
        HeldMessage m = message(1, QStringLiteral("m"), i);
        m.id = quint64(i);
        m_model->add(q, m);
        m_model->release(q.get(), m.id, Action::Forward, false, false);
    }
    QCOMPARE(m_model->rowCount(), InterceptQueueModel::MaxRows);
    QCOMPARE(m_model->rowOf(q.get(), 100'000), 0); // the waiting one never goes
    QCOMPARE(m_model->rowOf(q.get(), 1), -1);      // the oldest ended ones went
    QVERIFY(m_model->rowOf(q.get(), quint64(InterceptQueueModel::MaxRows + 20)) > 0);
}

QTEST_MAIN(tst_InterceptQueueModel)
#include "tst_interceptqueuemodel.moc"
