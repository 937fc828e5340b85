#pragma once
// File > Open / Save workspace and Import OpenRPC for the window. Moves a whole workspace in
// and out of the window: the engine's part (user methods, faults, limits, script time limit:
// Engine::applyWorkspace / saveTo) and the window's (server port and bind, client target, call
// history and saved calls).
// A workspace that fails to load is reported and changes nothing.

#include "mock/Workspace.h"

#include <QJsonArray>
#include <QObject>

#include <memory>

class QComboBox;
class QSpinBox;
class QWidget;

namespace rpcbench {

class BenchSession;
class ClientPanel;
class MockService;

class WorkspaceController : public QObject
{
    Q_OBJECT
public:
    // The parts of the window a workspace describes.
    struct Parts
    {
        BenchSession* session = nullptr;
        ClientPanel* client = nullptr;
        QSpinBox* port = nullptr;
        QComboBox* bind = nullptr;
        QWidget* window = nullptr; // parent of dialogs
    };

    explicit WorkspaceController(const Parts& parts, QObject* parent = nullptr);
    ~WorkspaceController() override;

    MockService* mocks() const;
    QString currentFile() const { return m_file; }

    Workspace capture() const;               // the window's state as a workspace
    void applyWorkspace(const Workspace& w); // w must be validated (MockService::readWorkspace)

public slots:
    // With a file dialog (Dialogs, so tests can answer it ahead).
    void saveWorkspace();
    void openWorkspace();
    void importOpenRpc();
    // Without dialogs; errors are shown with Dialogs::showError and returned as false.
    bool saveTo(const QString& path);
    bool openFrom(const QString& path);
    bool importFrom(const QString& path);

signals:
    void status(const QString& message); // one line for the status bar
    void fileChanged(const QString& path);

private:
    void setClientTarget(const QString& url, const QString& dialect);

    Parts m_parts;
    QJsonArray m_savedCalls; // kept from the loaded workspace: the client has no editor for them yet
    QString m_file;
};

} // namespace rpcbench
