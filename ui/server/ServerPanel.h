#pragma once
// The server panel: every registered method with its signature, description and live figures
// (calls, errors, mean/p50/p99 latency); the selected one's latency histogram, updated with the
// table, and OpenRPC description; "Call this" to fill the client form with it. With a
// MockService it also offers New method / Edit / Disable / Remove / Faults (MockMethodActions)
// under the table. The table keeps MinimumVisibleRows rows however small the dock (the
// description, then the histogram, yield first); columns grow to their content
// (ColumnAutoSizer); Tab follows reading order. A second tab, "Connections (N)",
// lists the embedded server's open connections with "Send to client…" (ConnectionsPanel); tabs
// rather than a third part keep the methods table's rows when the dock is small.

#include "dispatch/MethodInfo.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;

namespace rpcbench {

class MethodRegistry;
class MethodsModel;
class MockMethodActions;
class MockService;
class PayloadView;

class ConnectionsPanel;
class LatencyHistogramView;
class RpcServer;

class ServerPanel : public QWidget
{
    Q_OBJECT
public:
    // Rows the methods table shows however small the dock (the details part yields first).
    static constexpr int MinimumVisibleRows = 5;

    explicit ServerPanel(std::shared_ptr<MethodRegistry> registry, QWidget* parent = nullptr);

    MethodsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QSplitter* splitter() const { return m_splitter; }
    LatencyHistogramView* latencyView() const { return m_latency; }
    bool selectMethod(const QString& name);
    MethodInfo currentMethod() const;

    // Adds the mock buttons acting on `mocks` (which must outlive the panel).
    void setMockService(MockService* mocks);
    MockMethodActions* mockActions() const { return m_mockActions; }

    // Lists `server`'s connections in the Connections tab (which must outlive the panel).
    void setServer(RpcServer* server);
    ConnectionsPanel* connectionsPanel() const { return m_connections; }
    QTabWidget* tabs() const { return m_tabs; }

signals:
    void callRequested(const rpcbench::MethodInfo& method);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showCurrent();
    void showLatency(); // the selected method's histogram, as the model last sampled it
    void fitDetails();  // shows the histogram and description as the details' height allows
    int currentSourceRow() const;
    void applyTabOrder();

    MethodsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_search;
    QTableView* m_view;
    QLabel* m_title;
    LatencyHistogramView* m_latency;
    PayloadView* m_openRpc;
    QPushButton* m_callThis;
    QSplitter* m_splitter;
    ConnectionsPanel* m_connections;
    QTabWidget* m_tabs;
    MockService* m_mocks = nullptr;
    MockMethodActions* m_mockActions = nullptr;
    QString m_selectAfterReset; // the method list reloads on every change: keep the selection
};

} // namespace rpcbench
