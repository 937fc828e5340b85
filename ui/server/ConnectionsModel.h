#pragma once
// The embedded server's open connections, one row each (RpcServer::connections()). The list is
// re-read when the server announces a change (connectionsChanged, coalesced by the server) and
// on a slow timer for the message counters and the age; never per message. Rows are matched by
// connection id, so a selection survives refreshes and only changed cells are announced.

#include "server/ConnectionInfo.h"
#include "server/RpcServer.h" // QPointer needs the complete type

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

namespace rpcbench {

class ConnectionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column : int {
        IdColumn,
        PeerColumn,
        TransportColumn,
        PushColumn,
        InColumn,
        OutColumn,
        AgeColumn,
        ListenerColumn,
        ColumnCount
    };
    static constexpr int ConnectionIdRole = Qt::UserRole + 1; // quint64
    static constexpr int CanPushRole = Qt::UserRole + 2;      // bool
    static constexpr int SortRole = Qt::UserRole + 3;         // numbers as numbers

    explicit ConnectionsModel(QObject* parent = nullptr);

    // The server whose connections are listed (null: none). It must outlive the model, or be
    // destroyed first (the model then shows nothing).
    void setServer(RpcServer* server);
    RpcServer* server() const { return m_server; }

    void refresh(); // re-read the list now (connectionsChanged and the timer do it)
    void setRefreshInterval(int ms);

    ConnectionInfo connection(int row) const { return m_rows.at(row); }
    const QList<ConnectionInfo>& connections() const { return m_rows; }
    int rowOf(quint64 id) const; // -1 when absent
    int pushCapableCount() const;

    // "#3 127.0.0.1:53412 (json)": how dialogs name a connection.
    static QString describe(const ConnectionInfo& c);
    // Why a connection cannot take a message the server starts (empty when it can).
    static QString whyNoPush(const ConnectionInfo& c);
    // "45 s", "3 min", "2 h 05 min".
    static QString formatAge(qint64 microseconds);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayText(const ConnectionInfo& c, int column) const;
    QString toolTip(const ConnectionInfo& c, int column) const;
    QVariant sortKey(const ConnectionInfo& c, int column) const;
    void removeClosed(const QList<ConnectionInfo>& fresh);
    // False when the remaining rows are not in the fresh list's order (then the model resets).
    bool mergeInto(const QList<ConnectionInfo>& fresh);

    QPointer<RpcServer> m_server;
    QList<ConnectionInfo> m_rows;
    QTimer m_timer;
};

} // namespace rpcbench
