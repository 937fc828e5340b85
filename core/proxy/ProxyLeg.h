#pragma once
// One client connection of a proxy and its own upstream connection (see ProxyRelay). Forwards
// the client's messages upstream (queued until the upstream is connected), pairs the upstream's
// replies with the requests waiting for them, pushes the upstream's own messages to the client,
// applies the proxy's faults and breakpoints. Lives on the proxy's worker thread.
#include "dispatch/FaultSettings.h"
#include "dispatch/MessageHandler.h"
#include "proxy/ProxyRelay.h"

#include <QObject>
#include <QPointer>
#include <map>

#include <deque>
#include <memory>
#include <optional>

namespace rpcbench {

class ClientConnection;
class PeerLink;

class ProxyLeg : public QObject
{
    Q_OBJECT
public:
    ProxyLeg(const ProxyRelayOptions& options, std::shared_ptr<PeerLink> client, quint64 connectionId);
    ~ProxyLeg() override;

    // A message from the client; `done` answers it (requests) or is called at once with nothing.
    void fromClient(const QByteArray& json, QObject* context, MessageHandler::ReplyCallback done,
                    MessageSummary* summary);
    // The client's connection ended: what it sent still goes upstream, the replies to its calls
    // still in flight are logged (they cannot be delivered), then the upstream connection is
    // closed and the leg deletes itself.
    void clientClosed();

private:
    struct Pending
    {
        MessageHandler::ReplyCallback done;
        QPointer<QObject> context;
        QString method;
        QByteArray idJson;
        QList<QByteArray> batchIds; // batches: every request id it holds
        qint64 receivedUs = 0;      // taken from the client (MonotonicClock)
        qint64 sentUs = 0;          // written upstream (MonotonicClock)
        std::optional<FaultSettings> fault;
    };
    using PendingPtr = std::shared_ptr<Pending>;

    void forwardFromClient(const QByteArray& json, const MessageSummary& summary, PendingPtr pending);
    void sendUpstream(const QByteArray& json);
    void openUpstream();
    void onUpstreamConnected();
    void onUpstreamReceived(const QByteArray& payload, int httpStatus, const QByteArray& httpReason,
                            qint64 readTimeUs);
    void onUpstreamClosed(const QString& reason);
    void fromUpstream(const QByteArray& json, const MessageSummary& summary, qint64 readTimeUs);
    void deliverReply(const PendingPtr& pending, QByteArray json, MessageSummary summary, qint64 readTimeUs,
                      bool alreadyFaulted = false);
    void hold(const QByteArray& json, const MessageSummary& summary, const PendingPtr& pending,
              bool toServer);
    void resume(const InterceptDecision& decision, const PendingPtr& pending, bool toServer);
    void toClient(const QByteArray& json, const MessageSummary& summary);
    void logUndelivered(const Pending& pending, const DispatchReply& reply);
    PendingPtr takePending(const QByteArray& idJson);
    void registerPending(const PendingPtr& pending);
    void failPending(const QString& reason);
    void finishIfDone();
    void giveUpWaiting();

    ProxyRelayOptions m_options;
    std::shared_ptr<PeerLink> m_client;
    quint64 m_connectionId;
    ClientConnection* m_upstream = nullptr; // child
    bool m_upstreamOpen = false;
    bool m_upstreamGone = false;
    bool m_clientGone = false;
    bool m_waitArmed = false;        // the client is gone: the wait for the last replies is bounded
    int m_undelivered = 0;           // replies logged after the client had gone
    QString m_goneReason;            // why the upstream is gone, for calls that come after
    std::deque<QByteArray> m_queued; // waiting for the upstream to connect
    std::map<QByteArray, std::deque<PendingPtr>> m_pending; // by id JSON; batches under each id
};

} // namespace rpcbench
