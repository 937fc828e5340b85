// The real main window at the sizes people use (1024×640 up to 1920×1080), with traffic in it:
// nothing clipped, nothing hidden behind the toolbar's "»", the target field and the tables
// usable, columns wide enough for what they show, proportions that come back after the window
// is made small and large again. Each size leaves a screenshot in the test output
// (RPCBENCH_SCREENSHOT_DIR, default ./screenshots) so a person can look at it.

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "server/MethodsModel.h"
#include "server/ServerPanel.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QDir>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace rpcbench;

namespace {

CallRequest makeCall(const QString& method, const QJsonValue& params)
{
    CallRequest r;
    r.method = method;
    r.params = params;
    return r;
}

QString describe(const QWidget* w)
{
    QString text;
    if (const auto* b = qobject_cast<const QAbstractButton*>(w))
        text = b->text();
    else if (const auto* l = qobject_cast<const QLabel*>(w))
        text = l->text();
    return QStringLiteral("%1 '%2' \"%3\" is %4 px wide, needs %5")
        .arg(QLatin1String(w->metaObject()->className()), w->objectName(), text.left(40))
        .arg(w->width())
        .arg(w->minimumSizeHint().width());
}

bool insideItemView(const QWidget* w)
{
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget()) {
        if (qobject_cast<const QAbstractItemView*>(p))
            return true;
    }
    return false;
}

// A widget that sticks out of an ancestor (other than a scrolled viewport) is drawn cut off,
// e.g. a button row below the bottom edge of its panel.
QString cutByAncestor(const QWidget* w)
{
    const QRect own(w->mapTo(w->window(), QPoint(0, 0)), w->size());
    for (const QWidget* p = w->parentWidget(); p && !p->isWindow(); p = p->parentWidget()) {
        if (qobject_cast<const QAbstractScrollArea*>(p->parentWidget()))
            return {}; // a scroll area's viewport: content outside it is scrolled, not lost
        const QRect area(p->mapTo(p->window(), QPoint(0, 0)), p->size());
        if (!area.adjusted(-1, -1, 1, 1).contains(own))
            return QStringLiteral("%1 '%2'").arg(QLatin1String(p->metaObject()->className()),
                                                 p->objectName());
    }
    return {};
}

// Buttons, labels and spin boxes narrower than their minimum size hint show cut text
// ("Add to batc", "By p", a timeout of "300").
QStringList clippedWidgets(const QWidget* root)
{
    QStringList clipped;
    for (const QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || insideItemView(w) || w->inherits("QToolBarExtension") ||
            w->inherits("QDockWidgetTitleButton") ||         // icon-only, drawn by Qt
            qobject_cast<const QTabBar*>(w->parentWidget())) // a tab bar's scroll arrows
            continue;
        const auto* label = qobject_cast<const QLabel*>(w);
        const bool textWidget =
            qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
            (label && !label->wordWrap() && !label->text().isEmpty() && label->pixmap().isNull());
        if (!textWidget)
            continue;
        if (w->width() + 1 < w->minimumSizeHint().width())
            clipped << describe(w);
        else if (const QString cut = cutByAncestor(w); !cut.isEmpty())
            clipped << describe(w) + QStringLiteral(", cut by ") + cut;
    }
    return clipped;
}

int visibleRows(QTableView* view)
{
    const int rowHeight = view->verticalHeader()->defaultSectionSize();
    return rowHeight > 0 ? view->viewport()->height() / rowHeight : 0;
}

// The text width of the widest cell of a column among the rows in view.
int widestCell(QTableView* view, int column)
{
    int widest = 0;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QString text = view->model()->index(row, column).data().toString();
        widest = qMax(widest, view->fontMetrics().horizontalAdvance(text));
    }
    return widest;
}

} // namespace

class TestWindowLayout : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void usableAtSize_data();
    void usableAtSize();
    void proportionsComeBack();
    void firstRunInASmallWindow();

private:
    void resizeTo(const QSize& size);
    QTableView* table(const QString& name) const;

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowLayout::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Dialogs::setQuiet(true);
    m_window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(QStringLiteral("s.ini"))));
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->portSpin()->setValue(0);
    QVERIFY(m_window->startServer());

    // Traffic with long texts: method names, an error kind, a result, a batch.
    ClientPanel* client = m_window->clientPanel();
    client->sendCall(makeCall(QStringLiteral("system.methodSignature"), QJsonArray{QStringLiteral("add")}));
    client->sendCall(makeCall(QStringLiteral("system.methodHelp"), QJsonArray{QStringLiteral("add")}));
    client->sendCall(makeCall(QStringLiteral("fail"), QJsonArray{-32000, QStringLiteral("fault injected")}));
    client->sendCall(
        makeCall(QStringLiteral("echo"), QJsonArray{QStringLiteral("a fairly long result value")}));
    client->sendCall(makeCall(QStringLiteral("add"), QJsonArray{1, 2, 3}));
    QTRY_VERIFY_WITH_TIMEOUT(client->history()->rowCount() >= 5, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->logPanel()->model()->rowCount() >= 20, 10'000);
    client->composer()->selectMethod(QStringLiteral("add"));               // a form with three fields
    m_window->clientPanel()->findChild<QTabWidget*>()->setCurrentIndex(1); // History (checked below)
}

void TestWindowLayout::cleanupTestCase()
{
    m_window.reset();
}

// Why a window cannot get as small as asked: from the window down, the visible child that
// asks for the most height at each level ("serverDock 402 > MethodsPanel 380 > ...").
QString tallestMinimum(const QWidget* window)
{
    QStringList path;
    for (const QWidget* c : window->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        if (c->isVisible() && !c->isWindow())
            path << QStringLiteral("(%1 '%2' %3/%4 at y %5)")
                        .arg(QLatin1String(c->metaObject()->className()), c->objectName())
                        .arg(c->minimumSizeHint().height())
                        .arg(c->minimumHeight())
                        .arg(c->y());
    for (const QWidget* w = window; w;) {
        path << QStringLiteral("%1 '%2' %3/%4")
                    .arg(QLatin1String(w->metaObject()->className()), w->objectName())
                    .arg(w->minimumSizeHint().height())
                    .arg(w->minimumHeight());
        const QWidget* tallest = nullptr;
        for (const QWidget* c : w->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
            if (!c->isVisible() || c->isWindow())
                continue;
            const int need = std::max(c->minimumSizeHint().height(), c->minimumHeight());
            if (!tallest || need > std::max(tallest->minimumSizeHint().height(), tallest->minimumHeight()))
                tallest = c;
        }
        w = tallest;
    }
    return path.join(QStringLiteral("\n  > "));
}

void TestWindowLayout::resizeTo(const QSize& size)
{
    m_window->resize(size);
    QTRY_VERIFY2(m_window->size() == size, qPrintable(QStringLiteral("%1x%2, minimum %3:\n  %4")
                                                          .arg(m_window->width())
                                                          .arg(m_window->height())
                                                          .arg(m_window->minimumSizeHint().height())
                                                          .arg(tallestMinimum(m_window.get()))));
    QApplication::processEvents(); // layouts settle; columns may resize on show/data change
}

QTableView* TestWindowLayout::table(const QString& name) const
{
    auto* view = m_window->findChild<QTableView*>(name);
    if (!view)
        qFatal("no table named %s", qPrintable(name));
    return view;
}

void TestWindowLayout::usableAtSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x640") << QSize(1024, 640);
    QTest::newRow("1366x768") << QSize(1366, 768);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestWindowLayout::usableAtSize()
{
    QFETCH(QSize, size);
    QVERIFY2(m_window->minimumSizeHint().width() <= size.width() &&
                 m_window->minimumSizeHint().height() <= size.height(),
             qPrintable(QStringLiteral("minimum size %1x%2")
                            .arg(m_window->minimumSizeHint().width())
                            .arg(m_window->minimumSizeHint().height())));
    resizeTo(size);
    // At this width too: rows that wrap (button rows, flow layouts) ask for more height in a
    // narrow window, and a minimum above the window's height would hold it taller on the next
    // layout pass (it was 659 px at 1024 wide, and the window came back at 682 px under load).
    QVERIFY2(m_window->minimumSizeHint().height() <= size.height(),
             qPrintable(QStringLiteral("minimum height %1 at this width:\n  %2")
                            .arg(m_window->minimumSizeHint().height())
                            .arg(tallestMinimum(m_window.get()))));

    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot =
        QDir(dir).filePath(QStringLiteral("window-%1x%2.png").arg(size.width()).arg(size.height()));
    QVERIFY(m_window->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));

    // With the Response tab in front (the reply's own tabs) and with History in front.
    auto* tabs = m_window->clientPanel()->findChild<QTabWidget*>();
    // Every client tab in front in turn: nothing clipped, and the page gets at least the height
    // its own layout needs (a page whose minimum does not count towards the window's — the
    // Incoming page — must still fit).
    const int front = tabs->currentIndex();
    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        QApplication::processEvents();
        const QStringList clipped = clippedWidgets(m_window.get());
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("\n  "))));
        const QWidget* page = tabs->currentWidget();
        QVERIFY2(page->height() >= page->layout()->minimumSize().height(),
                 qPrintable(QStringLiteral("%1 tab: %2 px of the %3 its layout needs:\n  %4")
                                .arg(tabs->tabText(tab))
                                .arg(page->height())
                                .arg(page->layout()->minimumSize().height())
                                .arg(tallestMinimum(page))));
    }
    tabs->setCurrentIndex(front);
    QApplication::processEvents();

    // Every action of a shown toolbar is reachable without the "»" overflow: as the window
    // starts, and with the opt-in toolbars (Proxy mode) shown as well.
    for (const bool showAll : {false, true}) {
        if (showAll) {
            for (QToolBar* bar : m_window->findChildren<QToolBar*>(Qt::FindDirectChildrenOnly))
                bar->show();
            QApplication::processEvents();
            QVERIFY2(m_window->minimumSizeHint().height() <= size.height(),
                     qPrintable(QStringLiteral("minimum height %1 with every toolbar:\n  %2")
                                    .arg(m_window->minimumSizeHint().height())
                                    .arg(tallestMinimum(m_window.get()))));
        }
        for (QToolBar* bar : m_window->findChildren<QToolBar*>()) {
            if (!bar->isVisible())
                continue; // a hidden toolbar (or one in a closed dock) hides nothing by accident
            for (QAction* a : bar->actions()) {
                if (a->isSeparator() || !a->isVisible())
                    continue;
                QWidget* w = bar->widgetForAction(a);
                QVERIFY2(
                    w && w->isVisible(),
                    qPrintable(QStringLiteral("toolbar '%1' hides '%2'").arg(bar->windowTitle(), a->text())));
            }
        }
    }

    QLineEdit* target = m_window->clientPanel()->urlEdit();
    QVERIFY2(target->width() >= 200, qPrintable(QString::number(target->width())));

    QTableView* methods = table(QStringLiteral("methodsView"));
    QVERIFY2(visibleRows(methods) >= 5, qPrintable(QString::number(visibleRows(methods))));
    // The method name column fits the longest introspection name.
    const int nameWidth = methods->fontMetrics().horizontalAdvance(QStringLiteral("system.methodSignature"));
    QVERIFY2(
        methods->columnWidth(MethodsModel::NameColumn) >= nameWidth,
        qPrintable(
            QStringLiteral("%1 < %2").arg(methods->columnWidth(MethodsModel::NameColumn)).arg(nameWidth)));
    for (int c = 0; c < methods->model()->columnCount(); ++c) {
        if (!methods->isColumnHidden(c))
            QVERIFY2(!methods->model()->headerData(c, Qt::Horizontal).toString().isEmpty(),
                     qPrintable(QString::number(c)));
    }

    // History: every column starts inside the visible part of the table.
    QTableView* history = table(QStringLiteral("historyView"));
    QHeaderView* header = history->horizontalHeader();
    for (int c = 0; c < header->count(); ++c) {
        if (header->isSectionHidden(c))
            continue;
        const int left = header->sectionViewportPosition(c);
        QVERIFY2(left >= 0 && left + 20 < history->viewport()->width(),
                 qPrintable(QStringLiteral("history column %1 at %2 of %3")
                                .arg(c)
                                .arg(left)
                                .arg(history->viewport()->width())));
    }

    // Short columns (times, latencies) are never cut: they fit their widest visible cell.
    for (int c : {int(CallHistoryModel::TimeColumn), int(CallHistoryModel::LatencyColumn)}) {
        const int need = widestCell(history, c);
        QVERIFY2(
            history->columnWidth(c) >= need,
            qPrintable(
                QStringLiteral("history column %1: %2 < %3").arg(c).arg(history->columnWidth(c)).arg(need)));
    }

    // The log shows a useful number of rows next to its details.
    QVERIFY2(visibleRows(m_window->logPanel()->view()) >= 4,
             qPrintable(QString::number(visibleRows(m_window->logPanel()->view()))));

    // The log's Kind column is wide enough for an error kind.
    QTableView* log = m_window->logPanel()->view();
    const int kindWidth = log->columnWidth(TrafficLogModel::KindColumn);
    const int widest = widestCell(log, TrafficLogModel::KindColumn);
    QVERIFY2(kindWidth >= widest,
             qPrintable(QStringLiteral("Kind column %1 < %2").arg(kindWidth).arg(widest)));
}

// Made small and then large again, the server dock gets back its share of the width.
void TestWindowLayout::proportionsComeBack()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("serverDock"));
    QVERIFY(dock);
    resizeTo(QSize(1440, 900));
    const double before = double(dock->width()) / m_window->width();
    resizeTo(QSize(1024, 640));
    resizeTo(QSize(1440, 900));
    const double after = double(dock->width()) / m_window->width();
    QVERIFY2(qAbs(after - before) < 0.05,
             qPrintable(QStringLiteral("dock share %1 -> %2").arg(before).arg(after)));
}

// A first start straight into a small window (no saved layout) is laid out for that size:
// docks take their share, not the pixels meant for a large window.
void TestWindowLayout::firstRunInASmallWindow()
{
    MainWindow window(std::make_unique<Settings>(m_dir.filePath(QStringLiteral("first.ini"))));
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.clientPanel()->composer()->selectMethod(QStringLiteral("add"));
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("serverDock"));
    QTRY_VERIFY2(dock->width() < 420,
                 qPrintable(QStringLiteral("%1 min %2")
                                .arg(dock->width())
                                .arg(dock->minimumSizeHint().width()))); // 35 % of 1024, not 500 px
    const QStringList clipped = clippedWidgets(&window);
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("\n  "))));
    QVERIFY2(visibleRows(window.logPanel()->view()) >= 4, "log rows");
}

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
