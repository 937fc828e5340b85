// The client's own methods in the window: Client › Client methods… lists them and edits them
// with the server's method editor; a change marks the workspace modified and is saved and
// restored with it (client.methods), like the incoming view's holding and group-by choices.
// Against a scripted server, a request the server sends the client is answered by such a
// method without the user (BenchSession gives the client its registry).

#include "client/ClientMethodsDialog.h"
#include "client/ClientPanel.h"
#include "client/IncomingModel.h"
#include "client/IncomingPanel.h"
#include "engine/Engine.h"
#include "mock/MockService.h"
#include "server/MockMethodActions.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"

#include "FakeRpcServer.h"

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace rpcbench;

class TestClientMethods : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { Dialogs::setQuiet(true); }
    void init();
    void cleanup() { m_window.reset(); }
    void editedInTheDialogAndSaved();
    void holdingAndGroupingSaved();
    void serverRequestAnsweredByClientMethod();

private:
    void openWindow();
    MockService* clientMocks() const { return m_window->session()->engine()->clientMocks(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    int m_windows = 0;
};

void TestClientMethods::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    openWindow();
}

void TestClientMethods::openWindow()
{
    // Fresh settings for each window: nothing reopened or recovered from the one before.
    const QString settings = m_dir->filePath(QStringLiteral("s%1.ini").arg(++m_windows));
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(settings));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestClientMethods::editedInTheDialogAndSaved()
{
    // Reachable from the Incoming tab's button, which carries the menu's action.
    QToolButton* button = m_window->clientPanel()->incomingPanel()->clientMethodsButton();
    QCOMPARE(button->defaultAction(), m_window->findChild<QAction*>(QStringLiteral("actionClientMethods")));
    button->defaultAction()->trigger();
    ClientMethodsDialog* dialog = m_window->clientMethodsDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->list()->count(), 0);

    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("newMethodButton")), Qt::LeftButton);
    MethodEditorDialog* editor = dialog->actions()->methodEditor();
    QVERIFY(editor);
    UserMethod m;
    m.name = QStringLiteral("workspace/configuration");
    m.result = QJsonArray{QJsonObject{{"tabSize", 2}}};
    editor->setMethod(m);
    QVERIFY2(editor->save(), qPrintable(editor->problem()));
    QCOMPARE(dialog->list()->count(), 1);
    QCOMPARE(dialog->list()->currentItem()->text(), QStringLiteral("workspace/configuration"));
    QVERIFY(m_window->workspace()->isModified());
    QVERIFY(clientMocks()->registry()->find(QStringLiteral("workspace/configuration")));
    // The server's methods are not touched.
    QVERIFY(!m_window->workspace()->mocks()->isUserMethod(QStringLiteral("workspace/configuration")));

    const QString file = m_dir->filePath(QStringLiteral("client.rpcbench.json"));
    QVERIFY(m_window->workspace()->saveTo(file));
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QJsonObject client = QJsonDocument::fromJson(saved.readAll()).object().value("client").toObject();
    QCOMPARE(client.value("methods").toArray().size(), 1);

    m_window.reset();
    openWindow();
    QCOMPARE(clientMocks()->methods().size(), 0);
    QString error;
    QVERIFY2(m_window->workspace()->load(file, &error), qPrintable(error));
    QCOMPARE(clientMocks()->methods().size(), 1);
    QCOMPARE(clientMocks()->methods().first().result, QJsonValue(QJsonArray{QJsonObject{{"tabSize", 2}}}));
    QVERIFY(!m_window->workspace()->isModified());

    // Remove, from the dialog: modified again.
    m_window->editClientMethods();
    dialog = m_window->clientMethodsDialog();
    QVERIFY(dialog);
    dialog->actions()->removeMethod();
    QTRY_COMPARE(clientMocks()->methods().size(), 0);
    QCOMPARE(dialog->list()->count(), 0);
    QVERIFY(m_window->workspace()->isModified());
}

void TestClientMethods::holdingAndGroupingSaved()
{
    IncomingPanel* incoming = m_window->clientPanel()->incomingPanel();
    QVERIFY(incoming->holding()); // on by default in the GUI
    incoming->holdCheck()->setChecked(false);
    QVERIFY(m_window->workspace()->isModified());
    incoming->setGroupBy(QStringLiteral("/params/progressToken"));
    const QString file = m_dir->filePath(QStringLiteral("hold.rpcbench.json"));
    QVERIFY(m_window->workspace()->saveTo(file));
    const Workspace w = m_window->workspace()->capture();
    QVERIFY(!w.client.holdUnanswered);
    QCOMPARE(w.client.groupBy, QStringLiteral("/params/progressToken"));

    m_window.reset();
    openWindow();
    incoming = m_window->clientPanel()->incomingPanel();
    QVERIFY(incoming->holding());
    QString error;
    QVERIFY2(m_window->workspace()->load(file, &error), qPrintable(error));
    QVERIFY(!incoming->holding());
    QCOMPARE(incoming->groupBy(), QStringLiteral("/params/progressToken"));
    QCOMPARE(incoming->groupByEdit()->text(), QStringLiteral("/params/progressToken"));
    QVERIFY(!m_window->workspace()->isModified());
}

void TestClientMethods::serverRequestAnsweredByClientMethod()
{
    UserMethod m;
    m.name = QStringLiteral("workspace/configuration");
    m.result = QJsonArray{QJsonObject{{"tabSize", 8}}};
    QString error;
    QVERIFY2(clientMocks()->addMethod(m, &error), qPrintable(error));

    FakeRpcServer server;
    QVERIFY(server.listen());
    server.onMessage = [&server](const FakeRpcServer::Message& msg) {
        const QJsonObject o = msg.object();
        if (o.value("method").toString() == QLatin1String("work")) {
            server.write(msg.socket,
                         FakeRpcServer::toJson(QJsonObject{
                             {"jsonrpc", "2.0"}, {"id", 77}, {"method", "workspace/configuration"}}));
            server.reply(msg, QJsonObject{{"jsonrpc", "2.0"}, {"id", o.value("id")}, {"result", "done"}});
        }
    };
    ClientPanel* panel = m_window->clientPanel();
    panel->urlEdit()->setText(server.url());
    QVERIFY(panel->sendCall(CallRequest{QStringLiteral("work"), QJsonArray{}}));
    QTRY_VERIFY(
        std::any_of(server.received.cbegin(), server.received.cend(), [](const FakeRpcServer::Message& r) {
            return r.object().value("id").toInt() == 77 && r.object().contains("result");
        }));
    const auto answer =
        std::find_if(server.received.cbegin(), server.received.cend(),
                     [](const FakeRpcServer::Message& r) { return r.object().value("id").toInt() == 77; });
    QCOMPARE(answer->object().value("result"), QJsonValue(QJsonArray{QJsonObject{{"tabSize", 8}}}));
    IncomingModel* model = panel->incomingPanel()->model();
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(model->message(0).answer, AnswerState::ClientMethod);
    // The view shows the answer as sent, not only who gave it.
    QTRY_VERIFY(!model->message(0).answerPayload.isEmpty());
    QCOMPARE(QJsonDocument::fromJson(model->message(0).answerPayload).object().value("result"),
             answer->object().value("result"));
}

QTEST_MAIN(TestClientMethods)
#include "tst_clientmethods.moc"
