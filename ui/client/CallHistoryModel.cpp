#include "client/CallHistoryModel.h"

#include "util/JsonText.h"
#include "widgets/Palette.h"
#include "widgets/StatusIcons.h"

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
    if (late) {
        o.insert(QStringLiteral("late"), true);
        o.insert(QStringLiteral("lateLatencyUs"), lateLatencyUs);
    }
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
    e.late = o.value(QLatin1String("late")).toBool();
    e.lateLatencyUs = o.value(QLatin1String("lateLatencyUs")).toInteger(-1);
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

bool CallHistoryModel::markLate(quint64 callId, qint64 latencyUs)
{
    if (callId == 0)
        return false;
    for (size_t row = 0; row < m_entries.size(); ++row) {
        HistoryEntry& e = m_entries[row];
        if (e.callId != callId)
            continue;
        e.late = true;
        e.lateLatencyUs = latencyUs;
        emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        emit historyChanged();
        return true;
    }
    return false;
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

namespace {

QString outcomeText(const HistoryEntry& e, qsizetype maxChars)
{
    QString text = e.status == QLatin1String("ok")
                       ? e.outcome.left(maxChars)
                       : e.status + QStringLiteral(": ") + e.outcome.left(maxChars);
    if (e.late)
        text = CallHistoryModel::tr("late (after timeout) · %1").arg(text);
    return text;
}

QString latencyText(const HistoryEntry& e)
{
    if (e.late && e.lateLatencyUs >= 0)
        return CallHistoryModel::tr("%1 (late)").arg(JsonText::formatLatency(e.lateLatencyUs));
    return JsonText::formatLatency(e.latencyUs);
}

StatusIcon outcomeIcon(const HistoryEntry& e)
{
    if (e.late)
        return StatusIcon::Late;
    if (e.status == QLatin1String("ok"))
        return StatusIcon::Ok;
    if (e.status == QLatin1String("timeout"))
        return StatusIcon::Timeout;
    return e.status == QLatin1String("error") ? StatusIcon::Error : StatusIcon::Warning;
}

} // namespace

QVariant CallHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry& e = m_entries[size_t(index.row())];
    if (role == Qt::ForegroundRole && index.column() == OutcomeColumn && e.status != QLatin1String("ok"))
        return Palette::errorColor();
    if (role == Qt::DecorationRole && index.column() == OutcomeColumn)
        return StatusIcons::icon(outcomeIcon(e));
    if (role == Qt::ToolTipRole)
        return toolTip(e, index.column());
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
        return outcomeText(e, 200);
    case LatencyColumn:
        return latencyText(e);
    }
    return {};
}

QString CallHistoryModel::toolTip(const HistoryEntry& e, int column)
{
    // The cell's whole text first (cells are cut at 200 characters and elided to the column),
    // then the call itself.
    QString cell;
    switch (column) {
    case TimeColumn:
        cell = e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        break;
    case MethodColumn:
        cell = e.notification ? e.method + tr(" (notification)") : e.method;
        break;
    case ParamsColumn:
        cell = QString::fromUtf8(JsonText::serialize(e.params)).left(MaxOutcomeChars);
        break;
    case OutcomeColumn:
        cell = outcomeText(e, MaxOutcomeChars);
        break;
    case LatencyColumn:
        cell = e.late
                   ? tr("%1; the late reply came after %2")
                         .arg(JsonText::formatLatency(e.latencyUs), JsonText::formatLatency(e.lateLatencyUs))
                   : latencyText(e);
        break;
    }
    return QStringLiteral("%1\n\n%2 → %3 (%4)").arg(cell, e.method, e.url, e.dialect);
}

QVariant CallHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"Time", "Method", "Params", "Result", "Latency"};
    static const char* const tips[ColumnCount] = {
        "When the call was made", "The method called", "The params sent",
        "The result, or the error / timeout / transport failure", "From request written to reply read"};
    if (section < 0 || section >= ColumnCount)
        return {};
    return role == Qt::DisplayRole ? tr(names[section]) : tr(tips[section]);
}

} // namespace rpcbench
