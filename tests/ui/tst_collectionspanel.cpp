// The Collections panel against a real demo server on 127.0.0.1: Run all shows PASS and FAIL
// with the expected value next to the actual one, a folder runs alone, Stop ends a run in the
// middle of a slow call, a call edited in the editor (bad JSON refused with a one-line error)
// runs with its new assertion, delete is undone from its bar, and the run's calls reach the
// traffic bus. Runs go through a worker thread: every wait is on a signal.

#include "DemoServerFixture.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "client/HistoryPanel.h"
#include "collections/CollectionRunController.h"
#include "collections/CollectionStore.h"
#include "collections/CollectionsModel.h"
#include "collections/CollectionsPanel.h"
#include "collections/SavedCallEditor.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "traffic/TrafficBus.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>

using namespace rpcbench;

namespace {

SavedCall savedCall(const QString& name, const QString& method, const QJsonValue& params,
                    const char* assertJson)
{
    SavedCall c;
    c.name = name;
    c.method = method;
    c.params = params;
    QString error;
    for (const QJsonValue& a : QJsonDocument::fromJson(assertJson).array()) {
        const auto assertion = Assertion::fromJson(a, &error);
        if (assertion)
            c.assertions << *assertion;
    }
    return c;
}

// "Demo": hello (echo, passes), Math/sum (add 1+2 with c defaulting to 10: 13, asserted 3: fails).
Collection demo()
{
    Collection c;
    c.name = QStringLiteral("Demo");
    c.items = {CollectionItem::makeCall(savedCall(QStringLiteral("hello"), QStringLiteral("echo"),
                                                  QJsonArray{QStringLiteral("hi")},
                                                  R"([{"result": true}, {"equals": "hi"}])")),
               CollectionItem::makeFolder(
                   QStringLiteral("Math"),
                   {CollectionItem::makeCall(savedCall(QStringLiteral("sum"), QStringLiteral("add"),
                                                       QJsonArray{1, 2}, R"([{"equals": 3}])"))})};
    return c;
}

} // namespace

class TestCollectionsPanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void runAllShowsPassAndFail();
    void runOneFolder();
    void stopMidRun();
    void editAndRun();
    void editLoadWeight();
    void badTargetIsAProblemNotACrash();
    void deleteIsUndone();
    void saveCallGoesToTheSelectedCollection();
    void environmentChooser();
    void anotherWorkspaceRefreshesTheEditor();
    void renameInPlace();
    void windowRunsOnTheSessionBus();
    void historySavesToTheSelectedCollection();

private:
    bool runAndWait(const ItemAddress& at);
    QTreeWidgetItem* resultRow(const QString& path) const;

    std::unique_ptr<DemoServerFixture> m_server;
    std::unique_ptr<CollectionStore> m_store;
    std::unique_ptr<CollectionsPanel> m_panel;
    std::shared_ptr<TrafficBus> m_bus;
};

void TestCollectionsPanel::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    QVERIFY(m_server->start());
    m_store = std::make_unique<CollectionStore>();
    m_store->setAll({demo()}, {});
    m_panel = std::make_unique<CollectionsPanel>(m_store.get());
    m_bus = std::make_shared<TrafficBus>();
    m_panel->setTrafficBus(m_bus);
    const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_server->port());
    m_panel->setDefaultTarget([url] { return url; });
    m_panel->resize(500, 600);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestCollectionsPanel::cleanup()
{
    m_panel.reset();
    m_store.reset();
    m_server.reset();
}

bool TestCollectionsPanel::runAndWait(const ItemAddress& at)
{
    QSignalSpy finished(m_panel.get(), &CollectionsPanel::runFinished);
    if (!m_panel->run(at))
        return false;
    return finished.wait(10'000);
}

QTreeWidgetItem* TestCollectionsPanel::resultRow(const QString& path) const
{
    const auto rows = m_panel->results()->findItems(path, Qt::MatchExactly, 0);
    return rows.isEmpty() ? nullptr : rows.first();
}

void TestCollectionsPanel::runAllShowsPassAndFail()
{
    m_panel->select({0, {}});
    auto* run = m_panel->findChild<QAction*>(QStringLiteral("actionRunItem"));
    QVERIFY(run->isEnabled());
    QSignalSpy finished(m_panel.get(), &CollectionsPanel::runFinished);
    run->trigger();
    QVERIFY(m_panel->isRunning());
    QVERIFY(!run->isEnabled()); // one run at a time
    QVERIFY(finished.wait(10'000));
    QVERIFY(run->isEnabled());

    QCOMPARE(m_panel->results()->topLevelItemCount(), 2);
    QTreeWidgetItem* hello = resultRow(QStringLiteral("hello"));
    QTreeWidgetItem* sum = resultRow(QStringLiteral("Math/sum"));
    QVERIFY(hello && sum);
    QCOMPARE(hello->text(1), QStringLiteral("PASS"));
    QCOMPARE(sum->text(1), QStringLiteral("FAIL"));
    QCOMPARE(sum->childCount(), 1);
    QCOMPARE(sum->child(0)->text(1), QStringLiteral("FAIL"));
    QCOMPARE(sum->child(0)->text(2), QStringLiteral("3"));  // expected
    QCOMPARE(sum->child(0)->text(3), QStringLiteral("13")); // actual, next to it
    QCOMPARE(m_panel->summaryLabel()->text(), QStringLiteral("1 passed, 1 failed"));

    CollectionsModel* model = m_panel->model();
    QCOMPARE(model->indexOf({0, {0}}, CollectionsModel::ResultColumn).data().toString(),
             QStringLiteral("PASS"));
    const QModelIndex sumResult = model->indexOf({0, {1, 0}}, CollectionsModel::ResultColumn);
    QCOMPARE(sumResult.data().toString(), QStringLiteral("FAIL"));
    QVERIFY(sumResult.data(Qt::ToolTipRole).toString().contains(QStringLiteral("13")));
    // The calls went out on the bus the traffic log reads.
    QVERIFY(m_bus->publishedCount() >= 4); // two requests, two responses
}

void TestCollectionsPanel::runOneFolder()
{
    QVERIFY(runAndWait({0, {1}}));
    QCOMPARE(m_panel->results()->topLevelItemCount(), 1);
    QVERIFY(resultRow(QStringLiteral("Math/sum")));
    QCOMPARE(m_panel->summaryLabel()->text(), QStringLiteral("0 passed, 1 failed"));
    QVERIFY(runAndWait({0, {0}})); // one call
    QCOMPARE(m_panel->results()->topLevelItemCount(), 1);
    QCOMPARE(resultRow(QStringLiteral("hello"))->text(1), QStringLiteral("PASS"));
}

void TestCollectionsPanel::stopMidRun()
{
    m_store->insertItem({0, {}}, 0,
                        CollectionItem::makeCall(savedCall(QStringLiteral("slow"), QStringLiteral("sleep"),
                                                           QJsonArray{60'000}, "[]")));
    QSignalSpy finished(m_panel.get(), &CollectionsPanel::runFinished);
    QSignalSpy started(m_panel->runner(), &CollectionRunController::callStarted);
    QVERIFY(m_panel->run({0, {}}));
    QVERIFY(started.wait(5000));
    QCOMPARE(started.first().at(1).toString(), QStringLiteral("slow"));
    auto* stop = m_panel->findChild<QAction*>(QStringLiteral("actionStopRun"));
    QVERIFY(stop->isEnabled());
    stop->trigger();
    QVERIFY(finished.wait(5000)); // long before the minute the call would take
    const RunReport report = finished.first().first().value<RunReport>();
    QVERIFY(report.stopped);
    QCOMPARE(report.skippedCount(), 2);
    QVERIFY(m_panel->summaryLabel()->text().endsWith(QStringLiteral("(stopped)")));
    QVERIFY(!stop->isEnabled());
}

void TestCollectionsPanel::editAndRun()
{
    m_panel->select({0, {1, 0}});
    SavedCallEditor* editor = m_panel->editor();
    QVERIFY(editor->isEnabled());
    QCOMPARE(editor->methodEdit()->text(), QStringLiteral("add"));
    // A broken assertion is refused with a one-line error naming it; nothing changes.
    editor->assertionsEdit()->setPlainText(QStringLiteral(R"([{"pointr": "/x"}])"));
    QVERIFY(!editor->apply());
    QVERIFY2(editor->errorText().contains(QStringLiteral("pointr")), qPrintable(editor->errorText()));
    QVERIFY(!editor->errorText().contains(QLatin1Char('\n')));
    editor->paramsEdit()->setPlainText(QStringLiteral("[1, 2"));
    QVERIFY(!editor->apply());
    QVERIFY(editor->errorText().startsWith(QStringLiteral("params:")));
    QCOMPARE(m_store->item({0, {1, 0}})->call, demo().items[1].items[0].call);

    editor->paramsEdit()->setPlainText(QStringLiteral("[1, 2, 0]"));
    editor->assertionsEdit()->setPlainText(QStringLiteral(R"([{"equals": 3}, {"latencyMs": 5000}])"));
    editor->nameEdit()->setText(QStringLiteral("three"));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    QCOMPARE(editor->errorText(), QString());
    const SavedCall edited = m_store->item({0, {1, 0}})->call;
    QCOMPARE(edited.name, QStringLiteral("three"));
    QCOMPARE(edited.params, QJsonValue(QJsonArray{1, 2, 0}));
    QCOMPARE(edited.assertions.size(), 2);
    QCOMPARE(m_panel->model()->indexOf({0, {1, 0}}).data().toString(), QStringLiteral("three"));

    QVERIFY(runAndWait({0, {1}}));
    QCOMPARE(resultRow(QStringLiteral("Math/three"))->text(1), QStringLiteral("PASS"));
    QCOMPARE(m_panel->summaryLabel()->text(), QStringLiteral("1 passed, 0 failed"));
}

// The editor's Load weight: typed in, applied with the call, shown again on selection; back at
// 1 it leaves the file; a weight finer than the box's 3 decimals survives other edits.
void TestCollectionsPanel::editLoadWeight()
{
    m_panel->select({0, {1, 0}});
    SavedCallEditor* editor = m_panel->editor();
    QDoubleSpinBox* weight = editor->weightEdit();
    QCOMPARE(weight->value(), 1.0);
    QVERIFY(!weight->toolTip().isEmpty());
    weight->setFocus();
    weight->selectAll();
    QTest::keyClicks(weight, weight->locale().toString(2.5, 'f', 3));
    QCOMPARE(weight->value(), 2.5);
    QCOMPARE(m_store->item({0, {1, 0}})->call.weight, 1.0); // nothing saved before Apply
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    QCOMPARE(editor->errorText(), QString());
    SavedCall expected = demo().items[1].items[0].call;
    expected.weight = 2.5;
    QCOMPARE(m_store->item({0, {1, 0}})->call, expected);
    QCOMPARE(m_store->item({0, {1, 0}})->call.toJson().value(QStringLiteral("weight")), QJsonValue(2.5));

    m_panel->select({0, {0}});
    QCOMPARE(weight->value(), 1.0);
    m_panel->select({0, {1, 0}});
    QCOMPARE(weight->value(), 2.5);
    weight->setValue(1.0);
    QVERIFY(editor->apply());
    QCOMPARE(m_store->item({0, {1, 0}})->call, demo().items[1].items[0].call);
    QVERIFY(!m_store->item({0, {1, 0}})->call.toJson().contains(QStringLiteral("weight")));

    SavedCall fine = demo().items[0].call;
    fine.weight = 0.0005;
    m_store->replaceItem({0, {0}}, CollectionItem::makeCall(fine));
    m_panel->select({0, {0}});
    QCOMPARE(weight->value(), 0.001); // shown as near as the box goes
    editor->nameEdit()->setText(QStringLiteral("hello again"));
    QVERIFY(editor->apply());
    QCOMPARE(m_store->item({0, {0}})->call.weight, 0.0005);
    QCOMPARE(m_store->item({0, {0}})->call.name, QStringLiteral("hello again"));
}

void TestCollectionsPanel::badTargetIsAProblemNotACrash()
{
    SavedCall c = savedCall(QStringLiteral("nowhere"), QStringLiteral("echo"), QJsonArray{1}, "[]");
    c.target = QStringLiteral("{{baseUrl}}");
    m_store->replaceItem({0, {0}}, CollectionItem::makeCall(c));
    QVERIFY(runAndWait({0, {0}}));
    QTreeWidgetItem* row = resultRow(QStringLiteral("nowhere"));
    QCOMPARE(row->text(1), QStringLiteral("FAIL"));
    QVERIFY(row->child(0)->text(3).contains(QStringLiteral("baseUrl"))); // the variable named
    // Defined by the chosen environment, it runs.
    m_store->setEnvironments(
        {{QStringLiteral("local"),
          {{QStringLiteral("baseUrl"), QStringLiteral("tcp://127.0.0.1:%1").arg(m_server->port())}}}});
    m_store->setCurrentEnvironment(QStringLiteral("local"));
    QVERIFY(runAndWait({0, {0}}));
    QCOMPARE(resultRow(QStringLiteral("nowhere"))->text(1), QStringLiteral("PASS"));
}

void TestCollectionsPanel::deleteIsUndone()
{
    m_panel->select({0, {1}});
    auto* remove = m_panel->findChild<QAction*>(QStringLiteral("actionDeleteItem"));
    remove->trigger(); // no question: the bar below offers Undo
    QCOMPARE(m_store->collections()[0].items.size(), 1);
    auto* bar = m_panel->findChild<QWidget*>(QStringLiteral("undoDeleteBar"));
    QVERIFY(bar->isVisible());
    QVERIFY(bar->findChild<QLabel*>()->text().contains(QStringLiteral("Math")));
    QTest::mouseClick(m_panel->findChild<QPushButton*>(QStringLiteral("undoDeleteButton")), Qt::LeftButton);
    QVERIFY(!bar->isVisible());
    QCOMPARE(m_store->collections()[0], demo());

    m_panel->select({0, {}}); // a whole collection, with the Del key
    m_panel->tree()->setFocus();
    QTest::keyClick(m_panel->tree(), Qt::Key_Delete);
    QVERIFY(m_store->collections().isEmpty());
    m_panel->undoDelete();
    QCOMPARE(m_store->collections(), QList<Collection>{demo()});
}

void TestCollectionsPanel::saveCallGoesToTheSelectedCollection()
{
    SavedCall c;
    c.method = QStringLiteral("now");
    m_panel->select({0, {1, 0}}); // a call: into its folder
    QCOMPARE(m_panel->saveCall(c), (ItemAddress{0, {1, 1}}));
    QCOMPARE(m_panel->selectedAddress(), (ItemAddress{0, {1, 1}}));
    QCOMPARE(m_panel->editor()->methodEdit()->text(), QStringLiteral("now"));
    m_panel->select({});
    QCOMPARE(m_panel->saveCall(c), (ItemAddress{1, {0}}));
    QCOMPARE(m_store->collections()[1].name, QStringLiteral("Saved calls"));

    // New folder and duplicate act on the selection.
    m_panel->select({1, {0}});
    m_panel->findChild<QAction*>(QStringLiteral("actionDuplicateItem"))->trigger();
    QCOMPARE(m_store->item({1, {1}})->displayName(), QStringLiteral("now copy"));
    QCOMPARE(m_panel->selectedAddress(), (ItemAddress{1, {1}}));
    m_panel->findChild<QAction*>(QStringLiteral("actionNewFolder"))->trigger();
    QVERIFY(m_store->item({1, {2}})->isFolder);
}

void TestCollectionsPanel::environmentChooser()
{
    QComboBox* combo = m_panel->environmentCombo();
    QCOMPARE(combo->count(), 1);
    QCOMPARE(combo->currentText(), QStringLiteral("No environment"));
    m_store->setEnvironments({{QStringLiteral("dev"), {}}, {QStringLiteral("prod"), {}}});
    QCOMPARE(combo->count(), 3);
    combo->setCurrentIndex(2);
    emit combo->activated(2);
    QCOMPARE(m_store->currentEnvironment(), QStringLiteral("prod"));
    m_store->setCurrentEnvironment(QString());
    QCOMPARE(combo->currentIndex(), 0);
}

void TestCollectionsPanel::anotherWorkspaceRefreshesTheEditor()
{
    m_panel->select({0, {0}});
    QCOMPARE(m_panel->editor()->methodEdit()->text(), QStringLiteral("echo"));
    Collection same = demo(); // the same shape, another call at the same address
    same.items[0].call.method = QStringLiteral("now");
    m_store->setAll({same}, {});
    m_panel->select({0, {0}});
    QCOMPARE(m_panel->editor()->methodEdit()->text(), QStringLiteral("now"));
    QVERIFY(m_panel->editor()->apply());
    QCOMPARE(m_store->item({0, {0}})->call.method, QStringLiteral("now"));
}

void TestCollectionsPanel::renameInPlace()
{
    m_panel->findChild<QAction*>(QStringLiteral("actionNewCollection"))->trigger();
    QCOMPARE(m_panel->selectedAddress(), (ItemAddress{1, {}}));
    // New collection opens its name for editing at once; typing and Enter renames it.
    QLineEdit* editor = nullptr;
    QTRY_VERIFY(editor = m_panel->tree()->viewport()->findChild<QLineEdit*>());
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Smoke tests"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(m_store->collections()[1].name, QStringLiteral("Smoke tests"));
    m_panel->findChild<QAction*>(QStringLiteral("actionNewFolder"))->trigger();
    QCOMPARE(m_store->collections()[1].items.size(), 1);
    QVERIFY(m_store->collections()[1].items[0].isFolder);
    QCOMPARE(m_panel->selectedAddress(), (ItemAddress{1, {0}}));
}

void TestCollectionsPanel::windowRunsOnTheSessionBus()
{
    // The window: the dock (closed on first run, in the View menu), "Save to collection" from
    // the composer, a run against the embedded server (the default target) that shows in the
    // traffic log, and all of it usable at 1024×640.
    Dialogs::setQuiet(true);
    QTemporaryDir dir;
    MainWindow window(std::make_unique<Settings>(dir.filePath(QStringLiteral("s.ini"))));
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("collectionsDock"));
    QVERIFY(dock && !dock->isVisible());
    window.portSpin()->setValue(0);
    QVERIFY(window.startServer());

    window.collections()->setAll({demo()}, {});
    window.clientPanel()->composer()->loadCall(QStringLiteral("echo"), QJsonArray{QStringLiteral("saved")});
    CollectionsPanel* panel = window.collectionsPanel();
    panel->select({0, {}});
    QVERIFY(window.saveToCollection());
    QVERIFY(dock->isVisible()); // shown by the save
    QCOMPARE(window.collections()->item({0, {2}})->call.method, QStringLiteral("echo"));
    QVERIFY(window.collections()->item({0, {2}})->call.target.isEmpty()); // the embedded server

    const int logRows = window.logPanel()->model()->rowCount();
    panel->select({0, {}});
    QSignalSpy finished(panel, &CollectionsPanel::runFinished);
    QVERIFY(panel->runSelected());
    QVERIFY(finished.wait(10'000));
    QCOMPARE(panel->summaryLabel()->text(), QStringLiteral("2 passed, 1 failed"));
    QTRY_VERIFY_WITH_TIMEOUT(window.logPanel()->model()->rowCount() >= logRows + 6, 10'000);

    QApplication::processEvents();
    // Any second dock in the left column costs its tab bar's height (the Proxies dock as well:
    // the server panel's minimum then needs a few px more than 640). The Collections panel
    // itself must cost nothing more than that.
    auto* proxies = window.findChild<QDockWidget*>(QStringLiteral("proxiesDock"));
    dock->hide();
    proxies->show();
    QApplication::processEvents();
    const QSize withProxies = window.minimumSizeHint();
    proxies->hide();
    dock->show();
    QApplication::processEvents();
    const QSize minimum = window.minimumSizeHint();
    QVERIFY2(minimum.width() <= 1024 && minimum.height() <= withProxies.height(),
             qPrintable(QStringLiteral("window %1x%2 (with the Proxies dock %3x%4), panel %5x%6")
                            .arg(minimum.width())
                            .arg(minimum.height())
                            .arg(withProxies.width())
                            .arg(withProxies.height())
                            .arg(panel->minimumSizeHint().width())
                            .arg(panel->minimumSizeHint().height())));
    for (const QAbstractButton* b : panel->findChildren<QAbstractButton*>()) {
        if (b->isVisible())
            QVERIFY2(b->width() + 1 >= b->minimumSizeHint().width(), qPrintable(b->text()));
    }
    QVERIFY2(panel->tree()->viewport()->height() >= 3 * panel->tree()->fontMetrics().height(),
             qPrintable(QString::number(panel->tree()->viewport()->height())));
    const QString shot =
        qEnvironmentVariable("RPCBENCH_COLLECTIONS_SHOT", QStringLiteral("/tmp/collections-panel.png"));
    QVERIFY(window.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
}

// A call made earlier, picked in the History tab and saved: method, params and dialect go to
// the selected collection; the embedded server's URL is not kept (its port changes).
void TestCollectionsPanel::historySavesToTheSelectedCollection()
{
    Dialogs::setQuiet(true);
    QTemporaryDir dir;
    MainWindow window(std::make_unique<Settings>(dir.filePath(QStringLiteral("s.ini"))));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.portSpin()->setValue(0);
    QVERIFY(window.startServer());
    window.collections()->setAll({demo()}, {});
    window.collectionsPanel()->select({0, {1}}); // the Math folder

    CallHistoryModel* history = window.clientPanel()->history();
    CallRequest request;
    request.method = QStringLiteral("add");
    request.params = QJsonArray{4, 5};
    QVERIFY(window.clientPanel()->sendCall(request));
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 1, 10'000);

    HistoryPanel* panel = window.clientPanel()->historyPanel();
    auto* save = panel->findChild<QToolButton*>(QStringLiteral("historySaveButton"));
    QVERIFY(save);
    QVERIFY(!save->isEnabled()); // nothing selected yet
    panel->view()->setCurrentIndex(history->index(0, 0));
    QVERIFY(save->isEnabled());
    QSignalSpy saved(panel, &HistoryPanel::saveRequested);
    save->click();
    QCOMPARE(saved.size(), 1);

    const CollectionItem* item = window.collections()->item({0, {1, 1}});
    QVERIFY(item && !item->isFolder);
    QCOMPARE(item->call.method, QStringLiteral("add"));
    QCOMPARE(item->call.params, QJsonValue(QJsonArray{4, 5}));
    QCOMPARE(item->call.dialect, QStringLiteral("2.0"));
    QVERIFY2(item->call.target.isEmpty(), qPrintable(item->call.target));
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("collectionsDock"))->isVisible());
}

QTEST_MAIN(TestCollectionsPanel)
#include "tst_collectionspanel.moc"
