#include "log/TrafficLogModel.h"

#include "util/JsonText.h"
#include "util/Log.h"
#include "widgets/Palette.h"

#include <QColor>
#include <QDateTime>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPalette>
#include <QTime>

#include <ctime>

namespace rpcbench {

namespace {

// Whatever happens, a flush builds at least this many rows, so the log always progresses.
constexpr qsizetype MinFlushRows = 256;
// The pending queue keeps its slot array up to this size (2.4 MiB) once drained.
constexpr size_t KeptPendingSlots = 16'384;

// CPU time of the calling thread: what a chunk of rows costs us, without the time the thread
// spent waiting for a CPU (which would shrink the chunks exactly when the machine is busy, and
// many small chunks cost more than a few large ones).
qint64 threadCpuNs()
{
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

bool LogRecord::isError() const
{
    if (isStderr()) // a child's diagnostics, not a failed message
        return false;
    const MessageKind k = event.summary.kind;
    return k == MessageKind::Error || k == MessageKind::Invalid || event.summary.errorCode != 0;
}

QString LogRecord::kindName() const
{
    return isStderr() ? QStringLiteral("stderr") : toString(event.summary.kind);
}

bool LogRecord::isRequestLike() const
{
    return RequestPairing::isRequestLike(event);
}

TrafficLogModel::TrafficLogModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_utcOffsetMs = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    connect(&m_timer, &QTimer::timeout, this, &TrafficLogModel::flush);
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(0);
    connect(&m_catchUp, &QTimer::timeout, this, &TrafficLogModel::flush);
}

TrafficLogModel::~TrafficLogModel() = default;

void TrafficLogModel::setBus(std::shared_ptr<TrafficBus> bus, int intervalMs)
{
    m_bus = std::move(bus);
    if (m_bus)
        m_timer.start(intervalMs);
    else
        m_timer.stop();
}

void TrafficLogModel::setCapacity(qsizetype rows)
{
    m_capacity = qMax<qsizetype>(1, rows);
    m_pairing.setCapacity(m_capacity);
    if (qsizetype(m_rows.size()) > m_capacity) {
        const qsizetype excess = qsizetype(m_rows.size()) - m_capacity;
        evictFront(excess);
        m_rows.shrinkToFit();
        emit flushed(0, int(excess));
    }
    skipPending(pendingCount() - m_capacity);
    emit countersChanged();
}

void TrafficLogModel::setFlushBudget(int rows, int ms)
{
    m_budgetRows = qMax(int(MinFlushRows), rows);
    m_budgetMs = qMax(0, ms);
}

quint64 TrafficLogModel::busDroppedCount() const
{
    return m_bus ? m_bus->droppedCount() : 0;
}

void TrafficLogModel::flush()
{
    if (m_bus) {
        // Never waits for a producer holding the bus's lock (the server thread runs at a lower
        // priority and may be preempted holding it): if busy, the next tick takes the events.
        m_bus->tryDrainInto(m_drained); // m_drained's buffer goes back to the bus
        if (!m_drained.empty())
            enqueue(std::move(m_drained));
        m_drained.clear(); // moved-from shells, and the events skipped beyond the cap
    }
    if (m_paused || pendingCount() == 0)
        return;
    if (insertPending(m_budgetRows, m_budgetMs > 0) > 0)
        scheduleCatchUp();
}

void TrafficLogModel::append(std::vector<TrafficEvent> events)
{
    if (events.empty())
        return;
    enqueue(std::move(events));
    if (!m_paused)
        insertPending(-1, false);
}

// Received = taken from the bus (or handed in). From here on each event ends as a row, as
// evicted, or waits in the pending queue: received = rows + evicted + pending, always.
//
// Pending events beyond the capacity would be evicted by newer ones before a view could show
// them: they are dropped before any row is built (no pairing, no insert, no remove), counted
// as evicted and skipped. The incoming ones beyond it are never even moved.
void TrafficLogModel::enqueue(std::vector<TrafficEvent>&& events)
{
    const qsizetype incoming = qsizetype(events.size());
    m_received += quint64(incoming);
    const qsizetype excess = qMax<qsizetype>(0, pendingCount() + incoming - m_capacity);
    const qsizetype fromPending = qMin(excess, pendingCount());
    skipPending(fromPending);
    const qsizetype fromIncoming = excess - fromPending;
    if (excess > 0)
        qCDebug(lcUi) << "traffic log: skipped" << excess << "events beyond its capacity of" << m_capacity;
    m_evicted += quint64(fromIncoming);
    m_skipped += quint64(fromIncoming);
    for (qsizetype i = fromIncoming; i < incoming; ++i)
        m_pending.push_back(std::move(events[size_t(i)]), size_t(m_capacity));
    if (m_paused)
        emit countersChanged();
}

void TrafficLogModel::skipPending(qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i)
        m_pending.pop_front();
    m_evicted += quint64(qMax<qsizetype>(0, count));
    m_skipped += quint64(qMax<qsizetype>(0, count));
}

void TrafficLogModel::scheduleCatchUp()
{
    if (!m_catchUp.isActive())
        m_catchUp.start();
}

qsizetype TrafficLogModel::insertPending(qsizetype maxRows, bool timeLimited)
{
    const qsizetype available = pendingCount();
    qsizetype wanted = maxRows < 0 ? available : qMin(available, maxRows);
    // Building the rows is about half of a chunk's cost (evicting as many and the views'
    // bookkeeping are the rest), so the clock check below alone would let a chunk run to twice
    // the budget. Size the chunk from the CPU time recent chunks took per row instead.
    if (timeLimited && m_nsPerRow > 0)
        wanted = qMin(wanted, qMax(MinFlushRows, qsizetype(double(m_budgetMs) * 1e6 / m_nsPerRow)));
    if (wanted <= 0)
        return available;
    QElapsedTimer clock;
    qint64 cpuAtStart = 0;
    if (timeLimited) {
        clock.start();
        cpuAtStart = threadCpuNs();
    }
    m_utcOffsetMs = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    std::vector<LogRecord> batch;
    batch.reserve(size_t(wanted));
    for (qsizetype i = 0; i < wanted; ++i) {
        // Checking the clock every 128 rows keeps its cost out of the per-row path.
        if (timeLimited && i >= MinFlushRows && (i & 127) == 0 && clock.elapsed() >= m_budgetMs)
            break;
        batch.push_back(LogRecord{std::move(m_pending.front()), m_nextSeq++, 0, -1, {}});
        m_pending.pop_front();
        pair(batch.back(), batch);
    }
    // A backlog spike grew the queue's slot array (up to the capacity: ~15 MiB at 100,000);
    // give it back once drained, so memory returns to what the rows need. Everyday backlogs
    // (a few flushes' worth) keep theirs: regrowing it page-faults on every spike.
    if (m_pending.empty() && m_pending.slotCount() > KeptPendingSlots)
        m_pending.clear();

    // The budget never exceeds the capacity, but an unlimited append can.
    const qsizetype count = qMin<qsizetype>(qsizetype(batch.size()), m_capacity);
    const qsizetype skip = qsizetype(batch.size()) - count;
    if (skip > 0)
        m_pairing.forgetBefore(batch[size_t(skip)].seq);
    m_evicted += quint64(skip);
    m_skipped += quint64(skip);

    const qsizetype overflow = qMax<qsizetype>(0, qsizetype(m_rows.size()) + count - m_capacity);
    if (overflow > 0)
        evictFront(overflow);

    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(count) - 1);
    for (qsizetype i = skip; i < qsizetype(batch.size()); ++i)
        m_rows.push_back(std::move(batch[size_t(i)]), size_t(m_capacity));
    endInsertRows();
    emit flushed(int(count), int(overflow + skip));
    emit countersChanged();
    if (timeLimited && !batch.empty() && cpuAtStart > 0) {
        const double ns = double(threadCpuNs() - cpuAtStart) / double(batch.size());
        m_nsPerRow = m_nsPerRow > 0 ? 0.75 * m_nsPerRow + 0.25 * ns : ns;
    }
    return pendingCount();
}

void TrafficLogModel::evictFront(qsizetype count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    m_pairing.forgetBefore(m_rows[size_t(count - 1)].seq + 1);
    for (qsizetype i = 0; i < count; ++i)
        m_rows.pop_front();
    endRemoveRows();
    m_evicted += quint64(count);
}

// RequestPairing matches the reply; the partner's row (already shown, or in the batch being
// built) learns its reply, and the reply shows the request's method.
void TrafficLogModel::pair(LogRecord& rec, std::vector<LogRecord>& batch)
{
    if (rec.isStderr())
        return;
    const RequestPairing::Match match = m_pairing.add(rec.event, rec.seq);
    rec.latencyUs = match.latencyUs;
    if (match.requestSeq == 0)
        return;
    rec.pairSeq = match.requestSeq;
    // A request already shown does not change its displayed text: nothing to announce.
    if (LogRecord* req = recordForSeq(match.requestSeq, batch)) {
        req->pairSeq = rec.seq;
        rec.pairedMethod = req->event.summary.method;
    }
}

LogRecord* TrafficLogModel::recordForSeq(quint64 seq, std::vector<LogRecord>& batch)
{
    const int row = rowForSeq(seq);
    if (row >= 0)
        return &m_rows[size_t(row)];
    if (!batch.empty() && seq >= batch.front().seq && seq - batch.front().seq < batch.size())
        return &batch[size_t(seq - batch.front().seq)];
    return nullptr;
}

void TrafficLogModel::replaceAll(std::vector<TrafficEvent> events)
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_pairing.clear();
    endResetModel();
    m_received = 0;
    m_evicted = 0;
    m_skipped = 0;
    // An imported log is shown even while live traffic is paused.
    enqueue(std::move(events));
    insertPending(-1, false);
    emit countersChanged();
}

void TrafficLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_pairing.clear();
    m_received = 0;
    m_evicted = 0;
    m_skipped = 0;
    endResetModel();
    emit countersChanged();
}

void TrafficLogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    // What waited comes in budget-sized chunks, like a backlog.
    if (!m_paused && !m_pending.empty() && insertPending(m_budgetRows, m_budgetMs > 0) > 0)
        scheduleCatchUp();
    emit pausedChanged(m_paused);
    emit countersChanged();
}

int TrafficLogModel::rowForSeq(quint64 seq) const
{
    if (m_rows.empty() || seq < m_rows.front().seq)
        return -1;
    const quint64 row = seq - m_rows.front().seq;
    return row < m_rows.size() ? int(row) : -1;
}

int TrafficLogModel::pairedRow(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return -1;
    const quint64 partner = m_rows[size_t(row)].pairSeq;
    return partner ? rowForSeq(partner) : -1;
}

std::vector<TrafficEvent> TrafficLogModel::events(const QList<int>& rows) const
{
    std::vector<TrafficEvent> out;
    out.reserve(size_t(rows.size()));
    for (int row : rows) {
        if (row >= 0 && row < int(m_rows.size()))
            out.push_back(m_rows[size_t(row)].event);
    }
    return out;
}

std::vector<TrafficEvent> TrafficLogModel::allEvents() const
{
    std::vector<TrafficEvent> out;
    out.reserve(m_rows.size());
    for (size_t i = 0; i < m_rows.size(); ++i)
        out.push_back(m_rows[i].event);
    return out;
}

int TrafficLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogRecord& rec = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(rec, index.column());
    case Qt::ToolTipRole:
        return toolTip(rec, index.column());
    case Qt::BackgroundRole:
        if (rec.isStderr())
            return Palette::stderrTint();
        if (rec.event.late)
            return Palette::lateTint();
        if (rec.isError())
            return Palette::errorTint();
        if (rec.event.summary.faulted)
            return Palette::faultTint();
        return {};
    case Qt::ForegroundRole:
        // A reply's method is inferred from its request: shown, but muted.
        if (index.column() == MethodColumn && rec.event.summary.method.isEmpty())
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == LatencyColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ErrorRole:
        return rec.isError();
    case SeqRole:
        return rec.seq;
    default:
        return {};
    }
}

QVariant TrafficLogModel::displayText(const LogRecord& rec, int column) const
{
    const TrafficEvent& e = rec.event;
    const MessageSummary& s = e.summary;
    if (rec.isStderr() && column >= DialectColumn && column != SizeColumn)
        return stderrText(rec, column);
    switch (column) {
    case TimeColumn: {
        constexpr qint64 DayMs = 86'400'000;
        const qint64 ms = ((e.timestampUs / 1000 + m_utcOffsetMs) % DayMs + DayMs) % DayMs;
        return QTime::fromMSecsSinceStartOfDay(int(ms)).toString(QStringLiteral("HH:mm:ss.zzz"));
    }
    case SideColumn:
        return toString(e.side);
    case DirectionColumn:
        return e.direction == Direction::In ? QStringLiteral("← in") : QStringLiteral("→ out");
    case PeerColumn:
        return QStringLiteral("#%1 %2").arg(e.connectionId).arg(e.peer);
    case TransportColumn:
        return toString(e.transport);
    case DialectColumn:
        return toString(s.dialect);
    case KindColumn: {
        QString kind = toString(s.kind);
        if (s.kind == MessageKind::Batch)
            kind += QStringLiteral(" ×%1").arg(s.batchSize);
        if (s.errorCode != 0)
            kind += QStringLiteral(" %1").arg(s.errorCode);
        if (s.faulted)
            kind += QStringLiteral(" (faulted)");
        if (e.late)
            kind += QStringLiteral(" — ") + lateMarker();
        return kind;
    }
    case MethodColumn:
        return rec.method();
    case IdColumn:
        return QString::fromUtf8(s.idJson);
    case SizeColumn:
        return JsonText::formatBytes(e.raw.size());
    case LatencyColumn:
        return JsonText::formatLatency(rec.latencyUs);
    }
    return {};
}

// A stderr row: "stderr" as its kind, the line itself where a message shows its method.
QVariant TrafficLogModel::stderrText(const LogRecord& rec, int column) const
{
    switch (column) {
    case KindColumn:
        return rec.kindName();
    case MethodColumn:
        return QString::fromUtf8(rec.event.raw).trimmed();
    default:
        return QString();
    }
}

QString TrafficLogModel::lateMarker()
{
    return tr("late (after timeout)");
}

// The cell's full text first (a narrow column elides it), then what the row is.
QVariant TrafficLogModel::toolTip(const LogRecord& rec, int column) const
{
    const MessageSummary& s = rec.event.summary;
    QString tip = displayText(rec, column).toString();
    if (!tip.isEmpty())
        tip += QLatin1Char('\n');
    if (rec.isStderr())
        return tip + tr("A line the launched process wrote to its standard error");
    tip += QStringLiteral("%1 %2 %3")
               .arg(toString(rec.event.side), toString(rec.event.direction), toString(s.kind));
    if (s.errorCode != 0)
        tip += QStringLiteral(", error %1").arg(s.errorCode);
    if (s.faulted)
        tip += QStringLiteral(", altered on purpose by fault injection");
    if (rec.event.late)
        tip += tr(", arrived after its call had timed out");
    if (rec.pairSeq != 0)
        tip += rec.isRequestLike() ? QStringLiteral("\nReply received (double-click to jump)")
                                   : QStringLiteral("\nMatched to its request (double-click to jump)");
    return tip;
}

QVariant TrafficLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"Time",      "Side",    "Dir",    "Peer / conn",
                                                   "Transport", "Dialect", "Kind",   "Method",
                                                   "Id",        "Size",    "Latency"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant{};
}

} // namespace rpcbench
