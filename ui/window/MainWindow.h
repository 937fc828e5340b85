#pragma once
// The test bench window. It only arranges things: the client panel in the middle, the server
// panel and the traffic log in dock widgets, the toolbar, the status bar; the engine lives in
// BenchSession and every panel owns its behaviour. Layout and choices persist through Settings;
// the workspace (WorkspaceController) is never lost: a modified one shows "*" in the title and is
// offered for saving before quit, open and new, and survives a crash (WorkspaceRecovery).

#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <vector>

class QComboBox;
class QSpinBox;

namespace rpcbench {

class BenchSession;
class ClientPanel;
class ListenEndpoints;
class LoadPanel;
class ClientMethodsDialog;
class CollectionStore;
class CollectionsPanel;
class LogFileActions;
class LogPanel;
class InterceptPanel;
class MonitorAttachment;
class ProxyPanel;
class ProxySet;
class ProxyToolBar;
class ServerPanel;
class Settings;
struct HistoryEntry;
struct SavedCall;
struct TrafficEvent;
class StatusPanel;
class WorkspaceController;
class WorkspaceRecovery;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<Settings> settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    BenchSession* session() const { return m_session; }
    ServerPanel* serverPanel() const { return m_serverPanel; }
    ClientPanel* clientPanel() const { return m_clientPanel; }
    LogPanel* logPanel() const { return m_logPanel; }
    LogFileActions* logFiles() const { return m_logFiles; }
    StatusPanel* statusPanel() const { return m_status; }
    Settings& settings() const { return *m_settings; }
    QSpinBox* portSpin() const { return m_port; }
    QComboBox* bindCombo() const { return m_bind; }
    WorkspaceController* workspace() const { return m_workspace; }
    ListenEndpoints* listenEndpoints() const { return m_listen; }
    WorkspaceRecovery* recovery() const { return m_recovery; }
    ProxySet* proxies() const { return m_proxies; }
    ProxyPanel* proxyPanel() const { return m_proxyPanel; }
    ProxyToolBar* proxyToolBar() const { return m_proxyBar; }
    InterceptPanel* interceptPanel() const { return m_interceptPanel; }
    MonitorAttachment* monitorAttachment() const { return m_monitor; }
    CollectionStore* collections() const { return m_collections; }
    CollectionsPanel* collectionsPanel() const { return m_collectionsPanel; }
    LoadPanel* loadPanel() const { return m_loadPanel; }

public slots:
    bool startServer();
    void stopServer();
    void editListenEndpoints(); // "Listen on…": opens ListenEndpointsDialog (window-modal)
    // "Client methods…": the methods answering the server's requests (window-modal).
    void editClientMethods();
    ClientMethodsDialog* clientMethodsDialog() const; // the open one, or null
    // "Save to collection": the composer's call (method, params, notification) with the client's
    // target into the Collections panel's selected collection, or "Saved calls".
    bool saveToCollection();
    void saveHistoryEntry(const rpcbench::HistoryEntry& entry); // History tab's "Save"

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QAction* addAction(const QString& name, const QString& text, const QString& icon,
                       const QKeySequence& shortcut = {});
    void createActions();
    void createToolBar();
    void createWorkspaceActions();
    void createMenus();
    void createDocks();
    void createProxyActions();
    void createCollectionActions();
    void connectLoadPanel();
    // "Save as tests…" on traffic log rows: asks where (SaveAsTestsDialog, non-modal).
    void saveAsTests(const std::vector<TrafficEvent>& rows);
    // Adds the call to the Collections panel's selected collection and shows the panel.
    void keepInCollection(const SavedCall& call);
    void restoreLayout();
    void saveLayout();
    void onServerStateChanged(bool listening);
    void updateTitle();
    void showStatus(const QString& text);
    QAction* action(const QString& name) const;

    std::unique_ptr<Settings> m_settings;
    BenchSession* m_session;
    ServerPanel* m_serverPanel;
    ClientPanel* m_clientPanel;
    LogPanel* m_logPanel;
    LogFileActions* m_logFiles;
    ListenEndpoints* m_listen; // the server's extra endpoints
    ProxySet* m_proxies;       // Proxy mode: the user's own client -> their server, on the session's bus
    ProxyPanel* m_proxyPanel;
    InterceptPanel* m_interceptPanel;
    ProxyToolBar* m_proxyBar = nullptr;
    MonitorAttachment* m_monitor;         // File > Attach to proxy…
    CollectionStore* m_collections;       // the workspace's collections and environments
    CollectionsPanel* m_collectionsPanel; // their dock
    LoadPanel* m_loadPanel;               // load runs with live charts (its own worker thread)
    StatusPanel* m_status = nullptr;
    QSpinBox* m_port = nullptr;
    QComboBox* m_bind = nullptr;
    WorkspaceController* m_workspace = nullptr; // user methods, faults, workspace files
    WorkspaceRecovery* m_recovery = nullptr;    // autosave, crash recovery, last workspace
    QPointer<ClientMethodsDialog> m_clientMethods;
    bool m_closeConfirmed = false; // unsaved work was saved or discarded
    bool m_inCloseEvent = false;
};

} // namespace rpcbench
