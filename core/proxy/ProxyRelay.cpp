#include "proxy/ProxyRelay.h"

#include "dispatch/PeerLink.h"
#include "proxy/ProxyLeg.h"
#include "traffic/SummarizeMessage.h"

namespace rpcbench {

ProxyRelay::ProxyRelay(ProxyRelayOptions options) : m_options(std::move(options))
{
    if (!m_options.faults)
        m_options.faults = std::make_shared<FaultTable>();
}

ProxyRelay::~ProxyRelay()
{
    for (auto& [id, leg] : m_legs)
        delete leg;
    for (const QPointer<ProxyLeg>& leg : m_draining)
        delete leg.data();
}

void ProxyRelay::handle(const QByteArray& message, QObject* context, ReplyCallback done,
                        MessageSummary* summary, const ReplySink* /*replies: the proxy forwards replies too*/)
{
    const std::shared_ptr<PeerLink> link = PeerLink::current();
    if (!link) { // not from a connection (cannot happen in a proxy): nothing to forward to
        *summary = summarizeMessage(message);
        done(DispatchReply{});
        return;
    }
    ProxyLeg*& leg = m_legs[link->connectionId()];
    if (!leg)
        leg = new ProxyLeg(m_options, link, link->connectionId());
    leg->fromClient(message, context, std::move(done), summary);
}

void ProxyRelay::connectionClosed(quint64 connectionId)
{
    const auto it = m_legs.find(connectionId);
    if (it == m_legs.end())
        return;
    ProxyLeg* leg = it->second;
    m_legs.erase(it);
    std::erase_if(m_draining, [](const QPointer<ProxyLeg>& gone) { return gone.isNull(); });
    m_draining.emplace_back(leg);
    leg->clientClosed(); // deletes itself once the upstream has answered and is flushed
}

} // namespace rpcbench
