#pragma once
// File > New / Open / Save workspace and Import OpenRPC for the window. Moves a whole workspace in
// and out of the window: the engine's part (user methods, faults, limits, script time limit:
// Engine::applyWorkspace / saveTo) and the window's (server port and bind, client target, call
// history and saved calls, the collections and environments, the proxies of Proxy mode: opened stopped, a
// workspace never starts listening by itself). A workspace that fails to load is reported and changes
// nothing.
//
// "Modified" is decided by comparing capture() with the workspace last saved, opened or reset,
// not by wiring every editor: any edit that changes what a save would write counts, and undoing
// it by hand makes the workspace clean again. The call history is left out of the comparison
// (every call would otherwise make the workspace "unsaved"); it is still saved and autosaved.

#include "mock/Workspace.h"

#include <QJsonArray>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QSpinBox;
class QWidget;

namespace rpcbench {

class BenchSession;
class ClientPanel;
class CollectionStore;
class ListenEndpoints;
class MockService;
class ProxySet;

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
        QWidget* window = nullptr;              // parent of dialogs
        ListenEndpoints* listeners = nullptr;   // the server's extra endpoints ("Listen on…")
        ProxySet* proxies = nullptr;            // Proxy mode's proxies
        CollectionStore* collections = nullptr; // collections and environments (Collections panel)
    };

    explicit WorkspaceController(const Parts& parts, QObject* parent = nullptr);
    ~WorkspaceController() override;

    MockService* mocks() const;
    QString currentFile() const { return m_file; }
    QString displayName() const; // the file's name, or "Untitled"

    Workspace capture() const;               // the window's state as a workspace
    void applyWorkspace(const Workspace& w); // w must be validated (MockService::readWorkspace)
    static Workspace defaults();             // what File > New starts from

    bool isModified() const { return m_modified; }
    // Runs `proceed` at once when nothing is unsaved; otherwise asks Save / Discard / Cancel
    // (Dialogs::ask) and runs it after a successful save or on Discard. Cancel, a cancelled
    // file dialog or a failed save leave everything as it was. `doing` completes "Save the
    // changes before …?" ("quitting").
    void confirmDiscard(const QString& doing, std::function<void()> proceed);
    // Saves to the current file, or asks for a name when untitled; `saved` runs on success.
    void save(std::function<void()> saved = {});
    void saveAs(std::function<void()> saved = {});

    // No dialogs: a workspace file that can be applied, or nullopt with *error.
    std::optional<Workspace> read(const QString& path, QString* error) const;
    // Applies `path` and makes it the current, unmodified workspace; false with *error and
    // nothing changed when it cannot be read.
    bool load(const QString& path, QString* error);

public slots:
    // With dialogs (Dialogs, so tests can answer them ahead); each asks first when unsaved.
    void saveWorkspace();
    void saveWorkspaceAs();
    void openWorkspace();
    void newWorkspace();
    void importOpenRpc();
    // Without dialogs; errors are shown with Dialogs::showError and returned as false.
    bool saveTo(const QString& path);
    bool openFrom(const QString& path);
    bool importFrom(const QString& path);
    // Compares the window with the saved workspace again; the editors' signals call it.
    void recheck();

signals:
    void status(const QString& message); // one line for the status bar
    void fileChanged(const QString& path);
    void modifiedChanged(bool modified);
    void edited(); // something a workspace holds changed (autosave restarts its delay)

private:
    void setClientTarget(const QString& url, const QString& dialect);
    void watchEdits();
    QJsonObject comparable() const; // capture() without what "modified" ignores
    void markClean();
    void setFile(const QString& path);

    Parts m_parts;
    QJsonArray m_savedCalls; // kept from the loaded workspace: the client has no editor for them yet
    // Without a store (Parts::collections unset) they are kept from the loaded workspace as read.
    QList<Collection> m_collections;
    QMap<QString, QMap<QString, QJsonValue>> m_environments;
    QString m_file;
    QJsonObject m_clean; // comparable() when last saved, opened or reset
    bool m_modified = false;
    bool m_applying = false; // applyWorkspace's own edits are one change, checked once at its end
};

} // namespace rpcbench
