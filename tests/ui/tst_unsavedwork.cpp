// Nothing lost (issue 11): a modified workspace shows "*" in the title and is offered for saving
// (Save / Discard / Cancel) before quit, open and new; the last workspace is reopened on start
// (a setting; a missing or broken file gives a status-bar message and an empty workspace); an
// autosave copy written while modified is offered back after a crash, and a second window on
// the same settings leaves the first one's copy alone. Questions are answered ahead through
// Dialogs, or by clicking the real (window-modal, non-blocking) box.

#include "client/CallComposer.h"
#include "client/ClientPanel.h"
#include "collections/CollectionStore.h"
#include "collections/CollectionsPanel.h"
#include "collections/SavedCallEditor.h"
#include "mock/MockService.h"
#include "mock/Workspace.h"
#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"
#include "window/WorkspaceRecovery.h"

#include <QAction>
#include <QFile>
#include <QJsonArray>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;
using Dialogs::Answer;

class TestUnsavedWork : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void titleShowsModifiedState();
    void quitAsks_data();
    void quitAsks();
    void openAndNewAsk_data();
    void openAndNewAsk();
    void saveOnUntitledAsksForAName();
    void reopenLastWorkspaceOnStart_data();
    void reopenLastWorkspaceOnStart();
    void autosaveIsOfferedBack_data();
    void autosaveIsOfferedBack();
    void autosaveGoesOnCleanSave();
    void quitAnsweredInTheBox_data();
    void quitAnsweredInTheBox();
    void recoveryAnsweredInTheBox();
    void secondWindowLeavesTheCopyAlone();
    void proxiesAreWorkspaceWork();
    void collectionsAreWorkspaceWork();
    void handEditedCollectionKeepsEverything();

private:
    void openWindow();
    void addMethod(const QString& name);
    bool hasMethod(const QString& name) const { return m_window->workspace()->mocks()->isUserMethod(name); }
    void trigger(const QString& action);
    QString path(const QString& name) const { return m_dir->filePath(name); }
    QString settingsFile() const { return path(QStringLiteral("settings.ini")); }
    QString autosave() const { return m_window->recovery()->autosavePath(); }
    void saveAs(const QString& file);
    void crash() { m_window.reset(); } // gone without closing: what a crash leaves behind

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestUnsavedWork::initTestCase()
{
    Dialogs::setQuiet(true);
}

void TestUnsavedWork::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    Dialogs::resetAnswers();
    openWindow();
}

void TestUnsavedWork::cleanup()
{
    m_window.reset();
    Dialogs::resetAnswers();
    Dialogs::setQuiet(true);
}

void TestUnsavedWork::openWindow()
{
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(settingsFile()));
    m_window->recovery()->setDelay(0); // write the copy at the next event-loop turn
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestUnsavedWork::addMethod(const QString& name)
{
    UserMethod m;
    m.name = name;
    m.result = QStringLiteral("hello");
    QString error;
    QVERIFY2(m_window->workspace()->mocks()->addMethod(m, &error), qPrintable(error));
}

void TestUnsavedWork::trigger(const QString& name)
{
    auto* action = m_window->findChild<QAction*>(name);
    QVERIFY2(action, qPrintable(name));
    action->trigger();
}

void TestUnsavedWork::saveAs(const QString& file)
{
    Dialogs::setNextFileName(file);
    trigger(QStringLiteral("actionSaveWorkspaceAs"));
    QVERIFY(QFile::exists(file));
}

void TestUnsavedWork::titleShowsModifiedState()
{
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Untitled[*] — rpcbench"));
    QVERIFY(!m_window->isWindowModified());
    QSignalSpy modified(m_window->workspace(), &WorkspaceController::modifiedChanged);

    addMethod(QStringLiteral("greet"));
    QVERIFY(m_window->isWindowModified());
    QCOMPARE(modified.count(), 1);

    saveAs(path(QStringLiteral("bench.rpcbench.json")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("bench.rpcbench.json[*] — rpcbench"));
    QVERIFY(!m_window->isWindowModified());

    // A change, then the same change undone by hand: clean again (compared, not counted).
    const int port = m_window->portSpin()->value();
    m_window->portSpin()->setValue(port + 1);
    QVERIFY(m_window->isWindowModified());
    m_window->portSpin()->setValue(port);
    QVERIFY(!m_window->isWindowModified());

    // Faults count as work too.
    FaultSettings f;
    f.latencyMinMs = f.latencyMaxMs = 500;
    m_window->workspace()->mocks()->faults().set(QStringLiteral("greet"), f);
    QVERIFY(m_window->isWindowModified());
}

void TestUnsavedWork::quitAsks_data()
{
    QTest::addColumn<Answer>("answer");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<bool>("fileWritten");
    QTest::addColumn<bool>("autosaveKept");
    QTest::newRow("cancel keeps everything") << Answer::Cancel << false << false << true;
    QTest::newRow("save writes the file") << Answer::Save << true << true << false;
    QTest::newRow("discard closes") << Answer::Discard << true << false << false;
}

void TestUnsavedWork::quitAsks()
{
    QFETCH(Answer, answer);
    QFETCH(bool, closes);
    QFETCH(bool, fileWritten);
    QFETCH(bool, autosaveKept);
    addMethod(QStringLiteral("greet"));
    QTRY_VERIFY(QFile::exists(autosave()));

    const QString file = path(QStringLiteral("quit.rpcbench.json"));
    Dialogs::setNextAnswer(answer);
    Dialogs::setNextFileName(file); // an untitled workspace asks where to save
    trigger(QStringLiteral("actionQuit"));
    QVERIFY2(Dialogs::lastQuestion().contains(QStringLiteral("unsaved changes")),
             qPrintable(Dialogs::lastQuestion()));
    QCOMPARE(m_window->isVisible(), !closes);
    QCOMPARE(QFile::exists(file), fileWritten);
    QCOMPARE(QFile::exists(autosave()), autosaveKept);
    if (fileWritten) {
        QString error;
        const auto saved = Workspace::load(file, nullptr, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->methods.size(), 1);
        QCOMPARE(saved->methods.first().name, QStringLiteral("greet"));
    }
    if (!closes) {
        QVERIFY(hasMethod(QStringLiteral("greet")));
        QVERIFY(m_window->isWindowModified());
    }
}

void TestUnsavedWork::openAndNewAsk_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<Answer>("answer");
    QTest::addColumn<bool>("replaced");
    const QString open = QStringLiteral("actionOpenWorkspace");
    const QString fresh = QStringLiteral("actionNewWorkspace");
    QTest::newRow("open, cancel") << open << Answer::Cancel << false;
    QTest::newRow("open, discard") << open << Answer::Discard << true;
    QTest::newRow("open, save") << open << Answer::Save << true;
    QTest::newRow("new, cancel") << fresh << Answer::Cancel << false;
    QTest::newRow("new, discard") << fresh << Answer::Discard << true;
    QTest::newRow("new, save") << fresh << Answer::Save << true;
}

void TestUnsavedWork::openAndNewAsk()
{
    QFETCH(QString, action);
    QFETCH(Answer, answer);
    QFETCH(bool, replaced);
    // Another workspace on disk to open: one method, "other".
    Workspace other = WorkspaceController::defaults();
    UserMethod m;
    m.name = QStringLiteral("other");
    other.methods << m;
    const QString otherFile = path(QStringLiteral("other.rpcbench.json"));
    QString error;
    QVERIFY2(other.save(otherFile, &error), qPrintable(error));

    const QString current = path(QStringLiteral("current.rpcbench.json"));
    saveAs(current);
    addMethod(QStringLiteral("greet"));
    const bool opening = action == QLatin1String("actionOpenWorkspace");
    Dialogs::setNextAnswer(answer);
    if (opening)
        Dialogs::setNextFileName(otherFile);
    trigger(action);
    QVERIFY(Dialogs::lastQuestion().contains(QStringLiteral("current.rpcbench.json")));

    QCOMPARE(hasMethod(QStringLiteral("greet")), !replaced);
    QCOMPARE(hasMethod(QStringLiteral("other")), replaced && opening);
    QCOMPARE(m_window->isWindowModified(), !replaced);
    if (replaced) {
        QCOMPARE(m_window->windowTitle(), opening ? QStringLiteral("other.rpcbench.json[*] — rpcbench")
                                                  : QStringLiteral("Untitled[*] — rpcbench"));
        if (!opening)
            QCOMPARE(m_window->portSpin()->value(), int(Settings::DefaultServerPort));
    }
    // Save went to the current file without asking for a name.
    QString loadError;
    const auto saved = Workspace::load(current, nullptr, &loadError);
    QVERIFY2(saved, qPrintable(loadError));
    QCOMPARE(saved->methods.size(), answer == Answer::Save ? 1 : 0);
}

void TestUnsavedWork::saveOnUntitledAsksForAName()
{
    addMethod(QStringLiteral("greet"));
    // A cancelled file dialog is a cancelled New: nothing changes.
    Dialogs::setNextAnswer(Answer::Save);
    Dialogs::setNextFileName(QString());
    trigger(QStringLiteral("actionNewWorkspace"));
    QVERIFY(hasMethod(QStringLiteral("greet")));
    QVERIFY(m_window->isWindowModified());

    const QString file = path(QStringLiteral("named")); // the suffix is added
    Dialogs::setNextAnswer(Answer::Save);
    Dialogs::setNextFileName(file);
    trigger(QStringLiteral("actionNewWorkspace"));
    QVERIFY(QFile::exists(file + QStringLiteral(".rpcbench.json")));
    QVERIFY(!hasMethod(QStringLiteral("greet")));
    QVERIFY(!m_window->isWindowModified());
}

void TestUnsavedWork::reopenLastWorkspaceOnStart_data()
{
    QTest::addColumn<bool>("reopen");
    QTest::addColumn<QByteArray>("damage"); // "" keeps the file, "missing", or new content
    QTest::addColumn<bool>("restored");
    QTest::newRow("reopened") << true << QByteArray() << true;
    QTest::newRow("setting off") << false << QByteArray() << false;
    QTest::newRow("file missing") << true << QByteArray("missing") << false;
    QTest::newRow("file broken") << true << QByteArray("{\"format\": \"rpcbench-workspace\", \"methods\": [")
                                 << false;
}

void TestUnsavedWork::reopenLastWorkspaceOnStart()
{
    QFETCH(bool, reopen);
    QFETCH(QByteArray, damage);
    QFETCH(bool, restored);
    addMethod(QStringLiteral("greet"));
    const QString file = path(QStringLiteral("last.rpcbench.json"));
    saveAs(file);
    auto* option = m_window->findChild<QAction*>(QStringLiteral("actionReopenLast"));
    QVERIFY(option && option->isCheckable() && option->isChecked());
    option->setChecked(reopen);
    trigger(QStringLiteral("actionQuit"));
    QVERIFY(!m_window->isVisible());
    QVERIFY(Dialogs::lastQuestion().isEmpty()); // saved: quitting asked nothing
    m_window.reset();
    if (damage == "missing") {
        QVERIFY(QFile::remove(file));
    } else if (!damage.isEmpty()) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(damage);
    }

    openWindow();
    QCOMPARE(hasMethod(QStringLiteral("greet")), restored);
    QVERIFY(!m_window->isWindowModified());
    QCOMPARE(m_window->windowTitle(), restored ? QStringLiteral("last.rpcbench.json[*] — rpcbench")
                                               : QStringLiteral("Untitled[*] — rpcbench"));
    const QString message = m_window->statusBar()->currentMessage();
    if (restored)
        QVERIFY2(message.contains(QStringLiteral("Reopened workspace last.rpcbench.json")),
                 qPrintable(message));
    else if (reopen)
        QVERIFY2(message.contains(QStringLiteral("Could not reopen the last workspace")),
                 qPrintable(message));
}

void TestUnsavedWork::autosaveIsOfferedBack_data()
{
    QTest::addColumn<bool>("fromFile"); // the work was based on a saved file
    QTest::addColumn<Answer>("answer");
    QTest::newRow("untitled, recover") << false << Answer::Recover;
    QTest::newRow("untitled, discard") << false << Answer::Discard;
    QTest::newRow("saved file, recover") << true << Answer::Recover;
    QTest::newRow("saved file, discard") << true << Answer::Discard;
}

void TestUnsavedWork::autosaveIsOfferedBack()
{
    QFETCH(bool, fromFile);
    QFETCH(Answer, answer);
    const QString file = path(QStringLiteral("base.rpcbench.json"));
    if (fromFile) {
        addMethod(QStringLiteral("base"));
        saveAs(file);
    }
    QVERIFY(!QFile::exists(autosave()));
    addMethod(QStringLiteral("greet"));
    QTRY_VERIFY(QFile::exists(autosave()));
    const QString copy = autosave();
    crash();

    Dialogs::setNextAnswer(answer);
    openWindow();
    QVERIFY2(Dialogs::lastQuestion().contains(QStringLiteral("Recover unsaved work from")),
             qPrintable(Dialogs::lastQuestion()));
    const bool recovered = answer == Answer::Recover;
    QCOMPARE(hasMethod(QStringLiteral("greet")), recovered);
    QCOMPARE(hasMethod(QStringLiteral("base")), fromFile); // the file itself, or reopened
    QCOMPARE(m_window->isWindowModified(), recovered);
    QCOMPARE(m_window->workspace()->currentFile(), fromFile ? file : QString());
    QCOMPARE(QFile::exists(copy), recovered); // recovered work stays protected until saved

    // Quitting knowingly removes the copy; the next start asks nothing.
    Dialogs::setNextAnswer(Answer::Discard);
    trigger(QStringLiteral("actionQuit"));
    QVERIFY(!m_window->isVisible());
    QVERIFY(!QFile::exists(copy));
    m_window.reset();
    Dialogs::resetAnswers();
    openWindow();
    QVERIFY(Dialogs::lastQuestion().isEmpty());
}

void TestUnsavedWork::autosaveGoesOnCleanSave()
{
    addMethod(QStringLiteral("greet"));
    QTRY_VERIFY(QFile::exists(autosave()));
    saveAs(path(QStringLiteral("clean.rpcbench.json")));
    QVERIFY(!QFile::exists(autosave()));
    // Clean: no copy is written, however long we wait for one.
    m_window->recovery()->setDelay(0);
    QSignalSpy edited(m_window->workspace(), &WorkspaceController::edited);
    m_window->portSpin()->setValue(m_window->portSpin()->value()); // no change
    QCOMPARE(edited.count(), 0);
    QVERIFY(!QFile::exists(autosave()));
}

void TestUnsavedWork::quitAnsweredInTheBox_data()
{
    QTest::addColumn<int>("button"); // QMessageBox::StandardButton, or 0 for Escape
    QTest::addColumn<bool>("closes");
    QTest::newRow("save") << int(QMessageBox::Save) << true;
    QTest::newRow("discard") << int(QMessageBox::Discard) << true;
    QTest::newRow("cancel") << int(QMessageBox::Cancel) << false;
    QTest::newRow("escape") << 0 << false;
}

void TestUnsavedWork::quitAnsweredInTheBox()
{
    QFETCH(int, button);
    QFETCH(bool, closes);
    addMethod(QStringLiteral("greet"));
    Dialogs::setQuiet(false);
    const QString file = path(QStringLiteral("boxed.rpcbench.json"));
    Dialogs::setNextFileName(file);
    QVERIFY(!m_window->close()); // refused while the question is open
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) && box->isVisible());
    QVERIFY(m_window->isVisible());
    if (button)
        box->button(QMessageBox::StandardButton(button))->click();
    else
        QTest::keyClick(box, Qt::Key_Escape);
    QTRY_COMPARE(m_window->isVisible(), !closes);
    QCOMPARE(QFile::exists(file), button == QMessageBox::Save);
    QCOMPARE(hasMethod(QStringLiteral("greet")), true);
}

void TestUnsavedWork::recoveryAnsweredInTheBox()
{
    addMethod(QStringLiteral("greet"));
    QTRY_VERIFY(QFile::exists(autosave()));
    crash();
    Dialogs::setQuiet(false);
    openWindow();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) && box->isVisible()); // after the window
    QVERIFY(!hasMethod(QStringLiteral("greet")));
    QAbstractButton* recover = nullptr;
    for (QAbstractButton* b : box->buttons()) {
        if (b->text() == QLatin1String("Recover"))
            recover = b;
    }
    QVERIFY(recover);
    QCOMPARE(box->defaultButton(), recover);
    recover->click();
    QVERIFY(hasMethod(QStringLiteral("greet")));
    QVERIFY(m_window->isWindowModified());
}

void TestUnsavedWork::secondWindowLeavesTheCopyAlone()
{
    addMethod(QStringLiteral("greet"));
    QTRY_VERIFY(QFile::exists(autosave()));
    QVERIFY(m_window->recovery()->isAutosaving());
    {
        MainWindow second(std::make_unique<Settings>(settingsFile()));
        second.recovery()->setDelay(0);
        QVERIFY(Dialogs::lastQuestion().isEmpty()); // the live copy is not "crashed work"
        QVERIFY(!second.recovery()->isAutosaving());
        QVERIFY(second.statusBar()->currentMessage().contains(QStringLiteral("does not autosave")));
        UserMethod m;
        m.name = QStringLiteral("other");
        QString error;
        QVERIFY(second.workspace()->mocks()->addMethod(m, &error));
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(second.close()); // quiet: discards
    }
    QVERIFY(QFile::exists(autosave()));
    QString error;
    const auto copy = Workspace::load(autosave(), nullptr, &error);
    QVERIFY2(copy, qPrintable(error));
    QCOMPARE(copy->methods.size(), 1);
    QCOMPARE(copy->methods.first().name, QStringLiteral("greet"));
}

// Proxy mode's proxies are part of the workspace: adding one or setting its faults is unsaved
// work, a saved file brings them back stopped, and New workspace clears them.
void TestUnsavedWork::proxiesAreWorkspaceWork()
{
    ProxySet* proxies = m_window->proxies();
    ProxyConfig config;
    config.listen = QStringLiteral("tcp://127.0.0.1:0");
    config.upstream = QStringLiteral("tcp://127.0.0.1:9");
    proxies->add(config);
    QVERIFY(m_window->isWindowModified());
    const QString file = path(QStringLiteral("proxies.rpcbench.json"));
    saveAs(file);
    QVERIFY(!m_window->isWindowModified());

    FaultSettings slow;
    slow.latencyMinMs = slow.latencyMaxMs = 200;
    proxies->proxy(0)->faults()->set(QStringLiteral("echo"), slow);
    QVERIFY(m_window->isWindowModified());
    trigger(QStringLiteral("actionSaveWorkspace"));
    QVERIFY(!m_window->isWindowModified());
    // Breakpoints set straight on the proxy's queue (the Intercept panel), and their timeout.
    proxies->proxy(0)->intercept()->setRules(
        {InterceptRule{QStringLiteral("add"), InterceptRule::Direction::ToServer, true}});
    QVERIFY(m_window->isWindowModified());
    trigger(QStringLiteral("actionSaveWorkspace"));
    QVERIFY(!m_window->isWindowModified());
    proxies->proxy(0)->intercept()->setTimeoutMs(5000);
    QVERIFY(m_window->isWindowModified());
    trigger(QStringLiteral("actionSaveWorkspace"));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(proxies->start(0, nullptr));

    Dialogs::setNextAnswer(Answer::Discard); // nothing unsaved: not asked, answer unused
    trigger(QStringLiteral("actionNewWorkspace"));
    QCOMPARE(proxies->count(), 0);
    QVERIFY(!m_window->isWindowModified());

    QVERIFY(m_window->workspace()->openFrom(file));
    QCOMPARE(proxies->count(), 1);
    QVERIFY(!proxies->isRunning(0)); // opening a file never starts listening
    QCOMPARE(proxies->config(0).upstream, config.upstream);
    QCOMPARE(proxies->config(0).faults.value(QStringLiteral("echo")).latencyMinMs, 200);
    QCOMPARE(proxies->config(0).intercept.size(), 1);
    QCOMPARE(proxies->config(0).interceptTimeoutMs, 5000);
    QVERIFY(!m_window->isWindowModified());
    proxies->remove(0);
    QVERIFY(m_window->isWindowModified());
}

void TestUnsavedWork::collectionsAreWorkspaceWork()
{
    CollectionStore* store = m_window->collections();
    m_window->clientPanel()->composer()->loadCall(QStringLiteral("add"), QJsonArray{1, 2});
    QVERIFY(m_window->saveToCollection()); // "Save to collection" from the composer
    QVERIFY(m_window->isWindowModified());
    QCOMPARE(store->collections().size(), 1);
    QCOMPARE(store->item({0, {0}})->call.method, QStringLiteral("add"));
    const QString file = path(QStringLiteral("collections.rpcbench.json"));
    saveAs(file);
    QVERIFY(!m_window->isWindowModified());

    // An edit in the panel's editor is unsaved work; undoing it by hand makes it clean again.
    CollectionsPanel* panel = m_window->collectionsPanel();
    panel->select({0, {0}});
    panel->editor()->assertionsEdit()->setPlainText(QStringLiteral(R"([{"equals": 13}])"));
    QVERIFY(panel->editor()->apply());
    QVERIFY(m_window->isWindowModified());
    trigger(QStringLiteral("actionSaveWorkspace"));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(store->renameCollection(0, QStringLiteral("Demo")));
    QVERIFY(m_window->isWindowModified());
    QVERIFY(store->renameCollection(0, QStringLiteral("Saved calls")));
    QVERIFY(!m_window->isWindowModified());

    Dialogs::setNextAnswer(Answer::Discard); // nothing unsaved: not asked
    trigger(QStringLiteral("actionNewWorkspace"));
    QVERIFY(store->collections().isEmpty());
    QVERIFY(m_window->workspace()->openFrom(file));
    QCOMPARE(store->collections().size(), 1);
    QCOMPARE(store->item({0, {0}})->call.assertions.size(), 1);
    QVERIFY(!m_window->isWindowModified());
}

void TestUnsavedWork::handEditedCollectionKeepsEverything()
{
    // Made in the GUI: a folder, a call with params, assertions, a capture; an environment.
    CollectionStore* store = m_window->collections();
    SavedCall call;
    call.name = QStringLiteral("sum");
    call.description = QStringLiteral("adds");
    call.method = QStringLiteral("add");
    call.params = QJsonArray{1, 2};
    call.timeoutMs = 1500;
    call.captures.insert(QStringLiteral("total"), QStringLiteral("/sum"));
    QString error;
    call.assertions << *Assertion::fromJson(QJsonObject{{QStringLiteral("equals"), 13}}, &error);
    store->saveCall(QStringLiteral("Demo"), QStringLiteral("Math"), call);
    store->setEnvironments(
        {{QStringLiteral("local"), {{QStringLiteral("baseUrl"), QStringLiteral("tcp://127.0.0.1:1")}}}});
    const QString file = path(QStringLiteral("hand.rpcbench.json"));
    saveAs(file);

    // Edited by hand in a text editor: one param changed, nothing else touched.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    const QByteArray before = text;
    text.replace("\"params\": [\n", "\"params\": [\n                                7,\n");
    QVERIFY2(text != before, before.constData());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
    f.close();

    QVERIFY(m_window->workspace()->openFrom(file));
    const SavedCall* loaded = &store->item({0, {0, 0}})->call;
    SavedCall expected = call;
    expected.params = QJsonArray{7, 1, 2};
    QCOMPARE(*loaded, expected);
    QCOMPARE(store->collections()[0].name, QStringLiteral("Demo"));
    QCOMPARE(store->environments().value(QStringLiteral("local")).value(QStringLiteral("baseUrl")).toString(),
             QStringLiteral("tcp://127.0.0.1:1"));
    QVERIFY(!m_window->isWindowModified());
}

QTEST_MAIN(TestUnsavedWork)
#include "tst_unsavedwork.moc"
