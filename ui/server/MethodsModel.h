#pragma once
// The server panel's table of registered methods with their live figures. The method list is
// reloaded when the registry announces a change (from any thread, coalesced); the per-method
// counters are sampled on a timer and only changed cells are announced.

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
        LatencyColumn,
        ColumnCount
    };

    explicit MethodsModel(std::shared_ptr<MethodRegistry> registry, QObject* parent = nullptr);
    ~MethodsModel() override;

    void reload();       // re-read the method list
    void refreshStats(); // sample the counters now (the timer does it every 500 ms)
    void setRefreshInterval(int ms);

    MethodInfo method(int row) const;
    int rowOf(const QString& name) const; // -1 when absent
    QStringList names() const;

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
        quint64 totalLatencyUs = 0;
    };

    QVariant displayText(const Row& row, int column) const;

    std::shared_ptr<MethodRegistry> m_registry;
    std::vector<Row> m_rows;
    QTimer m_timer;
    bool m_reloadQueued = false;
};

} // namespace rpcbench
