// InterceptRule and InterceptQueue: which messages a proxy pauses, and the decisions that
// release them (forward, answer, drop, timeout, connection closed).

#include "proxy/InterceptQueue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace rpcbench;
using Action = InterceptDecision::Action;
using Dir = InterceptRule::Direction;

namespace {

HeldMessage request(quint64 connectionId, const QString& method, bool toServer = true)
{
    HeldMessage m;
    m.connectionId = connectionId;
    m.toServer = toServer;
    m.json = QStringLiteral(R"({"jsonrpc":"2.0","id":1,"method":"%1"})").arg(method).toUtf8();
    m.summary.kind = MessageKind::Request;
    m.summary.method = method;
    return m;
}

// Records the decisions a resume callback receives, and the thread they arrive on.
struct Resumed
{
    QList<InterceptDecision> decisions;
    std::atomic<QThread*> thread = nullptr; // read by the test while a worker thread resumes

    InterceptQueue::Resume callback()
    {
        return [this](const InterceptDecision& d) {
            decisions.append(d);
            thread = QThread::currentThread();
        };
    }
};

} // namespace

class tst_InterceptQueue : public QObject
{
    Q_OBJECT
private slots:
    void ruleMatches_data();
    void ruleMatches();
    void ruleJsonRoundTrips();
    void ruleJsonErrors_data();
    void ruleJsonErrors();
    void shouldHold();
    void decisions_data();
    void decisions();
    void firstDecisionWins();
    void timeoutForwardsUnchanged();
    void deletedContextNeverResumes();
    void discardConnection();
    void decideErrors_data();
    void decideErrors();
    void resumesOnContextThread();
};

void tst_InterceptQueue::ruleMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<Dir>("direction");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("toServer");
    QTest::addColumn<bool>("matches");

    QTest::newRow("star") << "*" << Dir::ToServer << true << "eth_call" << true << true;
    QTest::newRow("star crosses slash") << "*" << Dir::ToServer << true << "$/progress" << true << true;
    QTest::newRow("prefix") << "eth_*" << Dir::ToServer << true << "eth_call" << true << true;
    QTest::newRow("anchored start") << "eth_*" << Dir::ToServer << true << "xeth_call" << true << false;
    QTest::newRow("anchored end") << "eth_call" << Dir::ToServer << true << "eth_calls" << true << false;
    QTest::newRow("exact") << "eth_call" << Dir::ToServer << true << "eth_call" << true << true;
    QTest::newRow("case-sensitive") << "eth_call" << Dir::ToServer << true << "ETH_CALL" << true << false;
    QTest::newRow("path") << "textDocument/*" << Dir::ToServer << true << "textDocument/didOpen" << true
                          << true;
    QTest::newRow("question mark") << "a?c" << Dir::ToServer << true << "abc" << true << true;
    QTest::newRow("dot is literal") << "a.c" << Dir::ToServer << true << "abc" << true << false;
    QTest::newRow("disabled") << "*" << Dir::ToServer << false << "eth_call" << true << false;
    QTest::newRow("toServer rule, to client") << "*" << Dir::ToServer << true << "m" << false << false;
    QTest::newRow("toClient rule, to client") << "*" << Dir::ToClient << true << "m" << false << true;
    QTest::newRow("toClient rule, to server") << "*" << Dir::ToClient << true << "m" << true << false;
    QTest::newRow("both, to server") << "*" << Dir::Both << true << "m" << true << true;
    QTest::newRow("both, to client") << "*" << Dir::Both << true << "m" << false << true;
}

void tst_InterceptQueue::ruleMatches()
{
    QFETCH(QString, pattern);
    QFETCH(Dir, direction);
    QFETCH(bool, enabled);
    QFETCH(QString, method);
    QFETCH(bool, toServer);
    QFETCH(bool, matches);
    const InterceptRule rule{pattern, direction, enabled};
    QCOMPARE(rule.matches(method, toServer), matches);
    const InterceptRule never{QStringLiteral("never"), Dir::Both, true};
    QCOMPARE(anyRuleMatches({never, rule}, method, toServer), matches);
    QVERIFY(!anyRuleMatches({never}, method, toServer));
}

void tst_InterceptQueue::ruleJsonRoundTrips()
{
    for (const InterceptRule& rule :
         {InterceptRule{}, InterceptRule{QStringLiteral("eth_*"), Dir::ToClient, false},
          InterceptRule{QStringLiteral("a/b"), Dir::Both, true}}) {
        QString error;
        const auto back = InterceptRule::fromJson(rule.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == rule);
    }
    QString error;
    const auto minimal = InterceptRule::fromJson(QJsonObject{{"method", "x"}}, &error);
    QVERIFY2(minimal, qPrintable(error));
    QCOMPARE(minimal->direction, Dir::ToServer);
    QVERIFY(minimal->enabled);
}

void tst_InterceptQueue::ruleJsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("names");

    QTest::newRow("not an object") << QByteArray("[1]") << "object";
    QTest::newRow("method missing") << QByteArray(R"({"direction":"both"})") << "'method'";
    QTest::newRow("method empty") << QByteArray(R"({"method":""})") << "'method'";
    QTest::newRow("method not a string") << QByteArray(R"({"method":3})") << "'method'";
    QTest::newRow("bad direction") << QByteArray(R"({"method":"m","direction":"up"})") << "'direction'";
    QTest::newRow("direction not a string") << QByteArray(R"({"method":"m","direction":1})") << "'direction'";
    QTest::newRow("enabled not bool") << QByteArray(R"({"method":"m","enabled":"yes"})") << "'enabled'";
    QTest::newRow("unknown key") << QByteArray(R"({"method":"m","pattern":"x"})") << "'pattern'";
}

void tst_InterceptQueue::ruleJsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, names);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    QString error;
    const auto rule =
        InterceptRule::fromJson(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), &error);
    QVERIFY(!rule);
    QVERIFY2(error.contains(names), qPrintable(error));
}

void tst_InterceptQueue::shouldHold()
{
    InterceptQueue queue;
    QVERIFY(!queue.shouldHold(QStringLiteral("m"), true));
    queue.setRules({InterceptRule{QStringLiteral("*"), Dir::Both, false}});
    QVERIFY(!queue.shouldHold(QStringLiteral("m"), true));
    queue.setRules({InterceptRule{QStringLiteral("m"), Dir::ToServer, true}});
    QVERIFY(queue.shouldHold(QStringLiteral("m"), true));
    QVERIFY(!queue.shouldHold(QStringLiteral("m"), false));
    QVERIFY(!queue.shouldHold(QStringLiteral("n"), true));
    QCOMPARE(queue.rules().size(), 1);
    queue.setRules({});
    QVERIFY(!queue.shouldHold(QStringLiteral("m"), true));
}

void tst_InterceptQueue::decisions_data()
{
    QTest::addColumn<Action>("action");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("forward edited") << Action::Forward
                                    << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"n"})");
    QTest::newRow("forward batch") << Action::Forward << QByteArray(R"([{"jsonrpc":"2.0","method":"n"}])");
    QTest::newRow("answer") << Action::Answer << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":7})");
    QTest::newRow("drop") << Action::Drop << QByteArray();
}

void tst_InterceptQueue::decisions()
{
    QFETCH(Action, action);
    QFETCH(QByteArray, json);
    InterceptQueue queue;
    QSignalSpy held(&queue, &InterceptQueue::held);
    QSignalSpy released(&queue, &InterceptQueue::released);
    QObject context;
    Resumed resumed;
    const quint64 id = queue.hold(request(5, QStringLiteral("m")), &context, resumed.callback());

    QCOMPARE(held.size(), 1);
    const auto message = held.at(0).at(0).value<HeldMessage>();
    QCOMPARE(message.id, id);
    QCOMPARE(message.connectionId, quint64(5));
    QCOMPARE(message.deadlineUs - message.heldAtUs, qint64(queue.timeoutMs()) * 1000);
    QCOMPARE(queue.pending().size(), 1);
    QCOMPARE(queue.pending().at(0).id, id);

    QString error;
    QVERIFY2(queue.decide(id, {action, json, false}, &error), qPrintable(error));
    QVERIFY(queue.pending().isEmpty());
    QCOMPARE(released.size(), 1);
    QCOMPARE(released.at(0).at(0).value<quint64>(), id);
    QCOMPARE(released.at(0).at(1).value<Action>(), action);
    QCOMPARE(released.at(0).at(2).toBool(), false);
    QCOMPARE(released.at(0).at(3).toBool(), false);

    QVERIFY(resumed.decisions.isEmpty()); // queued to the context's thread, not run inside decide()
    QTRY_COMPARE(resumed.decisions.size(), 1);
    QCOMPARE(resumed.decisions.at(0).action, action);
    QCOMPARE(resumed.decisions.at(0).json, json);
    QVERIFY(!resumed.decisions.at(0).timedOut);
}

void tst_InterceptQueue::firstDecisionWins()
{
    InterceptQueue queue;
    queue.setTimeoutMs(50);
    QObject context;
    Resumed resumed;
    const quint64 id = queue.hold(request(1, QStringLiteral("m")), &context, resumed.callback());
    QVERIFY(queue.decide(id, {Action::Drop, {}, false}));
    QString error;
    QVERIFY(!queue.decide(id, {Action::Forward, request(1, QStringLiteral("m")).json, false}, &error));
    QCOMPARE(error, QStringLiteral("no longer waiting"));
    QTRY_COMPARE(resumed.decisions.size(), 1);
    QCOMPARE(resumed.decisions.at(0).action, Action::Drop);
    // Its timeout, when it fires, must not resume a second time: wait past it with a later one.
    Resumed later;
    queue.hold(request(1, QStringLiteral("m")), &context, later.callback());
    QTRY_COMPARE(later.decisions.size(), 1);
    QCOMPARE(resumed.decisions.size(), 1);
}

void tst_InterceptQueue::timeoutForwardsUnchanged()
{
    InterceptQueue queue;
    queue.setTimeoutMs(50);
    QSignalSpy released(&queue, &InterceptQueue::released);
    QObject context;
    Resumed resumed;
    const HeldMessage message = request(1, QStringLiteral("m"));
    const quint64 id = queue.hold(message, &context, resumed.callback());
    QCOMPARE(queue.pending().at(0).deadlineUs - queue.pending().at(0).heldAtUs, qint64(50'000));
    QTRY_COMPARE(resumed.decisions.size(), 1);
    QCOMPARE(resumed.decisions.at(0).action, Action::Forward);
    QCOMPARE(resumed.decisions.at(0).json, message.json);
    QVERIFY(resumed.decisions.at(0).timedOut);
    QCOMPARE(released.size(), 1);
    QCOMPARE(released.at(0).at(0).value<quint64>(), id);
    QCOMPARE(released.at(0).at(2).toBool(), true);
    QVERIFY(queue.pending().isEmpty());
    QString error;
    QVERIFY(!queue.decide(id, {Action::Drop, {}, false}, &error));
    QCOMPARE(error, QStringLiteral("no longer waiting"));
}

void tst_InterceptQueue::deletedContextNeverResumes()
{
    InterceptQueue queue;
    Resumed resumed;
    auto gone = std::make_unique<QObject>();
    const quint64 beforeDecide = queue.hold(request(1, QStringLiteral("a")), gone.get(), resumed.callback());
    auto goneAfter = std::make_unique<QObject>();
    const quint64 afterDecide =
        queue.hold(request(1, QStringLiteral("b")), goneAfter.get(), resumed.callback());
    gone.reset();
    QVERIFY(queue.decide(beforeDecide, {Action::Drop, {}, false}));
    QVERIFY(queue.decide(afterDecide, {Action::Drop, {}, false})); // posted, then its context dies
    goneAfter.reset();

    // Posted events are delivered in order: once this later resume ran, the others would have.
    QObject barrier;
    Resumed barrierResumed;
    const quint64 last = queue.hold(request(1, QStringLiteral("c")), &barrier, barrierResumed.callback());
    QVERIFY(queue.decide(last, {Action::Drop, {}, false}));
    QTRY_COMPARE(barrierResumed.decisions.size(), 1);
    QVERIFY(resumed.decisions.isEmpty());
}

void tst_InterceptQueue::discardConnection()
{
    InterceptQueue queue;
    QSignalSpy released(&queue, &InterceptQueue::released);
    QObject context;
    Resumed resumed;
    const quint64 a = queue.hold(request(1, QStringLiteral("a")), &context, resumed.callback());
    const quint64 other = queue.hold(request(2, QStringLiteral("b")), &context, resumed.callback());
    const quint64 c = queue.hold(request(1, QStringLiteral("c")), &context, resumed.callback());

    queue.discardConnection(1);
    QCOMPARE(queue.pending().size(), 1);
    QCOMPARE(queue.pending().at(0).id, other);
    QCOMPARE(released.size(), 2);
    QCOMPARE(released.at(0).at(0).value<quint64>(), a);
    QCOMPARE(released.at(1).at(0).value<quint64>(), c);
    for (const QList<QVariant>& args : released)
        QCOMPARE(args.at(3).toBool(), true);
    QString error;
    QVERIFY(!queue.decide(a, {Action::Drop, {}, false}, &error));
    QCOMPARE(error, QStringLiteral("no longer waiting"));

    QVERIFY(queue.decide(other, {Action::Drop, {}, false})); // the barrier: nothing else resumes
    QTRY_COMPARE(resumed.decisions.size(), 1);
    queue.discardConnection(99); // nothing of it: no signal
    QCOMPARE(released.size(), 3);
}

void tst_InterceptQueue::decideErrors_data()
{
    QTest::addColumn<HeldMessage>("message");
    QTest::addColumn<Action>("action");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    HeldMessage notification = request(1, QStringLiteral("n"));
    notification.summary.kind = MessageKind::Notification;
    const QString notJson = QStringLiteral("not valid JSON: ");
    const QString cannotAnswer = QStringLiteral("only a request to the server can be answered");

    QTest::newRow("forward broken") << request(1, "m") << Action::Forward << QByteArray("{\"id\":")
                                    << notJson;
    QTest::newRow("forward empty") << request(1, "m") << Action::Forward << QByteArray() << notJson;
    QTest::newRow("forward scalar") << request(1, "m") << Action::Forward << QByteArray("42") << notJson;
    QTest::newRow("answer broken") << request(1, "m") << Action::Answer << QByteArray("{") << notJson;
    QTest::newRow("answer notification")
        << notification << Action::Answer << QByteArray("{}") << cannotAnswer;
    QTest::newRow("answer to client")
        << request(1, "m", false) << Action::Answer << QByteArray("{}") << cannotAnswer;
}

void tst_InterceptQueue::decideErrors()
{
    QFETCH(HeldMessage, message);
    QFETCH(Action, action);
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    InterceptQueue queue;
    QSignalSpy released(&queue, &InterceptQueue::released);
    QObject context;
    Resumed resumed;
    const quint64 id = queue.hold(message, &context, resumed.callback());
    QString problem;
    QVERIFY(!queue.decide(id, {action, json, false}, &problem));
    QVERIFY2(problem.startsWith(error), qPrintable(problem));
    QVERIFY(problem.size() >= error.size());
    // A refused decision leaves the message waiting for a better one.
    QCOMPARE(queue.pending().size(), 1);
    QCOMPARE(released.size(), 0);
    QVERIFY(queue.decide(id, {Action::Drop, {}, false}));
    QVERIFY(!queue.decide(id + 100, {Action::Drop, {}, false}, &problem));
    QCOMPARE(problem, QStringLiteral("no longer waiting"));
}

void tst_InterceptQueue::resumesOnContextThread()
{
    InterceptQueue queue;
    QSignalSpy held(&queue, &InterceptQueue::held);
    QThread worker;
    worker.start();
    auto context = std::make_unique<QObject>();
    context->moveToThread(&worker);
    Resumed resumed;
    quint64 id = 0;
    // The proxy holds on its worker thread, as hold() documents.
    QMetaObject::invokeMethod(
        context.get(),
        [&] { id = queue.hold(request(1, QStringLiteral("m")), context.get(), resumed.callback()); },
        Qt::BlockingQueuedConnection);
    QCOMPARE(held.size(), 1);
    QVERIFY(queue.decide(id, {Action::Drop, {}, false}));
    QTRY_VERIFY(resumed.thread.load() != nullptr);
    QCOMPARE(resumed.thread.load(), &worker);
    // Deleted on its own thread, so no timer or event of it outlives it elsewhere.
    QMetaObject::invokeMethod(
        context.get(), [&] { context.reset(); }, Qt::BlockingQueuedConnection);
    worker.quit();
    worker.wait();
}

QTEST_GUILESS_MAIN(tst_InterceptQueue)
#include "tst_interceptqueue.moc"
