#include "client/CallHistoryModel.h"

#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QColor>

namespace rpcbench {

QJsonObject HistoryEntry::toJson() const
{
    QJsonObject o{{QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("method"), method},
                  {QStringLiteral("url"), url},
                  {QStringLiteral("dialect"), dialect},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("outcome"), outcome},
                  {QStringLiteral("latencyUs"), latencyUs}};
    if (!params.isUndefined())
        o.insert(QStringLiteral("params"), params);
    if (notification)
        o.insert(QStringLiteral("notification"), true);
    return o;
}

HistoryEntry HistoryEntry::fromJson(const QJsonObject& o)
{
    HistoryEntry e;
    e.time = QDateTime::fromString(o.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
    e.method = o.value(QLatin1String("method")).toString();
    e.params = o.value(QLatin1String("params")); // Undefined when absent
    e.notification = o.value(QLatin1String("notification")).toBool();
    e.url = o.value(QLatin1String("url")).toString();
    e.dialect = o.value(QLatin1String("dialect")).toString();
    e.status = o.value(QLatin1String("status")).toString();
    e.outcome = o.value(QLatin1String("outcome")).toString();
    e.latencyUs = o.value(QLatin1String("latencyUs")).toInteger(-1);
    return e;
}

CallHistoryModel::CallHistoryModel(int capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(qMax(1, capacity))
{}

void CallHistoryModel::add(HistoryEntry entry)
{
    if (entry.outcome.size() > MaxOutcomeChars)
        entry.outcome = entry.outcome.left(MaxOutcomeChars) + QStringLiteral("…");
    if (int(m_entries.size()) >= m_capacity) {
        const int last = int(m_entries.size()) - 1;
        beginRemoveRows({}, m_capacity - 1, last);
        m_entries.resize(size_t(m_capacity - 1));
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.insert(m_entries.begin(), std::move(entry));
    endInsertRows();
    emit historyChanged();
}

void CallHistoryModel::remove(int row)
{
    if (row < 0 || row >= int(m_entries.size()))
        return;
    beginRemoveRows({}, row, row);
    m_entries.erase(m_entries.begin() + row);
    endRemoveRows();
    emit historyChanged();
}

void CallHistoryModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
    emit historyChanged();
}

QJsonArray CallHistoryModel::toJson() const
{
    QJsonArray array;
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it)
        array.append(it->toJson());
    return array;
}

void CallHistoryModel::load(const QJsonArray& array)
{
    beginResetModel();
    m_entries.clear();
    for (const QJsonValue& v : array) {
        if (v.isObject() && !v.toObject().value(QLatin1String("method")).toString().isEmpty())
            m_entries.insert(m_entries.begin(), HistoryEntry::fromJson(v.toObject()));
    }
    if (int(m_entries.size()) > m_capacity)
        m_entries.resize(size_t(m_capacity));
    endResetModel();
}

int CallHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int CallHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry& e = m_entries[size_t(index.row())];
    if (role == Qt::ForegroundRole && index.column() == OutcomeColumn && e.status != QLatin1String("ok"))
        return Palette::errorColor();
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1 %2\n%3 (%4)")
            .arg(e.method, QString::fromUtf8(JsonText::serialize(e.params)), e.url, e.dialect);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case MethodColumn:
        return e.notification ? e.method + tr(" (notify)") : e.method;
    case ParamsColumn:
        return QString::fromUtf8(JsonText::serialize(e.params)).left(200);
    case OutcomeColumn:
        return e.status == QLatin1String("ok") ? e.outcome.left(200)
                                               : e.status + QStringLiteral(": ") + e.outcome.left(200);
    case LatencyColumn:
        return JsonText::formatLatency(e.latencyUs);
    }
    return {};
}

QVariant CallHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"Time", "Method", "Params", "Result", "Latency"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant{};
}

} // namespace rpcbench
