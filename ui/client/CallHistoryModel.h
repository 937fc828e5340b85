#pragma once
// The calls made from the client panel, newest first: method, params, outcome, time. Stored
// in the settings between runs (capped) so a useful call is never retyped.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <vector>

namespace rpcbench {

struct HistoryEntry
{
    QDateTime time;
    QString method;
    QJsonValue params = QJsonValue::Undefined;
    bool notification = false;
    QString url;
    QString dialect; // "2.0", "1.0", "classic"
    QString status;  // "ok", "error", "timeout"...
    QString outcome; // compact result or error text, truncated
    qint64 latencyUs = -1;
    // The reply came after the call had timed out (status and outcome keep the timeout).
    bool late = false;
    qint64 lateLatencyUs = -1; // when the late reply arrived, counted from the send
    quint64 callId = 0;        // the RpcClient call it records (this run only: not persisted)

    QJsonObject toJson() const;
    static HistoryEntry fromJson(const QJsonObject& object);
};

class CallHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { TimeColumn, MethodColumn, ParamsColumn, OutcomeColumn, LatencyColumn, ColumnCount };
    static constexpr int MaxOutcomeChars = 2000;

    explicit CallHistoryModel(int capacity = 200, QObject* parent = nullptr);

    void add(HistoryEntry entry); // becomes row 0
    // Marks the entry of `callId` "late (after timeout)"; false when no entry has that id.
    bool markLate(quint64 callId, qint64 latencyUs);
    void remove(int row);
    void clear();
    const HistoryEntry& entry(int row) const { return m_entries[size_t(row)]; }
    int capacity() const { return m_capacity; }

    QJsonArray toJson() const; // oldest first (the settings' order)
    void load(const QJsonArray& array);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void historyChanged(); // after add/remove/clear (to persist)

private:
    static QString toolTip(const HistoryEntry& entry, int column);

    int m_capacity;
    std::vector<HistoryEntry> m_entries; // newest first
};

} // namespace rpcbench
