// Mock methods through the real widgets (offscreen): create a scripted method in the server
// panel's editor, call it from the client panel, edit it, disable it, give it faults, remove
// it; script mistakes shown with their line; workspaces saved and opened from the File menu
// (a broken one changes nothing); an OpenRPC document imported as mocks.

#include "client/CallComposer.h"
#include "client/ClientPanel.h"
#include "client/ResponseView.h"
#include "dispatch/MethodRegistry.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "mock/MockService.h"
#include "server/FaultDialog.h"
#include "server/MethodEditorDialog.h"
#include "server/MethodsModel.h"
#include "server/MockMethodActions.h"
#include "server/ServerPanel.h"
#include "widgets/NumberSpinBox.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

class TestMockMethods : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void createCallEditDisableAndFaultAMethod();
    void scriptMistakeIsShownWithItsLine();
    void checkRunsTheScriptWithSampleValues_data();
    void checkRunsTheScriptWithSampleValues();
    void cannedErrorAndRemove();
    void workspaceSaveAndOpen();
    void brokenWorkspaceChangesNothing();
    void importOpenRpcDocument();

private:
    template <class T> T* find(QObject* parent, const QString& name) const
    {
        T* w = parent->findChild<T*>(name);
        if (!w)
            qFatal("no child named %s", qPrintable(name));
        return w;
    }
    QPushButton* panelButton(const QString& name) const
    {
        return find<QPushButton>(m_window->serverPanel(), name);
    }
    void startServer();
    MethodEditorDialog* openNewMethodDialog();
    void setParam(MethodEditorDialog* dialog, int row, const QString& name, const QString& type);
    void callFromClient(const QString& method, const QStringList& numbers);
    QString settingsFile() const { return m_dir.filePath(QStringLiteral("settings.ini")); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestMockMethods::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Dialogs::setQuiet(true);
}

void TestMockMethods::init()
{
    QFile::remove(settingsFile());
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(settingsFile()));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMockMethods::cleanup()
{
    m_window.reset();
}

void TestMockMethods::startServer()
{
    m_window->portSpin()->setValue(0);
    find<QAction>(m_window.get(), QStringLiteral("actionStartServer"))->trigger();
    QVERIFY(m_window->session()->isServing());
}

MethodEditorDialog* TestMockMethods::openNewMethodDialog()
{
    QTest::mouseClick(panelButton(QStringLiteral("newMethodButton")), Qt::LeftButton);
    MethodEditorDialog* dialog = m_window->serverPanel()->mockActions()->methodEditor();
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

// Types the name into the table's own cell editor and picks the type in the row's combo box.
void TestMockMethods::setParam(MethodEditorDialog* dialog, int row, const QString& name, const QString& type)
{
    QTableWidget* table = dialog->paramsTable();
    QTableWidgetItem* item = table->item(row, MethodEditorDialog::NameColumn);
    table->setCurrentItem(item);
    table->editItem(item);
    auto* editor = table->viewport()->findChild<QLineEdit*>();
    QVERIFY(editor);
    QTest::keyClicks(editor, name);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(item->text(), name);
    auto* combo = static_cast<QComboBox*>(table->cellWidget(row, MethodEditorDialog::TypeColumn));
    combo->setCurrentIndex(combo->findText(type));
}

void TestMockMethods::callFromClient(const QString& method, const QStringList& numbers)
{
    auto* combo = find<QComboBox>(m_window.get(), QStringLiteral("methodCombo"));
    QTRY_VERIFY(combo->findText(method) >= 0);
    combo->setCurrentIndex(combo->findText(method));
    const QStringList names{QStringLiteral("a"), QStringLiteral("b")};
    for (int i = 0; i < numbers.size(); ++i) {
        auto* spin = find<NumberSpinBox>(m_window.get(), QStringLiteral("param_") + names[i]);
        spin->selectAll();
        QTest::keyClick(spin, Qt::Key_Backspace);
        QTest::keyClicks(spin, numbers[i]);
    }
    m_window->clientPanel()->responseView()->showPending(QStringLiteral("waiting"));
    auto* send = find<QPushButton>(m_window.get(), QStringLiteral("sendButton"));
    QVERIFY(send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
    // Finished: the status shows the outcome (✓ result / ✗ error ...), no longer a pending call.
    QTRY_VERIFY(m_window->clientPanel()->responseView()->statusText().contains(QStringLiteral("result")) ||
                m_window->clientPanel()->responseView()->statusText().contains(QStringLiteral("error")));
}

void TestMockMethods::createCallEditDisableAndFaultAMethod()
{
    startServer();
    MethodEditorDialog* dialog = openNewMethodDialog();
    QVERIFY(dialog);
    QAbstractItemModelTester tester(dialog->paramsTable()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTest::keyClicks(find<QLineEdit>(dialog, QStringLiteral("methodNameEdit")), QStringLiteral("mul"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("addParamButton")), Qt::LeftButton);
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("addParamButton")), Qt::LeftButton);
    setParam(dialog, 0, QStringLiteral("a"), QStringLiteral("number"));
    setParam(dialog, 1, QStringLiteral("b"), QStringLiteral("number"));
    auto* kind = find<QComboBox>(dialog, QStringLiteral("handlerKindCombo"));
    kind->setCurrentIndex(kind->findText(QStringLiteral("JavaScript")));
    QCOMPARE(find<QLabel>(dialog, QStringLiteral("scriptHeaderLabel"))->text(),
             QStringLiteral("function mul(a, b) {"));
    QTest::keyClicks(find<QPlainTextEdit>(dialog, QStringLiteral("scriptEdit")),
                     QStringLiteral("return a * b;"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->serverPanel()->mockActions()->methodEditor());

    // Listed like any method, selected, and callable from the client panel.
    QTRY_VERIFY(m_window->serverPanel()->model()->rowOf(QStringLiteral("mul")) >= 0);
    QTRY_COMPARE(m_window->serverPanel()->currentMethod().name, QStringLiteral("mul"));
    QCOMPARE(m_window->serverPanel()->currentMethod().signature(),
             QStringLiteral("mul(a: number, b: number) -> any"));
    callFromClient(QStringLiteral("mul"), {QStringLiteral("6"), QStringLiteral("7")});
    QCOMPARE(m_window->clientPanel()->responseView()->resultText().trimmed(), QStringLiteral("42"));

    // Edit: the dialog comes back filled in; the new script answers the next call.
    QTest::mouseClick(panelButton(QStringLiteral("editMethodButton")), Qt::LeftButton);
    dialog = m_window->serverPanel()->mockActions()->methodEditor();
    QVERIFY(dialog);
    auto* script = find<QPlainTextEdit>(dialog, QStringLiteral("scriptEdit"));
    QCOMPARE(script->toPlainText(), QStringLiteral("return a * b;"));
    script->selectAll();
    QTest::keyClicks(script, QStringLiteral("return a * b + 1;"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->serverPanel()->mockActions()->methodEditor());
    callFromClient(QStringLiteral("mul"), {QStringLiteral("6"), QStringLiteral("7")});
    QCOMPARE(m_window->clientPanel()->responseView()->resultText().trimmed(), QStringLiteral("43"));

    // Disable: method not found, until enabled again.
    QTRY_COMPARE(m_window->serverPanel()->currentMethod().name, QStringLiteral("mul"));
    auto* toggle = panelButton(QStringLiteral("toggleMethodButton"));
    QTest::mouseClick(toggle, Qt::LeftButton);
    QTRY_COMPARE(toggle->text(), QStringLiteral("Enable"));
    QVERIFY(!m_window->session()->registry()->find(QStringLiteral("mul"))->info.enabled);
    m_window->clientPanel()->sendCall(CallRequest{QStringLiteral("mul"), QJsonArray{1, 2}});
    QTRY_VERIFY(m_window->clientPanel()->responseView()->statusText().contains(QStringLiteral("-32601")));
    QTest::mouseClick(toggle, Qt::LeftButton);
    QTRY_COMPARE(toggle->text(), QStringLiteral("Disable"));

    // Faults: every call fails with the chosen error, and the log marks the reply.
    QTest::mouseClick(panelButton(QStringLiteral("faultsButton")), Qt::LeftButton);
    FaultDialog* faults = m_window->serverPanel()->mockActions()->faultDialog();
    QVERIFY(faults);
    find<QDoubleSpinBox>(faults, QStringLiteral("errorRateSpin"))->setValue(100);
    find<QSpinBox>(faults, QStringLiteral("errorCodeSpin"))->setValue(-32050);
    QTest::mouseClick(find<QPushButton>(faults, QStringLiteral("applyFaultsButton")), Qt::LeftButton);
    QVERIFY(find<QLabel>(faults, QStringLiteral("faultStateLabel"))
                ->text()
                .contains(QStringLiteral("100% errors")));
    QTRY_COMPARE(panelButton(QStringLiteral("faultsButton"))->text(), QStringLiteral("Faults (on)…"));
    callFromClient(QStringLiteral("mul"), {QStringLiteral("1"), QStringLiteral("2")});
    QVERIFY(m_window->clientPanel()->responseView()->statusText().contains(QStringLiteral("-32050")));
    TrafficLogModel* log = m_window->logPanel()->model();
    bool faultedRow = false;
    QTRY_VERIFY([&] {
        for (int row = 0; row < log->rowCount(); ++row)
            faultedRow = faultedRow || log->record(row).event.summary.faulted;
        return faultedRow;
    }());
}

void TestMockMethods::scriptMistakeIsShownWithItsLine()
{
    MethodEditorDialog* dialog = openNewMethodDialog();
    QVERIFY(dialog);
    QTest::keyClicks(find<QLineEdit>(dialog, QStringLiteral("methodNameEdit")), QStringLiteral("bad"));
    auto* kind = find<QComboBox>(dialog, QStringLiteral("handlerKindCombo"));
    kind->setCurrentIndex(kind->findText(QStringLiteral("JavaScript")));
    auto* script = find<QPlainTextEdit>(dialog, QStringLiteral("scriptEdit"));
    script->setPlainText(QStringLiteral("var x = 1;\nreturn x +* 2;\n"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QVERIFY(dialog->isVisible()); // stays open for a fix
    QVERIFY2(dialog->problem().startsWith(QStringLiteral("Script line 2: SyntaxError")),
             qPrintable(dialog->problem()));
    QCOMPARE(script->textCursor().blockNumber(), 1); // the cursor is on line 2
    QVERIFY(!m_window->session()->registry()->find(QStringLiteral("bad")));

    script->setPlainText(QStringLiteral("var x = 1;\nreturn x * 2;\n"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("checkScriptButton")), Qt::LeftButton);
    QCOMPARE(dialog->problem(), QStringLiteral("The script compiles."));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QTRY_VERIFY(m_window->session()->registry()->find(QStringLiteral("bad")));
}

// "Check" compiles, then runs the function off the GUI thread with sample arguments by name
// and by position; the outcome replaces "The script compiles." when it arrives.
void TestMockMethods::checkRunsTheScriptWithSampleValues_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("report");
    QTest::addColumn<int>("line"); // 0: no failure
    QTest::newRow("sample result") << "return {sum: a + b};"
                                   << R"(returns {"sum":2} for add(a=1, b=1) and add(1, 1))" << 0;
    QTest::newRow("params as sent") << "return params.a + params.b;"
                                    << "returns 2 for add(a=1, b=1); returns null for add(1, 1)" << 0;
    QTest::newRow("undefined name") << "var x = a;\n\nreturn foo + x;"
                                    << "ReferenceError: foo is not defined (line 3) for add(a=1, b=1) "
                                       "and add(1, 1)"
                                    << 3;
}

void TestMockMethods::checkRunsTheScriptWithSampleValues()
{
    QFETCH(QString, body);
    QFETCH(QString, report);
    QFETCH(int, line);
    MethodEditorDialog* dialog = openNewMethodDialog();
    QVERIFY(dialog);
    QTest::keyClicks(find<QLineEdit>(dialog, QStringLiteral("methodNameEdit")), QStringLiteral("add"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("addParamButton")), Qt::LeftButton);
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("addParamButton")), Qt::LeftButton);
    setParam(dialog, 0, QStringLiteral("a"), QStringLiteral("number"));
    setParam(dialog, 1, QStringLiteral("b"), QStringLiteral("integer"));
    auto* kind = find<QComboBox>(dialog, QStringLiteral("handlerKindCombo"));
    kind->setCurrentIndex(kind->findText(QStringLiteral("JavaScript")));
    auto* script = find<QPlainTextEdit>(dialog, QStringLiteral("scriptEdit"));
    script->setPlainText(body);
    script->moveCursor(QTextCursor::Start);

    QSignalSpy checked(dialog, &MethodEditorDialog::scriptChecked);
    auto* check = find<QPushButton>(dialog, QStringLiteral("checkScriptButton"));
    QTest::mouseClick(check, Qt::LeftButton);
    // Nothing waited for: the click returns with the run under way.
    QCOMPARE(dialog->problem(), QStringLiteral("The script compiles."));
    QVERIFY(!check->isEnabled());
    QVERIFY(checked.wait(10000));
    QCOMPARE(checked.size(), 1);
    QCOMPARE(dialog->problem(), QStringLiteral("The script compiles. Sample run: ") + report);
    QCOMPARE(checked.first().first().value<ScriptTrialReport>().ok, line == 0);
    QVERIFY(check->isEnabled());
    if (line > 0)
        QCOMPARE(script->textCursor().blockNumber(), line - 1); // the cursor is on the mistake
    QVERIFY(!m_window->session()->registry()->find(QStringLiteral("add")) ||
            m_window->session()->registry()->find(QStringLiteral("add"))->info.builtin);
}

void TestMockMethods::cannedErrorAndRemove()
{
    startServer();
    MethodEditorDialog* dialog = openNewMethodDialog();
    QVERIFY(dialog);
    QTest::keyClicks(find<QLineEdit>(dialog, QStringLiteral("methodNameEdit")), QStringLiteral("pay"));
    auto* kind = find<QComboBox>(dialog, QStringLiteral("handlerKindCombo"));
    kind->setCurrentIndex(kind->findText(QStringLiteral("Canned error")));
    find<QSpinBox>(dialog, QStringLiteral("errorCodeSpin"))->setValue(-32020);
    auto* message = find<QLineEdit>(dialog, QStringLiteral("errorMessageEdit"));
    message->clear();
    QTest::keyClicks(message, QStringLiteral("card declined"));
    QTest::keyClicks(find<QPlainTextEdit>(dialog, QStringLiteral("errorDataEdit")),
                     QStringLiteral("{\"reason\": "));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QVERIFY2(dialog->problem().contains(QStringLiteral("not valid JSON")), qPrintable(dialog->problem()));
    QTest::keyClicks(find<QPlainTextEdit>(dialog, QStringLiteral("errorDataEdit")),
                     QStringLiteral("\"funds\"}"));
    QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("saveMethodButton")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->serverPanel()->mockActions()->methodEditor());

    m_window->clientPanel()->sendCall(CallRequest{QStringLiteral("pay"), QJsonArray{}});
    QTRY_VERIFY(m_window->clientPanel()->responseView()->statusText().contains(
        QStringLiteral("-32020: card declined")));

    QTRY_COMPARE(m_window->serverPanel()->currentMethod().name, QStringLiteral("pay"));
    QTest::mouseClick(panelButton(QStringLiteral("removeMethodButton")), Qt::LeftButton);
    QTRY_COMPARE(m_window->serverPanel()->model()->rowOf(QStringLiteral("pay")), -1);
    QVERIFY(!m_window->workspace()->mocks()->isUserMethod(QStringLiteral("pay")));
    // Built-in methods cannot be edited or removed, only disabled.
    QVERIFY(m_window->serverPanel()->selectMethod(QStringLiteral("add")));
    QVERIFY(!panelButton(QStringLiteral("editMethodButton"))->isEnabled());
    QVERIFY(!panelButton(QStringLiteral("removeMethodButton"))->isEnabled());
    QVERIFY(panelButton(QStringLiteral("toggleMethodButton"))->isEnabled());
}

void TestMockMethods::workspaceSaveAndOpen()
{
    MockService* mocks = m_window->workspace()->mocks();
    UserMethod m;
    m.name = QStringLiteral("user.get");
    m.result = QJsonObject{{QStringLiteral("name"), QStringLiteral("Ada")}};
    QString error;
    QVERIFY(mocks->addMethod(m, &error));
    FaultSettings f;
    f.latencyMinMs = f.latencyMaxMs = 25;
    mocks->faults().set(QStringLiteral("user.get"), f);
    m_window->portSpin()->setValue(6543);
    m_window->clientPanel()->urlEdit()->setText(QStringLiteral("http://127.0.0.1:6543/"));
    const QString path = m_dir.filePath(QStringLiteral("saved.rpcbench.json"));
    Dialogs::setNextFileName(path);
    find<QAction>(m_window.get(), QStringLiteral("actionSaveWorkspace"))->trigger();
    QVERIFY(QFile::exists(path));

    // A fresh window opens it back.
    m_window.reset();
    QFile::remove(settingsFile());
    init();
    QVERIFY(!m_window->session()->registry()->find(QStringLiteral("user.get")));
    Dialogs::setNextFileName(path);
    find<QAction>(m_window.get(), QStringLiteral("actionOpenWorkspace"))->trigger();
    QTRY_VERIFY(m_window->serverPanel()->model()->rowOf(QStringLiteral("user.get")) >= 0);
    QCOMPARE(m_window->workspace()->mocks()->faults().find(QStringLiteral("user.get")), std::optional(f));
    QCOMPARE(m_window->portSpin()->value(), 6543);
    QCOMPARE(m_window->clientPanel()->urlEdit()->text(), QStringLiteral("http://127.0.0.1:6543/"));
    QCOMPARE(m_window->workspace()->currentFile(), path);
}

void TestMockMethods::brokenWorkspaceChangesNothing()
{
    UserMethod m;
    m.name = QStringLiteral("keep.me");
    QString error;
    QVERIFY(m_window->workspace()->mocks()->addMethod(m, &error));
    const QStringList before = m_window->session()->registry()->names();
    QFile file(m_dir.filePath(QStringLiteral("broken.rpcbench.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"rpcbench-workspace\", \"version\": 1,\n \"methods\": [\n");
    file.close();
    Dialogs::setNextFileName(file.fileName());
    find<QAction>(m_window.get(), QStringLiteral("actionOpenWorkspace"))->trigger();
    QVERIFY2(Dialogs::lastMessage().contains(QStringLiteral("broken.rpcbench.json: not valid JSON: line 3")),
             qPrintable(Dialogs::lastMessage()));
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("Nothing was changed")));
    QCOMPARE(m_window->session()->registry()->names(), before);
    QVERIFY(m_window->workspace()->mocks()->isUserMethod(QStringLiteral("keep.me")));
}

void TestMockMethods::importOpenRpcDocument()
{
    Dialogs::setNextFileName(QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/data/petstore.openrpc.json"));
    find<QAction>(m_window.get(), QStringLiteral("actionImportOpenRpc"))->trigger();
    QVERIFY2(Dialogs::lastMessage().startsWith(QStringLiteral("Imported 5 methods")),
             qPrintable(Dialogs::lastMessage()));
    QTRY_VERIFY(m_window->serverPanel()->model()->rowOf(QStringLiteral("list_pets")) >= 0);
    const auto method = m_window->session()->registry()->find(QStringLiteral("list_pets"));
    QVERIFY(method && method->syncHandler);
    QCOMPARE(method->syncHandler(QJsonArray{}).value.toArray().at(0).toObject().value(QStringLiteral("name")),
             QJsonValue(QStringLiteral("fluffy")));
}

QTEST_MAIN(TestMockMethods)
#include "tst_mockmethods.moc"
