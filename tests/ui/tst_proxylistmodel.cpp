// ProxyListModel: one row per proxy of a ProxySet as proxies are added, started, stopped and
// removed; counts that follow real traffic; the refresh timer only while shown and running.
#include "DemoServerFixture.h"
#include "proxy/Proxy.h"
#include "proxy/ProxyListModel.h"
#include "proxy/ProxySet.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace rpcbench;

class TestProxyListModel : public QObject
{
    Q_OBJECT
private slots:
    void rowsFollowTheSet();
    void stateAndCounts();
    void timerOnlyWhileLiveAndRunning();
    void startErrorShowsInTheRow();

private:
    static ProxyConfig config(const QString& listen, const QString& upstream)
    {
        ProxyConfig c;
        c.listen = listen;
        c.upstream = upstream;
        return c;
    }
};

void TestProxyListModel::rowsFollowTheSet()
{
    ProxySet set(std::make_shared<TrafficBus>());
    set.add(config("tcp://127.0.0.1:0", "tcp://127.0.0.1:1"));
    ProxyListModel model(&set);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    set.add(config("tcp://127.0.0.1:0", "tcp://127.0.0.1:2"));
    set.add(config("unix:/tmp/x.sock", "tcp://127.0.0.1:3"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, ProxyListModel::ListenColumn).data().toString(),
             QStringLiteral("unix:/tmp/x.sock"));
    set.remove(1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, ProxyListModel::UpstreamColumn).data().toString(),
             QStringLiteral("tcp://127.0.0.1:3"));
    ProxyConfig changed = config("tcp://127.0.0.1:0", "tcp://127.0.0.1:9");
    QSignalSpy data(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(set.update(0, changed, nullptr));
    QVERIFY(!data.isEmpty());
    QCOMPARE(model.index(0, ProxyListModel::UpstreamColumn).data().toString(),
             QStringLiteral("tcp://127.0.0.1:9"));
    set.setConfigs({});
    QCOMPARE(model.rowCount(), 0);
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
}

void TestProxyListModel::stateAndCounts()
{
    DemoServerFixture upstream;
    QVERIFY(upstream.start());
    ProxySet set(std::make_shared<TrafficBus>());
    ProxyListModel model(&set);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    set.add(config("tcp://127.0.0.1:0", QStringLiteral("tcp://127.0.0.1:%1").arg(upstream.port())));
    QCOMPARE(model.index(0, ProxyListModel::StateColumn).data().toString(), QStringLiteral("stopped"));
    QVERIFY(!model.index(0, ProxyListModel::MessagesColumn).data().isValid());
    QString error;
    QVERIFY2(set.start(0, &error), qPrintable(error));
    QCOMPARE(model.index(0, ProxyListModel::StateColumn).data().toString(), QStringLiteral("running"));
    // Port 0 shows as the port the proxy got.
    const QString listen = model.index(0, ProxyListModel::ListenColumn).data().toString();
    QVERIFY2(!listen.endsWith(QLatin1String(":0")), qPrintable(listen));
    QCOMPARE(listen, set.proxy(0)->listeningEndpoints().constFirst().toString());

    QTcpSocket client; // stays open: one connection
    client.connectToHost(QHostAddress::LocalHost, set.proxy(0)->listeningEndpoints().constFirst().port);
    client.write(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["hi"]})"
                 "\n");
    QByteArray reply;
    QVERIFY(QTest::qWaitFor([&] {
        reply += client.readAll();
        return reply.contains('\n');
    }));
    QVERIFY2(reply.contains("\"hi\""), reply.constData());
    QSignalSpy data(&model, &QAbstractItemModel::dataChanged);
    model.refreshCounts();
    QVERIFY(!data.isEmpty());
    QCOMPARE(model.index(0, ProxyListModel::MessagesColumn).data().toULongLong(), 1ULL);
    QTRY_COMPARE(model.index(0, ProxyListModel::ConnectionsColumn).data().toInt(), 1);
    set.stop(0);
    QCOMPARE(model.index(0, ProxyListModel::StateColumn).data().toString(), QStringLiteral("stopped"));
}

void TestProxyListModel::timerOnlyWhileLiveAndRunning()
{
    DemoServerFixture upstream;
    QVERIFY(upstream.start());
    ProxySet set(std::make_shared<TrafficBus>());
    ProxyListModel model(&set);
    set.add(config("tcp://127.0.0.1:0", QStringLiteral("tcp://127.0.0.1:%1").arg(upstream.port())));
    model.setLive(true);
    QVERIFY(!model.isRefreshing()); // nothing runs
    QVERIFY(set.start(0, nullptr));
    QVERIFY(model.isRefreshing());
    model.setLive(false);
    QVERIFY(!model.isRefreshing()); // hidden
    model.setLive(true);
    QVERIFY(model.isRefreshing());
    set.stop(0);
    QVERIFY(!model.isRefreshing());
}

void TestProxyListModel::startErrorShowsInTheRow()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    ProxySet set(std::make_shared<TrafficBus>());
    ProxyListModel model(&set);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    set.add(config(QStringLiteral("tcp://127.0.0.1:%1").arg(busy.serverPort()), "tcp://127.0.0.1:1"));
    QString error;
    QVERIFY(!set.start(0, &error));
    model.setError(0, error);
    QCOMPARE(model.index(0, ProxyListModel::StateColumn).data().toString(), QStringLiteral("error"));
    QCOMPARE(model.index(0, ProxyListModel::StateColumn).data(Qt::ToolTipRole).toString(), error);
    QCOMPARE(model.error(0), error);
}

QTEST_MAIN(TestProxyListModel)
#include "tst_proxylistmodel.moc"
