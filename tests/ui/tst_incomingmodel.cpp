// The incoming view's models: messages arrive one at a time and are inserted in batches,
// bounded to the newest MaxRows; batches from the server become one row per message; requests
// carry how they were answered (client method, held, -32601, then how the hold ended);
// notifications are grouped by subscription (params.subscription or a pointer the user sets)
// with counts and a rate over the last seconds by a fake clock; the filter narrows by text
// and by group; held requests count down.

#include "client/HeldRequestsModel.h"
#include "client/IncomingFilterModel.h"
#include "client/IncomingModel.h"
#include "client/SubscriptionGroupsModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

QByteArray json(const QJsonValue& v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

QByteArray subscriptionEvent(const QString& subscription, int n)
{
    return json(QJsonObject{{"jsonrpc", "2.0"},
                            {"method", "eth_subscription"},
                            {"params", QJsonObject{{"subscription", subscription}, {"result", n}}}});
}

QByteArray request(const QJsonValue& id, const QString& method)
{
    return json(QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", QJsonArray{}}});
}

QString cell(const QAbstractItemModel& model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class TestIncomingModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void insertsInBatchesAfterTheTimer();
    void serverBatchBecomesOneRowPerMessage();
    void keepsTheNewest();
    void answerStates_data();
    void answerStates();
    void answersAsSentJoinTheirRequests();
    void heldBeforeItsRowArrives();
    void holdEndings_data();
    void holdEndings();
    void groupKeyByPointer_data();
    void groupKeyByPointer();
    void groupsCountAndRate();
    void regroupingRebuildsGroups();
    void filterByTextAndGroup();
    void heldRequestsCountDown();

private:
    qint64 m_now = 1'000'000;
    std::unique_ptr<IncomingModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestIncomingModel::init()
{
    m_now = 1'000'000;
    m_model = std::make_unique<IncomingModel>();
    m_model->setClock([this] { return m_now; });
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestIncomingModel::insertsInBatchesAfterTheTimer()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 100; ++i)
        m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), i));
    QCOMPARE(m_model->rowCount(), 0); // queued, not inserted one by one
    QCOMPARE(m_model->queuedCount(), 100);
    QTRY_COMPARE(m_model->rowCount(), 100);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(cell(*m_model, 0, IncomingModel::MethodColumn), QStringLiteral("eth_subscription"));
    QCOMPARE(cell(*m_model, 0, IncomingModel::IdColumn), QStringLiteral("notification"));
    QCOMPARE(m_model->message(99).size, subscriptionEvent(QStringLiteral("0xa"), 99).size());
}

void TestIncomingModel::serverBatchBecomesOneRowPerMessage()
{
    const QJsonArray batch{
        QJsonDocument::fromJson(request(7, QStringLiteral("workspace/configuration"))).object(),
        QJsonDocument::fromJson(subscriptionEvent(QStringLiteral("0xb"), 1)).object()};
    m_model->add(3, json(batch));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(cell(*m_model, 0, IncomingModel::IdColumn), QStringLiteral("7"));
    QCOMPARE(cell(*m_model, 1, IncomingModel::IdColumn), QStringLiteral("notification"));
    QCOMPARE(QJsonDocument::fromJson(m_model->message(0).payload).object().value("method").toString(),
             QStringLiteral("workspace/configuration"));
}

void TestIncomingModel::keepsTheNewest()
{
    for (int i = 0; i < IncomingModel::MaxRows + 25; ++i)
        m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), i));
    m_model->flush();
    m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), IncomingModel::MaxRows + 25));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), IncomingModel::MaxRows);
    QCOMPARE(m_model->droppedCount(), quint64(26));
    const auto first = QJsonDocument::fromJson(m_model->message(0).payload).object();
    QCOMPARE(first.value("params").toObject().value("result").toInt(), 26);
}

void TestIncomingModel::answerStates_data()
{
    QTest::addColumn<bool>("local");
    QTest::addColumn<bool>("holding");
    QTest::addColumn<int>("state");
    QTest::newRow("client method") << true << true << int(AnswerState::ClientMethod);
    QTest::newRow("held") << false << true << int(AnswerState::Waiting);
    QTest::newRow("-32601") << false << false << int(AnswerState::NotFound);
}

void TestIncomingModel::answerStates()
{
    QFETCH(bool, local);
    QFETCH(bool, holding);
    QFETCH(int, state);
    m_model->setAnsweredLocally([local](const QString& method) { return local && method == "sampling"; });
    m_model->setHolding(holding);
    m_model->add(1, request(QStringLiteral("r1"), QStringLiteral("sampling")));
    m_model->flush();
    QCOMPARE(int(m_model->message(0).answer), state);
    QCOMPARE(cell(*m_model, 0, IncomingModel::AnswerColumn), IncomingModel::answerText(AnswerState(state)));
}

// What the client really sent (a client method's result, or a batch's answers) is shown with
// each request, matched by connection and id; another connection's request keeps none.
void TestIncomingModel::answersAsSentJoinTheirRequests()
{
    m_model->setAnsweredLocally([](const QString& method) { return method == "sampling"; });
    m_model->add(1, request(QStringLiteral("r1"), QStringLiteral("sampling")));
    m_model->add(1, request(2, QStringLiteral("other")));
    m_model->add(2, request(2, QStringLiteral("other")));
    QSignalSpy changed(m_model.get(), &IncomingModel::answerChanged);
    const QJsonObject result{{"jsonrpc", "2.0"}, {"id", "r1"}, {"result", "ok"}};
    m_model->markAnswerSent(1, json(result)); // flushes the queue first
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->message(0).answerPayload, json(result));
    QCOMPARE(int(m_model->message(0).answer), int(AnswerState::ClientMethod));

    const QJsonObject notFound{{"jsonrpc", "2.0"},
                               {"id", 2},
                               {"error", QJsonObject{{"code", -32601}, {"message", "Method not found"}}}};
    m_model->markAnswerSent(2, json(QJsonArray{notFound}));
    QCOMPARE(m_model->message(2).answerPayload, json(notFound));
    QVERIFY(m_model->message(1).answerPayload.isEmpty());
}

void TestIncomingModel::heldBeforeItsRowArrives()
{
    m_model->setHolding(true);
    m_model->add(1, request(5, QStringLiteral("ask")));
    m_model->markHeld(42, 1, request(5, QStringLiteral("ask"))); // flushes the queue first
    QCOMPARE(m_model->message(0).holdId, quint64(42));
    QCOMPARE(m_model->message(0).answer, AnswerState::Held);

    m_model->markHeld(43, 2, request(6, QStringLiteral("ask"))); // its incoming comes after
    m_model->add(2, request(6, QStringLiteral("ask")));
    m_model->flush();
    QCOMPARE(m_model->message(1).holdId, quint64(43));
    QCOMPARE(m_model->message(1).answer, AnswerState::Held);
    // Same id on another connection: a different request.
    m_model->add(3, request(6, QStringLiteral("ask")));
    m_model->flush();
    QCOMPARE(m_model->message(2).answer, AnswerState::Waiting);
}

void TestIncomingModel::holdEndings_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<int>("state");
    QTest::newRow("answered") << "answered" << int(AnswerState::Answered);
    QTest::newRow("rejected") << "rejected" << int(AnswerState::Rejected);
    QTest::newRow("timed out") << "timed out" << int(AnswerState::TimedOut);
    QTest::newRow("closed") << "connection closed" << int(AnswerState::Closed);
}

void TestIncomingModel::holdEndings()
{
    QFETCH(QString, how);
    QFETCH(int, state);
    m_model->setHolding(true);
    m_model->add(1, request(1, QStringLiteral("ask")));
    m_model->markHeld(9, 1, request(1, QStringLiteral("ask")));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->markHoldEnded(9, how, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
    QCOMPARE(int(m_model->message(0).answer), state);
    QCOMPARE(changed.count(), 1);
    QVERIFY(m_model->message(0).answerPayload.contains("result"));
    m_model->markHoldEnded(1234, how); // unknown: ignored
}

void TestIncomingModel::groupKeyByPointer_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("key");
    const QByteArray mcp =
        R"({"method":"notifications/progress","params":{"progressToken":"t/1","progress":3}})";
    QTest::newRow("default") << subscriptionEvent("0xabc", 1) << QString() << "0xabc";
    QTest::newRow("escaped") << QByteArray(R"({"method":"m","params":{"a/b":{"~k":5}}})")
                             << "/params/a~1b/~0k"
                             << "5";
    QTest::newRow("array index") << QByteArray(R"({"method":"m","params":["x","y"]})") << "/params/1"
                                 << "y";
    QTest::newRow("mcp token") << mcp << "/params/progressToken"
                               << "t/1";
    QTest::newRow("missing") << mcp << QString() << QString();
    QTest::newRow("not a pointer") << mcp << "params" << QString();
}

void TestIncomingModel::groupKeyByPointer()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, pointer);
    QFETCH(QString, key);
    QCOMPARE(IncomingModel::groupKeyOf(QJsonDocument::fromJson(message).object(), pointer), key);
}

void TestIncomingModel::groupsCountAndRate()
{
    SubscriptionGroupsModel groups(m_model.get());
    QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // 0xa: one event a second for 10 s; 0xb: 3 events in the last second.
    for (int i = 0; i < 10; ++i) {
        m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), i));
        m_model->flush();
        m_now += 1000;
    }
    for (int i = 0; i < 3; ++i)
        m_model->add(1, subscriptionEvent(QStringLiteral("0xb"), i));
    m_model->add(1, request(1, QStringLiteral("ask"))); // no group
    m_model->flush();
    QCOMPARE(groups.rowCount(), 2);
    const int a = groups.rowOf(QStringLiteral("0xa"));
    const int b = groups.rowOf(QStringLiteral("0xb"));
    QCOMPARE(groups.count(a), 10);
    QCOMPARE(groups.count(b), 3);
    // Window [now - 5 s, now]: 0xa's events at now-5s .. now-1s, five of them.
    QCOMPARE(groups.rate(a), 1.0);
    QCOMPARE(groups.rate(b), 3.0 / 5.0);
    m_now += 10'000;
    groups.refreshRates();
    QCOMPARE(groups.rate(a), 0.0);
    QCOMPARE(groups.index(a, SubscriptionGroupsModel::LastSeenColumn).data().toString(),
             QStringLiteral("11 s ago"));
    QCOMPARE(groups.index(b, SubscriptionGroupsModel::MethodColumn).data().toString(),
             QStringLiteral("eth_subscription"));
}

void TestIncomingModel::regroupingRebuildsGroups()
{
    SubscriptionGroupsModel groups(m_model.get());
    QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), 1));
    m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), 2));
    m_model->add(1, subscriptionEvent(QStringLiteral("0xb"), 2));
    m_model->flush();
    QCOMPARE(groups.rowCount(), 2);
    m_model->setGroupBy(QStringLiteral("/params/result")); // values 1, 2, 2
    QCOMPARE(groups.rowCount(), 2);
    QCOMPARE(groups.count(groups.rowOf(QStringLiteral("2"))), 2);
    m_model->clear();
    QCOMPARE(groups.rowCount(), 0);
}

void TestIncomingModel::filterByTextAndGroup()
{
    IncomingFilterModel filter;
    filter.setSourceModel(m_model.get());
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->add(1, subscriptionEvent(QStringLiteral("0xa"), 1));
    m_model->add(1, subscriptionEvent(QStringLiteral("0xb"), 2));
    m_model->add(1, request(77, QStringLiteral("window/showMessageRequest")));
    m_model->flush();
    QCOMPARE(filter.rowCount(), 3);
    filter.setText(QStringLiteral("SHOWMESSAGE"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setText(QStringLiteral("77"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setText(QString());
    filter.setGroup(QStringLiteral("0xb"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data(IncomingModel::GroupKeyRole).toString(), QStringLiteral("0xb"));
    m_model->add(1, subscriptionEvent(QStringLiteral("0xb"), 3)); // live: new events of the group appear
    m_model->flush();
    QCOMPARE(filter.rowCount(), 2);
    filter.setGroup(QString());
    QCOMPARE(filter.rowCount(), 4);
}

void TestIncomingModel::heldRequestsCountDown()
{
    HeldRequestsModel held;
    QAbstractItemModelTester tester(&held, QAbstractItemModelTester::FailureReportingMode::QtTest);
    held.setClock([this] { return m_now; });
    held.setTimeoutMs(60'000);
    QSignalSpy waiting(&held, &HeldRequestsModel::waitingCountChanged);
    held.add(1, 10, request(3, QStringLiteral("sampling/createMessage")));
    held.add(2, 10, request(4, QStringLiteral("elicitation/create")));
    QCOMPARE(held.waitingCount(), 2);
    QCOMPARE(cell(held, 0, HeldRequestsModel::StateColumn), QStringLiteral("60 s left"));
    m_now += 15'500;
    QCOMPARE(cell(held, 0, HeldRequestsModel::StateColumn), QStringLiteral("45 s left"));
    held.end(1, QStringLiteral("answered"));
    QCOMPARE(cell(held, 0, HeldRequestsModel::StateColumn), QStringLiteral("answered"));
    QCOMPARE(held.waitingCount(), 1);
    QCOMPARE(waiting.last().first().toInt(), 1);
    held.clearEnded();
    QCOMPARE(held.rowCount(), 1);
    QCOMPARE(held.request(0).method, QStringLiteral("elicitation/create"));
}

QTEST_MAIN(TestIncomingModel)
#include "tst_incomingmodel.moc"
