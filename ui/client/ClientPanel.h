#pragma once
// The client side of the bench: target (TargetBar: URL + dialect + connection settings,
// defaulting to the embedded server),
// discovery, the call composer, the response view (with the server's progress for the call),
// the messages the server sent on its own (IncomingPanel: notifications, subscriptions, held
// requests) and the call history. Talks to an RpcClient
// that lives on a worker thread: calls are posted to it and outcomes come back as queued
// signals, so the GUI thread never touches a socket.

#include "client/CallTypes.h"

#include <QHash>
#include <QJsonArray>
#include <QWidget>

#include <memory>

class QLineEdit;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace rpcbench {

class CallComposer;
class ElidedLabel;
class CallHistoryModel;
class HistoryPanel;
class IncomingPanel;
class MethodRegistry;
class ResponseView;
class RpcClient;
class Settings;
class TargetBar;
struct HistoryEntry;

class ClientPanel : public QWidget
{
    Q_OBJECT
public:
    ClientPanel(RpcClient* client, Settings& settings, QWidget* parent = nullptr);
    ~ClientPanel() override;

    // The embedded server's URL, used while the URL field is left empty.
    void setEmbeddedUrl(const QString& url);
    QString effectiveUrl() const;
    // The embedded server's methods: offered in the picker while the URL field is empty.
    void setLocalMethods(const QList<rpcbench::MethodInfo>& methods);
    Dialect dialect() const;

    CallComposer* composer() const { return m_composer; }
    ResponseView* responseView() const { return m_response; }
    IncomingPanel* incomingPanel() const { return m_incoming; }
    QTabWidget* tabs() const { return m_tabs; }
    // The client's own methods (Engine::clientRegistry()): the incoming view tells the requests
    // they answer from those held for the user.
    void setClientMethods(std::shared_ptr<MethodRegistry> registry);
    CallHistoryModel* history() const { return m_history; }
    HistoryPanel* historyPanel() const { return m_historyPanel; }
    QSplitter* splitter() const { return m_splitter; }
    TargetBar* targetBar() const { return m_target; }
    QLineEdit* urlEdit() const;
    ElidedLabel* discoveryLabel() const; // what discovery found, or why not
    ElidedLabel* stateLabel() const;
    bool hasLastCall() const { return m_hasLast; }

public slots:
    void connectToServer(); // connect + discover
    void disconnectFromServer();
    void discover();
    bool sendCall(const rpcbench::CallRequest& request);
    bool sendBatch(const QList<rpcbench::CallRequest>& requests);
    bool resendLast();                                   // F5
    void loadMethod(const rpcbench::MethodInfo& method); // "Call this" from the server panel
    // "Send again…" from the traffic log: a request or notification goes into the composer, a
    // batch into its batch queue, a non-empty `url` into the URL field; the user then sends it,
    // to that URL or an edited one. Anything else changes nothing and says why (statusMessage).
    void loadRawRequest(const QByteArray& json, const QString& url);

signals:
    void connectionStateChanged(rpcbench::ClientState state);
    void methodsDiscovered(const QStringList& names);
    void statusMessage(const QString& text); // one line for the window's status bar

private:
    struct Pending
    {
        CallRequest request;
        QString url;
        Dialect dialect;
    };

    void connectTargetBar();
    void applyConnectionSettings();
    bool applyTarget();
    void onFinished(quint64 callId, const rpcbench::CallResult& result);
    void onBatchFinished(quint64 batchId, const rpcbench::BatchResult& result);
    void onDiscovered(quint64 requestId, const rpcbench::DiscoveryResult& result);
    void onStateChanged(rpcbench::ClientState state, const QString& reason);
    void onLateReply(quint64 callId, qint64 latencyUs);
    void onProgress(quint64 callId, const rpcbench::CallProgress& progress);
    void onInitFinished(quint64 linkId, const QString& error);
    void connectIncoming();
    void applyInitSequence();
    void updateIncomingTab(int messages, int held);
    void updateTabOrder();
    void rerun(const HistoryEntry& entry);
    void load(const HistoryEntry& entry);
    void remember(const Pending& pending, const CallResult& result, quint64 callId = 0);
    void saveTarget();

    RpcClient* m_client;
    Settings& m_settings;
    QList<MethodInfo> m_localMethods;
    QHash<quint64, Pending> m_pending;
    QHash<quint64, QList<CallRequest>> m_batches;
    quint64 m_lastCallId = 0;
    quint64 m_discoveryId = 0;
    CallRequest m_last;
    bool m_hasLast = false;

    bool m_connected = false;
    QJsonArray m_appliedInit; // the handshake the client has now (set again only when it changes)
    QString m_initError;      // why the last handshake failed; empty when it worked

    TargetBar* m_target; // URL, dialect, connection settings, state and discovery rows
    CallComposer* m_composer;
    ResponseView* m_response;
    IncomingPanel* m_incoming;
    CallHistoryModel* m_history;
    HistoryPanel* m_historyPanel;
    QTabWidget* m_tabs;
    QSplitter* m_splitter;
};

} // namespace rpcbench
