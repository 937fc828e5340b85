// LoadRunController: a load run on its worker thread against an in-process RpcServer on
// 127.0.0.1 (any free port) — points arrive on the GUI thread, the final result comes with
// finished(), stop mid-run ends promptly, two runs in a row, a second start while one goes is
// refused, bad options never start, and destroying the controller mid-run neither crashes nor
// leaks (ASan/LSan in CI).

#include "DemoServerFixture.h"

#include "load/LoadRunController.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace rpcbench;

class TestLoadRunController : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runDeliversPointsAndResult();
    void openLoopRun();
    void stopMidRunEndsPromptly();
    void runTwiceInARow();
    void secondStartWhileRunningIsRefused();
    void badOptionsDoNotStart();
    void destroyWhileRunning();

private:
    LoadOptions options(double seconds) const
    {
        LoadOptions o;
        o.url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_server.port());
        o.method = QStringLiteral("add");
        o.params = "[1,2]";
        o.seconds = seconds;
        o.warmupSeconds = 0.05;
        o.connections = 2;
        o.depth = 4;
        return o;
    }

    DemoServerFixture m_server;
};

void TestLoadRunController::initTestCase()
{
    QVERIFY(m_server.start());
}

void TestLoadRunController::runDeliversPointsAndResult()
{
    LoadRunController controller;
    QList<LoadSecond> points;
    QList<Qt::HANDLE> threads;
    connect(&controller, &LoadRunController::secondCompleted, this, [&](const LoadSecond& p) {
        points.append(p);
        threads.append(QThread::currentThreadId());
    });
    QSignalSpy finished(&controller, &LoadRunController::finished);
    QSignalSpy started(&controller, &LoadRunController::started);
    QString error;
    QVERIFY2(controller.start(options(2.2), &error), qPrintable(error));
    QCOMPARE(started.count(), 1);
    QVERIFY(controller.isRunning());
    QVERIFY(finished.wait(20'000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!controller.isRunning());
    const LoadResult result = finished.at(0).at(0).value<LoadResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.calls > 0);
    QCOMPARE(result.errors, quint64(0));
    QCOMPARE(controller.lastResult().calls, result.calls);
    QCOMPARE(controller.lastOptions().method, QStringLiteral("add"));
    // Every point arrived before finished(), on this (the GUI) thread, one per second.
    QVERIFY2(points.size() >= 2, qPrintable(QString::number(points.size())));
    QCOMPARE(points.size(), result.timeSeries.size());
    for (int i = 0; i < points.size(); ++i) {
        QCOMPARE(points.at(i).second, i);
        QCOMPARE(points.at(i).completed, result.timeSeries.at(i).completed);
    }
    for (Qt::HANDLE t : std::as_const(threads))
        QCOMPARE(t, QThread::currentThreadId());
    QVERIFY(result.latency.count() == result.calls);
}

void TestLoadRunController::openLoopRun()
{
    LoadRunController controller;
    LoadOptions o = options(1.5);
    o.rate = 200;
    o.depth = 100;
    o.warmupSeconds = 0;
    QSignalSpy finished(&controller, &LoadRunController::finished);
    QVERIFY(controller.start(o));
    QVERIFY(finished.wait(20'000));
    const LoadResult r = controller.lastResult();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.openLoop);
    QVERIFY2(r.openLoop->sent >= 250, qPrintable(QString::number(r.openLoop->sent))); // 300 due
}

void TestLoadRunController::stopMidRunEndsPromptly()
{
    LoadRunController controller;
    QSignalSpy points(&controller, &LoadRunController::secondCompleted);
    QSignalSpy finished(&controller, &LoadRunController::finished);
    QVERIFY(controller.start(options(60)));
    QVERIFY(points.wait(10'000)); // measuring
    QElapsedTimer timer;
    timer.start();
    controller.stop();
    QVERIFY(finished.wait(5000));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    const LoadResult r = controller.lastResult();
    QVERIFY2(r.ok, qPrintable(r.error)); // stopped while measuring: the figures so far
    QVERIFY(r.elapsedSeconds < 10);
    QVERIFY(r.calls > 0);
    QVERIFY(!controller.isRunning());
    controller.stop(); // nothing going: nothing happens
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
}

void TestLoadRunController::runTwiceInARow()
{
    LoadRunController controller;
    QSignalSpy finished(&controller, &LoadRunController::finished);
    int points = 0;
    connect(&controller, &LoadRunController::secondCompleted, this, [&] { ++points; });
    for (int run = 1; run <= 2; ++run) {
        points = 0;
        QVERIFY(controller.start(options(1.1)));
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.count(), run);
        QVERIFY2(controller.lastResult().ok, qPrintable(controller.lastResult().error));
        QCOMPARE(points, controller.lastResult().timeSeries.size());
    }
    // Stopped right away, then started again: the first run's late signals do not leak in.
    QVERIFY(controller.start(options(30)));
    controller.stop();
    QVERIFY(finished.wait(10'000));
    QVERIFY(controller.start(options(1.1)));
    points = 0;
    QVERIFY(finished.wait(20'000));
    QCOMPARE(finished.count(), 4);
    QCOMPARE(points, controller.lastResult().timeSeries.size());
}

void TestLoadRunController::secondStartWhileRunningIsRefused()
{
    LoadRunController controller;
    QSignalSpy finished(&controller, &LoadRunController::finished);
    QVERIFY(controller.start(options(30)));
    QString error;
    QVERIFY(!controller.start(options(1), &error));
    QVERIFY(error.contains(QStringLiteral("already")));
    controller.stop();
    QVERIFY(finished.wait(10'000));
    QTest::qWait(100);
    QCOMPARE(finished.count(), 1);
}

void TestLoadRunController::badOptionsDoNotStart()
{
    LoadRunController controller;
    QSignalSpy started(&controller, &LoadRunController::started);
    LoadOptions o = options(1);
    o.url = QStringLiteral("nonsense://x");
    QString error;
    QVERIFY(!controller.start(o, &error));
    QVERIFY(!error.isEmpty());
    o = options(1);
    o.params = "[1,";
    error.clear();
    QVERIFY(!controller.start(o, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(started.count(), 0);
    QVERIFY(!controller.isRunning());
}

void TestLoadRunController::destroyWhileRunning()
{
    for (int i = 0; i < 3; ++i) {
        auto* controller = new LoadRunController;
        QSignalSpy points(controller, &LoadRunController::secondCompleted);
        QVERIFY(controller->start(options(60)));
        if (i == 0)
            QVERIFY(points.wait(10'000)); // measuring; else while connecting
        QElapsedTimer timer;
        timer.start();
        delete controller;
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }
    QTest::qWait(50); // posted results of the deleted controllers are dropped, not delivered
    // The server still answers: nothing was left half-open on its side that breaks a new run.
    LoadRunController controller;
    QSignalSpy finished(&controller, &LoadRunController::finished);
    QVERIFY(controller.start(options(0.5)));
    QVERIFY(finished.wait(20'000));
    QVERIFY(controller.lastResult().ok);
}

QTEST_MAIN(TestLoadRunController)
#include "tst_loadruncontroller.moc"
