#include "server/MethodsModel.h"

#include "dispatch/MethodRegistry.h"
#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace rpcbench {

MethodsModel::MethodsModel(std::shared_ptr<MethodRegistry> registry, QObject* parent)
    : QAbstractTableModel(parent), m_registry(std::move(registry))
{
    // methodsChanged may come from the server's thread; a burst of changes reloads once.
    connect(
        m_registry.get(), &MethodRegistry::methodsChanged, this,
        [this] {
            if (m_reloadQueued)
                return;
            m_reloadQueued = true;
            QMetaObject::invokeMethod(this, &MethodsModel::reload, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    connect(&m_timer, &QTimer::timeout, this, &MethodsModel::refreshStats);
    m_timer.start(500);
    reload();
}

MethodsModel::~MethodsModel() = default;

void MethodsModel::setRefreshInterval(int ms)
{
    m_timer.start(ms);
}

void MethodsModel::reload()
{
    m_reloadQueued = false;
    beginResetModel();
    m_rows.clear();
    for (const MethodInfo& info : m_registry->methods()) {
        const std::shared_ptr<const Method> method = m_registry->find(info.name);
        Row row{info, method ? method->stats : nullptr};
        if (row.stats) {
            row.calls = row.stats->calls.load(std::memory_order_relaxed);
            row.errors = row.stats->errors.load(std::memory_order_relaxed);
            row.totalLatencyUs = row.stats->totalLatencyUs.load(std::memory_order_relaxed);
        }
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

void MethodsModel::refreshStats()
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        if (!row.stats)
            continue;
        const quint64 calls = row.stats->calls.load(std::memory_order_relaxed);
        const quint64 errors = row.stats->errors.load(std::memory_order_relaxed);
        const quint64 latency = row.stats->totalLatencyUs.load(std::memory_order_relaxed);
        if (calls == row.calls && errors == row.errors && latency == row.totalLatencyUs)
            continue;
        row.calls = calls;
        row.errors = errors;
        row.totalLatencyUs = latency;
        emit dataChanged(index(int(i), CallsColumn), index(int(i), LatencyColumn), {Qt::DisplayRole});
    }
}

MethodInfo MethodsModel::method(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].info : MethodInfo{};
}

int MethodsModel::rowOf(const QString& name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].info.name == name)
            return int(i);
    }
    return -1;
}

QStringList MethodsModel::names() const
{
    QStringList out;
    for (const Row& row : m_rows)
        out << row.info.name;
    return out;
}

int MethodsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MethodsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MethodsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        return row.info.description.isEmpty()
                   ? row.info.signature()
                   : row.info.signature() + QLatin1Char('\n') + row.info.description;
    case Qt::TextAlignmentRole:
        if (index.column() >= CallsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (!row.info.enabled)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        if (index.column() == ErrorsColumn && row.errors > 0)
            return Palette::errorColor();
        return {};
    case Qt::FontRole:
        if (index.column() == NameColumn) {
            QFont font;
            font.setBold(true);
            font.setItalic(!row.info.builtin);
            return font;
        }
        return {};
    case Qt::UserRole:
        return row.info.name;
    default:
        return {};
    }
}

QVariant MethodsModel::displayText(const Row& row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.info.enabled ? row.info.name : tr("%1 (disabled)").arg(row.info.name);
    case SignatureColumn:
        return row.info.signature();
    case DescriptionColumn:
        return row.info.description.section(QLatin1Char('\n'), 0, 0);
    case CallsColumn:
        return QString::number(row.calls);
    case ErrorsColumn:
        return QString::number(row.errors);
    case LatencyColumn:
        return row.calls ? JsonText::formatLatency(qint64(row.totalLatencyUs / row.calls)) : QString();
    }
    return {};
}

QVariant MethodsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"Method", "Signature", "Description",
                                                   "Calls",  "Errors",    "Mean latency"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant{};
}

} // namespace rpcbench
