#pragma once
// The message handler of a proxy (see dispatch/MessageHandler.h): every message a client
// connection sends is forwarded to that connection's own upstream connection (ProxyLeg), and
// every message the upstream sends comes back to the same client: replies as the answer to
// their request (matched by id; batches by any of their ids), the server's own requests and
// notifications pushed as they come. Payload bytes are forwarded unchanged; the framing is the
// one of each side (translated when they differ).
//
// Runs on the proxy's server worker thread: handle() and connectionClosed() are called there,
// and the legs live there.
#include "dispatch/FaultTable.h"
#include "dispatch/MessageHandler.h"
#include "proxy/InterceptQueue.h"
#include "wire/Endpoint.h"

#include <QPointer>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace rpcbench {

class ProxyLeg;
class TrafficBus;

struct ProxyRelayOptions
{
    Endpoint upstream;
    std::shared_ptr<FaultTable> faults;        // per proxied method; may be empty, never null
    std::shared_ptr<InterceptQueue> intercept; // may be null: nothing is ever paused
    QString name;                              // shown with held messages (the listen URL)
    // One line for the user when something goes wrong outside any message ("connection #4:
    // upstream tcp://127.0.0.1:9000: connection refused"). Called on the worker thread.
    std::function<void(const QString&)> notice;
    // The proxy's traffic log (may be null). A leg logs here itself what the server connection
    // no longer can: the replies that arrive after their client has closed.
    std::shared_ptr<TrafficBus> bus;
};

class ProxyRelay final : public MessageHandler
{
public:
    explicit ProxyRelay(ProxyRelayOptions options);
    ~ProxyRelay() override;

    void handle(const QByteArray& message, QObject* context, ReplyCallback done, MessageSummary* summary,
                const ReplySink* replies = nullptr) override;
    void connectionClosed(quint64 connectionId) override;

    const ProxyRelayOptions& options() const { return m_options; }

private:
    ProxyRelayOptions m_options;
    // Worker thread only. A leg outlives its entry while it flushes to the upstream.
    std::unordered_map<quint64, ProxyLeg*> m_legs;
    // Legs whose client has closed, still waiting for the upstream's last replies.
    std::vector<QPointer<ProxyLeg>> m_draining;
};

} // namespace rpcbench
