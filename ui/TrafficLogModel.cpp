#include "TrafficLogModel.h"

#include "JsonText.h"

#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <QTime>

namespace rpcbench {

namespace {

QByteArray connectionKey(const TrafficEvent& e)
{
    QByteArray key;
    key.reserve(int(sizeof(quint64)) + 1);
    key.append(char(e.side));
    key.append(reinterpret_cast<const char*>(&e.connectionId), sizeof(e.connectionId));
    return key;
}

QByteArray callKey(const TrafficEvent& e)
{
    return connectionKey(e) + e.summary.idJson;
}

bool hasUsableId(const MessageSummary& s)
{
    return !s.idJson.isEmpty() && s.idJson != "null";
}

// Translucent tints read on light and dark palettes alike.
const QColor ErrorTint(230, 60, 60, 60);
const QColor FaultTint(230, 150, 30, 60);

} // namespace

bool LogRecord::isError() const
{
    const MessageKind k = event.summary.kind;
    return k == MessageKind::Error || k == MessageKind::Invalid || event.summary.errorCode != 0;
}

bool LogRecord::isRequestLike() const
{
    return (event.side == Side::Server) == (event.direction == Direction::In);
}

TrafficLogModel::TrafficLogModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_utcOffsetMs = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    connect(&m_timer, &QTimer::timeout, this, &TrafficLogModel::flush);
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
    if (qsizetype(m_rows.size()) > m_capacity) {
        const qsizetype excess = qsizetype(m_rows.size()) - m_capacity;
        evictFront(excess);
        emit flushed(0, int(excess));
    }
    while (qsizetype(m_pending.size()) > m_capacity) {
        m_pending.pop_front();
        ++m_evicted;
    }
    emit countersChanged();
}

quint64 TrafficLogModel::busDroppedCount() const
{
    return m_bus ? m_bus->droppedCount() : 0;
}

void TrafficLogModel::flush()
{
    if (!m_bus)
        return;
    std::vector<TrafficEvent> events = m_bus->drain();
    if (!events.empty())
        append(std::move(events));
}

void TrafficLogModel::append(std::vector<TrafficEvent> events)
{
    if (events.empty())
        return;
    m_received += events.size();
    if (m_paused) {
        for (TrafficEvent& e : events)
            m_pending.push_back(std::move(e));
        while (qsizetype(m_pending.size()) > m_capacity) {
            m_pending.pop_front();
            ++m_evicted;
        }
        emit countersChanged();
        return;
    }
    insertBatch(events);
}

void TrafficLogModel::insertBatch(std::vector<TrafficEvent>& events)
{
    m_utcOffsetMs = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    std::vector<LogRecord> batch;
    batch.reserve(events.size());
    for (TrafficEvent& e : events) {
        batch.push_back(LogRecord{std::move(e), m_nextSeq++, 0, -1, {}});
        pair(batch.back(), batch);
    }
    // A batch larger than the whole cap: its oldest part never becomes a row.
    const qsizetype skip = qMax<qsizetype>(0, qsizetype(batch.size()) - m_capacity);
    for (qsizetype i = 0; i < skip; ++i)
        forget(batch[size_t(i)]);
    m_evicted += quint64(skip);

    const qsizetype count = qsizetype(batch.size()) - skip;
    const qsizetype overflow = qMax<qsizetype>(0, qsizetype(m_rows.size()) + count - m_capacity);
    if (overflow > 0)
        evictFront(overflow);

    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(count) - 1);
    for (qsizetype i = skip; i < qsizetype(batch.size()); ++i)
        m_rows.push_back(std::move(batch[size_t(i)]));
    endInsertRows();
    emit flushed(int(count), int(overflow + skip));
    emit countersChanged();
}

void TrafficLogModel::evictFront(qsizetype count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i) {
        forget(m_rows.front());
        m_rows.pop_front();
    }
    endRemoveRows();
    m_evicted += quint64(count);
}

// Remembers requests and matches replies by (side, connection, id). The engine usually
// measured the latency itself; we confirm it or compute it from the request's timestamp.
void TrafficLogModel::pair(LogRecord& rec, std::vector<LogRecord>& batch)
{
    const MessageSummary& s = rec.event.summary;
    rec.latencyUs = rec.event.latencyUs;
    if (s.kind == MessageKind::Batch) {
        pairBatch(rec, batch);
        return;
    }
    if (!hasUsableId(s))
        return;
    if (s.kind == MessageKind::Request && rec.isRequestLike()) {
        m_openCalls.insert(callKey(rec.event), Open{rec.seq, rec.event.timestampUs});
    } else if ((s.kind == MessageKind::Response || s.kind == MessageKind::Error) && !rec.isRequestLike()) {
        const auto it = m_openCalls.constFind(callKey(rec.event));
        if (it == m_openCalls.cend())
            return;
        const Open request = *it;
        m_openCalls.erase(it);
        link(rec, request, batch);
    }
}

// Batch elements carry their own ids, but the summary does not list them; batches are matched
// per connection instead: with an engine latency, the request whose timestamp fits best,
// otherwise the oldest open one.
void TrafficLogModel::pairBatch(LogRecord& rec, std::vector<LogRecord>& batch)
{
    const QByteArray key = connectionKey(rec.event);
    if (rec.isRequestLike()) {
        m_openBatches[key].push_back(Open{rec.seq, rec.event.timestampUs});
        return;
    }
    const auto it = m_openBatches.find(key);
    if (it == m_openBatches.end() || it->empty())
        return;
    std::deque<Open>& open = *it;
    auto best = open.begin();
    if (rec.event.latencyUs >= 0) {
        const qint64 sentAt = rec.event.timestampUs - rec.event.latencyUs;
        for (auto o = open.begin(); o != open.end(); ++o) {
            if (qAbs(o->timestampUs - sentAt) < qAbs(best->timestampUs - sentAt))
                best = o;
        }
    }
    const Open request = *best;
    open.erase(best);
    if (open.empty())
        m_openBatches.erase(it);
    link(rec, request, batch);
}

void TrafficLogModel::link(LogRecord& reply, const Open& request, std::vector<LogRecord>& batch)
{
    reply.pairSeq = request.seq;
    if (reply.latencyUs < 0)
        reply.latencyUs = qMax<qint64>(0, reply.event.timestampUs - request.timestampUs);
    LogRecord* req = nullptr;
    const int row = rowForSeq(request.seq);
    if (row >= 0)
        req = &m_rows[size_t(row)]; // its displayed text does not change: nothing to announce
    else if (!batch.empty() && request.seq >= batch.front().seq)
        req = &batch[size_t(request.seq - batch.front().seq)];
    if (req) {
        req->pairSeq = reply.seq;
        reply.pairedMethod = req->event.summary.method;
    }
}

void TrafficLogModel::forget(const LogRecord& rec)
{
    if (rec.pairSeq != 0 || !rec.isRequestLike())
        return;
    const MessageSummary& s = rec.event.summary;
    if (s.kind == MessageKind::Request && hasUsableId(s)) {
        const auto it = m_openCalls.find(callKey(rec.event));
        if (it != m_openCalls.end() && it->seq == rec.seq)
            m_openCalls.erase(it);
    } else if (s.kind == MessageKind::Batch) {
        const auto it = m_openBatches.find(connectionKey(rec.event));
        if (it != m_openBatches.end()) {
            if (!it->empty() && it->front().seq == rec.seq)
                it->pop_front();
            if (it->empty())
                m_openBatches.erase(it);
        }
    }
}

void TrafficLogModel::resetPairing()
{
    m_openCalls.clear();
    m_openBatches.clear();
}

void TrafficLogModel::replaceAll(std::vector<TrafficEvent> events)
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    resetPairing();
    endResetModel();
    m_received = 0;
    m_evicted = 0;
    m_received += events.size();
    if (!events.empty())
        insertBatch(events);
    emit countersChanged();
}

void TrafficLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    resetPairing();
    m_received = 0;
    m_evicted = 0;
    endResetModel();
    emit countersChanged();
}

void TrafficLogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!m_paused && !m_pending.empty()) {
        std::vector<TrafficEvent> held(std::make_move_iterator(m_pending.begin()),
                                       std::make_move_iterator(m_pending.end()));
        m_pending.clear();
        insertBatch(held);
    }
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
    for (const LogRecord& r : m_rows)
        out.push_back(r.event);
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
        return toolTip(rec);
    case Qt::BackgroundRole:
        if (rec.isError())
            return ErrorTint;
        if (rec.event.summary.faulted)
            return FaultTint;
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

QVariant TrafficLogModel::toolTip(const LogRecord& rec) const
{
    const MessageSummary& s = rec.event.summary;
    QString tip = QStringLiteral("%1 %2 %3")
                      .arg(toString(rec.event.side), toString(rec.event.direction), toString(s.kind));
    if (s.errorCode != 0)
        tip += QStringLiteral(", error %1").arg(s.errorCode);
    if (s.faulted)
        tip += QStringLiteral(", altered on purpose by fault injection");
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
