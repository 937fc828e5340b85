// Dispatcher, asynchronous side: handlers that answer later, from other threads, twice or
// never; batches mixing both; contexts that disappear; and the per-method figures.

#include "DispatchHarness.h"
#include "dispatch/DemoService.h"

#include <QSignalSpy>
#include <QTest>

#include <stdexcept>
#include <thread>

using namespace rpcbench;
using namespace rpcbench::test;

class TestDispatcherAsync : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void sleepCompletesLater();
    void laterCallsFinishFirst();
    void batchWaitsForAsyncElements();
    void notificationsDoNotWait();
    void responderFromOtherThread();
    void responderRacesFromTwoThreads();
    void answerInsideHandlerIsSynchronous();
    void secondAnswerIgnored();
    void handlerTimeout();
    void lateAnswerAfterTimeoutIgnored();
    void destroyedContextDropsReply();
    void rawHandlerExceptions_data();
    void rawHandlerExceptions();
    void statsCount();

private:
    QJsonObject replyOf(const Outcome& out) { return parsed(out.reply.bytes).object(); }

    std::shared_ptr<MethodRegistry> m_registry;
    std::unique_ptr<DispatchHarness> m_harness;
    Responder m_kept;                   // a responder a "keep" handler stored
    std::vector<std::thread> m_threads; // joined in cleanup()
};

void TestDispatcherAsync::init()
{
    m_registry = std::make_shared<MethodRegistry>();
    registerDemoService(*m_registry);
    m_registry->add(MethodInfo{"keep", "stores its responder", {}, ParamType::Any, {}, true, true},
                    [this](const QJsonArray&, Responder done) { m_kept = std::move(done); });
    m_registry->add(MethodInfo{"never", "never answers", {}, ParamType::Any, {}, true, true},
                    [](const QJsonArray&, Responder) {});
    m_registry->add(MethodInfo{"threaded", "answers from a std::thread", {}, ParamType::Any, {}, true, true},
                    [this](const QJsonArray&, Responder done) {
                        m_threads.emplace_back(
                            [done] { done(RpcResult::success(QStringLiteral("from thread"))); });
                    });
    m_harness = std::make_unique<DispatchHarness>(m_registry);
}

void TestDispatcherAsync::cleanup()
{
    for (std::thread& t : m_threads)
        t.join();
    m_threads.clear();
    m_kept = nullptr;
    m_harness.reset();
}

void TestDispatcherAsync::sleepCompletesLater()
{
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"sleep","params":[30],"id":1})");
    QCOMPARE(out->calls, 0); // handle() returned without blocking
    QTRY_COMPARE(out->calls, 1);
    QVERIFY(!out->synchronous);
    QCOMPARE(out->thread, QThread::currentThread());
    QCOMPARE(parsed(out->reply.bytes), parsed(R"({"jsonrpc":"2.0","result":30,"id":1})"));
}

void TestDispatcherAsync::laterCallsFinishFirst()
{
    std::vector<int> order;
    QObject context;
    Dispatcher& d = m_harness->dispatcher();
    const auto record = [&order](int id) { return [&order, id](DispatchReply) { order.push_back(id); }; };
    d.handle(R"({"jsonrpc":"2.0","method":"sleep","params":[200],"id":1})", &context, record(1), nullptr);
    d.handle(R"({"jsonrpc":"2.0","method":"sleep","params":[10],"id":2})", &context, record(2), nullptr);
    d.handle(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":3})", &context, record(3), nullptr);
    QCOMPARE(order, std::vector<int>({3}));
    QTRY_COMPARE(order.size(), std::size_t(3));
    QCOMPARE(order, std::vector<int>({3, 2, 1}));
}

void TestDispatcherAsync::batchWaitsForAsyncElements()
{
    const auto out = m_harness->send(R"([
        {"jsonrpc":"2.0","method":"sleep","params":[40],"id":1},
        {"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":2},
        {"jsonrpc":"2.0","method":"sleep","params":[10]},
        {"jsonrpc":"2.0","method":"threaded","id":3}])");
    QCOMPARE(out->calls, 0);
    QTRY_COMPARE(out->calls, 1);
    QCOMPARE(out->thread, QThread::currentThread());
    QCOMPARE(parsed(out->reply.bytes), parsed(R"([{"jsonrpc":"2.0","result":40,"id":1},
                                                 {"jsonrpc":"2.0","result":6,"id":2},
                                                 {"jsonrpc":"2.0","result":"from thread","id":3}])"));
    QCOMPARE(out->reply.summary.batchSize, 3);
}

void TestDispatcherAsync::notificationsDoNotWait()
{
    const auto single = m_harness->send(R"({"jsonrpc":"2.0","method":"keep"})");
    QCOMPARE(single->calls, 1);
    QVERIFY(single->reply.bytes.isEmpty());
    const auto batch = m_harness->send(R"([{"jsonrpc":"2.0","method":"sleep","params":[20]},
                                          {"jsonrpc":"2.0","method":"never"}])");
    QCOMPARE(batch->calls, 1);
    QVERIFY(batch->reply.bytes.isEmpty());
    // The kept responder of the notification can still be used; it produces nothing.
    m_kept(RpcResult::success(1));
    QCoreApplication::processEvents();
    QCOMPARE(single->calls, 1);
    QTRY_COMPARE(m_registry->find("sleep")->stats->totalLatencyNs.load() > 0, true);
}

void TestDispatcherAsync::responderFromOtherThread()
{
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"threaded","id":"t"})");
    QTRY_COMPARE(out->calls, 1);
    QVERIFY(!out->synchronous);
    QCOMPARE(out->thread, QThread::currentThread()); // marshalled to the context's thread
    QCOMPARE(replyOf(*out).value("result").toString(), QString("from thread"));
}

void TestDispatcherAsync::responderRacesFromTwoThreads()
{
    for (int round = 0; round < 20; ++round) {
        const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"keep","id":1})");
        Responder done = m_kept;
        std::thread a([done] { done(RpcResult::success(QStringLiteral("a"))); });
        std::thread b([done] { done(RpcResult::success(QStringLiteral("b"))); });
        a.join();
        b.join();
        QTRY_COMPARE(out->calls, 1);
        QCoreApplication::processEvents();
        QCOMPARE(out->calls, 1);
        const QString winner = replyOf(*out).value("result").toString();
        QVERIFY(winner == "a" || winner == "b");
    }
}

void TestDispatcherAsync::answerInsideHandlerIsSynchronous()
{
    m_registry->add(
        MethodInfo{"direct", "answers through its responder at once", {}, ParamType::Any, {}, true, true},
        [](const QJsonArray&, Responder done) { done(RpcResult::success(5)); });
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"direct","id":1})");
    QCOMPARE(out->calls, 1);
    QVERIFY(out->synchronous); // no queued hop when already on the context's thread
    QCOMPARE(replyOf(*out).value("result").toInt(), 5);
}

void TestDispatcherAsync::secondAnswerIgnored()
{
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"keep","id":1})");
    QCOMPARE(out->calls, 0);
    m_kept(RpcResult::success(1));
    m_kept(RpcResult::success(2));
    m_kept(RpcResult::failure(-1, "late"));
    QCoreApplication::processEvents();
    QCOMPARE(out->calls, 1);
    QCOMPARE(replyOf(*out).value("result").toInt(), 1);
}

void TestDispatcherAsync::handlerTimeout()
{
    DispatchHarness harness(m_registry, 50);
    const auto out = harness.send(R"({"jsonrpc":"2.0","method":"never","id":9})");
    QCOMPARE(out->calls, 0);
    QTRY_COMPARE(out->calls, 1);
    QCOMPARE(
        parsed(out->reply.bytes),
        parsed(
            R"({"jsonrpc":"2.0","error":{"code":-32002,"message":"handler timed out after 50 ms"},"id":9})"));
    QCOMPARE(m_registry->find("never")->stats->errors.load(), 1u);
    // A handler that answers in time is not affected by the timer.
    const auto fast = harness.send(R"({"jsonrpc":"2.0","method":"sleep","params":[5],"id":1})");
    QTRY_COMPARE(fast->calls, 1);
    QCOMPARE(replyOf(*fast).value("result").toInt(), 5);
}

void TestDispatcherAsync::lateAnswerAfterTimeoutIgnored()
{
    DispatchHarness harness(m_registry, 30);
    const auto out = harness.send(R"({"jsonrpc":"2.0","method":"keep","id":1})");
    QTRY_COMPARE(out->calls, 1);
    QCOMPARE(replyOf(*out).value("error").toObject().value("code").toInt(), ErrorCode::HandlerTimeout);
    m_kept(RpcResult::success(1));                                        // same thread
    std::thread([done = m_kept] { done(RpcResult::success(2)); }).join(); // other thread
    QCoreApplication::processEvents();
    QCOMPARE(out->calls, 1);
}

void TestDispatcherAsync::destroyedContextDropsReply()
{
    auto context = std::make_unique<QObject>();
    const auto sameThread = m_harness->send(R"({"jsonrpc":"2.0","method":"keep","id":1})", context.get());
    Responder first = m_kept;
    const auto otherThread = m_harness->send(R"({"jsonrpc":"2.0","method":"keep","id":2})", context.get());
    Responder second = m_kept;
    const auto sleeping =
        m_harness->send(R"({"jsonrpc":"2.0","method":"sleep","params":[10],"id":3})", context.get());
    context.reset();
    first(RpcResult::success(1));
    std::thread([second] { second(RpcResult::success(2)); }).join();
    // The sleep timer still fires; give it time to try (it must be dropped, too).
    const auto witness = m_harness->send(R"({"jsonrpc":"2.0","method":"sleep","params":[30],"id":4})");
    QTRY_COMPARE(witness->calls, 1);
    QCoreApplication::processEvents();
    QCOMPARE(sameThread->calls, 0);
    QCOMPARE(otherThread->calls, 0);
    QCOMPARE(sleeping->calls, 0);
}

void TestDispatcherAsync::rawHandlerExceptions_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("std::exception") << "throwsStd" << ErrorCode::InternalError << "boom";
    QTest::newRow("RpcException") << "throwsRpc" << -32055 << "custom";
    QTest::newRow("anything") << "throwsInt" << ErrorCode::InternalError << "unknown exception in handler";
}

void TestDispatcherAsync::rawHandlerExceptions()
{
    QFETCH(QString, method);
    QFETCH(int, code);
    QFETCH(QString, message);
    const MethodInfo info{method, "throws", {}, ParamType::Any, {}, true, true};
    m_registry->add(info, [method](const QJsonArray&, Responder) {
        if (method == "throwsStd")
            throw std::runtime_error("boom");
        if (method == "throwsRpc")
            throw RpcException(-32055, "custom");
        throw 1;
    });
    const auto out =
        m_harness->send(QString(R"({"jsonrpc":"2.0","method":"%1","id":1})").arg(method).toUtf8());
    QTRY_COMPARE(out->calls, 1);
    const QJsonObject error = replyOf(*out).value("error").toObject();
    QCOMPARE(error.value("code").toInt(), code);
    QCOMPARE(error.value("message").toString(), message);
    // The dispatcher keeps serving afterwards.
    QCOMPARE(m_harness->send(R"({"jsonrpc":"2.0","method":"get_data","id":2})")->calls, 1);
}

void TestDispatcherAsync::statsCount()
{
    const auto stats = m_registry->find("add")->stats;
    for (int i = 0; i < 3; ++i)
        m_harness->send(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})");
    m_harness->send(R"({"jsonrpc":"2.0","method":"add","params":["x",2],"id":1})"); // binding error
    m_harness->send(R"({"jsonrpc":"2.0","method":"add","params":[1,2]})");          // notification
    m_harness->send(R"({"method_name":"add","method_args":[1,2,3]})");              // classic
    m_harness->send(R"([{"jsonrpc":"2.0","method":"add","params":[1],"id":1}])");   // batch, error
    m_harness->send(R"({"jsonrpc":"2.0","method":"nope","id":1})");                 // not found: no figures
    QCOMPARE(stats->calls.load(), 7u);
    QCOMPARE(stats->errors.load(), 2u);
    QCOMPARE(stats->answered.load(), 7u); // synchronous: answered as they were handled
    QVERIFY(stats->totalLatencyNs.load() > 0);

    const auto sleepStats = m_registry->find("sleep")->stats;
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":"sleep","params":[25],"id":1})");
    QCOMPARE(sleepStats->calls.load(), 1u);
    QTRY_COMPARE(out->calls, 1);
    QVERIFY2(sleepStats->totalLatencyNs.load() >= 20'000'000,
             qPrintable(QString::number(sleepStats->totalLatencyNs)));
    QCOMPARE(sleepStats->errors.load(), 0u);
    QCOMPARE(sleepStats->answered.load(), 1u);
    QVERIFY(sleepStats->meanLatencyNs() >= 20'000'000);

    m_harness->send(R"({"jsonrpc":"2.0","method":"fail","params":[1,"x"]})"); // failing notification counts
    QCOMPARE(m_registry->find("fail")->stats->errors.load(), 1u);
}

QTEST_GUILESS_MAIN(TestDispatcherAsync)
#include "tst_dispatcherasync.moc"
