#include "client/IncomingFilterModel.h"

#include "client/IncomingModel.h"

namespace rpcbench {

IncomingFilterModel::IncomingFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void IncomingFilterModel::setText(const QString& text)
{
    if (text.trimmed() == m_text)
        return;
    m_text = text.trimmed();
    invalidateRowsFilter();
}

void IncomingFilterModel::setGroup(const QString& key)
{
    if (key == m_group)
        return;
    m_group = key;
    invalidateRowsFilter();
}

void IncomingFilterModel::regroup()
{
    if (m_group.isEmpty())
        return;
    invalidateRowsFilter();
}

bool IncomingFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex cell = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_group.isEmpty() && cell.data(IncomingModel::GroupKeyRole).toString() != m_group)
        return false;
    return m_text.isEmpty() ||
           cell.data(IncomingModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace rpcbench
