#include "server/MethodsModel.h"

#include "dispatch/MethodRegistry.h"
#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
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
        row.sample();
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

bool MethodsModel::Row::sample()
{
    if (!stats)
        return false;
    const quint64 c = stats->calls.load(std::memory_order_relaxed);
    const quint64 e = stats->errors.load(std::memory_order_relaxed);
    const quint64 a = stats->answered.load(std::memory_order_relaxed);
    const quint64 t = stats->totalLatencyNs.load(std::memory_order_relaxed);
    if (c == calls && e == errors && a == answered && t == totalLatencyNs) {
        // A worker records the histogram just before `answered`, but a snapshot taken between
        // the two (or read out of order) may lack that sample: catch up once the counters rest.
        return latency.count() < answered && sampleLatency();
    }
    calls = c;
    errors = e;
    answered = a;
    totalLatencyNs = t;
    sampleLatency();
    return true;
}

bool MethodsModel::Row::sampleLatency()
{
    LatencyBuckets::Snapshot now = stats->latency.snapshot();
    if (now.count() == latency.count())
        return false; // counts only grow: same count, same histogram
    latency = now;
    p50Ns = latency.percentile(50);
    p99Ns = latency.percentile(99);
    return true;
}

void MethodsModel::refreshStats()
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].sample())
            emit dataChanged(index(int(i), CallsColumn), index(int(i), P99Column),
                             {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
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

LatencyBuckets::Snapshot MethodsModel::latency(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].latency : LatencyBuckets::Snapshot{};
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
        return toolTip(row, index.column());
    case SortRole:
        return sortKey(row, index.column());
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
        return JsonText::formatCount(row.calls);
    case ErrorsColumn:
        return JsonText::formatCount(row.errors);
    case LatencyColumn:
        return JsonText::formatLatencyNs(row.meanLatencyNs());
    case P50Column:
        return JsonText::formatLatencyNs(row.p50Ns);
    case P99Column:
        return JsonText::formatLatencyNs(row.p99Ns);
    }
    return {};
}

// The full text of a cell, whatever the column's width: names such as
// system.methodSignature and long signatures get elided, figures are shown compactly.
QString MethodsModel::toolTip(const Row& row, int column) const
{
    const QLocale locale;
    switch (column) {
    case NameColumn: // the name with what it takes and does
        return displayText(row, NameColumn).toString() + QLatin1Char('\n') + toolTip(row, SignatureColumn);
    case SignatureColumn:
        return row.info.description.isEmpty()
                   ? row.info.signature()
                   : row.info.signature() + QLatin1Char('\n') + row.info.description;
    case DescriptionColumn:
        return row.info.description;
    case CallsColumn:
        return tr("%1 calls").arg(locale.toString(row.calls));
    case ErrorsColumn:
        return tr("%1 errors").arg(locale.toString(row.errors));
    case LatencyColumn:
        if (row.answered == 0)
            return tr("No call answered yet");
        return tr("Mean latency %1 over %2 answered calls\n(request read to reply written, injected "
                  "faults included)")
            .arg(JsonText::formatLatencyNs(row.meanLatencyNs()), locale.toString(row.answered));
    case P50Column:
    case P99Column: {
        if (row.latency.isEmpty())
            return tr("No call answered yet");
        const bool median = column == P50Column;
        return tr("%1 latency %2: %3 of %4 answered calls took at most this long\n(from a log "
                  "histogram: within 6 %; slowest call at most %5)")
            .arg(median ? tr("Median (p50)") : tr("p99"),
                 JsonText::formatLatencyNs(median ? row.p50Ns : row.p99Ns), median ? tr("half") : tr("99 %"),
                 locale.toString(row.latency.count()), JsonText::formatLatencyNs(row.latency.maxNs()));
    }
    }
    return {};
}

QVariant MethodsModel::sortKey(const Row& row, int column) const
{
    switch (column) {
    case CallsColumn:
        return row.calls;
    case ErrorsColumn:
        return row.errors;
    case LatencyColumn:
        return row.meanLatencyNs();
    case P50Column:
        return row.p50Ns;
    case P99Column:
        return row.p99Ns;
    default:
        return displayText(row, column);
    }
}

QVariant MethodsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (section) {
        case LatencyColumn:
            return tr("Mean latency: time from request read to reply written");
        case P50Column:
            return tr("Median latency: half of the calls were answered at least this fast");
        case P99Column:
            return tr("99th percentile latency: one call in a hundred took longer");
        default:
            return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"Method", "Signature", "Description", "Calls",
                                                   "Errors", "Mean",      "p50",         "p99"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant{};
}

} // namespace rpcbench
