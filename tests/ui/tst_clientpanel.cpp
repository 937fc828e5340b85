// The client panel as a user drives it: keyboard order in reading order, the method committed
// when the user moves on (a click on a field is never swallowed by the completer), a failed
// discovery explained in the target bar, icons instead of emoji, a late reply marked in the
// history, and a narrow panel that wraps or elides instead of clipping.

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "client/HistoryPanel.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "client/RpcClient.h"
#include "client/TargetBar.h"
#include "widgets/ElidedLabel.h"
#include "widgets/NumberSpinBox.h"
#include "window/Settings.h"

#include "DemoServerFixture.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

ParamInfo param(const QString& name, ParamType type, std::optional<QJsonValue> def = std::nullopt)
{
    ParamInfo p;
    p.name = name;
    p.type = type;
    p.defaultValue = std::move(def);
    return p;
}

MethodInfo method(const QString& name, QList<ParamInfo> params)
{
    MethodInfo m;
    m.name = name;
    m.params = std::move(params);
    return m;
}

QList<MethodInfo> localMethods()
{
    return {method(QStringLiteral("add"), {param(QStringLiteral("a"), ParamType::Number),
                                           param(QStringLiteral("b"), ParamType::Number),
                                           param(QStringLiteral("c"), ParamType::Number, QJsonValue(10))}),
            method(QStringLiteral("echo"), {param(QStringLiteral("value"), ParamType::Any)}),
            method(QStringLiteral("addMany"), {param(QStringLiteral("x"), ParamType::Boolean)})};
}

// A label, button or spin box narrower than its minimum size hint shows cut text.
QStringList clippedWidgets(const QWidget* root)
{
    QStringList clipped;
    for (const QWidget* w : root->findChildren<QWidget*>()) {
        // A line edit's clear button is Qt's own, drawn as an icon whatever its size.
        if (!w->isVisible() || qobject_cast<const QAbstractItemView*>(w->parentWidget()) ||
            w->inherits("QLineEditIconButton"))
            continue;
        const auto* label = qobject_cast<const QLabel*>(w);
        const bool textWidget =
            qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
            (label && !label->wordWrap() && !label->text().isEmpty() && label->pixmap().isNull());
        if (textWidget && w->width() + 1 < w->minimumSizeHint().width())
            clipped << QStringLiteral("%1 '%2' %3 < %4")
                           .arg(QLatin1String(w->metaObject()->className()), w->objectName())
                           .arg(w->width())
                           .arg(w->minimumSizeHint().width());
    }
    return clipped;
}

// The widget that has the keyboard focus, as the chain lists it (an editable combo box's line
// edit counts as the combo box).
QWidget* focused(const QList<QWidget*>& chain)
{
    QWidget* w = QApplication::focusWidget();
    for (QWidget* candidate : chain) {
        if (candidate && (candidate == w || candidate->isAncestorOf(w)))
            return candidate;
    }
    return w;
}

// A click as the window system delivers it: to the window, which routes it (to an open popup
// first), not straight to the widget as QTest::mouseClick(QWidget*) does.
void realClick(QWidget* w, QPoint pos = {})
{
    if (pos.isNull())
        pos = w->rect().center();
    QTest::mouseClick(w->window()->windowHandle(), Qt::LeftButton, {}, w->mapTo(w->window(), pos));
}

QString describe(const QWidget* w)
{
    return w ? QStringLiteral("%1 '%2'").arg(QLatin1String(w->metaObject()->className()), w->objectName())
             : QStringLiteral("(none)");
}

} // namespace

class TestClientPanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void tabOrderFollowsReadingOrder_data();
    void tabOrderFollowsReadingOrder();
    void clickAfterTypingMethodFocusesField_data();
    void clickAfterTypingMethodFocusesField();
    void unknownMethodCommittedOnFocusOut();
    void failedDiscoveryShowsReason();
    void statusUsesIconsNotEmoji_data();
    void statusUsesIconsNotEmoji();
    void lateReplyMarksHistory();
    void realLateReplyMarksHistory();
    void narrowPanelClipsNothing_data();
    void narrowPanelClipsNothing();
    void everySchemeAccepted_data();
    void everySchemeAccepted();
    void copyAsCommandMasksSecrets();
    void loadRawRequestFillsComposer_data();
    void loadRawRequestFillsComposer();
    void loadRawRequestQueuesBatch();
    void loadRawRequestRejectsBadInput_data();
    void loadRawRequestRejectsBadInput();

private:
    CallComposer* composer() const { return m_panel->composer(); }

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<RpcClient> m_client;
    std::unique_ptr<ClientPanel> m_panel;
};

void TestClientPanel::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(QStringLiteral("s.ini")));
    m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("s.ini")));
    m_client = std::make_unique<RpcClient>();
    m_panel = std::make_unique<ClientPanel>(m_client.get(), *m_settings);
    m_panel->setLocalMethods(localMethods());
    m_panel->resize(900, 640);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
}

void TestClientPanel::cleanup()
{
    m_panel.reset();
    m_client.reset();
    m_settings.reset();
}

void TestClientPanel::tabOrderFollowsReadingOrder_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params"); // valid: the buttons are enabled (disabled ones are no stop)
    QTest::addColumn<QStringList>("fields");
    QTest::newRow("add: three numbers")
        << "add" << QJsonValue(QJsonArray{1, 2}) << QStringList{"a", "b", "c"};
    QTest::newRow("echo: one JSON editor")
        << "echo" << QJsonValue(QJsonArray{QStringLiteral("x")}) << QStringList{"value"};
    QTest::newRow("addMany: a check box") << "addMany" << QJsonValue(QJsonArray{true}) << QStringList{"x"};
}

void TestClientPanel::tabOrderFollowsReadingOrder()
{
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(QStringList, fields);
    composer()->loadCall(method, params);
    QVERIFY2(composer()->errors().isEmpty(), qPrintable(composer()->errors().join(QLatin1Char(';'))));
    auto* tabs = composer()->findChild<QTabWidget*>(QStringLiteral("composerTabs"));
    QList<QWidget*> expected{m_panel->urlEdit(),
                             m_panel->findChild<QComboBox*>(QStringLiteral("dialectCombo")),
                             m_panel->findChild<QWidget*>(QStringLiteral("connectionButton")),
                             m_panel->findChild<QWidget*>(QStringLiteral("discoverButton")),
                             composer()->methodCombo(),
                             tabs->tabBar()};
    for (const QString& field : fields)
        expected << composer()->form()->editor(field);
    for (const char* name :
         {"byPositionRadio", "notificationCheck", "timeoutSpin", "timeoutResetsOnProgressCheck",
          "copyCommandButton", "addToBatchButton", "sendButton"})
        expected << composer()->findChild<QWidget*>(QLatin1String(name));
    expected << m_panel->findChild<QTabWidget*>(QStringLiteral("clientTabs"))->tabBar();
    for (QWidget* w : expected)
        QVERIFY2(w, "a widget of the expected order is missing");

    m_panel->urlEdit()->setFocus();
    QTRY_COMPARE(focused(expected), expected.first());
    for (qsizetype i = 1; i < expected.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget* now = focused(expected);

        QVERIFY2(now == expected.at(i), qPrintable(QStringLiteral("step %1: %2, expected %3")
                                                       .arg(i)
                                                       .arg(describe(now), describe(expected.at(i)))));
        QVERIFY2(now->isVisible() && !now->visibleRegion().isEmpty(), qPrintable(describe(now)));
    }
    // And back with Shift+Tab: the same stops in reverse.
    for (qsizetype i = expected.size() - 2; i >= 0; --i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(describe(focused(expected)), describe(expected.at(i)));
    }
}

void TestClientPanel::clickAfterTypingMethodFocusesField_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("add, field a") << "add"
                                  << "a"
                                  << "1";
    QTest::newRow("add, field c") << "add"
                                  << "c"
                                  << "7";
    QTest::newRow("echo, field value") << "echo"
                                       << "value"
                                       << "[1]";
}

void TestClientPanel::clickAfterTypingMethodFocusesField()
{
    QFETCH(QString, typed);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QComboBox* combo = composer()->methodCombo();
    realClick(combo->lineEdit());
    QTRY_VERIFY(combo->lineEdit()->hasFocus() || combo->hasFocus());
    // Real key events, routed as the application routes them (to the completer's popup while it
    // is open).
    QTest::keyClicks(nullptr, typed);
    QCOMPARE(combo->currentText(), typed);
    QWidget* editor = composer()->form()->editor(field);
    QVERIFY(editor);
    QVERIFY(editor->isVisible()); // the form of a name typed in full is there at once
    QWidget* target = editor;
    if (auto* spin = qobject_cast<NumberSpinBox*>(editor)) {
        spin->clear();
        target = spin; // the spin box's own line edit takes the click
    }
    realClick(target, QPoint(10, target->height() / 2));
    QTRY_VERIFY2(editor == QApplication::focusWidget() || editor->isAncestorOf(QApplication::focusWidget()),
                 qPrintable(describe(QApplication::focusWidget())));
    if (auto* spin = qobject_cast<NumberSpinBox*>(editor))
        spin->clear();
    QTest::keyClicks(nullptr, value);
    QCOMPARE(combo->currentText(), typed); // not "add1"
    QStringList errors;
    const QJsonValue params = composer()->form()->params(true, &errors);
    QCOMPARE(QString::fromUtf8(QJsonDocument(QJsonObject{{field, params.toObject().value(field)}})
                                   .toJson(QJsonDocument::Compact)),
             QStringLiteral("{\"%1\":%2}").arg(field, value));
}

void TestClientPanel::unknownMethodCommittedOnFocusOut()
{
    composer()->selectMethod(QStringLiteral("add"));
    QVERIFY(composer()->form()->hasMethod());
    QComboBox* combo = composer()->methodCombo();
    realClick(combo->lineEdit());
    combo->lineEdit()->selectAll();
    QTest::keyClicks(nullptr, QStringLiteral("nosuch"));
    QVERIFY(composer()->form()->hasMethod()); // still typing: nothing rebuilt under the user
    realClick(composer()->findChild<QWidget*>(QStringLiteral("notificationCheck")));
    QTRY_VERIFY(!composer()->form()->hasMethod()); // committed: an unknown name takes raw params
    QCOMPARE(combo->currentText(), QStringLiteral("nosuch"));
}

void TestClientPanel::failedDiscoveryShowsReason()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    QSignalSpy discovered(m_client.get(), &RpcClient::discovered);
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(closedPort));
    m_panel->discover();
    QVERIFY(discovered.wait(10'000));
    const auto result = discovered.first().at(1).value<DiscoveryResult>();
    QVERIFY(!result.ok());
    QVERIFY(!result.error.isEmpty());
    ElidedLabel* label = m_panel->discoveryLabel();
    QTRY_VERIFY(label->fullText().contains(result.error));
    QVERIFY(label->isVisible());
    // Shown, not only in a tooltip: with room, the whole reason is on screen.
    m_panel->resize(1800, 640);
    QTRY_VERIFY(label->text().contains(result.error));
    QVERIFY(!m_panel->findChild<QLabel*>(QStringLiteral("discoveryIcon"))->pixmap().isNull());

    // Success clears it.
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()));
    m_panel->discover();
    QTRY_VERIFY_WITH_TIMEOUT(label->fullText().contains(QStringLiteral("methods via")), 10'000);
    QVERIFY(!label->fullText().contains(result.error));
    QVERIFY(m_panel->findChild<QLabel*>(QStringLiteral("discoveryIcon"))->isHidden());
}

void TestClientPanel::statusUsesIconsNotEmoji_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("icon");
    QTest::newRow("result") << "add" << QJsonValue(QJsonArray{1, 2}) << 30'000 << ":/icons/status-ok.svg";
    QTest::newRow("error") << "fail" << QJsonValue(QJsonArray{-32010, QStringLiteral("no")}) << 30'000
                           << ":/icons/status-error.svg";
    QTest::newRow("timeout") << "sleep" << QJsonValue(QJsonArray{3000}) << 50 << ":/icons/status-timeout.svg";
}

void TestClientPanel::statusUsesIconsNotEmoji()
{
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(int, timeoutMs);
    QFETCH(QString, icon);
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()));
    QVERIFY(m_panel->sendCall(CallRequest{method, params, {}, false, timeoutMs}));
    ResponseView* response = m_panel->responseView();
    QTRY_COMPARE_WITH_TIMEOUT(response->statusIconPath(), icon, 10'000);
    for (const QString& emoji : {"✓", "✗", "⏱", "⚠", "●", "○"})
        QVERIFY2(!response->statusText().contains(emoji), qPrintable(response->statusText()));
    QVERIFY(!m_panel->stateLabel()->fullText().contains(QStringLiteral("●")));
}

void TestClientPanel::lateReplyMarksHistory()
{
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()));
    QSignalSpy finished(m_client.get(), &RpcClient::finished);
    QVERIFY(m_panel->sendCall(CallRequest{QStringLiteral("sleep"), QJsonArray{5000}, {}, false, 50}));
    QVERIFY(finished.wait(10'000));
    const quint64 callId = finished.first().at(0).toULongLong();
    CallHistoryModel* history = m_panel->history();
    QTRY_COMPARE(history->rowCount(), 1);
    QCOMPARE(history->entry(0).status, QStringLiteral("timeout"));
    QSignalSpy changed(history, &CallHistoryModel::historyChanged);

    emit m_client->lateReply(callId + 1000, 1); // not ours: nothing marked
    QVERIFY(!history->entry(0).late);
    // As RpcClient reports it (queued from its thread in the app).
    emit m_client->lateReply(callId, 612'000);
    QVERIFY(history->entry(0).late);
    QCOMPARE(history->entry(0).status, QStringLiteral("timeout"));
    QCOMPARE(history->entry(0).lateLatencyUs, 612'000);
    QVERIFY(history->data(history->index(0, CallHistoryModel::OutcomeColumn))
                .toString()
                .contains(QStringLiteral("late (after timeout)")));
    QVERIFY(history->data(history->index(0, CallHistoryModel::LatencyColumn))
                .toString()
                .contains(QStringLiteral("612")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_panel->responseView()->statusIconPath(), QStringLiteral(":/icons/status-late.svg"));
    QVERIFY(m_panel->responseView()->statusText().contains(QStringLiteral("late (after timeout)")));
    // Persisted (the panel stores the history in the settings on every change).
    const QJsonArray stored = m_settings->callHistory();
    QVERIFY(stored.last().toObject().value(QStringLiteral("late")).toBool());
}

// End to end: the server answers sleep(300) after the client gave up at 100 ms.
void TestClientPanel::realLateReplyMarksHistory()
{
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()));
    QSignalSpy late(m_client.get(), &RpcClient::lateReply);
    QVERIFY(m_panel->sendCall(CallRequest{QStringLiteral("sleep"), QJsonArray{300}, {}, false, 100}));
    CallHistoryModel* history = m_panel->history();
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 1, 10'000);
    QCOMPARE(history->entry(0).status, QStringLiteral("timeout"));
    QVERIFY(late.wait(10'000));
    QVERIFY(history->entry(0).late);
    QVERIFY2(history->entry(0).lateLatencyUs >= 300'000,
             qPrintable(QString::number(history->entry(0).lateLatencyUs)));
    QVERIFY(history->index(0, CallHistoryModel::OutcomeColumn)
                .data()
                .toString()
                .contains(QStringLiteral("late (after timeout)")));
}

void TestClientPanel::narrowPanelClipsNothing_data()
{
    QTest::addColumn<QSize>("size");
    // The window's width less the server dock: 1024 - 500, 1024 - 350, 1366 - 450.
    QTest::newRow("524") << QSize(524, 560);
    QTest::newRow("674") << QSize(674, 560);
    QTest::newRow("916") << QSize(916, 700);
}

void TestClientPanel::narrowPanelClipsNothing()
{
    QFETCH(QSize, size);
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()));
    QVERIFY(m_panel->sendCall(CallRequest{
        QStringLiteral("echo"), QJsonArray{QStringLiteral("a fairly long result value, longer "
                                                          "than any column would be by default")}}));
    QVERIFY(m_panel->sendCall(CallRequest{QStringLiteral("system.methodSignature"), QJsonArray{"add"}}));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->history()->rowCount(), 2, 10'000);
    // A slow, late reply: its latency text is wider than the column's header (a slow sanitizer
    // build once made the real calls that slow, and the table 1 px wider than its viewport).
    HistoryEntry slow;
    slow.time = QDateTime::currentDateTime();
    slow.method = QStringLiteral("sleep");
    slow.status = QStringLiteral("timeout");
    slow.late = true;
    slow.latencyUs = 30'000'000;
    slow.lateLatencyUs = 31'234'567;
    m_panel->history()->add(slow);
    composer()->selectMethod(QStringLiteral("add"));
    auto* tabs = m_panel->findChild<QTabWidget*>(QStringLiteral("clientTabs"));
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i) == QLatin1String("History"))
            tabs->setCurrentIndex(i);

    m_panel->resize(size);
    QTRY_COMPARE(m_panel->size(), size);
    QApplication::processEvents();
    QVERIFY2(m_panel->minimumSizeHint().width() <= size.width(),
             qPrintable(QString::number(m_panel->minimumSizeHint().width())));
    const QStringList clipped = clippedWidgets(m_panel.get());
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("\n  "))));
    QVERIFY2(m_panel->urlEdit()->width() >= 200, qPrintable(QString::number(m_panel->urlEdit()->width())));
    for (const char* name : {"sendButton", "addToBatchButton", "copyCommandButton", "timeoutSpin"})
        QVERIFY2(composer()->findChild<QWidget*>(QLatin1String(name))->isVisible(), name);

    // History: every column has a header, starts inside the table, and is at least as wide as
    // its header; the full text is the tooltip.
    auto* history = m_panel->findChild<QTableView*>(QStringLiteral("historyView"));
    QHeaderView* header = history->horizontalHeader();
    for (int c = 0; c < header->count(); ++c) {
        if (header->isSectionHidden(c)) {
            QCOMPARE(c, int(CallHistoryModel::ParamsColumn)); // the only one that may give way
            continue;
        }
        const QString title = history->model()->headerData(c, Qt::Horizontal).toString();
        QVERIFY(!title.isEmpty());
        const int left = header->sectionViewportPosition(c);
        QVERIFY2(
            left >= 0 && left + 20 < history->viewport()->width(),
            qPrintable(
                QStringLiteral("%1 at %2 of %3").arg(title).arg(left).arg(history->viewport()->width())));
        QVERIFY2(header->sectionSize(c) >= header->fontMetrics().horizontalAdvance(title),
                 qPrintable(QStringLiteral("%1: %2 px").arg(title).arg(header->sectionSize(c))));
    }
    // Result takes the rest and no more: nothing to scroll sideways to.
    QTRY_VERIFY2(
        header->length() <= history->viewport()->width(),
        qPrintable(QStringLiteral("%1 > %2").arg(header->length()).arg(history->viewport()->width())));
    const QModelIndex result = history->model()->index(2, CallHistoryModel::OutcomeColumn);
    QVERIFY(result.data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("than any column would be by default")));
}

// The target field takes every URL Endpoint knows; a bad one is explained in one line under it
// and is not sent.
void TestClientPanel::everySchemeAccepted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("unix") << "unix:/tmp/rpcbench.sock"
                          << "";
    QTest::newRow("unix+lsp") << "unix+lsp:/run/x.sock"
                              << "";
    QTest::newRow("exec") << "exec:python3 -m mcp_server"
                          << "";
    QTest::newRow("exec+lsp") << "exec+lsp:clangd --log=error"
                              << "";
    QTest::newRow("https") << "https://api.example/rpc"
                           << "";
    QTest::newRow("tcp+tls") << "tcp+tls://127.0.0.1:8443"
                             << "";
    QTest::newRow("wss") << "wss://127.0.0.1:9/ws"
                         << "";
    QTest::newRow("unknown scheme") << "udp://127.0.0.1:1"
                                    << "Invalid URL: ";
    QTest::newRow("empty command") << "exec:"
                                   << "Invalid URL: ";
}

void TestClientPanel::everySchemeAccepted()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    TargetBar* bar = m_panel->targetBar();
    QTest::keyClicks(bar->urlEdit(), url);
    ElidedLabel* line = bar->urlErrorLabel();
    QCOMPARE(line->isVisibleTo(m_panel.get()), !error.isEmpty());
    if (error.isEmpty()) {
        QVERIFY(bar->endpoint());
        QVERIFY(line->fullText().isEmpty());
        return;
    }
    QVERIFY2(line->fullText().startsWith(error), qPrintable(line->fullText()));
    QVERIFY(!line->fullText().contains(QLatin1Char('\n')));
    QVERIFY(!m_panel->sendCall(CallRequest{QStringLiteral("add"), QJsonArray{1, 2}}));
    bar->urlEdit()->clear();
    QVERIFY(!line->isVisibleTo(m_panel.get()));
}

// "Copy as command" leaves the target's secrets out unless the user picks "with secrets".
void TestClientPanel::copyAsCommandMasksSecrets()
{
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(QStringLiteral("https://api.example/rpc"));
    WorkspaceTarget target;
    target.options.bearerToken = QStringLiteral("t0psecret");
    target.options.headers = {{"X-Api-Key", "k3y"}, {"X-Trace", "on"}};
    bar->setTargets({{QStringLiteral("https://api.example:443/rpc"), target}});
    composer()->loadCall(QStringLiteral("add"), QJsonArray{1, 2, 3});
    const QString masked = composer()->rpcbenchCommand();
    QVERIFY2(masked.contains(QStringLiteral("X-Trace: on")), qPrintable(masked));
    QVERIFY2(!masked.contains(QStringLiteral("t0psecret")) && !masked.contains(QStringLiteral("k3y")),
             qPrintable(masked));
    QVERIFY(!composer()->curlCommand().contains(QStringLiteral("t0psecret")));
    QVERIFY(composer()->rpcbenchCommand(true).contains(QStringLiteral("t0psecret")));
    QVERIFY(composer()->curlCommand(true).contains(QStringLiteral("k3y")));
    auto* withSecrets = composer()->findChild<QAction*>(QStringLiteral("copyRpcbenchSecretsAction"));
    QVERIFY(withSecrets && withSecrets->isVisible());
    bar->setTargets({});
    QVERIFY(!withSecrets->isVisible()); // nothing to reveal
}

// "Send again…" from the log: the logged call lands in the composer as it was sent, and the
// logged URL in the URL field; the user presses Send.
void TestClientPanel::loadRawRequestFillsComposer_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<bool>("notification");
    QTest::newRow("2.0 request by position")
        << QByteArray(R"({"jsonrpc":"2.0","id":7,"method":"add","params":[1,2,3]})")
        << "http://127.0.0.1:9/rpc"
        << "add" << QJsonValue(QJsonArray{1, 2, 3}) << false;
    QTest::newRow("2.0 notification by name")
        << QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":{"value":"x"}})") << ""
        << "echo" << QJsonValue(QJsonObject{{"value", "x"}}) << true;
    QTest::newRow("2.0 unknown method, no params")
        << QByteArray(R"({"jsonrpc":"2.0","id":"a","method":"ping"})") << "ws://127.0.0.1:9/ws"
        << "ping" << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("1.0 notification: id null")
        << QByteArray(R"({"method":"log","params":["hi"],"id":null})") << ""
        << "log" << QJsonValue(QJsonArray{"hi"}) << true;
}

void TestClientPanel::loadRawRequestFillsComposer()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, url);
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(bool, notification);
    QSignalSpy status(m_panel.get(), &ClientPanel::statusMessage);
    m_panel->loadRawRequest(json, url);
    QCOMPARE(status.count(), 0);
    QCOMPARE(m_panel->urlEdit()->text(), url); // an empty one leaves the field (here empty) alone
    QVERIFY2(composer()->errors().isEmpty(), qPrintable(composer()->errors().join(QLatin1Char(';'))));
    const std::optional<CallRequest> r = composer()->request();
    QVERIFY(r);
    QCOMPARE(r->method, method);
    QCOMPARE(r->params, params);
    QCOMPARE(r->notification, notification);
    QCOMPARE(composer()->batchSize(), 0);
}

void TestClientPanel::loadRawRequestQueuesBatch()
{
    composer()->loadCall(QStringLiteral("add"), QJsonArray{1, 2});
    m_panel->loadRawRequest(R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[4,5]},
                                {"jsonrpc":"2.0","method":"echo","params":{"value":true}}])",
                            QStringLiteral("http://127.0.0.1:9/rpc"));
    QCOMPARE(m_panel->urlEdit()->text(), QStringLiteral("http://127.0.0.1:9/rpc"));
    QCOMPARE(composer()->batchSize(), 2);
    QCOMPARE(composer()->request()->params, QJsonValue(QJsonArray{1, 2})); // the composed call stays
    QSignalSpy sent(composer(), &CallComposer::sendBatchRequested);
    auto* send = composer()->findChild<QPushButton*>(QStringLiteral("sendBatchButton"));
    QVERIFY(send && send->isVisible() && send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
    QCOMPARE(sent.count(), 1);
    const auto calls = sent.first().first().value<QList<CallRequest>>();
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls.at(0).method, QStringLiteral("add"));
    QCOMPARE(calls.at(0).params, QJsonValue(QJsonArray{4, 5}));
    QVERIFY(!calls.at(0).notification);
    QCOMPARE(calls.at(1).method, QStringLiteral("echo"));
    QCOMPARE(calls.at(1).params, QJsonValue(QJsonObject{{"value", true}}));
    QVERIFY(calls.at(1).notification);
}

void TestClientPanel::loadRawRequestRejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("not JSON") << QByteArray(R"({"jsonrpc":"2.0","method":)");
    QTest::newRow("a reply") << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":3})");
    QTest::newRow("a scalar") << QByteArray("42");
    QTest::newRow("empty batch") << QByteArray("[]");
    QTest::newRow("batch with a reply")
        << QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"add"},{"jsonrpc":"2.0","id":1,"result":3}])");
}

void TestClientPanel::loadRawRequestRejectsBadInput()
{
    QFETCH(QByteArray, json);
    composer()->loadCall(QStringLiteral("add"), QJsonArray{1, 2});
    m_panel->urlEdit()->setText(QStringLiteral("http://127.0.0.1:9/before"));
    QSignalSpy status(m_panel.get(), &ClientPanel::statusMessage);
    m_panel->loadRawRequest(json, QStringLiteral("http://127.0.0.1:9/after"));
    QCOMPARE(status.count(), 1);
    const QString text = status.first().first().toString();
    QVERIFY2(text.startsWith(QStringLiteral("Send again: ")) && !text.contains(QLatin1Char('\n')),
             qPrintable(text));
    QCOMPARE(m_panel->urlEdit()->text(), QStringLiteral("http://127.0.0.1:9/before"));
    QCOMPARE(composer()->request()->method, QStringLiteral("add"));
    QCOMPARE(composer()->request()->params, QJsonValue(QJsonArray{1, 2}));
    QCOMPARE(composer()->batchSize(), 0);
}

QTEST_MAIN(TestClientPanel)
#include "tst_clientpanel.moc"
