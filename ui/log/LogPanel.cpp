#include "log/LogPanel.h"

#include "client/TabOrder.h"
#include "log/LogFilterBar.h"
#include "log/LogFilterModel.h"
#include "log/MessageDetailsView.h"
#include "log/TrafficLogModel.h"
#include "traffic/RequestPairing.h"
#include "widgets/ColumnAutoSizer.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rpcbench {

LogPanel::LogPanel(std::shared_ptr<TrafficBus> bus, qsizetype capacity, QWidget* parent)
    : QWidget(parent), m_model(new TrafficLogModel(this)), m_filter(new LogFilterModel(this)),
      m_filterBar(new LogFilterBar(m_filter, this)), m_view(new QTableView(this)),
      m_details(new MessageDetailsView(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_statusRow(new QWidget(this)), m_statusIcon(new QLabel(m_statusRow)),
      m_statusLine(new QLabel(m_statusRow))
{
    m_model->setCapacity(capacity);
    m_model->setBus(std::move(bus));
    m_filter->setLogModel(m_model);
    // Connected before the view gets the model, so this runs before the selection model's own
    // handler, which would otherwise make the next row current (row 0 when the top is evicted)
    // and re-render the details pane on every flush.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) { onRowsAboutToBeRemoved(first, last); });
    buildView();

    m_splitter->setObjectName(QStringLiteral("logSplitter"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    // However small the dock, the table keeps a few rows; the details yield first.
    m_view->setMinimumHeight(tableHeightForRows(m_view, MinimumVisibleRows));
    m_splitter->setCollapsible(0, false);
    m_statusLine->setObjectName(QStringLiteral("logStatusLine"));
    m_statusLine->setWordWrap(true); // a narrow dock wraps the note instead of growing
    m_statusIcon->setObjectName(QStringLiteral("logStatusIcon"));
    auto* statusLayout = new QHBoxLayout(m_statusRow);
    statusLayout->setContentsMargins(0, 0, 0, 0);
    statusLayout->addWidget(m_statusIcon, 0, Qt::AlignTop);
    statusLayout->addWidget(m_statusLine, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    top->addWidget(m_filterBar, 1);
    top->addWidget(buildCapacitySpin());
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_statusRow);
    applyTabOrder();

    // Following the newest rows is checked on a timer, not per batch: one scroll per 100 ms
    // at most, and only if the user was at the bottom before the rows arrived. The status
    // line follows the same tick: its counts change with every flush, and each new text
    // re-lays out the dock.
    m_scrollTimer.setInterval(100);
    connect(&m_scrollTimer, &QTimer::timeout, this, &LogPanel::autoScroll);
    m_scrollTimer.start();
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        m_rowsArrived = true;
        m_statusDirty = true;
        holdRepaint();
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex&, int first, int last) {
                onRowsRemoved(first, last);
                m_statusDirty = true;
                holdRepaint();
            });
    connect(m_model, &TrafficLogModel::countersChanged, this, [this] { m_statusDirty = true; });
    connect(m_model, &TrafficLogModel::pausedChanged, this, &LogPanel::updateStatusLine);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, [this] { m_statusDirty = true; });
    // Clear log or an import: the message shown is gone, and so is its partner.
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] {
        m_details->showRecord(nullptr, false);
        m_shownEvicted = false;
        m_statusDirty = true;
    });
    connect(m_details, &MessageDetailsView::jumpToPartnerRequested, this, &LogPanel::jumpToPartner);
    updateStatusLine();
}

LogPanel::~LogPanel() = default;

void LogPanel::buildView()
{
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows (Shift/Ctrl+click) for "Save as tests…"; the details pane shows the current one.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move in it
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setCornerButtonEnabled(false);
    // Fixed row height: the view never measures rows, whatever their content.
    QHeaderView* rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    rows->hide();
    QHeaderView* columns = m_view->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setStretchLastSection(false);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // In characters, a start: the sizer below grows each column to its content (never beyond
    // it), and the peer column takes what is left.
    const int widths[TrafficLogModel::ColumnCount] = {12, 5, 5, 24, 6, 5, 10, 12, 4, 7, 8};
    for (int c = 0; c < TrafficLogModel::ColumnCount; ++c)
        columns->resizeSection(c, widths[c] * digit);
    columns->setSectionResizeMode(TrafficLogModel::PeerColumn, QHeaderView::Stretch);
    // Grow the others to their text ("error -32000 (faulted)"), measured on a sample of rows.
    auto* sizer = new ColumnAutoSizer(m_view);
    sizer->setMaximumSectionWidth(48 * m_view->fontMetrics().averageCharWidth());
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogPanel::onCurrentChanged);
    connect(m_view, &QTableView::doubleClicked, this, &LogPanel::jumpToPartner);
    auto* copy = new QAction(tr("Copy message bytes"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &LogPanel::copyCurrent);
    m_view->addAction(copy);
    m_resend = new QAction(tr("Send again…"), m_view);
    m_resend->setObjectName(QStringLiteral("logResendAction"));
    m_resend->setToolTip(tr("Load this request into the client to send it again"));
    m_resend->setEnabled(false);
    connect(m_resend, &QAction::triggered, this, &LogPanel::resendCurrent);
    m_view->addAction(m_resend);
    m_saveAsTests = new QAction(tr("Save as tests…"), m_view);
    m_saveAsTests->setObjectName(QStringLiteral("logSaveAsTestsAction"));
    m_saveAsTests->setToolTip(
        tr("Save the selected calls to a collection, each asserting its recorded reply"));
    m_saveAsTests->setEnabled(false);
    connect(m_saveAsTests, &QAction::triggered, this, &LogPanel::saveSelectionAsTests);
    m_view->addAction(m_saveAsTests);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LogPanel::updateSaveAsTests);
    // Evicted or cleared rows leave the selection without a selectionChanged signal.
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LogPanel::updateSaveAsTests);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogPanel::updateSaveAsTests);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_follow = value >= m_view->verticalScrollBar()->maximum();
        if (!m_compensating)
            releaseRepaint(); // the user scrolled: show it at once
    });
    // Any input to the table repaints it at once, even while following.
    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);
}

QSpinBox* LogPanel::buildCapacitySpin()
{
    m_capacity = new QSpinBox(this);
    m_capacity->setObjectName(QStringLiteral("logCapacitySpin"));
    m_capacity->setRange(1000, 5'000'000);
    m_capacity->setSingleStep(10'000);
    m_capacity->setGroupSeparatorShown(true);
    m_capacity->setPrefix(tr("keep "));
    m_capacity->setValue(int(m_model->capacity()));
    m_capacity->setToolTip(tr("Messages kept in the log; older ones are evicted and counted"));
    m_capacity->setKeyboardTracking(false); // apply the finished number, not every digit
    connect(m_capacity, &QSpinBox::valueChanged, this, [this](int rows) {
        m_model->setCapacity(rows);
        emit capacityChanged(rows);
    });
    return m_capacity;
}

void LogPanel::copyCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    if (current.isValid())
        QGuiApplication::clipboard()->setText(QString::fromUtf8(m_model->record(current.row()).event.raw));
}

namespace {

// What a caller sent a callee (not a reply, not a log row of a process's stderr).
bool isResendable(const TrafficEvent& e)
{
    const MessageKind kind = e.summary.kind;
    return e.kind == TrafficEvent::Kind::Message && RequestPairing::isRequestLike(e) &&
           (kind == MessageKind::Request || kind == MessageKind::Notification || kind == MessageKind::Batch);
}

// A recorded reply to a caller: what a saved call's assertions come from.
bool isReplyToCaller(const TrafficEvent& e)
{
    const MessageKind kind = e.summary.kind;
    return e.kind == TrafficEvent::Kind::Message && !RequestPairing::isRequestLike(e) &&
           (kind == MessageKind::Response || kind == MessageKind::Error || kind == MessageKind::Batch);
}

bool isTestable(const TrafficEvent& e)
{
    return isResendable(e) || isReplyToCaller(e);
}

} // namespace

QList<int> LogPanel::selectedSourceRows() const
{
    QList<int> rows;
    for (const QItemSelectionRange& range : m_view->selectionModel()->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows << m_filter->mapToSource(m_filter->index(row, 0)).row();
    return rows;
}

std::vector<TrafficEvent> LogPanel::selectedCallRows() const
{
    QList<int> rows;
    for (const int row : selectedSourceRows()) {
        if (row < 0 || !isTestable(m_model->record(row).event))
            continue;
        rows << row;
        // The partner even when the user selected only one half, or the filter hides it.
        if (const int partner = m_model->pairedRow(row); partner >= 0)
            rows << partner;
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return m_model->events(rows);
}

bool LogPanel::saveSelectionAsTests()
{
    std::vector<TrafficEvent> rows = selectedCallRows();
    if (rows.empty())
        return false;
    emit saveAsTestsRequested(rows);
    return true;
}

// Stops at the first testable row: a selection of the whole log costs no more than needed.
void LogPanel::updateSaveAsTests()
{
    for (const QItemSelectionRange& range : m_view->selectionModel()->selection())
        for (int row = range.top(); row <= range.bottom(); ++row) {
            const int source = m_filter->mapToSource(m_filter->index(row, 0)).row();
            if (source >= 0 && isTestable(m_model->record(source).event)) {
                m_saveAsTests->setEnabled(true);
                return;
            }
        }
    m_saveAsTests->setEnabled(false);
}

bool LogPanel::resendCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    if (!current.isValid())
        return false;
    const TrafficEvent& e = m_model->record(current.row()).event;
    if (!isResendable(e))
        return false;
    // Only the client side logs the server's URL as its peer.
    emit resendRequested(e.raw, e.side == Side::Client ? e.peer : QString());
    return true;
}

void LogPanel::focusFilter()
{
    m_filterBar->focusText();
}

void LogPanel::setMethodNames(const QStringList& names)
{
    m_filterBar->setMethodNames(names);
}

void LogPanel::onCurrentChanged()
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    m_resend->setEnabled(current.isValid() && isResendable(m_model->record(current.row()).event));
    if (!current.isValid())
        return; // keep showing the last message (its row may just have been evicted)
    if (m_shownEvicted) {
        m_shownEvicted = false;
        updateStatusLine();
    }
    m_details->showRecord(&m_model->record(current.row()), m_model->pairedRow(current.row()) >= 0);
}

bool LogPanel::jumpToPartner()
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    if (!current.isValid())
        return false;
    const int partner = m_model->pairedRow(current.row());
    if (partner < 0) {
        showNote(tr("No matching request/reply in the log."));
        return false;
    }
    if (!m_filter->mapFromSource(m_model->index(partner, 0)).isValid()) {
        showNote(tr("The matching message is hidden by the filter."));
        return false;
    }
    selectSourceRow(partner);
    return true;
}

void LogPanel::selectSourceRow(int sourceRow)
{
    const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

// The current row is about to be evicted: drop the current index and the selection (the
// details pane keeps showing the message) instead of letting Qt pick a neighbour.
void LogPanel::onRowsAboutToBeRemoved(int first, int last)
{
    QItemSelectionModel* selection = m_view->selectionModel();
    if (!selection)
        return;
    const int current = selection->currentIndex().row();
    if (current >= first && current <= last) {
        selection->clear();
        m_shownEvicted = true;
        m_details->setPartnerAvailable(false); // nothing to jump from any more
        updateStatusLine();
    }
}

// Rows evicted above the viewport would slide the user's rows upward; compensate so what they
// are reading stays put (the view scrolls per item, so the value counts rows).
void LogPanel::onRowsRemoved(int first, int last)
{
    QScrollBar* bar = m_view->verticalScrollBar();
    if (m_follow || first != 0)
        return;
    m_compensating = true;
    bar->setValue(qMax(0, bar->value() - (last - first + 1)));
    m_compensating = false;
}

void LogPanel::autoScroll()
{
    if (m_rowsArrived && m_follow)
        m_view->scrollToBottom();
    m_rowsArrived = false;
    releaseRepaint();
    // The shown message's partner may have arrived or been evicted since: one lookup a tick.
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    if (current.isValid())
        m_details->setPartnerAvailable(m_model->pairedRow(current.row()) >= 0);
    if (m_statusDirty)
        updateStatusLine();
}

// A backlog is inserted in chunks up to ~100 times a second, and each chunk changes the page
// (new rows while following, evicted rows at the top while reading): repainting the table per
// chunk was a third of the GUI thread's time. Rows arriving or leaving repaint it at the 100 ms
// auto-scroll tick instead (the scroll bar still updates at once); anything the user does to
// the table (click, key, wheel, scrolling) repaints it at once.
void LogPanel::holdRepaint()
{
    if (!m_repaintHeld) {
        m_repaintHeld = true;
        m_view->viewport()->setUpdatesEnabled(false);
    }
}

void LogPanel::releaseRepaint()
{
    if (m_repaintHeld) {
        m_repaintHeld = false;
        m_view->viewport()->setUpdatesEnabled(true); // repaints the viewport once
    }
}

bool LogPanel::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
    case QEvent::Wheel:
    case QEvent::KeyPress:
        releaseRepaint();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

// Reading order: the filter fields left to right, the cap, the table, then the details.
void LogPanel::applyTabOrder()
{
    setTabChain({m_filterBar->lastInTabOrder(), m_capacity, m_view, m_details->firstInTabOrder()});
}

void LogPanel::showNote(const QString& note)
{
    m_statusLine->setText(note);
    m_statusIcon->hide();
    m_statusRow->setVisible(true);
}

void LogPanel::updateStatusLine()
{
    m_statusDirty = false;
    // Totals live in the status bar; this line only says what differs from "everything, live".
    QStringList parts;
    if (m_model->isPaused())
        parts << tr("Paused: %1 new messages waiting (they are kept, up to the cap)")
                     .arg(m_model->pendingCount());
    if (m_filter->isActive())
        parts << tr("Filter shows %1 of %2 messages").arg(m_filter->rowCount()).arg(m_model->rowCount());
    if (m_shownEvicted)
        parts << tr("The message shown below was evicted from the log");
    if (m_model->evictedCount() > 0)
        parts
            << tr("%1 older messages evicted (cap %2)").arg(m_model->evictedCount()).arg(m_model->capacity());
    m_statusLine->setText(parts.join(QStringLiteral(" · ")));
    // An icon, not an emoji: the stock fonts draw "⏸" as an empty box. Loaded when first shown
    // (the resources are registered once the main window exists).
    if (m_model->isPaused() && m_statusIcon->pixmap().isNull()) {
        const int extent = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
        m_statusIcon->setPixmap(QIcon(QStringLiteral(":/icons/pause.svg")).pixmap(extent, extent));
    }
    m_statusIcon->setVisible(m_model->isPaused());
    m_statusRow->setVisible(!parts.isEmpty());
}

} // namespace rpcbench
