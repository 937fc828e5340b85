#include "widgets/ColumnAutoSizer.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTableView>

namespace rpcbench {

namespace {
// Rows sampled from each inserted or changed range (its newest ones), and after a reset.
constexpr int TailRows = 16;
constexpr int ResetRows = 100;
// Sampled rows kept between measurements, besides the visible ones. A measurement costs a few
// microseconds per cell (the delegate lays out the text): ~1,000 cells for a full page.
constexpr int MaxSampledRows = 64;
// Visible rows measured at most (a very tall viewport).
constexpr int MaxVisibleRows = 200;
} // namespace

ColumnAutoSizer::ColumnAutoSizer(QTableView* view)
    : QObject(view), m_view(view), m_viewport(view->viewport()),
      m_maxWidth(40 * view->fontMetrics().averageCharWidth())
{
    m_cooldown.setSingleShot(true);
    m_cooldown.setInterval(250);
    connect(&m_cooldown, &QTimer::timeout, this, &ColumnAutoSizer::onCooldown);
    connect(m_view->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int logical) {
        if (!m_resizing && !isStretched(logical))
            m_userSized.insert(logical);
    });
    // Scrolling brings other rows into view.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &ColumnAutoSizer::request);
    m_view->installEventFilter(this);
    m_viewport->installEventFilter(this);
    watchModel();
}

void ColumnAutoSizer::watchModel()
{
    QAbstractItemModel* model = m_view->model();
    if (!model)
        return;
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex& parent, int first, int last) {
                if (parent.isValid())
                    return;
                addSample(qMax(first, last - TailRows + 1), last);
                request();
            });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                addSample(topLeft.row(), qMin(bottomRight.row(), topLeft.row() + TailRows - 1));
                request();
            });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_samples.clear();
        addSample(0, ResetRows - 1);
        request();
    });
    connect(model, &QAbstractItemModel::layoutChanged, this, &ColumnAutoSizer::request);
    addSample(0, ResetRows - 1);
    request();
}

// Shown, or resized to show more rows or with changes waiting: measured at once, whatever the
// interval. What the user sees right after a resize is sized; a resize costs about a
// millisecond, and a narrower or wider view with nothing new costs nothing.
bool ColumnAutoSizer::eventFilter(QObject* watched, QEvent* event)
{
    bool now = watched == m_view && event->type() == QEvent::Show;
    if (watched == m_viewport && event->type() == QEvent::Resize) {
        const auto* resize = static_cast<QResizeEvent*>(event);
        now = m_dirty || resize->size().height() > resize->oldSize().height();
    }
    if (now) {
        m_dirty = true;
        if (measure())
            m_cooldown.start();
    }
    return QObject::eventFilter(watched, event);
}

void ColumnAutoSizer::addSample(int first, int last)
{
    if (first < 0 || last < first)
        return;
    m_samples.append({first, last});
    int rows = 0;
    for (qsizetype i = m_samples.size() - 1; i >= 0; --i) {
        rows += m_samples[i].second - m_samples[i].first + 1;
        if (rows > MaxSampledRows) {
            m_samples.remove(0, i); // the newest ranges are the ones worth measuring
            break;
        }
    }
}

// The first change is measured at once (a single call, a first flush, a reset); the ones that
// follow within the interval are measured together when it ends.
void ColumnAutoSizer::request()
{
    m_dirty = true;
    if (!m_cooldown.isActive() && measure())
        m_cooldown.start();
}

void ColumnAutoSizer::onCooldown()
{
    if (m_dirty && measure())
        m_cooldown.start();
}

void ColumnAutoSizer::resizeNow()
{
    measure();
}

bool ColumnAutoSizer::measure()
{
    QAbstractItemModel* model = m_view->model();
    if (!model || !m_view->isVisible())
        return false; // still dirty: measured when shown
    m_dirty = false;
    ++m_measurements;
    const int rows = model->rowCount();
    QList<std::pair<int, int>> ranges;
    const int top = m_view->rowAt(0);
    if (top >= 0) {
        int bottom = m_view->rowAt(m_view->viewport()->height() - 1);
        if (bottom < 0)
            bottom = rows - 1;
        ranges.append({top, qMin(bottom, top + MaxVisibleRows - 1)});
    }
    for (const auto& [first, last] : std::as_const(m_samples)) {
        if (first < rows)
            ranges.append({first, qMin(last, rows - 1)});
    }
    m_samples.clear();
    m_lastMeasured = 0;

    QHeaderView* header = m_view->horizontalHeader();
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column) || m_userSized.contains(column) || isStretched(column))
            continue;
        // At least the header's text, even with no rows yet.
        const int content = ranges.isEmpty() ? 0 : widest(column, ranges);
        const int wanted = qMin(m_maxWidth, qMax(header->sectionSizeHint(column), content));
        if (wanted > header->sectionSize(column)) {
            m_resizing = true;
            header->resizeSection(column, wanted);
            m_resizing = false;
        }
    }
    return true;
}

int tableHeightForRows(const QTableView* view, int rows)
{
    return view->horizontalHeader()->sizeHint().height() +
           rows * view->verticalHeader()->defaultSectionSize() + 2 * view->frameWidth() +
           view->horizontalScrollBar()->sizeHint().height();
}

// Sized by the header, not by us: stretched, fixed, or the stretched last section.
bool ColumnAutoSizer::isStretched(int column) const
{
    const QHeaderView* header = m_view->horizontalHeader();
    if (header->sectionResizeMode(column) != QHeaderView::Interactive)
        return true;
    if (!header->stretchLastSection())
        return false;
    for (int visual = header->count() - 1; visual >= 0; --visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            return logical == column;
    }
    return false;
}

int ColumnAutoSizer::widest(int column, const QList<std::pair<int, int>>& ranges)
{
    QAbstractItemModel* model = m_view->model();
    int widest = 0;
    int cells = 0;
    for (const auto& [first, last] : ranges) {
        for (int row = first; row <= last; ++row, ++cells)
            widest = qMax(widest, m_view->sizeHintForIndex(model->index(row, column)).width());
    }
    m_lastMeasured += cells;
    return widest + (m_view->showGrid() ? 1 : 0);
}

} // namespace rpcbench
