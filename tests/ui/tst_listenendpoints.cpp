// "Listen on…": an endpoint added through the dialog is listened on (a Unix socket that a
// client can connect to), shown in the status bar, and gone again when removed; one the server
// cannot listen on is refused with its reason; one added while the server is stopped opens
// when it starts.

#include "log/TrafficLogModel.h"
#include "server/ListenEndpoints.h"
#include "server/ListenEndpointsDialog.h"
#include "server/RpcServer.h"
#include "window/BenchSession.h"
#include "window/StatusPanel.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocalSocket>
#include <QMainWindow>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

class TestListenEndpoints : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void addAndRemoveUnixEndpoint();
    void refusedEndpointExplained_data();
    void refusedEndpointExplained();
    void addedWhileStoppedOpensOnStart();

private:
    void addThroughDialog(const QString& url);

    QTemporaryDir m_dir;
    std::unique_ptr<BenchSession> m_session;
    std::unique_ptr<TrafficLogModel> m_log;
    std::unique_ptr<QMainWindow> m_window;
    ListenEndpoints* m_endpoints = nullptr;
    StatusPanel* m_status = nullptr;
    ListenEndpointsDialog* m_dialog = nullptr;
};

void TestListenEndpoints::init()
{
    QVERIFY(m_dir.isValid());
    m_session = std::make_unique<BenchSession>();
    m_log = std::make_unique<TrafficLogModel>();
    m_window = std::make_unique<QMainWindow>();
    m_window->setCentralWidget(new QWidget);
    m_endpoints = new ListenEndpoints(m_session->server(), m_window.get());
    m_status = new StatusPanel(m_session.get(), m_log.get(), m_window->statusBar());
    m_dialog = new ListenEndpointsDialog(m_endpoints, m_window.get());
    m_window->show();
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
}

void TestListenEndpoints::cleanup()
{
    m_window.reset(); // the dialog, the endpoints and the status panel with it
    m_session.reset();
    m_log.reset();
}

void TestListenEndpoints::addThroughDialog(const QString& url)
{
    m_dialog->urlEdit()->setText(url);
    QTest::mouseClick(m_dialog->findChild<QPushButton*>(QStringLiteral("listenAddButton")), Qt::LeftButton);
}

void TestListenEndpoints::addAndRemoveUnixEndpoint()
{
    QString error;
    QVERIFY2(m_session->startServer(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    const QString path = m_dir.filePath(QStringLiteral("bench.sock"));
    const QString url = QStringLiteral("unix:") + path;
    addThroughDialog(url);
    QCOMPARE(m_dialog->list()->count(), 1);
    QCOMPARE(m_dialog->list()->item(0)->text(), url);
    QVERIFY(m_dialog->urlEdit()->text().isEmpty());
    QTRY_VERIFY2(m_status->serverText().contains(QStringLiteral(" · ") + url),
                 qPrintable(m_status->serverText()));
    QVERIFY(m_status->serverText().startsWith(QStringLiteral("Listening on 127.0.0.1:")));

    QLocalSocket socket;
    socket.connectToServer(path);
    QTRY_COMPARE(socket.state(), QLocalSocket::ConnectedState);
    socket.abort();

    m_dialog->list()->setCurrentRow(0);
    QTest::mouseClick(m_dialog->findChild<QPushButton*>(QStringLiteral("listenRemoveButton")),
                      Qt::LeftButton);
    QCOMPARE(m_dialog->list()->count(), 0);
    QVERIFY(m_endpoints->listeners().isEmpty());
    QTRY_VERIFY2(!m_status->serverText().contains(url), qPrintable(m_status->serverText()));
    QLocalSocket again;
    again.connectToServer(path);
    QTRY_COMPARE(again.state(), QLocalSocket::UnconnectedState);
}

void TestListenEndpoints::refusedEndpointExplained_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");
    QTest::newRow("tls without certificate") << "https://127.0.0.1:0"
                                             << "needs a TLS certificate and key";
    QTest::newRow("a process") << "exec:cat"
                               << "exec";
    QTest::newRow("garbage") << "udp://127.0.0.1:1"
                             << "udp";
}

void TestListenEndpoints::refusedEndpointExplained()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    addThroughDialog(url);
    auto* problem = m_dialog->findChild<QLabel*>(QStringLiteral("listenProblem"));
    QVERIFY(problem->isVisible());
    QVERIFY2(problem->text().contains(reason), qPrintable(problem->text()));
    QCOMPARE(m_dialog->list()->count(), 0);
    QCOMPARE(m_dialog->urlEdit()->text(), url); // left to be corrected
}

void TestListenEndpoints::addedWhileStoppedOpensOnStart()
{
    const QString url = QStringLiteral("unix:") + m_dir.filePath(QStringLiteral("later.sock"));
    addThroughDialog(url);
    QCOMPARE(m_dialog->list()->count(), 1);
    QVERIFY(m_dialog->list()->item(0)->text().contains(QStringLiteral("opened when the server starts")));
    QCOMPARE(m_endpoints->boundUrl(0), QString());
    QString error;
    QVERIFY2(m_session->startServer(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    QTRY_VERIFY2(m_status->serverText().contains(url), qPrintable(m_status->serverText()));
    QCOMPARE(m_endpoints->boundUrl(0), url);
    QCOMPARE(m_dialog->list()->item(0)->text(), url);
    m_session->stopServer();
    QTRY_COMPARE(m_endpoints->boundUrl(0), QString());
    QCOMPARE(m_endpoints->listeners().size(), 1); // still configured for the next start
}

QTEST_MAIN(TestListenEndpoints)
#include "tst_listenendpoints.moc"
