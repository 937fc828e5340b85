#include "client/HeldRequestsModel.h"

#include "util/JsonText.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace rpcbench {

HeldRequestsModel::HeldRequestsModel(QObject* parent)
    : QAbstractTableModel(parent), m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &HeldRequestsModel::tick);
}

void HeldRequestsModel::add(quint64 holdId, quint64 linkId, const QByteArray& request)
{
    const QJsonObject message = QJsonDocument::fromJson(request).object();
    HeldRequest held;
    held.holdId = holdId;
    held.linkId = linkId;
    held.method = message.value(QLatin1String("method")).toString();
    held.id = message.value(QLatin1String("id"));
    held.params = message.value(QLatin1String("params"));
    held.request = request;
    held.deadlineMs = m_now() + m_timeoutMs;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(std::move(held));
    endInsertRows();
    dropOldEnded();
    if (!m_countdown.isActive())
        m_countdown.start();
    emit waitingCountChanged(waitingCount());
}

void HeldRequestsModel::end(quint64 holdId, const QString& how)
{
    const int row = rowOf(holdId);
    if (row < 0 || !m_rows[size_t(row)].ended.isEmpty())
        return;
    m_rows[size_t(row)].ended = how.isEmpty() ? tr("ended") : how;
    emit dataChanged(index(row, StateColumn), index(row, StateColumn));
    const int waiting = waitingCount();
    if (waiting == 0)
        m_countdown.stop();
    emit waitingCountChanged(waiting);
}

void HeldRequestsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_countdown.stop();
    emit waitingCountChanged(0);
}

void HeldRequestsModel::clearEnded()
{
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (m_rows[size_t(row)].ended.isEmpty())
            continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }
}

void HeldRequestsModel::dropOldEnded()
{
    while (int(m_rows.size()) > MaxRows) {
        const auto it = std::find_if(m_rows.begin(), m_rows.end(),
                                     [](const HeldRequest& h) { return !h.ended.isEmpty(); });
        if (it == m_rows.end())
            return; // all still waiting: none may vanish
        const int row = int(it - m_rows.begin());
        beginRemoveRows({}, row, row);
        m_rows.erase(it);
        endRemoveRows();
    }
}

int HeldRequestsModel::rowOf(quint64 holdId) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                 [holdId](const HeldRequest& h) { return h.holdId == holdId; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int HeldRequestsModel::waitingCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const HeldRequest& h) { return h.ended.isEmpty(); }));
}

qint64 HeldRequestsModel::remainingMs(int row) const
{
    return qMax<qint64>(0, m_rows[size_t(row)].deadlineMs - m_now());
}

void HeldRequestsModel::tick()
{
    // The client times the hold out and says so (holdEnded); this only redraws the countdown.
    for (int row = 0; row < rowCount(); ++row)
        if (m_rows[size_t(row)].ended.isEmpty())
            emit dataChanged(index(row, StateColumn), index(row, StateColumn));
}

int HeldRequestsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HeldRequestsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeldRequestsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HeldRequest& h = m_rows[size_t(index.row())];
    if (role == Qt::ToolTipRole && index.column() == StateColumn && h.ended.isEmpty())
        return tr("Answered with an error by the client when the countdown ends");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case MethodColumn:
        return h.method;
    case IdColumn:
        return h.id.isString() ? h.id.toString() : QString::fromUtf8(JsonText::compact(h.id));
    case StateColumn:
        if (!h.ended.isEmpty())
            return h.ended;
        return tr("%1 s left").arg((remainingMs(index.row()) + 999) / 1000);
    }
    return {};
}

QVariant HeldRequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MethodColumn:
        return tr("Method");
    case IdColumn:
        return tr("Id");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace rpcbench
