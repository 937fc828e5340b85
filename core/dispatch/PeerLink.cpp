#include "dispatch/PeerLink.h"

#include <utility>

namespace rpcbench {

namespace {
thread_local PeerLink* tCurrent = nullptr;
} // namespace

std::shared_ptr<PeerLink> PeerLink::current()
{
    return tCurrent ? tCurrent->shared_from_this() : nullptr;
}

PeerLink::Scope::Scope(PeerLink* link) : m_previous(std::exchange(tCurrent, link)) {}

PeerLink::Scope::~Scope()
{
    tCurrent = m_previous;
}

} // namespace rpcbench
