// The window's frame (issue 11): a title that names the workspace once, a status bar that drops
// an old "port in use" error after a successful start, the GUI's own default port, a toolbar
// that hides nothing at 1024 px, and the Help menu (About with versions and licenses, keyboard
// shortcuts generated from the actions, the docs folder).

#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/HelpMenu.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/ShortcutsDialog.h"

#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QMenuBar>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

using namespace rpcbench;

class TestWindowFrame : public QObject
{
    Q_OBJECT
public slots:
    void openUrl(const QUrl& url) { m_opened << url; } // QDesktopServices' handler for file:

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void titleNamesTheWorkspaceOnce();
    void guiDefaultPortIsNotServes();
    void statusBarDropsAnOldErrorOnStart();
    void toolbarHidesNothing_data();
    void toolbarHidesNothing();
    void helpMenuHasItsActions();
    void aboutShowsVersionsAndLicenses();
    void shortcutsAreListedFromTheActions();
    void docsFolderOpens();

private:
    QAction* action(const QString& name) const { return m_window->findChild<QAction*>(name); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QList<QUrl> m_opened;
};

void TestWindowFrame::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Dialogs::setQuiet(true);
}

void TestWindowFrame::init()
{
    QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
    m_window = std::make_unique<MainWindow>(
        std::make_unique<Settings>(m_dir.filePath(QStringLiteral("settings.ini"))));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWindowFrame::cleanup()
{
    m_window.reset();
    Dialogs::resetAnswers();
}

void TestWindowFrame::titleNamesTheWorkspaceOnce()
{
    const QString title = m_window->windowTitle();
    QCOMPARE(title, QStringLiteral("Untitled[*] — rpcbench"));
    QCOMPARE(title.count(QStringLiteral("rpcbench")), 1);
    QVERIFY(!title.contains(QStringLiteral("JSON-RPC test bench")));
}

void TestWindowFrame::guiDefaultPortIsNotServes()
{
    QCOMPARE(Settings::DefaultServerPort, quint16(5001));
    QCOMPARE(m_window->portSpin()->value(), 5001);
}

void TestWindowFrame::statusBarDropsAnOldErrorOnStart()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    m_window->portSpin()->setValue(blocker.serverPort());
    QVERIFY(!m_window->startServer());
    const QString error = m_window->statusBar()->currentMessage();
    QVERIFY(!error.isEmpty());

    m_window->portSpin()->setValue(0); // any free port
    QVERIFY(m_window->startServer());
    QCOMPARE(m_window->statusBar()->currentMessage(), QString());
}

void TestWindowFrame::toolbarHidesNothing_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x640") << QSize(1024, 640);
    QTest::newRow("1366x768") << QSize(1366, 768);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestWindowFrame::toolbarHidesNothing()
{
    QFETCH(QSize, size);
    m_window->resize(size);
    auto* bar = m_window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    QVERIFY(bar);
    QTRY_VERIFY(bar->width() <= size.width());
    QTRY_VERIFY(bar->widgetForAction(bar->actions().constLast())->isVisible());
    for (QAction* a : bar->actions()) {
        if (a->isSeparator())
            continue;
        QWidget* w = bar->widgetForAction(a);
        QVERIFY2(w && w->isVisible(), qPrintable(a->text()));
        QVERIFY2(w->geometry().right() < bar->width(), qPrintable(a->text()));
    }
    auto* more = bar->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
    QVERIFY(!more || !more->isVisible());
    // The port and bind fields stay readable.
    const QFontMetrics fm(m_window->portSpin()->font());
    QVERIFY(m_window->portSpin()->width() >= fm.horizontalAdvance(QStringLiteral("65535")));
    QVERIFY(m_window->bindCombo()->width() >= fm.horizontalAdvance(QStringLiteral("255.255.255.255")));
}

void TestWindowFrame::helpMenuHasItsActions()
{
    const QList<QAction*> menus = m_window->menuBar()->actions();
    QVERIFY(!menus.isEmpty());
    QMenu* help = menus.constLast()->menu();
    QVERIFY(help);
    QCOMPARE(help->title(), QStringLiteral("&Help"));
    for (const char* name : {"actionAbout", "actionShortcuts", "actionOpenDocs"}) {
        QAction* a = action(QLatin1String(name));
        QVERIFY2(a && help->actions().contains(a), name);
    }
}

void TestWindowFrame::aboutShowsVersionsAndLicenses()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    action(QStringLiteral("actionAbout"))->trigger();
    const QString text = Dialogs::lastMessage();
    QCoreApplication::setApplicationVersion(QString());
    for (const QString& part :
         {QStringLiteral("rpcbench 9.8.7"), QStringLiteral("Built with Qt " QT_VERSION_STR),
          QStringLiteral("running on Qt %1").arg(QString::fromLatin1(qVersion())), QStringLiteral("LGPLv3")})
        QVERIFY2(text.contains(part), qPrintable(part + QStringLiteral(" not in ") + text));
}

void TestWindowFrame::shortcutsAreListedFromTheActions()
{
    action(QStringLiteral("actionShortcuts"))->trigger();
    auto* dialog = m_window->findChild<ShortcutsDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto* table = dialog->findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    QVERIFY(table);
    QHash<QString, QString> listed;
    for (int row = 0; row < table->rowCount(); ++row)
        listed.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
    QVERIFY2(listed.value(QStringLiteral("Send")).contains(QStringLiteral("Ctrl+Return")),
             qPrintable(listed.value(QStringLiteral("Send"))));
    QVERIFY(listed.value(QStringLiteral("Save workspace")).contains(QStringLiteral("Ctrl+S")));
    // Every action with a shortcut, and only those: the list is generated, it cannot drift.
    int withShortcut = 0;
    for (QAction* a : m_window->findChildren<QAction*>())
        withShortcut += !a->shortcuts().isEmpty();
    QCOMPARE(table->rowCount(), withShortcut);
    dialog->close();
}

void TestWindowFrame::docsFolderOpens()
{
    const QString folder = HelpMenu::docsFolder();
    QVERIFY2(QDir(folder).exists(QStringLiteral("DESIGN.md")), qPrintable(folder));
    QAction* docs = action(QStringLiteral("actionOpenDocs"));
    QVERIFY(docs->isEnabled());
    QDesktopServices::setUrlHandler(QStringLiteral("file"), this, "openUrl");
    docs->trigger();
    QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
    QCOMPARE(m_opened.size(), 1);
    QCOMPARE(m_opened.first(), QUrl::fromLocalFile(folder));
}

QTEST_MAIN(TestWindowFrame)
#include "tst_windowframe.moc"
