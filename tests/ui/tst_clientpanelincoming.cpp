// The client panel and the other direction, against a scripted TCP server: a notification and
// a request the server sends while a call is in flight show up in the Incoming tab, the request
// is held and answered from the editor and the server receives that answer; the server's
// progress for a call shows as a bar until the result; the target's handshake goes out first
// and a failed one is shown in the target bar. Leaves screenshots (RPCBENCH_SCREENSHOT_DIR).

#include "client/ClientPanel.h"
#include "client/HeldRequestEditor.h"
#include "client/HeldRequestsModel.h"
#include "client/IncomingModel.h"
#include "client/IncomingPanel.h"
#include "client/ResponseView.h"
#include "client/RpcClient.h"
#include "client/TargetBar.h"
#include "widgets/ElidedLabel.h"
#include "window/Settings.h"

#include "FakeRpcServer.h"
#include "ServerMessages.h"

#include <QDir>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

using test::subscriptionEvent;

QByteArray request(int id, const QString& method)
{
    return test::serverRequest(id, method);
}

void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(name);
    QVERIFY(widget->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
}

} // namespace

class TestClientPanelIncoming : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void realServerRequestHeldAndAnswered();
    void progressBarForTheCall();
    void handshakeSentAndFailureShown();
    void changedHandshakeReconnects();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<RpcClient> m_client;
    std::unique_ptr<ClientPanel> m_panel;
};

void TestClientPanelIncoming::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(QStringLiteral("s.ini")));
    m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("s.ini")));
    m_client = std::make_unique<RpcClient>();
    m_panel = std::make_unique<ClientPanel>(m_client.get(), *m_settings);
    m_panel->resize(1100, 700);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestClientPanelIncoming::cleanup()
{
    m_panel.reset();
    m_client.reset();
    m_settings.reset();
}

void TestClientPanelIncoming::realServerRequestHeldAndAnswered()
{
    // The server answers the call only after pushing a notification and asking the client
    // something; the client holds the question, the user answers it in the editor.
    FakeRpcServer server;
    QVERIFY(server.listen());
    server.onMessage = [&server](const FakeRpcServer::Message& m) {
        const QJsonObject o = m.object();
        if (o.value("method").toString() == QLatin1String("work")) {
            server.write(m.socket, subscriptionEvent(QStringLiteral("0xfeed"), 1));
            server.write(m.socket, request(900, QStringLiteral("workspace/configuration")));
            server.reply(m, QJsonObject{{"jsonrpc", "2.0"}, {"id", o.value("id")}, {"result", "done"}});
        }
    };
    ClientPanel& panel = *m_panel; // holds unanswered requests, as the GUI does by default
    panel.urlEdit()->setText(server.url());
    QVERIFY(panel.sendCall(CallRequest{QStringLiteral("work"), QJsonArray{}}));

    IncomingPanel* incoming = panel.incomingPanel();
    QTRY_COMPARE(incoming->model()->rowCount(), 2);
    QCOMPARE(incoming->model()->message(0).method, QStringLiteral("eth_subscription"));
    QCOMPARE(incoming->model()->message(1).method, QStringLiteral("workspace/configuration"));
    QTRY_COMPARE(incoming->held()->waitingCount(), 1);
    QVERIFY(panel.tabs()->tabText(panel.tabs()->indexOf(incoming)).contains(QStringLiteral("1 held")));
    QTRY_VERIFY(panel.responseView()->statusText().contains(QStringLiteral("result")));

    panel.tabs()->setCurrentWidget(incoming);
    incoming->heldEditor()->resultEdit()->setPlainText(QStringLiteral("[{\"formatOnSave\": true}]"));
    saveScreenshot(m_panel.get(), QStringLiteral("incoming-held.png"));
    QVERIFY(incoming->heldEditor()->send());
    QTRY_VERIFY(
        std::any_of(server.received.cbegin(), server.received.cend(), [](const FakeRpcServer::Message& m) {
            return m.object().value("id").toInt() == 900 && m.object().contains("result");
        }));
    const auto answer =
        std::find_if(server.received.cbegin(), server.received.cend(),
                     [](const FakeRpcServer::Message& m) { return m.object().value("id").toInt() == 900; });
    QCOMPARE(answer->object().value("result"), QJsonValue(QJsonArray{QJsonObject{{"formatOnSave", true}}}));
    QTRY_COMPARE(incoming->model()->message(1).answer, AnswerState::Answered);
    QCOMPARE(incoming->held()->waitingCount(), 0);
    saveScreenshot(m_panel.get(), QStringLiteral("incoming-answered.png"));
}

void TestClientPanelIncoming::progressBarForTheCall()
{
    // An MCP-style tool: progress for the call's token, then (on the next message) the result.
    FakeRpcServer server;
    QVERIFY(server.listen());
    QList<FakeRpcServer::Message> calls;
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        if (m.object().value("method").toString() != QLatin1String("tools/call"))
            return;
        calls << m;
        const QJsonValue token =
            m.object().value("params").toObject().value("_meta").toObject().value("progressToken");
        server.write(m.socket,
                     FakeRpcServer::toJson(QJsonObject{{"jsonrpc", "2.0"},
                                                       {"method", "notifications/progress"},
                                                       {"params", QJsonObject{{"progressToken", token},
                                                                              {"progress", 1},
                                                                              {"total", 4},
                                                                              {"message", "step 1 of 4"}}}}));
    };
    m_panel->urlEdit()->setText(server.url());
    const QJsonObject params{{"name", "longRunningOperation"},
                             {"_meta", QJsonObject{{"progressToken", "p1"}}}};
    QVERIFY(m_panel->sendCall(CallRequest{QStringLiteral("tools/call"), params}));
    ResponseView* response = m_panel->responseView();
    QTRY_VERIFY(!response->progressBar()->isHidden());
    QCOMPARE(response->progressBar()->value(), 250);
    QCOMPARE(response->progressText(), QStringLiteral("step 1 of 4"));
    server.reply(calls.first(), QJsonObject{{"jsonrpc", "2.0"},
                                            {"id", calls.first().object().value("id")},
                                            {"result", QJsonObject{}}});
    QTRY_VERIFY(response->progressBar()->isHidden());
    QVERIFY(response->statusText().startsWith(QStringLiteral("result")));
}

void TestClientPanelIncoming::handshakeSentAndFailureShown()
{
    // The target's handshake goes out first on the connection; a failed initialize is shown in
    // the target bar's state row.
    FakeRpcServer server;
    QVERIFY(server.listen());
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        const QJsonObject o = m.object();
        if (o.value("method").toString() == QLatin1String("initialize"))
            server.reply(
                m, QJsonObject{{"jsonrpc", "2.0"},
                               {"id", o.value("id")},
                               {"error", QJsonObject{{"code", -32602}, {"message", "bad capabilities"}}}});
        else
            server.echo(m);
    };
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(server.url());
    WorkspaceTarget target;
    target.init = QJsonArray{QJsonObject{{"method", "initialize"}, {"params", QJsonObject{}}},
                             QJsonObject{{"method", "initialized"}, {"notification", true}}};
    bar->setTargets({{TargetBar::targetKey(server.url()), target}});
    m_panel->sendCall(CallRequest{QStringLiteral("echo"), QJsonArray{1}});
    QTRY_VERIFY(!server.received.isEmpty());
    QCOMPARE(server.received.first().object().value("method").toString(), QStringLiteral("initialize"));
    QTRY_VERIFY2(m_panel->stateLabel()->fullText().contains(QStringLiteral("handshake failed")),
                 qPrintable(m_panel->stateLabel()->fullText()));
    QVERIFY(m_panel->stateLabel()->fullText().contains(QStringLiteral("bad capabilities")));
}

void TestClientPanelIncoming::changedHandshakeReconnects()
{
    // Connected without a handshake; one is set in the connection settings: the client
    // reconnects and the new connection starts with it.
    FakeRpcServer server;
    QVERIFY(server.listen());
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        if (m.object().value("method").toString() == QLatin1String("initialize"))
            server.reply(
                m,
                QJsonObject{{"jsonrpc", "2.0"}, {"id", m.object().value("id")}, {"result", QJsonObject{}}});
        else
            server.echo(m);
    };
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(server.url());
    QVERIFY(m_panel->sendCall(CallRequest{QStringLiteral("echo"), QJsonArray{1}}));
    QTRY_VERIFY(m_panel->responseView()->statusText().startsWith(QStringLiteral("result")));
    QCOMPARE(server.connectionsAccepted, 1);

    WorkspaceTarget target;
    target.init = QJsonArray{QJsonObject{{"method", "initialize"}, {"params", QJsonObject{}}}};
    bar->setTargets({{TargetBar::targetKey(server.url()), target}});
    emit bar->connectionSettingsEdited(); // what the dialog's OK does
    QTRY_COMPARE(server.connectionsAccepted, 2);
    QTRY_VERIFY(server.bytesPerConnection.value(1).contains("\"initialize\""));
    QVERIFY(!server.bytesPerConnection.value(0).contains("\"initialize\""));
}

QTEST_MAIN(TestClientPanelIncoming)
#include "tst_clientpanelincoming.moc"
