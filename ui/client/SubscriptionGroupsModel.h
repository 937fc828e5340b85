#pragma once
// Subscription events grouped by their subscription id (IncomingMessage::groupKey): one row per
// group with its method, the number of events, the rate over the last RateWindowMs and when
// the last one came. Follows an IncomingModel: new rows are counted as they are inserted, and
// a change of the group-by pointer (or Clear) rebuilds every group. The rate column is
// refreshed once a second (refreshRates()), so it falls to 0 when a subscription goes quiet.

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>
#include <vector>

namespace rpcbench {

class IncomingModel;

class SubscriptionGroupsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int { KeyColumn, MethodColumn, CountColumn, RateColumn, LastSeenColumn, ColumnCount };
    static constexpr int RateWindowMs = 5000;

    explicit SubscriptionGroupsModel(IncomingModel* source, QObject* parent = nullptr);

    QString key(int row) const { return m_groups[size_t(row)].key; }
    int count(int row) const { return m_groups[size_t(row)].count; }
    // Events per second over the last RateWindowMs (by the source model's clock).
    double rate(int row) const;
    int rowOf(const QString& key) const; // -1 when there is no such group

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void refreshRates(); // the rate and last-seen columns, as time passes

private:
    struct Group
    {
        QString key;
        QString method;
        int count = 0;
        qint64 lastMs = 0;
        std::deque<qint64> recent; // arrival times within the rate window
    };

    void countRows(int first, int last);
    void rebuild();
    void prune(Group& group, qint64 now) const;

    IncomingModel* m_source;
    std::vector<Group> m_groups; // in order of first appearance
    QTimer m_rateTimer;
};

} // namespace rpcbench
