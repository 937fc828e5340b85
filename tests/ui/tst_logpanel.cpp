// The log panel: follows new rows only when the user was at the bottom, keeps the user's
// place otherwise, shows the selected message's bytes and jumps between request and reply.

#include "FocusChain.h"
#include "UiTestEvents.h"
#include "log/LogFilterBar.h"
#include "log/LogFilterModel.h"
#include "log/LogPanel.h"
#include "log/MessageDetailsView.h"
#include "log/TrafficLogModel.h"
#include "widgets/PayloadView.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolButton>

// The icons live in the static ui library: register them as the main window does.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

using namespace rpcbench;
using uitest::makeEvent;

class TestLogPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void init();
    void cleanup();
    void fixedRowHeight();
    void followsOnlyAtTheBottom();
    void detailsShowTheExactBytes();
    void jumpBetweenRequestAndReply();
    void capacityAndCopy();
    void evictingTheCurrentRow_data();
    void evictingTheCurrentRow();
    void followingRepaintsOnTheTick();
    void clearingForgetsTheShownMessage_data();
    void clearingForgetsTheShownMessage();
    void evictedMessageCannotJump();
    void partnerArrivingEnablesJump();
    void kindColumnFitsItsText_data();
    void kindColumnFitsItsText();
    void pausedShowsAnIconNotAnEmoji();
    void tabOrderFollowsReadingOrder();
    void sendAgainOnRequestRows_data();
    void sendAgainOnRequestRows();
    void saveAsTestsOnCallRows_data();
    void saveAsTestsOnCallRows();
    void saveAsTestsTakesSeveralRowsAndTheirPartners();

private:
    std::unique_ptr<LogPanel> m_panel;
};

void TestLogPanel::init()
{
    m_panel = std::make_unique<LogPanel>(std::make_shared<TrafficBus>(), 1000);
    m_panel->resize(900, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestLogPanel::cleanup()
{
    m_panel.reset();
}

void TestLogPanel::fixedRowHeight()
{
    QCOMPARE(m_panel->view()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
}

void TestLogPanel::followsOnlyAtTheBottom()
{
    TrafficLogModel* log = m_panel->model();
    QScrollBar* bar = m_panel->view()->verticalScrollBar();
    log->append(uitest::requests(200));
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum()); // following from the start
    log->append(uitest::requests(50, 1000));
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_panel->isFollowing());

    bar->setValue(10); // the user scrolls up to read
    QVERIFY(!m_panel->isFollowing());
    log->append(uitest::requests(50, 2000));
    QTRY_VERIFY(bar->maximum() >= 250);
    QTest::qWait(250); // several auto-scroll ticks must pass without moving the view
    QCOMPARE(bar->value(), 10);

    // Rows evicted above the viewport do not slide what the user reads.
    const QModelIndex top = m_panel->view()->indexAt(QPoint(5, 5));
    const QByteArray readingId =
        log->record(m_panel->filterModel()->mapToSource(top).row()).event.summary.idJson;
    log->setCapacity(300); // 50 of 350 evicted
    log->append(uitest::requests(3, 3000));
    const QModelIndex after = m_panel->view()->indexAt(QPoint(5, 5));
    QCOMPARE(log->record(m_panel->filterModel()->mapToSource(after).row()).event.summary.idJson, readingId);

    bar->setValue(bar->maximum()); // back at the bottom: following again
    QVERIFY(m_panel->isFollowing());
    log->append(uitest::requests(40, 4000));
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestLogPanel::detailsShowTheExactBytes()
{
    TrafficLogModel* log = m_panel->model();
    TrafficEvent e =
        makeEvent(Side::Client, Direction::Out, MessageKind::Request, 3, "1", QStringLiteral("echo"));
    e.raw = R"({"jsonrpc":"2.0","method":"echo","params":[1.0e+2],"id":1})";
    log->append({e});
    m_panel->selectSourceRow(0);
    MessageDetailsView* details = m_panel->details();
    QCOMPARE(details->rawView()->text(), QString::fromUtf8(e.raw));
    QVERIFY(details->prettyView()->text().contains(QStringLiteral("1.0e+2"))); // the number as sent
    QVERIFY(details->hexView()->text().startsWith(QStringLiteral("00000000  7b 22 6a 73")));
}

void TestLogPanel::jumpBetweenRequestAndReply()
{
    TrafficLogModel* log = m_panel->model();
    log->append({makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "1", QStringLiteral("add")),
                 makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "2", QStringLiteral("add")),
                 makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "1")});
    const auto currentRow = [this] {
        return m_panel->filterModel()->mapToSource(m_panel->view()->currentIndex()).row();
    };
    m_panel->selectSourceRow(2);
    QVERIFY(m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 0);
    QVERIFY(m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 2);
    m_panel->selectSourceRow(1); // no reply yet
    QVERIFY(!m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 1);
    // A partner hidden by the filter is reported, not silently skipped.
    m_panel->filterModel()->setSide(Side::Server);
    m_panel->selectSourceRow(2);
    m_panel->filterModel()->setText(QStringLiteral("result"));
    QVERIFY(!m_panel->jumpToPartner());
}

void TestLogPanel::capacityAndCopy()
{
    TrafficLogModel* log = m_panel->model();
    log->append(uitest::requests(1500));
    QCOMPARE(log->rowCount(), 1000);
    auto* spin = m_panel->findChild<QSpinBox*>(QStringLiteral("logCapacitySpin"));
    QSignalSpy changed(m_panel.get(), &LogPanel::capacityChanged);
    spin->setValue(1200);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(log->capacity(), 1200);
    log->append(uitest::requests(500, 5000));
    QCOMPARE(log->rowCount(), 1200);
    QCOMPARE(log->evictedCount(), quint64(800));

    m_panel->selectSourceRow(0);
    m_panel->view()->setFocus();
    QTest::keyClick(m_panel->view(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text().toUtf8(), log->record(0).event.raw);
}

void TestLogPanel::evictingTheCurrentRow_data()
{
    QTest::addColumn<int>("selected"); // row selected in a full log of ids 1..100
    QTest::addColumn<int>("added");    // new rows, evicting as many at the top
    QTest::newRow("kept, shifts up") << 10 << 5;
    QTest::newRow("evicted") << 3 << 5;
    QTest::newRow("first row evicted") << 0 << 1;
    QTest::newRow("last evicted row") << 4 << 5;
}

// When the current row is evicted, nothing else becomes current (Qt would pick the new row 0
// and re-render the details pane on every flush): the pane keeps the message, marked evicted.
void TestLogPanel::evictingTheCurrentRow()
{
    QFETCH(int, selected);
    QFETCH(int, added);
    TrafficLogModel* log = m_panel->model();
    log->setCapacity(100);
    log->append(uitest::requests(100));
    m_panel->selectSourceRow(selected);
    const QString shown = m_panel->details()->rawView()->text();
    QCOMPARE(shown, QString::fromUtf8(log->record(selected).event.raw));
    QSignalSpy currentChanged(m_panel->view()->selectionModel(), &QItemSelectionModel::currentRowChanged);
    log->append(uitest::requests(added, 1000));
    QCOMPARE(log->evictedCount(), quint64(added));
    const QModelIndex current = m_panel->filterModel()->mapToSource(m_panel->view()->currentIndex());
    const bool evicted = selected < added;
    if (evicted) {
        QVERIFY(!current.isValid());
        QVERIFY(!m_panel->view()->selectionModel()->hasSelection());
        for (const QList<QVariant>& args : currentChanged)
            QVERIFY(!args.at(0).toModelIndex().isValid()); // never moved to another row
    } else {
        QCOMPARE(current.row(), selected - added);
        QCOMPARE(currentChanged.count(), 0);
    }
    QCOMPARE(m_panel->details()->rawView()->text(), shown); // the same message either way
    const QLabel* status = m_panel->findChild<QLabel*>(QStringLiteral("logStatusLine"));
    QVERIFY(status);
    QCOMPARE(status->text().contains(QStringLiteral("shown below was evicted")), evicted);
    // Selecting a row again clears the note.
    m_panel->selectSourceRow(50);
    QVERIFY(!status->text().contains(QStringLiteral("shown below was evicted")));
}

// New or evicted rows do not repaint the table per flush but at the auto-scroll tick; the user
// clicking, typing or scrolling is never held back.
void TestLogPanel::followingRepaintsOnTheTick()
{
    TrafficLogModel* log = m_panel->model();
    QScrollBar* bar = m_panel->view()->verticalScrollBar();
    QWidget* viewport = m_panel->view()->viewport();
    log->append(uitest::requests(200));
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QTRY_VERIFY(viewport->updatesEnabled());

    log->append(uitest::requests(10, 1000));
    QVERIFY(!viewport->updatesEnabled()); // held until the tick
    QTRY_VERIFY(viewport->updatesEnabled());
    QTRY_COMPARE(bar->value(), bar->maximum());

    log->append(uitest::requests(10, 2000));
    QVERIFY(!viewport->updatesEnabled());
    QTest::mouseClick(viewport, Qt::LeftButton, {}, QPoint(5, 5));
    QVERIFY(viewport->updatesEnabled()); // input repaints at once
    QVERIFY(m_panel->view()->currentIndex().isValid());

    // Reading: evictions above the page are held too, but the user scrolling is shown at once.
    bar->setValue(5);
    QVERIFY(!m_panel->isFollowing());
    QVERIFY(viewport->updatesEnabled());
    log->setCapacity(log->rowCount());
    log->append(uitest::requests(3, 3000)); // evicts 3 at the top: the page stays put
    QCOMPARE(bar->value(), 2);
    QVERIFY(!viewport->updatesEnabled());
    bar->setValue(1);
    QVERIFY(viewport->updatesEnabled());
}

namespace {
// A request on connection 1 and its reply.
std::vector<TrafficEvent> callAndReply(const QByteArray& id)
{
    return {makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, id, QStringLiteral("add")),
            makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, id)};
}
} // namespace

void TestLogPanel::clearingForgetsTheShownMessage_data()
{
    QTest::addColumn<int>("selected");
    QTest::addColumn<bool>("import"); // replaced by an imported log instead of cleared
    QTest::newRow("request, cleared") << 0 << false;
    QTest::newRow("reply, cleared") << 1 << false;
    QTest::newRow("request, imported over") << 0 << true;
}

// Clear log (or an import) empties the details pane and "Go to reply" with it.
void TestLogPanel::clearingForgetsTheShownMessage()
{
    QFETCH(int, selected);
    QFETCH(bool, import);
    TrafficLogModel* log = m_panel->model();
    log->append(callAndReply("1"));
    m_panel->selectSourceRow(selected);
    MessageDetailsView* details = m_panel->details();
    QVERIFY(details->jumpButton()->isEnabled());
    QVERIFY(!details->rawView()->text().isEmpty());

    if (import)
        log->replaceAll(uitest::requests(3, 100));
    else
        log->clear();
    QVERIFY(!details->isShowingRecord());
    QVERIFY(!details->jumpButton()->isEnabled());
    QVERIFY(details->rawView()->text().isEmpty());
    QVERIFY(details->prettyView()->text().isEmpty());
    QVERIFY(details->summaryLabel()->text().startsWith(QStringLiteral("Select a message")));
    QVERIFY(!m_panel->jumpToPartner());
    // The next ticks do not bring anything back.
    QTest::qWait(250);
    QVERIFY(!details->jumpButton()->isEnabled());
    QVERIFY(details->rawView()->text().isEmpty());
}

// The shown message evicted by the cap stays readable, but there is nothing to jump from.
void TestLogPanel::evictedMessageCannotJump()
{
    TrafficLogModel* log = m_panel->model();
    log->setCapacity(100);
    log->append(callAndReply("1"));
    log->append(uitest::requests(98, 10));
    m_panel->selectSourceRow(0);
    QVERIFY(m_panel->details()->jumpButton()->isEnabled());
    const QString shown = m_panel->details()->rawView()->text();
    log->append(uitest::requests(1, 500)); // evicts the request
    QCOMPARE(m_panel->details()->rawView()->text(), shown);
    QVERIFY(!m_panel->details()->jumpButton()->isEnabled());
    QTest::qWait(250); // ticks later, still so
    QVERIFY(!m_panel->details()->jumpButton()->isEnabled());
}

// A request shown before its reply arrived can jump to it once it has.
void TestLogPanel::partnerArrivingEnablesJump()
{
    TrafficLogModel* log = m_panel->model();
    log->append(
        {makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "7", QStringLiteral("sleep"))});
    m_panel->selectSourceRow(0);
    QVERIFY(!m_panel->details()->jumpButton()->isEnabled());
    log->append({makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "7")});
    QTRY_VERIFY(m_panel->details()->jumpButton()->isEnabled());
    QVERIFY(m_panel->jumpToPartner());
}

void TestLogPanel::kindColumnFitsItsText_data()
{
    QTest::addColumn<int>("errorCode");
    QTest::addColumn<bool>("faulted");
    QTest::addColumn<bool>("late");
    QTest::addColumn<int>("rowsBefore"); // plain rows already in the log
    QTest::newRow("faulted error") << -32000 << true << false << 0;
    QTest::newRow("faulted error after many rows") << -32000 << true << false << 500;
    QTest::newRow("late result") << 0 << false << true << 10;
    QTest::newRow("late faulted error") << -32603 << true << true << 0;
}

// The Kind column grows to its longest text, with no sleep: at once or within the interval.
void TestLogPanel::kindColumnFitsItsText()
{
    QFETCH(int, errorCode);
    QFETCH(bool, faulted);
    QFETCH(bool, late);
    QFETCH(int, rowsBefore);
    TrafficLogModel* log = m_panel->model();
    if (rowsBefore > 0)
        log->append(uitest::requests(rowsBefore));
    TrafficEvent e = makeEvent(Side::Client, Direction::In,
                               errorCode ? MessageKind::Error : MessageKind::Response, 9, "1");
    e.summary.errorCode = errorCode;
    e.summary.faulted = faulted;
    e.late = late;
    log->append({e});
    const QModelIndex cell = log->index(log->rowCount() - 1, TrafficLogModel::KindColumn);
    const QString text = cell.data().toString();
    QVERIFY(text.size() > 20);
    QTableView* view = m_panel->view();
    const int needed = view->fontMetrics().horizontalAdvance(text);
    QTRY_VERIFY2(view->columnWidth(TrafficLogModel::KindColumn) >= needed,
                 qPrintable(QStringLiteral("%1 < %2 for '%3'")
                                .arg(view->columnWidth(TrafficLogModel::KindColumn))
                                .arg(needed)
                                .arg(text)));
    QVERIFY(cell.data(Qt::ToolTipRole).toString().startsWith(text));
    // The details pane says it too.
    m_panel->selectSourceRow(log->rowCount() - 1);
    QCOMPARE(m_panel->details()->summaryLabel()->text().contains(TrafficLogModel::lateMarker()), late);
}

// "⏸" is an empty box in the stock fonts: the note shows the pause icon beside plain text.
void TestLogPanel::pausedShowsAnIconNotAnEmoji()
{
    TrafficLogModel* log = m_panel->model();
    auto* icon = m_panel->findChild<QLabel*>(QStringLiteral("logStatusIcon"));
    auto* line = m_panel->findChild<QLabel*>(QStringLiteral("logStatusLine"));
    QVERIFY(icon && line);
    log->setPaused(true);
    QVERIFY(icon->isVisible());
    QVERIFY(!icon->pixmap().isNull());
    QVERIFY(line->text().startsWith(QStringLiteral("Paused:")));
    for (const QChar c : line->text())
        QVERIFY2(c.unicode() < 0x2190, qPrintable(line->text())); // no arrows, symbols or emoji
    log->setPaused(false);
    QVERIFY(!icon->isVisible());
}

// Tab goes through the filter fields left to right, the cap, the table, then the details;
// every stop is a visible, enabled widget.
void TestLogPanel::tabOrderFollowsReadingOrder()
{
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    m_panel->model()->append(callAndReply("1"));
    m_panel->selectSourceRow(1); // a reply: "Go to request" is enabled
    QVERIFY(m_panel->details()->jumpButton()->isEnabled());
    LogFilterBar* bar = m_panel->filterBar();
    QList<const QWidget*> expected;
    expected << bar->textEdit() << m_panel->findChild<QComboBox*>(QStringLiteral("logMethodFilter"))
             << m_panel->findChild<QComboBox*>(QStringLiteral("logSideFilter"))
             << m_panel->findChild<QLineEdit*>(QStringLiteral("logPeerFilter"))
             << m_panel->findChild<QCheckBox*>(QStringLiteral("logErrorsOnly"))
             << m_panel->findChild<QSpinBox*>(QStringLiteral("logCapacitySpin")) << m_panel->view()
             << m_panel->details()->jumpButton() << m_panel->details()->prettyView()->editor();
    const uitest::FocusWalk walk = uitest::walkTabChain(bar->textEdit());
    const QString order = uitest::describe(walk.chain);
    QVERIFY2(!walk.stuck, qPrintable(order));
    qsizetype previous = -1;
    for (const QWidget* w : expected) {
        QVERIFY(w);
        const qsizetype at = uitest::positionIn(walk.chain, w);
        QVERIFY2(at > previous,
                 qPrintable(QStringLiteral("%1 at %2 in %3").arg(w->objectName()).arg(at).arg(order)));
        previous = at;
    }
    const QString invisible = uitest::invisibleStop(walk.chain);
    QVERIFY2(invisible.isEmpty(), qPrintable(invisible + QStringLiteral(" in ") + order));
}

void TestLogPanel::sendAgainOnRequestRows_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("direction");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("resendable");
    QTest::addColumn<QString>("url"); // suggested with it
    const int in = int(Direction::In);
    const int out = int(Direction::Out);
    const auto request = int(MessageKind::Request);
    QTest::newRow("client request: its target URL")
        << int(Side::Client) << out << request << true << "tcp://127.0.0.1:5000";
    QTest::newRow("server request: no URL") << int(Side::Server) << in << request << true << "";
    QTest::newRow("proxy request: no URL") << int(Side::Proxy) << in << request << true << "";
    QTest::newRow("client notification")
        << int(Side::Client) << out << int(MessageKind::Notification) << true << "tcp://127.0.0.1:5000";
    QTest::newRow("server reply") << int(Side::Server) << out << int(MessageKind::Response) << false << "";
    QTest::newRow("client's reply to a server request")
        << int(Side::Client) << out << int(MessageKind::Response) << false << "";
    QTest::newRow("server's own request to the client") << int(Side::Server) << out << request << false << "";
}

// "Send again…" in the row's context menu: enabled on what a caller sent, it emits the exact
// bytes and the URL when the log knows it.
void TestLogPanel::sendAgainOnRequestRows()
{
    QFETCH(int, side);
    QFETCH(int, direction);
    QFETCH(int, kind);
    QFETCH(bool, resendable);
    QFETCH(QString, url);
    QAction* resend = m_panel->resendAction();
    QVERIFY(m_panel->view()->actions().contains(resend));
    QVERIFY(!resend->isEnabled()); // nothing selected
    m_panel->model()->append({uitest::makeEvent(Side(side), Direction(direction), MessageKind(kind), 3, "7",
                                                QStringLiteral("add"))});
    QSignalSpy spy(m_panel.get(), &LogPanel::resendRequested);
    m_panel->selectSourceRow(0);
    QCOMPARE(resend->isEnabled(), resendable);
    resend->trigger();
    QCOMPARE(spy.count(), resendable ? 1 : 0);
    if (resendable) {
        QCOMPARE(spy.at(0).at(0).toByteArray(), m_panel->model()->record(0).event.raw);
        QCOMPARE(spy.at(0).at(1).toString(), url);
    }
}

void TestLogPanel::saveAsTestsOnCallRows_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("direction");
    QTest::addColumn<int>("kind"); // -1: a stderr line
    QTest::addColumn<bool>("enabled");
    const int in = int(Direction::In);
    const int out = int(Direction::Out);
    QTest::newRow("server request") << int(Side::Server) << in << int(MessageKind::Request) << true;
    QTest::newRow("client request") << int(Side::Client) << out << int(MessageKind::Request) << true;
    QTest::newRow("notification") << int(Side::Proxy) << in << int(MessageKind::Notification) << true;
    QTest::newRow("server reply") << int(Side::Server) << out << int(MessageKind::Response) << true;
    QTest::newRow("client's error reply") << int(Side::Client) << in << int(MessageKind::Error) << true;
    QTest::newRow("server's own request to the client")
        << int(Side::Server) << out << int(MessageKind::Request) << false;
    QTest::newRow("client's reply to a server request")
        << int(Side::Client) << out << int(MessageKind::Response) << false;
    QTest::newRow("stderr line") << int(Side::Client) << in << -1 << false;
}

// "Save as tests…" in the row's context menu: enabled on calls and replies only; it emits the
// rows (the one selected here: no partner in the log).
void TestLogPanel::saveAsTestsOnCallRows()
{
    QFETCH(int, side);
    QFETCH(int, direction);
    QFETCH(int, kind);
    QFETCH(bool, enabled);
    QAction* save = m_panel->saveAsTestsAction();
    QVERIFY(m_panel->view()->actions().contains(save));
    QVERIFY(!save->isEnabled()); // nothing selected
    TrafficEvent e = uitest::makeEvent(Side(side), Direction(direction), MessageKind(qMax(kind, 0)), 3, "7",
                                       QStringLiteral("add"));
    if (kind < 0) {
        e.kind = TrafficEvent::Kind::Stderr;
        e.summary = {};
        e.raw = "warning: slow";
    }
    m_panel->model()->append({e});
    std::vector<std::vector<TrafficEvent>> emitted;
    connect(m_panel.get(), &LogPanel::saveAsTestsRequested, this,
            [&](const std::vector<TrafficEvent>& rows) { emitted.push_back(rows); });
    m_panel->selectSourceRow(0);
    QCOMPARE(save->isEnabled(), enabled);
    save->trigger();
    QCOMPARE(emitted.size(), size_t(enabled ? 1 : 0));
    if (enabled) {
        QCOMPARE(emitted.front().size(), size_t(1));
        QCOMPARE(emitted.front().front().raw, e.raw);
    }
    m_panel->view()->clearSelection();
    QVERIFY(!save->isEnabled());
}

// Ctrl+click selects several rows; saving them takes each one's partner too (the user picked
// one half of a call), in log order, and leaves out stderr lines and unselected calls.
void TestLogPanel::saveAsTestsTakesSeveralRowsAndTheirPartners()
{
    using uitest::makeEvent;
    TrafficEvent noise;
    noise.kind = TrafficEvent::Kind::Stderr;
    noise.connectionId = 1;
    noise.raw = "warning: slow";
    m_panel->model()->append({
        makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "1", QStringLiteral("a")), // 0
        makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "2", QStringLiteral("b")), // 1
        noise,                                                                                     // 2
        makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "2"),                    // 3
        makeEvent(Side::Server, Direction::Out, MessageKind::Error, 1, "1"),                       // 4
        makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "3", QStringLiteral("c")), // 5
    });
    QTableView* view = m_panel->view();
    view->scrollToTop();
    auto clickRow = [&](int row, Qt::KeyboardModifiers modifiers) {
        const QRect cell =
            view->visualRect(m_panel->filterModel()->index(row, TrafficLogModel::MethodColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers, cell.center());
    };
    clickRow(0, Qt::NoModifier);
    clickRow(2, Qt::ControlModifier);
    clickRow(3, Qt::ControlModifier);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 3);
    QVERIFY(m_panel->saveAsTestsAction()->isEnabled());
    std::vector<TrafficEvent> emitted;
    connect(m_panel.get(), &LogPanel::saveAsTestsRequested, this,
            [&](const std::vector<TrafficEvent>& rows) { emitted = rows; });
    QVERIFY(m_panel->saveSelectionAsTests());
    QStringList ids;
    for (const TrafficEvent& e : emitted)
        ids << QString::fromUtf8(e.summary.idJson) + QLatin1Char(e.direction == Direction::In ? '>' : '<');
    QCOMPARE(ids, (QStringList{"1>", "2>", "2<", "1<"}));

    // A reply whose request the filter hides still brings it along.
    m_panel->filterModel()->setErrorsOnly(true);
    QCOMPARE(m_panel->filterModel()->rowCount(), 1);
    view->selectRow(0);
    QVERIFY(m_panel->saveSelectionAsTests());
    QCOMPARE(emitted.size(), size_t(2));
    QCOMPARE(emitted.front().summary.method, QStringLiteral("a"));
    QVERIFY(emitted.back().summary.kind == MessageKind::Error);
    m_panel->filterModel()->setErrorsOnly(false);

    // Only a stderr line selected: nothing to save.
    clickRow(2, Qt::NoModifier);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    QVERIFY(!m_panel->saveAsTestsAction()->isEnabled());
    emitted.clear();
    QVERIFY(!m_panel->saveSelectionAsTests());
    QVERIFY(emitted.empty());
}

QTEST_MAIN(TestLogPanel)
#include "tst_logpanel.moc"
