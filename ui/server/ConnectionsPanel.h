#pragma once
// The embedded server's connection list (the server panel's "Connections" tab): one row per
// open connection, a line that sums them up, and "Send to client…" under the table, which
// opens a SendToClientDialog aimed at the selected connection (or at every connection that
// can take pushes when none is selected). The context menu offers the same per row.

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace rpcbench {

class ConnectionsModel;
class RpcServer;
class SendToClientDialog;

class ConnectionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPanel(QWidget* parent = nullptr);

    void setServer(RpcServer* server);
    ConnectionsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* sendButton() const { return m_send; }
    QList<QWidget*> focusOrder() const; // the table, then the buttons under it

    quint64 currentConnection() const; // 0 when no row is selected
    bool selectConnection(quint64 id);

public slots:
    // Opens the dialog (window-modal with open(), never exec()) aimed at `connectionId`, 0 for
    // every connection that can take pushes. Returns it for tests.
    SendToClientDialog* openSendDialog(quint64 connectionId);

signals:
    void countChanged(int connections);

private:
    void updateState();
    void showContextMenu(const QPoint& pos);

    ConnectionsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_summary;
    QTableView* m_view;
    QPushButton* m_send;
    QPushButton* m_sendAll;
};

} // namespace rpcbench
