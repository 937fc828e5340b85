#pragma once
// The traffic log: every message of both sides in one table, fed in batches.
//
// Nothing is inserted per message. A timer on the GUI thread drains the TrafficBus every ~30 ms
// into a pending queue; each flush takes at most a budget of events from it (4,096 rows or ~4 ms,
// sized from what recent chunks cost per row), pairs replies with their requests (RequestPairing,
// in core), evicts the oldest rows past the cap with ONE beginRemoveRows and appends the chunk with
// ONE beginInsertRows. When more is waiting, the next chunk follows from a zero timer, so one flush
// never freezes the event loop however far behind the GUI thread fell. The pending queue is capped
// at the log's capacity: events beyond it would be evicted before ever being shown, so they are
// skipped without building rows and counted as received and evicted (skippedCount() says how many
// never were rows). Rows live in a capped ring buffer (RingBuffer, O(1) at both ends and by index);
// display strings are made in data() only for the rows a view asks for. While paused, drained
// events wait in the same pending queue; nothing is ever lost silently.

#include "traffic/RequestPairing.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEvent.h"
#include "util/RingBuffer.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <memory>
#include <vector>

namespace rpcbench {

struct LogRecord
{
    TrafficEvent event;
    quint64 seq = 0;       // 1-based position in the log's whole history; row = seq - first seq
    quint64 pairSeq = 0;   // the matching request/reply, 0 when none is known
    qint64 latencyUs = -1; // on replies, from the engine or from the paired request
    QString pairedMethod;  // on replies: the request's method (replies do not name it)

    bool isError() const;
    // A line the launched process wrote to its standard error, not a message.
    bool isStderr() const { return event.kind == TrafficEvent::Kind::Stderr; }
    // "request", "response", ... or "stderr": what the Kind column starts with.
    QString kindName() const;
    bool isRequestLike() const; // travels from caller to callee (server in / client out)
    // The method named by the message or, for a reply, by its request.
    const QString& method() const
    {
        return event.summary.method.isEmpty() ? pairedMethod : event.summary.method;
    }
};

class TrafficLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        TimeColumn,
        SideColumn,
        DirectionColumn,
        PeerColumn,
        TransportColumn,
        DialectColumn,
        KindColumn,
        MethodColumn,
        IdColumn,
        SizeColumn,
        LatencyColumn,
        ColumnCount
    };
    enum Role { ErrorRole = Qt::UserRole + 1, SeqRole };
    static constexpr qsizetype DefaultCapacity = 100'000;
    static constexpr int DefaultFlushRows = 4096;
    static constexpr int DefaultFlushMs = 4;

    explicit TrafficLogModel(QObject* parent = nullptr);
    ~TrafficLogModel() override;

    // Drains `bus` every `intervalMs` on this object's thread; nullptr stops draining.
    void setBus(std::shared_ptr<TrafficBus> bus, int intervalMs = 30);
    std::shared_ptr<TrafficBus> bus() const { return m_bus; }
    void setCapacity(qsizetype rows); // evicts at once when the log is larger
    qsizetype capacity() const { return m_capacity; }

    // The most one flush() turns into rows: `rows` events, and as many as recent flushes managed
    // in `ms` milliseconds (0 = no time limit, for exact tests; at least 256 rows per flush).
    void setFlushBudget(int rows, int ms = DefaultFlushMs);
    int flushBudgetRows() const { return m_budgetRows; }

    // Drains the bus and inserts up to the budget; schedules the rest (zero timer).
    void flush();
    // One batch, inserted at once whatever its size (tests, imported logs).
    void append(std::vector<TrafficEvent> events);
    void replaceAll(std::vector<TrafficEvent> events); // an imported log
    void clear();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }

    quint64 receivedCount() const { return m_received; }
    quint64 evictedCount() const { return m_evicted; }
    // Of the evicted, those that never became rows (pending beyond the cap).
    quint64 skippedCount() const { return m_skipped; }
    quint64 busDroppedCount() const; // lost before reaching the log (bus overflow)

    const LogRecord& record(int row) const { return m_rows[size_t(row)]; }
    int rowForSeq(quint64 seq) const; // -1 when not (or no longer) in the log
    int pairedRow(int row) const;     // -1 when unpaired or the partner was evicted
    std::vector<TrafficEvent> events(const QList<int>& rows) const;
    std::vector<TrafficEvent> allEvents() const;
    // Appended to the Kind of a reply that arrived after its call had timed out (the filter
    // finds it by this text).
    static QString lateMarker();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void flushed(int inserted, int evicted); // after each batch reached the table
    void countersChanged();                  // received/evicted/pending changed
    void pausedChanged(bool paused);

private:
    void enqueue(std::vector<TrafficEvent>&& events);
    void skipPending(qsizetype count);
    // Inserts up to `maxRows` pending events (< 0 = all). Returns how many are still pending.
    qsizetype insertPending(qsizetype maxRows, bool timeLimited);
    void scheduleCatchUp();
    void evictFront(qsizetype count);
    void pair(LogRecord& rec, std::vector<LogRecord>& batch);
    // The record with this seq among the rows or in the batch being built; nullptr if neither.
    LogRecord* recordForSeq(quint64 seq, std::vector<LogRecord>& batch);
    QVariant displayText(const LogRecord& rec, int column) const;
    QVariant stderrText(const LogRecord& rec, int column) const;
    QVariant toolTip(const LogRecord& rec, int column) const;

    RingBuffer<LogRecord> m_rows;
    // Drained, not yet rows (paused, or beyond this flush's budget); never above the capacity.
    RingBuffer<TrafficEvent> m_pending;
    qsizetype m_capacity = DefaultCapacity;
    int m_budgetRows = DefaultFlushRows;
    int m_budgetMs = DefaultFlushMs;
    double m_nsPerRow = 0; // CPU time per row of recent time-limited chunks (moving average)
    quint64 m_nextSeq = 1;
    quint64 m_received = 0;
    quint64 m_evicted = 0;
    quint64 m_skipped = 0;
    bool m_paused = false;
    qint64 m_utcOffsetMs = 0; // refreshed per flush; formatting local time per row stays cheap

    RequestPairing m_pairing{DefaultCapacity}; // remembers no more requests than the log holds rows

    std::shared_ptr<TrafficBus> m_bus;
    std::vector<TrafficEvent> m_drained; // exchanged with the bus on every drain
    QTimer m_timer;
    QTimer m_catchUp; // zero interval, single shot: the next chunk of a backlog
};

} // namespace rpcbench
