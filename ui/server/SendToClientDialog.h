#pragma once
// "Send to client…": the embedded server sends a notification to one connection or to every
// connection that can take pushes, or a request to one connection, whose reply (result, error,
// timeout or closed connection, with the latency) is shown in the dialog when it arrives.
// The params are checked as they are typed (Send stays disabled while they are not JSON).
// The dialog stays open after sending, so a series of pushes can be sent and their replies
// read; recent method names are offered in the method box. Window-modal with open(), never
// exec().

#include "protocol/CallResult.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace rpcbench {

class ConnectionsModel;
class RpcServer;

class SendToClientDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind : int { Notification, Request };

    // `target`: the connection id to aim at, 0 for all that can take pushes. `connections` lists
    // the targets (it and `server` must outlive the dialog or be destroyed with its parent).
    SendToClientDialog(RpcServer* server, ConnectionsModel* connections, quint64 target,
                       QWidget* parent = nullptr);

    void setKind(Kind kind);
    Kind kind() const;
    void setTarget(quint64 connectionId); // 0: all that can take pushes (notifications only)
    quint64 target() const;
    void setMethod(const QString& method);
    void setParamsText(const QString& json);

    QString problem() const;  // the mistake shown, empty when none
    QString outcomes() const; // what was sent and what came back, newest last
    QPushButton* sendButton() const { return m_send; }
    // Names offered in every dialog's method box, most recent first (this process only).
    static QStringList recentMethods();

public slots:
    // Sends what the form describes; false (nothing sent) with problem() set when it cannot.
    bool send();

signals:
    // A request's reply (or its failure) is shown.
    void replyShown(quint64 requestId, const rpcbench::CallResult& result);

private:
    struct Pending
    {
        quint64 connectionId = 0;
        QString method;
    };

    void rebuildTargets();
    void validate();
    std::optional<QJsonValue> params(QString* error) const;
    QString targetProblem() const;
    void showReply(quint64 requestId, const CallResult& result);
    void appendOutcome(const QString& text);
    static void remember(const QString& method);

    QPointer<RpcServer> m_server;
    QPointer<ConnectionsModel> m_connections;
    quint64 m_target = 0;
    QHash<quint64, Pending> m_pending; // request id -> what was asked

    QComboBox* m_kind;
    QComboBox* m_targets;
    QComboBox* m_method;
    QPlainTextEdit* m_params;
    QSpinBox* m_timeout;
    QLabel* m_targetNote;
    QLabel* m_problem;
    QPlainTextEdit* m_outcomes;
    QPushButton* m_send;
};

} // namespace rpcbench
