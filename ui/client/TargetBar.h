#pragma once
// The client panel's target bar: the URL (every scheme Endpoint::parse knows; a bad one is
// explained in one line under it), the dialect, Discover and "Connection…" (headers, auth, TLS,
// launching a process: ConnectionSettingsDialog), marks for an unverified TLS target and for one
// that carries secrets, and a row with the connection state (the client's one-line failure
// reason) and the discovery outcome, each elided with the whole text as tooltip.
//
// The connection settings are kept per target (by canonical URL) for the session; the workspace
// saves them (WorkspaceController, through targets()/setTargets()).

#include "client/CallTypes.h"
#include "mock/Workspace.h"
#include "wire/Endpoint.h"

#include <QMap>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace rpcbench {

class ElidedLabel;

class TargetBar : public QWidget
{
    Q_OBJECT
public:
    TargetBar(const QString& url, const QString& dialect, QWidget* parent = nullptr);

    // The embedded server's URL, used while the URL field is left empty.
    void setEmbeddedUrl(const QString& url);
    QString effectiveUrl() const;
    Dialect dialect() const;
    QString dialectName() const; // "2.0", "1.0", "classic"
    // The effective URL with the target's connection settings; nullopt with *error.
    std::optional<Endpoint> endpoint(QString* error = nullptr) const;
    // Any URL with the connection settings saved for it (the Load panel's target).
    std::optional<Endpoint> endpointFor(const QString& url, QString* error = nullptr) const;

    // Connection settings by canonical target URL (Endpoint::toString()).
    QMap<QString, WorkspaceTarget> targets() const { return m_targets; }
    void setTargets(const QMap<QString, WorkspaceTarget>& targets);
    static QString targetKey(const QString& url);
    // The current target's handshake (WorkspaceTarget::init), as saved; empty when none.
    QJsonArray init() const;
    QJsonArray initFor(const QString& url) const;

    QLineEdit* urlEdit() const { return m_url; }
    QComboBox* dialectCombo() const { return m_dialect; }
    QToolButton* discoverButton() const { return m_discover; }
    QToolButton* connectionButton() const { return m_connection; }
    QLabel* insecureMark() const { return m_insecureMark; }
    QLabel* secretsMark() const { return m_secretsMark; }
    ElidedLabel* urlErrorLabel() const { return m_urlError; }
    QLabel* stateIcon() const { return m_stateIcon; }
    ElidedLabel* stateLabel() const { return m_state; }
    QLabel* discoveryIcon() const { return m_discoveryIcon; }
    ElidedLabel* discoveryLabel() const { return m_discovery; }

public slots:
    // Opens ConnectionSettingsDialog for the current target (window-modal, not a nested loop).
    void editConnection();

signals:
    void discoverRequested();
    void connectRequested();         // Return in the URL field
    void targetEdited();             // URL edited, dialect changed
    void connectionSettingsEdited(); // the dialog's OK: the client takes the new endpoint
    void targetsChanged();           // the per-target settings changed (workspace "modified")

private:
    void validateUrl();
    void updateMarks();

    QString m_embeddedUrl;
    QMap<QString, WorkspaceTarget> m_targets;
    QLineEdit* m_url;
    QComboBox* m_dialect;
    QToolButton* m_discover;
    QToolButton* m_connection;
    QLabel* m_insecureMark;
    QLabel* m_secretsMark;
    QLabel* m_urlErrorIcon;
    ElidedLabel* m_urlError;
    QLabel* m_stateIcon;
    ElidedLabel* m_state;
    QLabel* m_discoveryIcon;
    ElidedLabel* m_discovery;
};

} // namespace rpcbench
