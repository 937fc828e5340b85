// The Load panel offscreen, against an in-process RpcServer on 127.0.0.1 (any free port): bad
// input is explained in the panel and starts nothing; a run fills the charts, Stop ends it
// mid-run; "Copy as command" gives the equivalent `rpcbench bench` line; JSON, CSV and PNG
// exports hold the run; a second run starts from empty charts and leaves no objects behind;
// "Use composer's call", a collection's calls as a mix, the log note. Last, the main window
// with the Load dock during a run: screenshot-load.png in RPCBENCH_SCREENSHOT_DIR.

#include "DemoServerFixture.h"

#include "client/ParamForm.h"
#include "collections/CollectionStore.h"
#include "load/LoadCharts.h"
#include "load/LoadPanel.h"
#include "load/LoadRunController.h"
#include "widgets/ElidedLabel.h"
#include "widgets/NumberSpinBox.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QBarSet>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

class TestLoadPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void badInputShowsMessage_data();
    void badInputShowsMessage();
    void runFillsChartsAndStopWorks();
    void errorsByCode();
    void copyAsCommand();
    void exportJsonCsvPng();
    void secondRunStartsEmptyAndLeavesNothing();
    void useComposerCall();
    void collectionMix();
    void logNote();
    void mainWindowScreenshot();

private:
    template <class T> T* find(const QString& name) const
    {
        T* w = m_panel->findChild<T*>(name);
        if (!w)
            qFatal("no child named %s", qPrintable(name));
        return w;
    }
    void fill(const QString& method, const QString& params, double seconds);
    bool runToEnd();
    QString url() const { return QStringLiteral("tcp://127.0.0.1:%1").arg(m_server.port()); }

    DemoServerFixture m_server;
    CollectionStore m_store;
    std::unique_ptr<LoadPanel> m_panel;
    QTemporaryDir m_dir;
};

void TestLoadPanel::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_dir.isValid());
    Dialogs::setQuiet(true);
}

void TestLoadPanel::init()
{
    m_store.setAll({}, {});
    m_panel = std::make_unique<LoadPanel>(&m_store);
    m_panel->resize(1100, 420);
    m_panel->show();
}

void TestLoadPanel::cleanup()
{
    m_panel.reset();
}

void TestLoadPanel::fill(const QString& method, const QString& params, double seconds)
{
    find<QLineEdit>(QStringLiteral("loadUrl"))->setText(url());
    find<QLineEdit>(QStringLiteral("loadMethod"))->setText(method);
    find<QLineEdit>(QStringLiteral("loadParams"))->setText(params);
    find<QDoubleSpinBox>(QStringLiteral("loadDuration"))->setValue(seconds);
}

bool TestLoadPanel::runToEnd()
{
    QSignalSpy finished(m_panel->controller(), &LoadRunController::finished);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStartButton")), Qt::LeftButton);
    return m_panel->isRunning() && finished.wait(20'000);
}

void TestLoadPanel::badInputShowsMessage_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("params");
    QTest::addColumn<bool>("openLoop");
    QTest::addColumn<double>("rate");
    QTest::addColumn<bool>("mix");
    QTest::addColumn<QString>("message");
    const QString ok = QStringLiteral("tcp://127.0.0.1:1");
    QTest::newRow("no URL") << QString() << "add"
                            << "" << false << 0.0 << false << "Enter a target URL";
    QTest::newRow("bad URL") << "nope://x"
                             << "add"
                             << "" << false << 0.0 << false << "nope";
    QTest::newRow("bad params") << ok << "add"
                                << "[1, 2" << false << 0.0 << false << "not valid JSON";
    QTest::newRow("params not array") << ok << "add"
                                      << "42" << false << 0.0 << false << "array or object";
    QTest::newRow("params without method") << ok << ""
                                           << "[1]" << false << 0.0 << false << "need a method";
    QTest::newRow("rate 0") << ok << "add"
                            << "" << true << 0.0 << false << "rate above 0";
    QTest::newRow("no collection") << ok << ""
                                   << "" << false << 0.0 << true << "Pick a collection";
}

void TestLoadPanel::badInputShowsMessage()
{
    QFETCH(QString, url);
    QFETCH(QString, method);
    QFETCH(QString, params);
    QFETCH(bool, openLoop);
    QFETCH(double, rate);
    QFETCH(bool, mix);
    QFETCH(QString, message);
    find<QLineEdit>(QStringLiteral("loadUrl"))->setText(url);
    find<QLineEdit>(QStringLiteral("loadMethod"))->setText(method);
    find<QLineEdit>(QStringLiteral("loadParams"))->setText(params);
    find<QRadioButton>(openLoop ? QStringLiteral("loadOpenLoop") : QStringLiteral("loadClosedLoop"))
        ->setChecked(true);
    find<QDoubleSpinBox>(QStringLiteral("loadRate"))->setValue(rate);
    find<QRadioButton>(mix ? QStringLiteral("loadCollectionMix") : QStringLiteral("loadSingleCall"))
        ->setChecked(true);
    QSignalSpy status(m_panel.get(), &LoadPanel::status);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStartButton")), Qt::LeftButton);
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->messageLabel()->text().contains(message), qPrintable(m_panel->messageLabel()->text()));
    QCOMPARE(status.count(), 1);
    QVERIFY(find<QPushButton>(QStringLiteral("loadStartButton"))->isEnabled());
    QVERIFY(!find<QPushButton>(QStringLiteral("loadCopyCommandButton"))->isEnabled());
}

void TestLoadPanel::runFillsChartsAndStopWorks()
{
    fill(QStringLiteral("add"), QStringLiteral("[1, 2]"), 60);
    find<QSpinBox>(QStringLiteral("loadConnections"))->setValue(2);
    QSignalSpy finished(m_panel->controller(), &LoadRunController::finished);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStartButton")), Qt::LeftButton);
    QVERIFY2(m_panel->isRunning(), qPrintable(m_panel->messageLabel()->text()));
    QVERIFY(!find<QPushButton>(QStringLiteral("loadStartButton"))->isEnabled());
    QVERIFY(!find<QLineEdit>(QStringLiteral("loadUrl"))->isEnabled());
    LoadCharts* charts = m_panel->charts();
    QTRY_VERIFY_WITH_TIMEOUT(charts->sentSeries()->count() >= 2, 10'000);
    QVERIFY(charts->completedSeries()->count() >= 2);
    QCOMPARE(charts->p50Series()->count(), charts->sentSeries()->count());
    QVERIFY(charts->completedSeries()->at(0).y() > 0);
    QVERIFY(charts->p99Series()->at(0).y() > 0);                 // ms
    QVERIFY(charts->redraws() <= charts->sentSeries()->count()); // at most one redraw per batch
    // The histogram grows while the run goes: it holds the calls of the seconds drawn so far.
    const auto histogramTotal = [charts] {
        qreal total = 0;
        for (int i = 0; i < charts->histogramSet()->count(); ++i)
            total += charts->histogramSet()->at(i);
        return quint64(total);
    };
    QTRY_VERIFY(histogramTotal() > 0);
    QVERIFY(m_panel->isRunning());
    qreal completedDrawn = 0;
    for (const QPointF& p : charts->completedSeries()->points())
        completedDrawn += p.y();
    QCOMPARE(histogramTotal(), quint64(completedDrawn));

    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStopButton")), Qt::LeftButton);
    QVERIFY(finished.wait(5000));
    QVERIFY(!m_panel->isRunning());
    QVERIFY(find<QPushButton>(QStringLiteral("loadStartButton"))->isEnabled());
    QVERIFY(find<QPushButton>(QStringLiteral("loadCopyCommandButton"))->isEnabled());
    const LoadResult r = m_panel->controller()->lastResult();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.elapsedSeconds < 30);
    QCOMPARE(histogramTotal(), r.calls);
    QCOMPARE(charts->runLatency().count(), r.calls); // the live samples were every sample
    QCOMPARE(charts->sentSeries()->count(), r.timeSeries.size());
    QVERIFY2(m_panel->summaryLabel()->text().contains(QStringLiteral("%1 calls").arg(r.calls)),
             qPrintable(m_panel->summaryLabel()->text()));
    QVERIFY(m_panel->summaryLabel()->text().contains(QStringLiteral("p99")));
    QCOMPARE(m_panel->errorsLabel()->text(), QStringLiteral("Errors: 0"));
}

// Error replies are shown by code, while the run goes and at its end.
void TestLoadPanel::errorsByCode()
{
    fill(QStringLiteral("fail"), QStringLiteral("[-32042, \"injected\"]"), 1.5);
    QSignalSpy finished(m_panel->controller(), &LoadRunController::finished);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStartButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->errorsLabel()->fullText().contains(QStringLiteral("(-32042 ×")),
                             10'000);
    QVERIFY(finished.wait(20'000));
    const LoadResult r = m_panel->controller()->lastResult();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.errors > 0);
    QCOMPARE(r.errors, r.calls);
    QCOMPARE(m_panel->errorsLabel()->fullText(), QStringLiteral("Errors: %1 (-32042 ×%1)").arg(r.errors));
}

void TestLoadPanel::copyAsCommand()
{
    fill(QStringLiteral("add"), QStringLiteral("[1, 2]"), 0.5);
    find<QSpinBox>(QStringLiteral("loadConnections"))->setValue(3);
    find<QSpinBox>(QStringLiteral("loadDepth"))->setValue(2);
    QVERIFY(runToEnd());
    const QString closed = QStringLiteral("rpcbench bench --url %1 --conns 3 --depth 2 --seconds 0.5 "
                                          "--method add --params '[1,2]'")
                               .arg(url());
    QCOMPARE(m_panel->command(), closed);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadCopyCommandButton")), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), closed);

    find<QRadioButton>(QStringLiteral("loadOpenLoop"))->setChecked(true);
    QCOMPARE(find<QSpinBox>(QStringLiteral("loadDepth"))->value(), 2); // a typed value stays
    find<QDoubleSpinBox>(QStringLiteral("loadRate"))->setValue(300);
    find<QDoubleSpinBox>(QStringLiteral("loadRamp"))->setValue(0.2);
    find<QDoubleSpinBox>(QStringLiteral("loadRampFrom"))->setValue(50);
    find<QComboBox>(QStringLiteral("loadDialect"))->setCurrentText(QStringLiteral("1.0"));
    find<QLineEdit>(QStringLiteral("loadMethod"))->clear();
    find<QLineEdit>(QStringLiteral("loadParams"))->clear();
    QVERIFY(runToEnd());
    QCOMPARE(m_panel->command(), QStringLiteral("rpcbench bench --url %1 --dialect 1.0 --conns 3 --depth 2 "
                                                "--seconds 0.5 --rate 300 --ramp 0.2 --ramp-from 50")
                                     .arg(url()));
    QVERIFY(m_panel->summaryLabel()->text().contains(QStringLiteral("late")));
}

void TestLoadPanel::exportJsonCsvPng()
{
    fill(QStringLiteral("add"), QStringLiteral("[1, 2]"), 1.2);
    QVERIFY(runToEnd());
    const LoadResult r = m_panel->controller()->lastResult();
    QVERIFY(r.ok);

    const QString json = m_dir.filePath(QStringLiteral("run.json"));
    Dialogs::setNextFileName(json); // through the menu's file dialog, answered ahead
    auto* exportButton = find<QWidget>(QStringLiteral("loadExportButton"));
    QVERIFY(exportButton->isEnabled());
    QMenu* menu = exportButton->findChild<QMenu*>();
    QVERIFY(menu);
    menu->actions().at(0)->trigger();
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(o.value(QStringLiteral("calls")).toInteger(), qint64(r.calls));
    QCOMPARE(o.value(QStringLiteral("loop")).toString(), QStringLiteral("closed"));
    QCOMPARE(o.value(QStringLiteral("timeSeries")).toArray().size(), r.timeSeries.size());
    QCOMPARE(o.value(QStringLiteral("latencyUs")).toObject().value(QStringLiteral("p99")).toInteger(),
             qint64(r.latency.percentile(99)));
    QVERIFY(!o.value(QStringLiteral("latencyHistogram")).toArray().isEmpty());
    QCOMPARE(o.value(QStringLiteral("command")).toString(), m_panel->command());

    const QString csv = m_dir.filePath(QStringLiteral("run.csv"));
    QVERIFY(m_panel->exportCsv(csv));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csvFile.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), r.timeSeries.size() + 1);
    QCOMPARE(lines.at(0), QByteArray("second,sent,completed,errors,p50_us,p90_us,p99_us,max_us"));
    QVERIFY(lines.at(1).startsWith(
        QStringLiteral("0,%1,%2,").arg(r.timeSeries.at(0).sent).arg(r.timeSeries.at(0).completed).toUtf8()));

    const QString png = m_dir.filePath(QStringLiteral("charts.png"));
    QVERIFY(m_panel->exportPng(png));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 300);

    QString error;
    QVERIFY(!m_panel->exportCsv(m_dir.filePath(QStringLiteral("no/such/dir/x.csv")), &error));
    QVERIFY(!error.isEmpty());
}

void TestLoadPanel::secondRunStartsEmptyAndLeavesNothing()
{
    fill(QStringLiteral("echo"), QStringLiteral("[\"hi\"]"), 1.1);
    QVERIFY(runToEnd());
    const int objectsAfterFirst = m_panel->findChildren<QObject*>().size();
    const int pointsFirst = m_panel->charts()->sentSeries()->count();
    QVERIFY(pointsFirst >= 1);

    QSignalSpy finished(m_panel->controller(), &LoadRunController::finished);
    QTest::mouseClick(find<QPushButton>(QStringLiteral("loadStartButton")), Qt::LeftButton);
    QCOMPARE(m_panel->charts()->sentSeries()->count(), 0); // emptied at the start
    QCOMPARE(m_panel->charts()->histogramSet()->count(), 0);
    QVERIFY(finished.wait(20'000));
    const LoadResult r = m_panel->controller()->lastResult();
    QCOMPARE(m_panel->charts()->sentSeries()->count(), r.timeSeries.size());
    QCOMPARE(m_panel->charts()->maxSeries()->count(), r.timeSeries.size());
    QCOMPARE(m_panel->findChildren<QObject*>().size(), objectsAfterFirst);
    QTRY_COMPARE(m_panel->controller()->findChildren<QObject*>().size(), 1); // its thread only
}

void TestLoadPanel::useComposerCall()
{
    auto* button = find<QPushButton>(QStringLiteral("useComposerCallButton"));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("No composer")));
    LoadComposerCall call;
    call.error = QStringLiteral("b: expected a number");
    m_panel->setComposerSource([&call] { return call; });
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(m_panel->messageLabel()->text().contains(call.error));
    QVERIFY(find<QLineEdit>(QStringLiteral("loadUrl"))->text().isEmpty());

    call = {url(), Dialect::Classic, QStringLiteral("add"), QJsonArray{1, 2}, QString()};
    find<QRadioButton>(QStringLiteral("loadCollectionMix"))->setChecked(true);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(find<QLineEdit>(QStringLiteral("loadUrl"))->text(), url());
    QCOMPARE(find<QComboBox>(QStringLiteral("loadDialect"))->currentText(), QStringLiteral("classic"));
    QCOMPARE(find<QLineEdit>(QStringLiteral("loadMethod"))->text(), QStringLiteral("add"));
    QCOMPARE(find<QLineEdit>(QStringLiteral("loadParams"))->text(), QStringLiteral("[1,2]"));
    QVERIFY(find<QRadioButton>(QStringLiteral("loadSingleCall"))->isChecked());
}

void TestLoadPanel::collectionMix()
{
    SavedCall add;
    add.method = QStringLiteral("add");
    add.params = QJsonArray{1, QStringLiteral("{{b}}")};
    SavedCall echo;
    echo.name = QStringLiteral("say hi");
    echo.method = QStringLiteral("echo");
    echo.params = QJsonArray{QStringLiteral("hi")};
    SavedCall missing;
    missing.method = QStringLiteral("add");
    missing.params = QJsonArray{QStringLiteral("{{nope}}")};
    Collection c;
    c.name = QStringLiteral("Demo mix");
    c.variables.insert(QStringLiteral("b"), 2);
    c.items = {CollectionItem::makeFolder(QStringLiteral("Math"), {CollectionItem::makeCall(add)}),
               CollectionItem::makeCall(echo)};
    Collection broken;
    broken.name = QStringLiteral("Broken");
    broken.items = {CollectionItem::makeCall(echo), CollectionItem::makeCall(missing)};
    m_store.setAll({broken, c}, {});
    m_panel->setWorkspaceFile([] { return QStringLiteral("/tmp/my bench.json"); });
    auto* combo = find<QComboBox>(QStringLiteral("loadCollection"));
    QCOMPARE(combo->count(), 2);
    find<QRadioButton>(QStringLiteral("loadCollectionMix"))->setChecked(true);
    QVERIFY(!find<QLineEdit>(QStringLiteral("loadMethod"))->isEnabled());
    QVERIFY(combo->isEnabled());
    find<QLineEdit>(QStringLiteral("loadUrl"))->setText(url());

    // An undefined variable: named in the panel, nothing starts.
    combo->setCurrentIndex(0);
    QVERIFY(!m_panel->start());
    QVERIFY2(m_panel->messageLabel()->text().contains(QStringLiteral("nope")),
             qPrintable(m_panel->messageLabel()->text()));
    QVERIFY(!m_panel->isRunning());

    combo->setCurrentIndex(1);
    QString error;
    LoadReport::CollectionSource source;
    const auto o = m_panel->options(&error, &source);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(source.collection, QStringLiteral("Demo mix"));
    QCOMPARE(o->mix.size(), 2);
    QCOMPARE(o->mix.at(0).method, QStringLiteral("add"));
    QCOMPARE(o->mix.at(0).params, QByteArray("[1,2]")); // {{b}} resolved, a number
    QCOMPARE(o->mix.at(1).method, QStringLiteral("echo"));

    find<QDoubleSpinBox>(QStringLiteral("loadDuration"))->setValue(0.5);
    QVERIFY(runToEnd());
    QVERIFY2(m_panel->controller()->lastResult().ok, qPrintable(m_panel->controller()->lastResult().error));
    QCOMPARE(m_panel->command(),
             QStringLiteral("rpcbench bench --url %1 --conns 1 --depth 1 --seconds 0.5 "
                            "--from-collection '/tmp/my bench.json' --collection 'Demo mix'")
                 .arg(url()));

    // The collection list follows the store (renamed here; a reset empties it).
    m_store.renameCollection(1, QStringLiteral("Renamed"));
    QCOMPARE(combo->itemText(1), QStringLiteral("Renamed"));
    m_store.setAll({}, {});
    QCOMPARE(combo->count(), 0);
}

void TestLoadPanel::logNote()
{
    auto* note = find<QLabel>(QStringLiteral("loadLogNote"));
    QVERIFY(note->text().contains(QStringLiteral("not written to the traffic log")));
    find<QSpinBox>(QStringLiteral("loadLogEvery"))->setValue(100);
    QVERIFY(note->text().contains(QStringLiteral("100th")));
    find<QLineEdit>(QStringLiteral("loadUrl"))->setText(url());
    QString error;
    QVERIFY(!m_panel->options(&error)); // no bus to log on: said, not ignored
    m_panel->setTrafficBus(m_server.bus);
    const auto o = m_panel->options(&error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->logEveryNth, 100);
    QVERIFY(o->bus == m_server.bus);
}

// The real window, offscreen, with the Load dock during an open-loop run against the embedded
// server, taking the composer's add(1, 2, 3): docs/screenshot-load.png comes from here.
void TestLoadPanel::mainWindowScreenshot()
{
    m_panel.reset();
    const QString ini = m_dir.filePath(QStringLiteral("settings.ini"));
    QFile::remove(ini);
    auto window = std::make_unique<MainWindow>(std::make_unique<Settings>(ini));
    window->resize(1440, 900);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->findChild<QSpinBox*>(QStringLiteral("serverPortSpin"))->setValue(0);
    QVERIFY(window->startServer());
    auto* methods = window->findChild<QComboBox*>(QStringLiteral("methodCombo"));
    methods->setCurrentIndex(methods->findText(QStringLiteral("add")));
    const std::pair<const char*, const char*> values[] = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
    for (const auto& [name, value] : values) {
        auto* spin = window->findChild<NumberSpinBox*>(QStringLiteral("param_") + QLatin1String(name));
        QVERIFY(spin);
        spin->setText(QLatin1String(value));
    }
    auto* dock = window->findChild<QDockWidget*>(QStringLiteral("loadDock"));
    QVERIFY(dock);
    QVERIFY(dock->isHidden()); // opt-in: View > Load
    dock->show();
    dock->raise();
    window->resizeDocks({dock}, {430}, Qt::Vertical); // the whole form and the charts in view
    LoadPanel* panel = window->loadPanel();
    auto* take = panel->findChild<QPushButton*>(QStringLiteral("useComposerCallButton"));
    QTest::mouseClick(take, Qt::LeftButton);
    QCOMPARE(panel->findChild<QLineEdit*>(QStringLiteral("loadUrl"))->text(), window->session()->serverUrl());
    QCOMPARE(panel->findChild<QLineEdit*>(QStringLiteral("loadMethod"))->text(), QStringLiteral("add"));
    panel->findChild<QRadioButton*>(QStringLiteral("loadOpenLoop"))->setChecked(true);
    panel->findChild<QDoubleSpinBox*>(QStringLiteral("loadRate"))->setValue(2000);
    panel->findChild<QDoubleSpinBox*>(QStringLiteral("loadRamp"))->setValue(3);
    panel->findChild<QDoubleSpinBox*>(QStringLiteral("loadRampFrom"))->setValue(200);
    panel->findChild<QDoubleSpinBox*>(QStringLiteral("loadDuration"))->setValue(30);
    panel->findChild<QSpinBox*>(QStringLiteral("loadConnections"))->setValue(4);
    QVERIFY2(panel->start(), qPrintable(panel->messageLabel()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(panel->charts()->sentSeries()->count() >= 5, 15'000);
    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(QStringLiteral("screenshot-load.png"));
    QVERIFY(window->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(shot)));
    // Closing the window mid-run: the run ends with it, no crash, no leak.
    window.reset();
}

QTEST_MAIN(TestLoadPanel)
#include "tst_loadpanel.moc"
