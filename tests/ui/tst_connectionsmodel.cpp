// The embedded server's connection list: rows appear and disappear as real loopback clients
// connect to a running RpcServer and leave, rows keep their identity (a persistent index stays
// on its connection when an older one closes), the counters follow on the slow refresh, and an
// HTTP connection without an event stream is shown as unable to take pushes.

#include "DemoServerFixture.h"
#include "SocketProbe.h"
#include "server/ConnectionsModel.h"
#include "util/MonotonicClock.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

class TestConnectionsModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void rowsFollowConnections();
    void rowsKeepTheirIdentity();
    void countersFollowTraffic();
    void httpWithoutEventStreamCannotPush();
    void stoppedOrMissingServerShowsNothing();
    void formatAge_data();
    void formatAge();

private:
    int rowOfPeer(quint16 localPort) const;
    QString cell(int row, int column) const { return m_model->index(row, column).data().toString(); }

    std::unique_ptr<DemoServerFixture> m_server;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestConnectionsModel::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    QVERIFY(m_server->start());
    m_model = std::make_unique<ConnectionsModel>();
    m_model->setRefreshInterval(50);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setServer(m_server->server.get());
}

void TestConnectionsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_server.reset();
}

int TestConnectionsModel::rowOfPeer(quint16 localPort) const
{
    const QString suffix = QStringLiteral(":%1").arg(localPort);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (cell(row, ConnectionsModel::PeerColumn).endsWith(suffix))
            return row;
    }
    return -1;
}

void TestConnectionsModel::rowsFollowConnections()
{
    QCOMPARE(m_model->rowCount(), 0);
    SocketProbe a;
    SocketProbe b;
    QVERIFY(a.connectTo(m_server->port()));
    QVERIFY(b.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 2);
    const int rowA = rowOfPeer(a.socket().localPort());
    const int rowB = rowOfPeer(b.socket().localPort());
    QVERIFY2(rowA >= 0 && rowB >= 0, qPrintable(cell(0, ConnectionsModel::PeerColumn)));
    QVERIFY(m_model->connection(rowA).id != m_model->connection(rowB).id);
    QVERIFY(cell(rowA, ConnectionsModel::PeerColumn).startsWith(QStringLiteral("127.0.0.1:")));
    QVERIFY2(cell(rowA, ConnectionsModel::ListenerColumn).contains(QString::number(m_server->port())),
             qPrintable(cell(rowA, ConnectionsModel::ListenerColumn)));
    QCOMPARE(cell(rowA, ConnectionsModel::IdColumn), QStringLiteral("#%1").arg(m_model->connection(rowA).id));

    // A JSON stream can take pushes once sniffed (after its first bytes).
    a.send(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})"
           "\n");
    QVERIFY(!a.waitForJsonLines(1).isEmpty());
    QTRY_VERIFY(m_model->connection(rowOfPeer(a.socket().localPort())).canPush);
    QTRY_COMPARE(cell(rowOfPeer(a.socket().localPort()), ConnectionsModel::TransportColumn),
                 QStringLiteral("json"));
    QCOMPARE(cell(rowOfPeer(a.socket().localPort()), ConnectionsModel::PushColumn), QStringLiteral("yes"));

    a.socket().disconnectFromHost();
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(rowOfPeer(a.socket().localPort()), -1);
    QCOMPARE(rowOfPeer(b.socket().localPort()), 0);
    b.socket().abort();
    QTRY_COMPARE(m_model->rowCount(), 0);
}

// A view's selection is a persistent index: it must stay on its connection when another row
// goes, and not be reset on every refresh.
void TestConnectionsModel::rowsKeepTheirIdentity()
{
    SocketProbe a;
    SocketProbe b;
    QVERIFY(a.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QVERIFY(b.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 2);
    const int rowB = rowOfPeer(b.socket().localPort());
    const quint64 idB = m_model->connection(rowB).id;
    const QPersistentModelIndex selected(m_model->index(rowB, ConnectionsModel::PeerColumn));
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);

    a.socket().abort();
    QTRY_COMPARE(m_model->rowCount(), 1);
    QVERIFY(selected.isValid());
    QCOMPARE(selected.data(ConnectionsModel::ConnectionIdRole).toULongLong(), idB);
    QCOMPARE(m_model->rowOf(idB), selected.row());
    m_model->refresh();
    QVERIFY(selected.isValid());
    QCOMPARE(resets.count(), 0);
}

void TestConnectionsModel::countersFollowTraffic()
{
    SocketProbe a;
    QVERIFY(a.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->connection(0).messagesIn, 0u);
    for (int i = 1; i <= 3; ++i)
        a.send(QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"add","params":[%1,1]})"
                              "\n")
                   .arg(i)
                   .toUtf8());
    QCOMPARE(a.waitForJsonLines(3).size(), 3);
    QTRY_COMPARE(m_model->connection(0).messagesIn, 3u); // the timer brings the counters
    QTRY_COMPARE(m_model->connection(0).messagesOut, 3u);
    QCOMPARE(cell(0, ConnectionsModel::InColumn), QStringLiteral("3"));
    QCOMPARE(m_model->index(0, ConnectionsModel::InColumn).data(ConnectionsModel::SortRole).toULongLong(),
             3u);
}

// Plain HTTP answers requests only; the list says so, and why.
void TestConnectionsModel::httpWithoutEventStreamCannotPush()
{
    SocketProbe http;
    QVERIFY(http.connectTo(m_server->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]})";
    http.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
              QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(http.waitFor([&] { return http.received().contains("\"result\""); }));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QTRY_COMPARE(cell(0, ConnectionsModel::TransportColumn), QStringLiteral("http"));
    QVERIFY(!m_model->connection(0).canPush);
    QCOMPARE(cell(0, ConnectionsModel::PushColumn), QStringLiteral("no"));
    const QString why = m_model->index(0, ConnectionsModel::PushColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(why.contains(QStringLiteral("event stream")), qPrintable(why));
    QCOMPARE(m_model->pushCapableCount(), 0);
}

void TestConnectionsModel::stoppedOrMissingServerShowsNothing()
{
    SocketProbe a;
    QVERIFY(a.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 1);
    m_server->server->stop();
    QTRY_COMPARE(m_model->rowCount(), 0);
    QVERIFY(m_server->start());
    SocketProbe b;
    QVERIFY(b.connectTo(m_server->port()));
    QTRY_COMPARE(m_model->rowCount(), 1);
    // The server goes first (the main window's order is not guaranteed): no dangling pointer.
    m_server.reset();
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setServer(nullptr);
    QCOMPARE(m_model->rowCount(), 0);
}

void TestConnectionsModel::formatAge_data()
{
    QTest::addColumn<qint64>("us");
    QTest::addColumn<QString>("text");
    QTest::newRow("fresh") << qint64(300'000) << QStringLiteral("0 s");
    QTest::newRow("seconds") << qint64(45'200'000) << QStringLiteral("45 s");
    QTest::newRow("minutes") << qint64(185'000'000) << QStringLiteral("3 min");
    QTest::newRow("hours") << qint64(7'500'000'000) << QStringLiteral("2 h 05 min");
    QTest::newRow("clock skew") << qint64(-5) << QStringLiteral("0 s");
}

void TestConnectionsModel::formatAge()
{
    QFETCH(qint64, us);
    QFETCH(QString, text);
    QCOMPARE(ConnectionsModel::formatAge(us), text);
}

QTEST_MAIN(TestConnectionsModel)
#include "tst_connectionsmodel.moc"
