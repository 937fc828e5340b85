#include "client/HistoryPanel.h"

#include "client/CallHistoryModel.h"
#include "widgets/FlowLayout.h"

#include <QEvent>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

HistoryPanel::HistoryPanel(CallHistoryModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_view(new QTableView(this))
{
    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setTextElideMode(Qt::ElideRight); // the whole text is the cell's tooltip
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Result, the long one, is shown last and stretches: a long result never pushes Latency
    // out of sight.
    QHeaderView* header = m_view->horizontalHeader();
    header->moveSection(header->visualIndex(CallHistoryModel::OutcomeColumn),
                        CallHistoryModel::ColumnCount - 1);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false); // fitColumns gives Result the rest (it knows the minimum)
    m_view->viewport()->installEventFilter(this);

    m_rerun =
        addButton(QStringLiteral("historyRerunButton"), tr("Re-run"), QStringLiteral(":/icons/rerun.svg"));
    m_load = addButton(QStringLiteral("historyLoadButton"), tr("Load"), QStringLiteral(":/icons/import.svg"));
    m_load->setToolTip(tr("Load the call into the form (or double-click it)"));
    m_save = addButton(QStringLiteral("historySaveButton"), tr("Save"), QStringLiteral(":/icons/export.svg"));
    m_save->setToolTip(tr("Keep the call in the selected collection (Collections panel)"));
    m_delete =
        addButton(QStringLiteral("historyDeleteButton"), tr("Delete"), QStringLiteral(":/icons/delete.svg"));
    connect(m_rerun, &QToolButton::clicked, this, [this] {
        if (currentRow() >= 0)
            emit rerunRequested(m_model->entry(currentRow()));
    });
    connect(m_load, &QToolButton::clicked, this, [this] {
        if (currentRow() >= 0)
            emit loadRequested(m_model->entry(currentRow()));
    });
    connect(m_save, &QToolButton::clicked, this, [this] {
        if (currentRow() >= 0)
            emit saveRequested(m_model->entry(currentRow()));
    });
    connect(m_delete, &QToolButton::clicked, this, [this] { m_model->remove(currentRow()); });
    connect(m_view, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { emit loadRequested(m_model->entry(index.row())); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &HistoryPanel::updateButtons);
    // Refit once per burst of changes (a batch adds many rows at once).
    const auto queueFit = [this] {
        if (m_fitQueued)
            return;
        m_fitQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_fitQueued = false;
            fitColumns();
        });
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this, queueFit);
    connect(m_model, &QAbstractItemModel::modelReset, this, queueFit);
    connect(m_model, &QAbstractItemModel::dataChanged, this, queueFit);

    // Narrowest the table may get: the columns that never give way at their header widths
    // (fitColumns hides Params first), the frame and a vertical scroll bar. The buttons below
    // wrap, so without this the table could be squeezed below its own headers.
    const int columnsMinimum = header->sectionSizeHint(CallHistoryModel::TimeColumn) +
                               header->sectionSizeHint(CallHistoryModel::MethodColumn) +
                               header->sectionSizeHint(CallHistoryModel::LatencyColumn) +
                               header->sectionSizeHint(CallHistoryModel::OutcomeColumn);
    m_view->setMinimumWidth(columnsMinimum + 2 * m_view->frameWidth() +
                            m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2);
    // The buttons wrap rather than widen the response column in a small window.
    auto* buttons = new QWidget(this);
    auto* buttonLayout = new FlowLayout(buttons);
    buttonLayout->setContentsMargins(0, 0, 0, 0);
    for (QToolButton* b : {m_rerun, m_load, m_save, m_delete})
        buttonLayout->addWidget(b);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buttons);
    layout->addWidget(m_view, 1);
    updateButtons();
}

QToolButton* HistoryPanel::addButton(const QString& name, const QString& text, const QString& icon)
{
    auto* button = new QToolButton(this);
    button->setObjectName(name);
    button->setText(text);
    button->setIcon(QIcon(icon));
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

void HistoryPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    fitColumns();
}

bool HistoryPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void HistoryPanel::fitColumns()
{
    if (!isVisible())
        return; // measured when shown
    QHeaderView* header = m_view->horizontalHeader();
    const int available = m_view->viewport()->width();
    const auto headerWidth = [&](int column) { return header->sectionSizeHint(column); };
    const auto fit = [&](int column, int maxWidth) {
        m_view->resizeColumnToContents(column); // the widest of the rows shown and the header
        return qBound(headerWidth(column), header->sectionSize(column), qMax(headerWidth(column), maxWidth));
    };
    m_view->setColumnHidden(CallHistoryModel::ParamsColumn, false);
    // Method and Params give way first, down to their headers, so that Result (shown last,
    // stretching) starts in sight with room for its header; time and latency only as a last
    // resort (a slow call's "1234.5 ms" is wider than its header, and the table's minimum width
    // only counts headers).
    int time = fit(CallHistoryModel::TimeColumn, available / 3);
    int latency = fit(CallHistoryModel::LatencyColumn, available / 3);
    int method = fit(CallHistoryModel::MethodColumn, available / 4);
    int params = fit(CallHistoryModel::ParamsColumn, available / 4);
    const int result = headerWidth(CallHistoryModel::OutcomeColumn);
    int excess = time + latency + method + params + result - available;
    const auto giveWay = [&](int& width, int column) {
        const int spare = qMax(0, width - headerWidth(column));
        const int taken = qMin(spare, qMax(0, excess));
        width -= taken;
        excess -= taken;
    };
    giveWay(params, CallHistoryModel::ParamsColumn);
    giveWay(method, CallHistoryModel::MethodColumn);
    // Still too narrow: the params go (they are in every row's tooltip, and Load shows them).
    m_view->setColumnHidden(CallHistoryModel::ParamsColumn, excess > 0);
    if (excess > 0)
        excess -= params; // hidden: its width is free
    giveWay(latency, CallHistoryModel::LatencyColumn);
    giveWay(time, CallHistoryModel::TimeColumn);
    header->resizeSection(CallHistoryModel::TimeColumn, time);
    header->resizeSection(CallHistoryModel::LatencyColumn, latency);
    header->resizeSection(CallHistoryModel::MethodColumn, method);
    header->resizeSection(CallHistoryModel::ParamsColumn, params);
    const int used =
        time + latency + method + (m_view->isColumnHidden(CallHistoryModel::ParamsColumn) ? 0 : params);
    header->resizeSection(CallHistoryModel::OutcomeColumn, qMax(result, available - used));
}

int HistoryPanel::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void HistoryPanel::updateButtons()
{
    const bool any = currentRow() >= 0;
    for (QToolButton* b : {m_rerun, m_load, m_save, m_delete})
        b->setEnabled(any);
}

} // namespace rpcbench
