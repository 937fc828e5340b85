// The Proxies panel with real proxies in front of a real upstream: two proxies added through the
// edit dialog and started from the panel both forward calls and log proxy-side rows; stopping
// one leaves the other working; a busy port is an inline error, not a dead window; faults set
// through the panel's FaultDialog apply to proxied calls; the dialog refuses bad URLs.
// Also leaves a screenshot of the main window running two proxies (/tmp/proxy-panel.png).
#include "DemoServerFixture.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "proxy/Proxy.h"
#include "proxy/ProxyEditDialog.h"
#include "proxy/ProxyListModel.h"
#include "proxy/ProxyPanel.h"
#include "proxy/ProxySet.h"
#include "proxy/ProxyToolBar.h"
#include "server/FaultDialog.h"
#include "server/FaultEditorWidget.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

// One call through a TCP endpoint, newline-framed; the reply object (empty when none came).
QJsonObject call(quint16 port, const QString& method, const QJsonValue& params)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const QJsonObject request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    QByteArray reply;
    (void)QTest::qWaitFor( // a missing reply fails the caller's comparison
        [&] {
            reply += socket.readAll();
            return reply.contains('\n') || socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    return QJsonDocument::fromJson(reply.left(reply.indexOf('\n'))).object();
}

// Shown and in front: a dock behind another tab is "visible" with nothing of it on screen.
bool inFront(const QWidget* dock)
{
    return dock->isVisible() && !dock->visibleRegion().isEmpty();
}

} // namespace

class TestProxyPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void twoProxiesForwardIndependently();
    void busyPortIsAnInlineError();
    void faultsThroughThePanelApply();
    void editDialogRejectsBadUrls_data();
    void editDialogRejectsBadUrls();
    void editAppliesBreakpointsAndRestarts();
    void toolbarStartsAndReuses();
    void windowWithTwoRunningProxies();
    void heldMessageBringsInterceptDockForward();

private:
    int addThroughDialog(const QString& listen, const QString& upstream);
    bool startRow(int row);
    quint16 portOf(int row) const;
    QString upstreamUrl() const { return QStringLiteral("tcp://127.0.0.1:%1").arg(m_upstream->port()); }

    std::unique_ptr<DemoServerFixture> m_upstream;
    std::shared_ptr<TrafficBus> m_bus;
    std::unique_ptr<ProxySet> m_set;
    std::unique_ptr<ProxyPanel> m_panel;
};

void TestProxyPanel::initTestCase()
{
    Dialogs::setQuiet(true);
}

void TestProxyPanel::init()
{
    m_upstream = std::make_unique<DemoServerFixture>();
    QVERIFY(m_upstream->start());
    m_bus = std::make_shared<TrafficBus>();
    m_set = std::make_unique<ProxySet>(m_bus);
    m_panel = std::make_unique<ProxyPanel>(m_set.get());
    m_panel->show();
}

void TestProxyPanel::cleanup()
{
    m_panel.reset();
    m_set.reset();
    m_upstream.reset();
}

int TestProxyPanel::addThroughDialog(const QString& listen, const QString& upstream)
{
    m_panel->findChild<QPushButton*>(QStringLiteral("addProxyButton"))->click();
    ProxyEditDialog* dialog = m_panel->editDialog();
    if (!dialog || !dialog->isVisible())
        return -1;
    dialog->listenEdit()->setText(listen);
    dialog->upstreamEdit()->setText(upstream);
    dialog->accept();
    return dialog->result() == QDialog::Accepted ? m_panel->currentRow() : -1;
}

bool TestProxyPanel::startRow(int row)
{
    m_panel->selectRow(row);
    auto* start = m_panel->findChild<QPushButton*>(QStringLiteral("startProxyButton"));
    if (!start->isEnabled())
        return false;
    start->click();
    return m_set->isRunning(row);
}

quint16 TestProxyPanel::portOf(int row) const
{
    return m_set->proxy(row)->listeningEndpoints().constFirst().port;
}

void TestProxyPanel::twoProxiesForwardIndependently()
{
    QCOMPARE(addThroughDialog("tcp://127.0.0.1:0", upstreamUrl()), 0);
    QCOMPARE(addThroughDialog("tcp://127.0.0.1:0", upstreamUrl()), 1);
    QCOMPARE(m_panel->model()->rowCount(), 2);
    QVERIFY(startRow(0));
    QVERIFY(startRow(1));
    QVERIFY2(m_panel->message().contains(QLatin1String("listening on")), qPrintable(m_panel->message()));
    QVERIFY(portOf(0) != portOf(1));

    QCOMPARE(call(portOf(0), "echo", QJsonArray{"first"}).value("result").toString(),
             QStringLiteral("first"));
    QCOMPARE(call(portOf(1), "echo", QJsonArray{"second"}).value("result").toString(),
             QStringLiteral("second"));
    const std::vector<TrafficEvent> rows = m_bus->drain();
    const auto proxyRows = std::count_if(rows.begin(), rows.end(), [](const TrafficEvent& e) {
        return e.side == Side::Proxy && e.summary.method == QLatin1String("echo");
    });
    QVERIFY2(proxyRows >= 2, qPrintable(QString::number(proxyRows))); // each request, at least

    m_panel->selectRow(0);
    m_panel->findChild<QPushButton*>(QStringLiteral("stopProxyButton"))->click();
    QVERIFY(!m_set->isRunning(0));
    QCOMPARE(m_panel->model()->index(0, ProxyListModel::StateColumn).data().toString(),
             QStringLiteral("stopped"));
    QCOMPARE(call(portOf(1), "echo", QJsonArray{"still"}).value("result").toString(),
             QStringLiteral("still"));
}

void TestProxyPanel::busyPortIsAnInlineError()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(addThroughDialog("tcp://127.0.0.1:0", upstreamUrl()), 0);
    QVERIFY(startRow(0));
    const int row =
        addThroughDialog(QStringLiteral("tcp://127.0.0.1:%1").arg(busy.serverPort()), upstreamUrl());
    QCOMPARE(row, 1);
    QVERIFY(!startRow(1));
    QVERIFY2(m_panel->message().contains(QLatin1String("cannot listen")), qPrintable(m_panel->message()));
    QVERIFY(m_panel->findChild<QLabel*>(QStringLiteral("proxyMessageLabel"))->isVisible());
    QCOMPARE(m_panel->model()->index(1, ProxyListModel::StateColumn).data().toString(),
             QStringLiteral("error"));
    QVERIFY(m_set->isRunning(0)); // the other one keeps working
    QCOMPARE(call(portOf(0), "echo", QJsonArray{"ok"}).value("result").toString(), QStringLiteral("ok"));
}

void TestProxyPanel::faultsThroughThePanelApply()
{
    QCOMPARE(addThroughDialog("tcp://127.0.0.1:0", upstreamUrl()), 0);
    QVERIFY(startRow(0));
    QCOMPARE(call(portOf(0), "echo", QJsonArray{"x"}).value("result").toString(), QStringLiteral("x"));

    m_panel->findChild<QPushButton*>(QStringLiteral("proxyFaultsButton"))->click();
    QInputDialog* picker = m_panel->methodPicker();
    QVERIFY(picker && picker->isVisible());
    picker->setTextValue(QStringLiteral("echo"));
    picker->accept();
    FaultDialog* dialog = m_panel->faultDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->method(), QStringLiteral("echo"));
    FaultSettings fail;
    fail.errorRatePercent = 100;
    fail.errorCode = -32042;
    fail.errorMessage = QStringLiteral("proxy says no");
    dialog->editor()->setSettings(fail);
    dialog->findChild<QPushButton*>(QStringLiteral("applyFaultsButton"))->click();

    const QJsonObject failed = call(portOf(0), "echo", QJsonArray{"x"});
    QCOMPARE(failed.value("error").toObject().value("code").toInt(), -32042);
    QCOMPARE(m_set->config(0).faults.value("echo").errorRatePercent, 100.0); // saved with the workspace
    // Other methods pass untouched: the same answer as the upstream's own.
    const QJsonObject direct = call(m_upstream->port(), "add", QJsonArray{1, 2});
    QVERIFY(direct.contains("result"));
    QCOMPARE(call(portOf(0), "add", QJsonArray{1, 2}).value("result"), direct.value("result"));
    dialog->findChild<QPushButton*>(QStringLiteral("removeFaultsButton"))->click();
    QCOMPARE(call(portOf(0), "echo", QJsonArray{"y"}).value("result").toString(), QStringLiteral("y"));
}

void TestProxyPanel::editDialogRejectsBadUrls_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad listen port") << "tcp://127.0.0.1:99999"
                                     << "tcp://127.0.0.1:1"
                                     << "Listen on";
    QTest::newRow("empty listen") << ""
                                  << "tcp://127.0.0.1:1"
                                  << "Listen on";
    QTest::newRow("unknown upstream scheme") << "tcp://127.0.0.1:0"
                                             << "gopher://x:1"
                                             << "Upstream";
    QTest::newRow("empty upstream") << "tcp://127.0.0.1:0"
                                    << ""
                                    << "Upstream";
}

void TestProxyPanel::editDialogRejectsBadUrls()
{
    QFETCH(QString, listen);
    QFETCH(QString, upstream);
    QFETCH(QString, message);
    QCOMPARE(addThroughDialog(listen, upstream), -1);
    ProxyEditDialog* dialog = m_panel->editDialog();
    QVERIFY(dialog && dialog->isVisible()); // stays open for a fix
    QVERIFY2(dialog->errorText().startsWith(message), qPrintable(dialog->errorText()));
    QCOMPARE(m_set->count(), 0);
    // Fixed, it goes through.
    dialog->listenEdit()->setText(QStringLiteral("tcp://127.0.0.1:0"));
    dialog->upstreamEdit()->setText(upstreamUrl());
    dialog->accept();
    QCOMPARE(m_set->count(), 1);
}

void TestProxyPanel::editAppliesBreakpointsAndRestarts()
{
    QCOMPARE(addThroughDialog("tcp://127.0.0.1:0", "tcp://127.0.0.1:1"), 0);
    QVERIFY(startRow(0));
    m_panel->findChild<QPushButton*>(QStringLiteral("editProxyButton"))->click();
    ProxyEditDialog* dialog = m_panel->editDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->upstreamEdit()->text(), QStringLiteral("tcp://127.0.0.1:1"));
    dialog->upstreamEdit()->setText(upstreamUrl());
    InterceptRule rule;
    rule.pattern = QStringLiteral("textDocument/*");
    rule.direction = InterceptRule::Direction::Both;
    dialog->addRule(rule);
    dialog->findChild<QSpinBox*>(QStringLiteral("interceptTimeoutSpin"))->setValue(5);
    const QString shot = QFileInfo(qEnvironmentVariable("RPCBENCH_PROXY_SCREENSHOT", "/tmp/proxy-panel.png"))
                             .dir()
                             .filePath(QStringLiteral("proxy-edit-dialog.png"));
    QVERIFY(dialog->grab().save(shot));
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Accepted));

    QCOMPARE(m_set->proxy(0)->intercept()->rules(), QList<InterceptRule>{rule});
    QCOMPARE(m_set->proxy(0)->intercept()->timeoutMs(), 5000);
    QVERIFY(m_set->isRunning(0)); // restarted on the new upstream
    QCOMPARE(call(portOf(0), "echo", QJsonArray{"moved"}).value("result").toString(),
             QStringLiteral("moved"));
}

void TestProxyPanel::toolbarStartsAndReuses()
{
    ProxyToolBar bar(m_set.get());
    bar.listenEdit()->setText(QStringLiteral("tcp://127.0.0.1:0"));
    bar.upstreamEdit()->setText(upstreamUrl());
    bar.startStopAction()->trigger();
    QCOMPARE(m_set->count(), 1);
    QVERIFY(m_set->isRunning(0));
    QCOMPARE(bar.startStopAction()->text(), QStringLiteral("Stop proxy"));
    QCOMPARE(call(portOf(0), "echo", QJsonArray{"bar"}).value("result").toString(), QStringLiteral("bar"));
    bar.startStopAction()->trigger();
    QVERIFY(!m_set->isRunning(0));
    bar.startStopAction()->trigger(); // the same proxy again, not a second one
    QCOMPARE(m_set->count(), 1);
    QVERIFY(m_set->isRunning(0));
    bar.upstreamEdit()->setText(QStringLiteral("nonsense://"));
    QSignalSpy status(&bar, &ProxyToolBar::status);
    QVERIFY(!bar.start());
    QCOMPARE(m_set->count(), 1);
    QVERIFY(status.last().first().toString().contains(QLatin1String("upstream")));
}

void TestProxyPanel::windowWithTwoRunningProxies()
{
    QTemporaryDir dir;
    auto window = std::make_unique<MainWindow>(std::make_unique<Settings>(dir.filePath("settings.ini")));
    window->resize(1366, 768);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    qInfo("minimum size without proxies %dx%d", window->minimumSizeHint().width(),
          window->minimumSizeHint().height());
    ProxySet* set = window->proxies();
    for (int i = 0; i < 2; ++i) {
        ProxyConfig config;
        config.listen = QStringLiteral("tcp://127.0.0.1:0");
        config.upstream = upstreamUrl();
        set->add(config);
        QVERIFY(set->start(i, nullptr));
        QCOMPARE(call(set->proxy(i)->listeningEndpoints().constFirst().port, "echo", QJsonArray{i})
                     .value("result")
                     .toInt(),
                 i);
    }
    window->findChild<QDockWidget*>(QStringLiteral("proxiesDock"))->raise();
    window->proxyToolBar()->listenEdit()->setText(set->config(0).listen);
    window->proxyToolBar()->upstreamEdit()->setText(set->config(0).upstream);
    QTRY_VERIFY(window->proxyPanel()->isVisible());
    window->proxyPanel()->model()->refreshCounts();
    QTRY_COMPARE(
        window->proxyPanel()->view()->model()->index(1, ProxyListModel::MessagesColumn).data().toInt(), 1);
    qInfo("minimum size with the Proxies dock %dx%d", window->minimumSizeHint().width(),
          window->minimumSizeHint().height());
    QTRY_VERIFY(window->logPanel()->model()->rowCount() >= 4); // both legs of both calls
    QTRY_VERIFY(window->logPanel()->view()->model()->rowCount() >= 4);
    qInfo("log rows %d", window->logPanel()->view()->model()->rowCount());
    QApplication::processEvents();
    const QString shot =
        qEnvironmentVariable("RPCBENCH_PROXY_SCREENSHOT", QStringLiteral("/tmp/proxy-panel.png"));
    QVERIFY(window->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
    Dialogs::setNextAnswer(Dialogs::Answer::Discard);
    window->close();
}

// A message paused on a breakpoint needs the user: the Intercept dock comes forward, from hidden
// (first run) and from behind another tab; one already in front stays as it is.
void TestProxyPanel::heldMessageBringsInterceptDockForward()
{
    QTemporaryDir dir;
    auto window = std::make_unique<MainWindow>(std::make_unique<Settings>(dir.filePath("settings.ini")));
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    ProxyConfig config;
    config.listen = QStringLiteral("tcp://127.0.0.1:0");
    config.upstream = upstreamUrl();
    window->proxies()->add(config);
    auto* intercept = window->findChild<QDockWidget*>(QStringLiteral("interceptDock"));
    auto* server = window->findChild<QDockWidget*>(QStringLiteral("serverDock"));
    QVERIFY(intercept && server);
    QVERIFY(!inFront(intercept));

    const std::shared_ptr<InterceptQueue> queue = window->proxies()->proxy(0)->intercept();
    QObject context; // the proxy's leg in real use
    HeldMessage message;
    message.connectionId = 1;
    message.json = R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})";
    message.summary.kind = MessageKind::Request;
    message.summary.method = QStringLiteral("add");
    message.summary.idJson = "1";
    const quint64 first = queue->hold(message, &context, [](const InterceptDecision&) {});
    QTRY_VERIFY(inFront(intercept));

    server->raise();
    QTRY_VERIFY(!inFront(intercept));
    const quint64 second = queue->hold(message, &context, [](const InterceptDecision&) {});
    QTRY_VERIFY(inFront(intercept));
    QVERIFY(!inFront(server)); // tabbed together: the one in front changed

    QVERIFY(queue->decide(first, {InterceptDecision::Action::Drop, {}, false}));
    QVERIFY(queue->decide(second, {InterceptDecision::Action::Drop, {}, false}));
    Dialogs::setNextAnswer(Dialogs::Answer::Discard);
    window->close();
}

QTEST_MAIN(TestProxyPanel)
#include "tst_proxypanel.moc"
