#include "dispatch/PeerLink.h"

namespace rpcbench {

namespace {
thread_local std::shared_ptr<PeerLink> tCurrent;
} // namespace

std::shared_ptr<PeerLink> PeerLink::current()
{
    return tCurrent;
}

PeerLink::Scope::Scope(std::shared_ptr<PeerLink> link) : m_previous(std::exchange(tCurrent, std::move(link)))
{}

PeerLink::Scope::~Scope()
{
    tCurrent = std::move(m_previous);
}

} // namespace rpcbench
