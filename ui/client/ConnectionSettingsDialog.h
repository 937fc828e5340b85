#pragma once
// "Connection…" for the client's target: everything about reaching it beyond its URL. HTTP
// headers (secret-looking values masked, each with its own Show toggle), bearer token and
// user/password (masked, with Show), TLS trust (CA files, "do not verify"), a client
// certificate and key, MCP's SSE stream, the reply size limit, and "Launch a process" (command
// line, framing, working directory, environment) instead of connecting to a URL.
//
// "Handshake": the calls sent on every new connection (WorkspaceTarget::init, HandshakeEditor);
// OK is disabled while it does not parse.
//
// It edits a copy of an Endpoint; endpoint() gives the edited one. Secrets are kept for the
// session only unless "Save secrets in the workspace" is ticked (WorkspaceTarget::saveSecrets).

#include "mock/Workspace.h"
#include "wire/Endpoint.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QToolButton;
class QPushButton;

namespace rpcbench {

class HandshakeEditor;

class ConnectionSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectionSettingsDialog(const Endpoint& endpoint, bool saveSecrets, QWidget* parent = nullptr);

    // The edited endpoint; nullopt with *error (one line) when a field is invalid.
    std::optional<Endpoint> endpoint(QString* error = nullptr) const;
    // The settings the client panel keeps for the target (and a workspace saves).
    WorkspaceTarget target() const;
    bool saveSecrets() const;
    // The handshake (WorkspaceTarget::init) shown on the Handshake page.
    void setInit(const QJsonArray& init);
    HandshakeEditor* handshakeEditor() const { return m_handshake; }

    // Headers table rows: name and value fields, and the value's Show toggle.
    int headerCount() const;
    void addHeader(const QString& name, const QString& value);
    QLineEdit* headerValueEdit(int row) const;
    QToolButton* headerShowButton(int row) const;

public slots:
    void accept() override; // refuses with the problem shown while a field is invalid

private:
    QWidget* buildHttpPage();
    QWidget* buildTlsPage();
    QWidget* buildProcessPage();
    QWidget* buildGeneralBox();
    void load(const Endpoint& endpoint, bool saveSecrets);
    void removeSelectedHeader();
    std::optional<HttpHeaderList> headers(QString* error) const;

    Endpoint m_base;              // the address as given; options and process are edited here
    qint64 m_initialMaxReply = 0; // kept to the byte while the KiB field is left alone
    QTabWidget* m_tabs;
    QTableWidget* m_headers;
    QLineEdit* m_token;
    QLineEdit* m_user;
    QLineEdit* m_password;
    QPlainTextEdit* m_caFiles;
    QCheckBox* m_insecure;
    QLineEdit* m_clientCert;
    QLineEdit* m_clientKey;
    QGroupBox* m_process;
    QLineEdit* m_command;
    QComboBox* m_framing;
    QLineEdit* m_workingDir;
    QPlainTextEdit* m_environment;
    QCheckBox* m_sse;
    QSpinBox* m_maxReplyKiB;
    QCheckBox* m_saveSecrets;
    HandshakeEditor* m_handshake;
    QPushButton* m_ok;
    QLabel* m_problem;
};

} // namespace rpcbench
