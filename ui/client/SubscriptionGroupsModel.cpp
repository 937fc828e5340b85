#include "client/SubscriptionGroupsModel.h"

#include "client/IncomingModel.h"

#include <QLocale>

#include <algorithm>

namespace rpcbench {

SubscriptionGroupsModel::SubscriptionGroupsModel(IncomingModel* source, QObject* parent)
    : QAbstractTableModel(parent), m_source(source)
{
    connect(source, &IncomingModel::messagesAdded, this, &SubscriptionGroupsModel::countRows);
    connect(source, &IncomingModel::groupingChanged, this, &SubscriptionGroupsModel::rebuild);
    // Rows dropped to stay within the source's bound keep their counts: a group counts every
    // event it had, not only those still listed.
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &SubscriptionGroupsModel::refreshRates);
    rebuild();
}

int SubscriptionGroupsModel::rowOf(const QString& key) const
{
    const auto it =
        std::find_if(m_groups.cbegin(), m_groups.cend(), [&](const Group& g) { return g.key == key; });
    return it == m_groups.cend() ? -1 : int(it - m_groups.cbegin());
}

void SubscriptionGroupsModel::countRows(int first, int last)
{
    const qint64 now = m_source->now();
    QList<int> changed;
    for (int row = first; row <= last; ++row) {
        const IncomingMessage& m = m_source->message(row);
        if (m.groupKey.isEmpty())
            continue;
        int at = rowOf(m.groupKey);
        if (at < 0) {
            at = int(m_groups.size());
            beginInsertRows({}, at, at);
            m_groups.push_back(Group{m.groupKey, m.method, 0, 0, {}});
            endInsertRows();
        }
        Group& g = m_groups[size_t(at)];
        ++g.count;
        g.lastMs = m.timeMs;
        g.recent.push_back(m.timeMs);
        prune(g, now);
        changed << at;
    }
    if (!changed.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(changed.cbegin(), changed.cend());
        emit dataChanged(index(*lo, CountColumn), index(*hi, LastSeenColumn));
    }
    if (!m_groups.empty() && !m_rateTimer.isActive())
        m_rateTimer.start();
}

void SubscriptionGroupsModel::rebuild()
{
    beginResetModel();
    m_groups.clear();
    endResetModel();
    if (m_source->rowCount() > 0)
        countRows(0, m_source->rowCount() - 1);
    if (m_groups.empty())
        m_rateTimer.stop();
}

void SubscriptionGroupsModel::prune(Group& group, qint64 now) const
{
    while (!group.recent.empty() && group.recent.front() < now - RateWindowMs)
        group.recent.pop_front();
}

double SubscriptionGroupsModel::rate(int row) const
{
    const Group& g = m_groups[size_t(row)];
    const qint64 since = m_source->now() - RateWindowMs;
    const auto inWindow =
        std::count_if(g.recent.cbegin(), g.recent.cend(), [since](qint64 t) { return t >= since; });
    return double(inWindow) * 1000.0 / RateWindowMs;
}

void SubscriptionGroupsModel::refreshRates()
{
    const qint64 now = m_source->now();
    for (Group& g : m_groups)
        prune(g, now);
    if (!m_groups.empty())
        emit dataChanged(index(0, RateColumn), index(rowCount() - 1, LastSeenColumn));
}

int SubscriptionGroupsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int SubscriptionGroupsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SubscriptionGroupsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Group& g = m_groups[size_t(index.row())];
    if (role == Qt::TextAlignmentRole && (index.column() == CountColumn || index.column() == RateColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return g.key;
    case MethodColumn:
        return g.method;
    case CountColumn:
        return QLocale().toString(g.count);
    case RateColumn:
        return tr("%1/s").arg(QLocale().toString(rate(index.row()), 'f', 1));
    case LastSeenColumn: {
        const qint64 ago = qMax<qint64>(0, m_source->now() - g.lastMs);
        return ago < 1000 ? tr("now") : tr("%1 s ago").arg(ago / 1000);
    }
    }
    return {};
}

QVariant SubscriptionGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Subscription");
    case MethodColumn:
        return tr("Method");
    case CountColumn:
        return tr("Events");
    case RateColumn:
        return tr("Rate");
    case LastSeenColumn:
        return tr("Last seen");
    }
    return {};
}

} // namespace rpcbench
