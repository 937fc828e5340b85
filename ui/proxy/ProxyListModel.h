#pragma once
// The Proxies panel's table: one row per proxy of a ProxySet with where it listens, where it
// forwards to, whether it runs, and its connection and message counts. The counts are read from
// Proxy::stats() on a 1 s timer that runs only while some proxy runs and a view shows the model
// (setLive), so an idle or hidden panel costs nothing.
#include <QAbstractTableModel>
#include <QTimer>

namespace rpcbench {

class ProxySet;

class ProxyListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ListenColumn, UpstreamColumn, StateColumn, ConnectionsColumn, MessagesColumn, ColumnCount };

    explicit ProxyListModel(ProxySet* proxies, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The last start error of a row ("cannot listen on ..."): the row shows "error" until it
    // starts or its config changes.
    void setError(int row, const QString& error);
    QString error(int row) const;
    // The panel says whether it is shown; counts refresh only while shown and something runs.
    void setLive(bool live);
    bool isRefreshing() const { return m_refresh.isActive(); }

public slots:
    void refreshCounts(); // the timer's tick; public so a test need not wait a second

private:
    void updateTimer();
    void changedRow(int row);

    ProxySet* m_proxies;
    QList<QString> m_errors; // per row, parallel to the set
    QTimer m_refresh;
    bool m_live = false;
};

} // namespace rpcbench
