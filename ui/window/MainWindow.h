#pragma once
// The test bench window. It only arranges things: the client panel in the middle, the server
// panel and the traffic log in dock widgets, the toolbar, the status bar; the engine lives in
// BenchSession and every panel owns its behaviour. Layout and choices persist through Settings;
// the workspace (WorkspaceController) is never lost: a modified one shows "*" in the title and is
// offered for saving before quit, open and new, and survives a crash (WorkspaceRecovery).

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QComboBox;
class QSpinBox;

namespace rpcbench {

class BenchSession;
class ClientPanel;
class ListenEndpoints;
class ClientMethodsDialog;
class LogFileActions;
class LogPanel;
class ServerPanel;
class Settings;
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

public slots:
    bool startServer();
    void stopServer();
    void editListenEndpoints(); // "Listen on…": opens ListenEndpointsDialog (window-modal)
    // "Client methods…": the methods answering the server's requests (window-modal).
    void editClientMethods();
    ClientMethodsDialog* clientMethodsDialog() const; // the open one, or null

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
