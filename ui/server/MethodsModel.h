#pragma once
// The server panel's table of registered methods with their live figures. The method list is
// reloaded when the registry announces a change (from any thread, coalesced); the per-method
// counters are sampled on a timer and only changed cells are announced. Figures are shown
// compactly ("1.75M", "0.8 µs"); every cell's tooltip has its full text, and SortRole gives
// numbers that sort as numbers. p50/p99 come from the method's latency histogram, read only
// when its counters have moved; latency(row) hands the same snapshot to the histogram view.

#include "dispatch/LatencyBuckets.h"
#include "dispatch/MethodInfo.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <memory>
#include <vector>

namespace rpcbench {

class MethodRegistry;
struct MethodStats;

class MethodsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        NameColumn,
        SignatureColumn,
        DescriptionColumn,
        CallsColumn,
        ErrorsColumn,
        LatencyColumn, // mean
        P50Column,
        P99Column,
        ColumnCount
    };

    // Sort key of every cell: the figures as numbers (latencies in ns, -1 before the first
    // answer), the text columns as shown. A proxy sorting by DisplayRole would sort "1.75M"
    // before "999".
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit MethodsModel(std::shared_ptr<MethodRegistry> registry, QObject* parent = nullptr);
    ~MethodsModel() override;

    void reload();       // re-read the method list
    void refreshStats(); // sample the counters now (the timer does it every 500 ms)
    void setRefreshInterval(int ms);

    MethodInfo method(int row) const;
    int rowOf(const QString& name) const; // -1 when absent
    QStringList names() const;
    // The method's latency histogram as last sampled (empty before the first answer).
    LatencyBuckets::Snapshot latency(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        MethodInfo info;
        std::shared_ptr<MethodStats> stats;
        quint64 calls = 0; // last sampled values
        quint64 errors = 0;
        quint64 answered = 0;
        quint64 totalLatencyNs = 0;
        LatencyBuckets::Snapshot latency;
        qint64 p50Ns = -1; // from `latency`, -1 when empty
        qint64 p99Ns = -1;

        qint64 meanLatencyNs() const { return answered ? qint64(totalLatencyNs / answered) : -1; }
        bool sample();        // reads the counters; true when any changed
        bool sampleLatency(); // reads the histogram; true when its count changed
    };

    QVariant displayText(const Row& row, int column) const;
    QString toolTip(const Row& row, int column) const;
    QVariant sortKey(const Row& row, int column) const;

    std::shared_ptr<MethodRegistry> m_registry;
    std::vector<Row> m_rows;
    QTimer m_timer;
    bool m_reloadQueued = false;
};

} // namespace rpcbench
