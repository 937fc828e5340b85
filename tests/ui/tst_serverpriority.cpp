// The embedded server's worker thread runs at a lower CPU priority than the GUI thread when the
// window's session starts it (so the window stays responsive under load), and at the caller's
// own priority when RpcServer is used headless. Linux only: the nice value is per thread there.

#include "dispatch/MethodRegistry.h"
#include "server/RpcServer.h"
#include "traffic/TrafficBus.h"
#include "window/BenchSession.h"

#include <QTest>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#endif

using namespace rpcbench;

namespace {

int niceOf(qint64 tid)
{
#ifdef Q_OS_LINUX
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, id_t(tid));
    return errno == 0 ? nice : INT_MIN;
#else
    Q_UNUSED(tid);
    return INT_MIN;
#endif
}

int ownNice()
{
#ifdef Q_OS_LINUX
    return getpriority(PRIO_PROCESS, id_t(::gettid()));
#else
    return 0;
#endif
}

} // namespace

class TestServerPriority : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void workerNice_data();
    void workerNice();
    void sessionLowersItsServer();
};

void TestServerPriority::initTestCase()
{
#ifndef Q_OS_LINUX
    QSKIP("per-thread nice values are Linux-only");
#endif
}

void TestServerPriority::workerNice_data()
{
    QTest::addColumn<int>("requested");
    QTest::newRow("headless default") << 0;
    QTest::newRow("lowered by 5") << 5;
    QTest::newRow("beyond the range") << 40;
}

void TestServerPriority::workerNice()
{
    QFETCH(int, requested);
    RpcServer server(std::make_shared<MethodRegistry>(), std::make_shared<TrafficBus>());
    server.setWorkerNice(requested);
    QVERIFY2(server.start(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    const int expected = qMin(ownNice() + requested, 19) - ownNice();
    QCOMPARE(server.appliedWorkerNice(), expected);
    QVERIFY(server.workerThreadId() > 0);
    QVERIFY(server.workerThreadId() != qint64(::gettid()));
    QCOMPARE(niceOf(server.workerThreadId()), ownNice() + expected);
    server.stop();
    QCOMPARE(server.workerThreadId(), qint64(0));
}

void TestServerPriority::sessionLowersItsServer()
{
    const int guiNice = ownNice();
    BenchSession session;
    QString error;
    QVERIFY2(session.startServer(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    const int expected = qMin(ownNice() + BenchSession::EmbeddedServerNice, 19) - ownNice();
    QVERIFY(expected > 0 || ownNice() == 19);
    QCOMPARE(session.server()->appliedWorkerNice(), expected);
    QCOMPARE(niceOf(session.server()->workerThreadId()), ownNice() + expected);
    QCOMPARE(ownNice(), guiNice); // the GUI thread itself is untouched
}

QTEST_MAIN(TestServerPriority)
#include "tst_serverpriority.moc"
