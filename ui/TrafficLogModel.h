#pragma once
// The traffic log: every message of both sides in one table, fed in batches.
//
// Nothing is inserted per message. A timer on the GUI thread drains the TrafficBus every
// ~30 ms; each flush pairs replies with their requests, evicts the oldest rows past the cap
// with ONE beginRemoveRows and appends the batch with ONE beginInsertRows. Rows live in a
// capped ring buffer (std::deque, O(1) at both ends and by index); display strings are made
// in data() only for the rows a view asks for. While paused, drained events wait in a pending
// buffer capped the same way; whatever the cap pushes out is counted (evictedCount()), never
// lost silently.

#include "TrafficBus.h"
#include "TrafficEvent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

#include <deque>
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

    explicit TrafficLogModel(QObject* parent = nullptr);
    ~TrafficLogModel() override;

    // Drains `bus` every `intervalMs` on this object's thread; nullptr stops draining.
    void setBus(std::shared_ptr<TrafficBus> bus, int intervalMs = 30);
    std::shared_ptr<TrafficBus> bus() const { return m_bus; }
    void setCapacity(qsizetype rows); // evicts at once when the log is larger
    qsizetype capacity() const { return m_capacity; }

    void flush();                                      // drain the bus now
    void append(std::vector<TrafficEvent> events);     // one batch (tests, the bus)
    void replaceAll(std::vector<TrafficEvent> events); // an imported log
    void clear();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }

    quint64 receivedCount() const { return m_received; }
    quint64 evictedCount() const { return m_evicted; }
    quint64 busDroppedCount() const; // lost before reaching the log (bus overflow)

    const LogRecord& record(int row) const { return m_rows[size_t(row)]; }
    int rowForSeq(quint64 seq) const; // -1 when not (or no longer) in the log
    int pairedRow(int row) const;     // -1 when unpaired or the partner was evicted
    std::vector<TrafficEvent> events(const QList<int>& rows) const;
    std::vector<TrafficEvent> allEvents() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void flushed(int inserted, int evicted); // after each batch reached the table
    void countersChanged();                  // received/evicted/pending changed
    void pausedChanged(bool paused);

private:
    struct Open
    {
        quint64 seq;
        qint64 timestampUs;
    };

    void insertBatch(std::vector<TrafficEvent>& events);
    void evictFront(qsizetype count);
    void pair(LogRecord& rec, std::vector<LogRecord>& batch);
    void pairBatch(LogRecord& rec, std::vector<LogRecord>& batch);
    void link(LogRecord& reply, const Open& request, std::vector<LogRecord>& batch);
    void forget(const LogRecord& rec);
    void resetPairing();
    QVariant displayText(const LogRecord& rec, int column) const;
    QVariant toolTip(const LogRecord& rec) const;

    std::deque<LogRecord> m_rows;
    std::deque<TrafficEvent> m_pending; // drained while paused
    qsizetype m_capacity = DefaultCapacity;
    quint64 m_nextSeq = 1;
    quint64 m_received = 0;
    quint64 m_evicted = 0;
    bool m_paused = false;
    qint64 m_utcOffsetMs = 0; // refreshed per flush; formatting local time per row stays cheap

    QHash<QByteArray, Open> m_openCalls;               // side+connection+id -> request
    QHash<QByteArray, std::deque<Open>> m_openBatches; // side+connection -> batch requests

    std::shared_ptr<TrafficBus> m_bus;
    QTimer m_timer;
};

} // namespace rpcbench
