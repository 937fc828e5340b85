// End to end through the real widgets (offscreen): start the embedded server from the toolbar,
// compose add(1, 2, 3) in the generated form, send with a mouse click, see 6 and the request /
// response pair on both sides of the log; invalid values are flagged and not sent; filter,
// export and import work; the server stops with calls in flight without a crash.

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "client/IncomingModel.h"
#include "client/IncomingPanel.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "client/SubscriptionGroupsModel.h"
#include "log/LogFileActions.h"
#include "log/LogFilterModel.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "mock/MockService.h"
#include "server/MethodsModel.h"
#include "server/RpcServer.h"
#include "server/ServerPanel.h"
#include "widgets/NumberSpinBox.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace rpcbench;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void startServerPickAddSendSeeSixAndLogPair();
    void wrongTypeIsFlaggedAndNotSent();
    void rawJsonTabStaysInSync();
    void keyboardShortcuts();
    void filterExportAndImport();
    void brokenImportLeavesLogUntouched();
    void portInUseGivesClearMessage();
    void stopServerWithCallsInFlight();
    void callThisAndBatch();
    void historyRerunAndCopyAsCommand();
    void layoutAndChoicesPersist();
    void subscriptionMockGroupedInIncoming();
    void sendAgainFromLogFillsComposer();

private:
    template <class T> T* find(const QString& name) const
    {
        T* w = m_window->findChild<T*>(name);
        if (!w)
            qFatal("no child named %s", qPrintable(name));
        return w;
    }
    QAction* action(const QString& name) const { return find<QAction>(name); }
    void startServer();
    void composeAdd(const QString& a, const QString& b, const QString& c);
    int logRows(Side side, Direction dir, MessageKind kind, const QString& method) const;
    QString settingsFile() const { return m_dir.filePath(QStringLiteral("settings.ini")); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Dialogs::setQuiet(true); // messages are recorded, never shown
}

void TestMainWindow::init()
{
    QFile::remove(settingsFile());
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(settingsFile()));
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

void TestMainWindow::startServer()
{
    find<QSpinBox>(QStringLiteral("serverPortSpin"))->setValue(0); // any free port
    action(QStringLiteral("actionStartServer"))->trigger();
    QVERIFY(m_window->session()->isServing());
    QVERIFY(!action(QStringLiteral("actionStartServer"))->isEnabled());
    QVERIFY(action(QStringLiteral("actionStopServer"))->isEnabled());
    QVERIFY(find<QLineEdit>(QStringLiteral("clientUrlEdit"))
                ->placeholderText()
                .contains(m_window->session()->serverUrl()));
}

void TestMainWindow::composeAdd(const QString& a, const QString& b, const QString& c)
{
    auto* combo = find<QComboBox>(QStringLiteral("methodCombo"));
    const int index = combo->findText(QStringLiteral("add"));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    const QList<std::pair<QString, QString>> values{
        {QStringLiteral("a"), a}, {QStringLiteral("b"), b}, {QStringLiteral("c"), c}};
    for (const auto& [name, value] : values) {
        auto* spin = find<NumberSpinBox>(QStringLiteral("param_") + name);
        spin->selectAll(); // c starts with its default, 10
        QTest::keyClick(spin, Qt::Key_Backspace);
        QTest::keyClicks(spin, value);
        QCOMPARE(spin->text(), value);
    }
}

int TestMainWindow::logRows(Side side, Direction dir, MessageKind kind, const QString& method) const
{
    TrafficLogModel* log = m_window->logPanel()->model();
    int n = 0;
    for (int row = 0; row < log->rowCount(); ++row) {
        const LogRecord& r = log->record(row);
        n += r.event.side == side && r.event.direction == dir && r.event.summary.kind == kind &&
             r.method() == method;
    }
    return n;
}

void TestMainWindow::startServerPickAddSendSeeSixAndLogPair()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    auto* send = find<QPushButton>(QStringLiteral("sendButton"));
    QVERIFY(send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);

    ResponseView* response = m_window->clientPanel()->responseView();
    QTRY_COMPARE(response->resultText().trimmed(), QStringLiteral("6"));
    QVERIFY(response->statusText().contains(QStringLiteral("result")));
    QCOMPARE(find<QPlainTextEdit>(QStringLiteral("responseText"))->toPlainText().trimmed(),
             QStringLiteral("6"));

    // Both sides logged the request and its reply, paired, with a latency.
    QTRY_COMPARE(logRows(Side::Server, Direction::In, MessageKind::Request, QStringLiteral("add")), 1);
    QTRY_COMPARE(logRows(Side::Server, Direction::Out, MessageKind::Response, QStringLiteral("add")), 1);
    QTRY_COMPARE(logRows(Side::Client, Direction::Out, MessageKind::Request, QStringLiteral("add")), 1);
    QTRY_COMPARE(logRows(Side::Client, Direction::In, MessageKind::Response, QStringLiteral("add")), 1);
    TrafficLogModel* log = m_window->logPanel()->model();
    for (int row = 0; row < log->rowCount(); ++row) {
        if (log->record(row).event.summary.kind == MessageKind::Response) {
            QVERIFY(log->record(row).latencyUs >= 0);
            QVERIFY(log->pairedRow(row) >= 0);
        }
    }
    // Selecting the reply and jumping lands on its request.
    LogPanel* panel = m_window->logPanel();
    for (int row = 0; row < log->rowCount(); ++row) {
        if (log->record(row).event.side == Side::Client &&
            log->record(row).event.summary.kind == MessageKind::Response) {
            panel->selectSourceRow(row);
            QVERIFY(panel->jumpToPartner());
            const QModelIndex current = panel->filterModel()->mapToSource(panel->view()->currentIndex());
            QVERIFY(log->record(current.row()).event.summary.kind == MessageKind::Request);
            QVERIFY(log->record(current.row()).event.side == Side::Client);
        }
    }
    QCOMPARE(m_window->clientPanel()->history()->rowCount(), 1);
    QCOMPARE(m_window->clientPanel()->history()->entry(0).outcome, QStringLiteral("6"));
}

void TestMainWindow::wrongTypeIsFlaggedAndNotSent()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("abc"), QStringLiteral("3"));
    auto* b = find<NumberSpinBox>(QStringLiteral("param_b"));
    QVERIFY(b->property("invalid").toBool());
    QVERIFY(!find<NumberSpinBox>(QStringLiteral("param_a"))->property("invalid").toBool());
    QCOMPARE(m_window->clientPanel()->composer()->form()->hint(QStringLiteral("b")),
             QStringLiteral("expected a number"));
    auto* send = find<QPushButton>(QStringLiteral("sendButton"));
    QVERIFY(!send->isEnabled());
    QVERIFY(find<QLabel>(QStringLiteral("validationLabel"))
                ->text()
                .contains(QStringLiteral("b: expected a number")));

    QSignalSpy sent(m_window->clientPanel()->composer(), &CallComposer::sendRequested);
    QTest::mouseClick(send, Qt::LeftButton);
    QTest::keyClick(m_window.get(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(sent.count(), 0);
    QVERIFY(!m_window->clientPanel()->composer()->send());
    QCOMPARE(m_window->logPanel()->model()->receivedCount() +
                 quint64(m_window->session()->bus()->drain().size()),
             quint64(0));

    // Fixing the value clears the flag and enables Send.
    b->selectAll();
    QTest::keyClicks(b, QStringLiteral("2"));
    QVERIFY(!b->property("invalid").toBool());
    QVERIFY(send->isEnabled());
}

void TestMainWindow::rawJsonTabStaysInSync()
{
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    auto* raw = find<QPlainTextEdit>(QStringLiteral("rawParamsEdit"));
    QCOMPARE(raw->toPlainText(), QStringLiteral("[1,2,3]"));
    find<QRadioButton>(QStringLiteral("byNameRadio"))->click();
    QCOMPARE(QJsonDocument::fromJson(raw->toPlainText().toUtf8()).object(),
             QJsonObject({{QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}, {QStringLiteral("c"), 3}}));

    // Raw -> form.
    raw->selectAll();
    QTest::keyClicks(raw, QStringLiteral("[5, 6]"));
    QCOMPARE(find<NumberSpinBox>(QStringLiteral("param_a"))->text(), QStringLiteral("5"));
    QCOMPARE(find<NumberSpinBox>(QStringLiteral("param_b"))->text(), QStringLiteral("6"));
    QVERIFY(find<QPushButton>(QStringLiteral("sendButton"))->isEnabled());

    // A wrong type typed in the raw tab is flagged too.
    raw->selectAll();
    QTest::keyClicks(raw, QStringLiteral("[1, \"two\", 3]"));
    QVERIFY(!find<QPushButton>(QStringLiteral("sendButton"))->isEnabled());
    QVERIFY(find<QLabel>(QStringLiteral("validationLabel"))
                ->text()
                .contains(QStringLiteral("parameter 'b' must be a number, got string")));
    QVERIFY(find<NumberSpinBox>(QStringLiteral("param_b"))->property("invalid").toBool());
    raw->selectAll();
    QTest::keyClicks(raw, QStringLiteral("[1, 2"));
    QVERIFY(!find<QPushButton>(QStringLiteral("sendButton"))->isEnabled());
    QVERIFY(find<QLabel>(QStringLiteral("validationLabel"))->text().startsWith(QStringLiteral("Raw JSON:")));
}

void TestMainWindow::keyboardShortcuts()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("4"));
    CallHistoryModel* history = m_window->clientPanel()->history();
    QTest::keyClick(find<NumberSpinBox>(QStringLiteral("param_c")), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(history->rowCount(), 1);
    QCOMPARE(m_window->clientPanel()->responseView()->resultText().trimmed(), QStringLiteral("7"));
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE(history->rowCount(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(find<QLineEdit>(QStringLiteral("logFilterEdit"))->hasFocus());
}

void TestMainWindow::filterExportAndImport()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    CallComposer* composer = m_window->clientPanel()->composer();
    composer->loadCall(QStringLiteral("fail"), QJsonArray{-32010, QStringLiteral("Out of coffee")});
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    TrafficLogModel* log = m_window->logPanel()->model();
    QTRY_COMPARE(log->rowCount(), 8);

    // Filter: typed text, then errors only.
    LogFilterModel* filter = m_window->logPanel()->filterModel();
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QTest::keyClicks(find<QLineEdit>(QStringLiteral("logFilterEdit")), QStringLiteral("fail"));
    QTRY_COMPARE(filter->rowCount(), 4);
    find<QLineEdit>(QStringLiteral("logFilterEdit"))->clear();
    find<QCheckBox>(QStringLiteral("logErrorsOnly"))->setChecked(true);
    QTRY_COMPARE(filter->rowCount(), 2);
    for (int row : filter->sourceRows())
        QCOMPARE(log->record(row).event.summary.errorCode, -32010);

    // Export what the filter shows.
    const QString path = m_dir.filePath(QStringLiteral("errors.jsonl"));
    QSignalSpy done(m_window->logFiles(), &LogFileActions::finished);
    Dialogs::setNextFileName(path);
    action(QStringLiteral("actionExportLog"))->trigger();
    QVERIFY(done.wait(10'000));
    QCOMPARE(done.at(0).at(0).toBool(), true);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    for (const QByteArray& line : lines)
        QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("errorCode")).toInt(), -32010);

    // Import it back: the log becomes the file's content.
    find<QCheckBox>(QStringLiteral("logErrorsOnly"))->setChecked(false);
    Dialogs::setNextFileName(path);
    action(QStringLiteral("actionImportLog"))->trigger();
    QVERIFY(done.wait(10'000));
    QCOMPARE(done.at(1).at(0).toBool(), true);
    QCOMPARE(log->rowCount(), 2);
    QCOMPARE(log->pairedRow(0), -1); // both are replies: nothing to pair with
}

void TestMainWindow::brokenImportLeavesLogUntouched()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    TrafficLogModel* log = m_window->logPanel()->model();
    QTRY_COMPARE(log->rowCount(), 4);
    const QString path = m_dir.filePath(QStringLiteral("broken.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        R"({"t":1,"side":"server","dir":"in","transport":"json","dialect":"2.0","kind":"request","raw":"{}"})"
        "\n"
        "{not json\n");
    file.close();
    QSignalSpy done(m_window->logFiles(), &LogFileActions::finished);
    Dialogs::setNextFileName(path);
    action(QStringLiteral("actionImportLog"))->trigger();
    QVERIFY(done.wait(10'000));
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QVERIFY2(Dialogs::lastMessage().contains(QStringLiteral("line 2")), qPrintable(Dialogs::lastMessage()));
    QCOMPARE(log->rowCount(), 4);
}

void TestMainWindow::portInUseGivesClearMessage()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    find<QSpinBox>(QStringLiteral("serverPortSpin"))->setValue(blocker.serverPort());
    action(QStringLiteral("actionStartServer"))->trigger();
    QVERIFY(!m_window->session()->isServing());
    QVERIFY(action(QStringLiteral("actionStartServer"))->isEnabled());
    QVERIFY2(Dialogs::lastMessage().contains(QString::number(blocker.serverPort())),
             qPrintable(Dialogs::lastMessage()));
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("another port")));
}

void TestMainWindow::stopServerWithCallsInFlight()
{
    startServer();
    CallComposer* composer = m_window->clientPanel()->composer();
    composer->loadCall(QStringLiteral("sleep"), QJsonArray{5000});
    auto* send = find<QPushButton>(QStringLiteral("sendButton"));
    for (int i = 0; i < 3; ++i)
        QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(logRows(Side::Server, Direction::In, MessageKind::Request, QStringLiteral("sleep")), 3);

    action(QStringLiteral("actionStopServer"))->trigger();
    QVERIFY(!m_window->session()->isServing());
    CallHistoryModel* history = m_window->clientPanel()->history();
    QTRY_COMPARE(history->rowCount(), 3); // every pending call ended
    for (int row = 0; row < 3; ++row)
        QVERIFY(history->entry(row).status != QLatin1String("ok"));
    QVERIFY(!m_window->clientPanel()->responseView()->statusText().startsWith(QStringLiteral("Calling")));

    // Start again: the client follows the new address and calls work.
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(m_window->clientPanel()->responseView()->resultText().trimmed(), QStringLiteral("6"));
}

void TestMainWindow::callThisAndBatch()
{
    startServer();
    ServerPanel* server = m_window->serverPanel();
    QVERIFY(server->selectMethod(QStringLiteral("subtract")));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("callThisButton")), Qt::LeftButton);
    QCOMPARE(find<QComboBox>(QStringLiteral("methodCombo"))->currentText(), QStringLiteral("subtract"));
    QTest::keyClicks(find<NumberSpinBox>(QStringLiteral("param_minuend")), QStringLiteral("42"));
    QTest::keyClicks(find<NumberSpinBox>(QStringLiteral("param_subtrahend")), QStringLiteral("23"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("addToBatchButton")), Qt::LeftButton);
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("addToBatchButton")), Qt::LeftButton);
    auto* sendBatch = find<QPushButton>(QStringLiteral("sendBatchButton"));
    QCOMPARE(sendBatch->text(), QStringLiteral("Send batch (2)"));
    QTest::mouseClick(sendBatch, Qt::LeftButton);
    ResponseView* response = m_window->clientPanel()->responseView();
    QTRY_VERIFY(response->statusText().contains(QStringLiteral("batch of 2: 2 ok")));
    const QJsonArray items = QJsonDocument::fromJson(response->resultText().toUtf8()).array();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("result")).toDouble(), 19.0);
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("result")).toDouble(), 6.0);
    // One batch each way on both sides, the replies paired with their batch.
    TrafficLogModel* log = m_window->logPanel()->model();
    QTRY_COMPARE(log->rowCount(), 4);
    for (int row = 0; row < 4; ++row) {
        QVERIFY(log->record(row).event.summary.kind == MessageKind::Batch);
        QVERIFY(log->pairedRow(row) >= 0);
    }
    QCOMPARE(m_window->clientPanel()->history()->rowCount(), 2);
    // Live figures reach the methods table.
    QTRY_COMPARE(server->model()
                     ->data(server->model()->index(server->model()->rowOf(QStringLiteral("subtract")),
                                                   MethodsModel::CallsColumn))
                     .toString(),
                 QStringLiteral("1"));
}

void TestMainWindow::historyRerunAndCopyAsCommand()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    CallComposer* composer = m_window->clientPanel()->composer();
    const QString url = m_window->session()->serverUrl();
    QCOMPARE(composer->rpcbenchCommand(),
             QStringLiteral("rpcbench call --url %1 --params '[1,2,3]' add").arg(url));
    QVERIFY(composer->curlCommand().contains(
        QStringLiteral(R"('{"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1}')")));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    CallHistoryModel* history = m_window->clientPanel()->history();
    QTRY_COMPARE(history->rowCount(), 1);

    composeAdd(QStringLiteral("9"), QStringLiteral("9"), QStringLiteral("9"));
    auto* view = find<QTableView>(QStringLiteral("historyView"));
    view->setCurrentIndex(history->index(0, 0));
    QTest::mouseClick(find<QToolButton>(QStringLiteral("historyLoadButton")), Qt::LeftButton);
    QCOMPARE(find<NumberSpinBox>(QStringLiteral("param_a"))->text(), QStringLiteral("1"));
    QTest::mouseClick(find<QToolButton>(QStringLiteral("historyRerunButton")), Qt::LeftButton);
    QTRY_COMPARE(history->rowCount(), 2);
    view->setCurrentIndex(history->index(0, 0));
    QTest::mouseClick(find<QToolButton>(QStringLiteral("historyDeleteButton")), Qt::LeftButton);
    QCOMPARE(history->rowCount(), 1);
}

void TestMainWindow::layoutAndChoicesPersist()
{
    find<QSpinBox>(QStringLiteral("serverPortSpin"))->setValue(6123);
    find<QLineEdit>(QStringLiteral("clientUrlEdit"))->setText(QStringLiteral("http://127.0.0.1:9/rpc"));
    emit find<QLineEdit>(QStringLiteral("clientUrlEdit"))->editingFinished();
    m_window->close();
    m_window.reset();
    Settings settings(settingsFile());
    QCOMPARE(settings.serverPort(), quint16(6123));
    QCOMPARE(settings.lastUrl(), QStringLiteral("http://127.0.0.1:9/rpc"));
    QVERIFY(!settings.windowState().isEmpty());
    QVERIFY(!settings.splitterState(QStringLiteral("logSplitter")).isEmpty());

    // A new window comes back with them.
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(settingsFile()));
    QCOMPARE(find<QSpinBox>(QStringLiteral("serverPortSpin"))->value(), 6123);
    QCOMPARE(find<QLineEdit>(QStringLiteral("clientUrlEdit"))->text(),
             QStringLiteral("http://127.0.0.1:9/rpc"));
}

void TestMainWindow::subscriptionMockGroupedInIncoming()
{
    // The shipped eth_subscribe workspace on the embedded server (a faster stream): two
    // subscriptions from the client panel arrive in the Incoming tab, grouped by subscription
    // id, each with exactly its events.
    QString error;
    QVERIFY2(
        m_window->workspace()->load(
            QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/eth-subscribe.rpcbench.json"), &error),
        qPrintable(error));
    MockService* mocks = m_window->workspace()->mocks();
    auto subscribe = mocks->method(QStringLiteral("eth_subscribe"));
    QVERIFY(subscribe);
    subscribe->subscription.intervalMs = 20;
    subscribe->subscription.maxEvents = 5;
    QVERIFY2(mocks->updateMethod(subscribe->name, *subscribe, &error), qPrintable(error));
    startServer();
    ClientPanel* client = m_window->clientPanel();
    client->urlEdit()->clear(); // the embedded server
    QVERIFY(client->sendCall(
        CallRequest{QStringLiteral("eth_subscribe"), QJsonArray{QStringLiteral("newHeads")}}));
    QVERIFY(
        client->sendCall(CallRequest{QStringLiteral("eth_subscribe"), QJsonArray{QStringLiteral("logs")}}));

    IncomingPanel* incoming = client->incomingPanel();
    SubscriptionGroupsModel* groups = incoming->groups();
    QTRY_COMPARE(groups->rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(incoming->model()->rowCount(), 10, 10'000);
    for (int row = 0; row < groups->rowCount(); ++row) {
        QCOMPARE(groups->count(row), 5);
        QVERIFY(groups->key(row).startsWith(QStringLiteral("0x")));
    }
    client->findChild<QTabWidget*>(QStringLiteral("clientTabs"))->setCurrentWidget(incoming);
    incoming->detailTabs()->setCurrentWidget(incoming->groupsView());
    incoming->groupsView()->selectRow(0);
    QCOMPARE(incoming->messagesView()->model()->rowCount(), 5);
    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(QStringLiteral("incoming-subscriptions.png"));
    QVERIFY(m_window->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
}

// "Send again…" on a logged client request puts that call and its URL into the composer (what
// is composed meanwhile is replaced); Send then repeats it.
void TestMainWindow::sendAgainFromLogFillsComposer()
{
    startServer();
    composeAdd(QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"));
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    QTRY_COMPARE(logRows(Side::Client, Direction::Out, MessageKind::Request, QStringLiteral("add")), 1);
    composeAdd(QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6"));

    LogPanel* panel = m_window->logPanel();
    TrafficLogModel* log = panel->model();
    int row = 0;
    while (row < log->rowCount() && !(log->record(row).event.side == Side::Client &&
                                      log->record(row).event.summary.kind == MessageKind::Request))
        ++row;
    QVERIFY(row < log->rowCount());
    const QString peer = log->record(row).event.peer;
    QVERIFY(!peer.isEmpty());
    QSignalSpy resend(panel, &LogPanel::resendRequested);
    panel->selectSourceRow(row);
    panel->resendAction()->trigger();
    QCOMPARE(resend.count(), 1);

    CallComposer* composer = m_window->clientPanel()->composer();
    QCOMPARE(composer->request()->method, QStringLiteral("add"));
    QCOMPARE(composer->request()->params, QJsonValue(QJsonArray{1, 2, 3}));
    QCOMPARE(find<QLineEdit>(QStringLiteral("clientUrlEdit"))->text(), peer);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("sendButton")), Qt::LeftButton);
    QTRY_COMPARE(logRows(Side::Client, Direction::Out, MessageKind::Request, QStringLiteral("add")), 2);
    QTRY_COMPARE(m_window->clientPanel()->responseView()->resultText().trimmed(), QStringLiteral("6"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
