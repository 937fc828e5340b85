#include "client/HistoryPanel.h"

#include "client/CallHistoryModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableView>
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
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(CallHistoryModel::OutcomeColumn, QHeaderView::Stretch);

    m_rerun =
        addButton(QStringLiteral("historyRerunButton"), tr("Re-run"), QStringLiteral(":/icons/rerun.svg"));
    m_load = addButton(QStringLiteral("historyLoadButton"), tr("Load into form"),
                       QStringLiteral(":/icons/import.svg"));
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
    connect(m_delete, &QToolButton::clicked, this, [this] { m_model->remove(currentRow()); });
    connect(m_view, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { emit loadRequested(m_model->entry(index.row())); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &HistoryPanel::updateButtons);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_rerun);
    buttons->addWidget(m_load);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
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

int HistoryPanel::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void HistoryPanel::updateButtons()
{
    const bool any = currentRow() >= 0;
    for (QToolButton* b : {m_rerun, m_load, m_delete})
        b->setEnabled(any);
}

} // namespace rpcbench
