#pragma once
// Live server figures, written by the worker thread and read by anyone.
//
// There is one list of figures: a copy of ServerCounters is a snapshot of them, and that
// snapshot is the ServerStats type RpcServer::stats() hands out. A new figure is one line here.

#include <QtGlobal>

#include <atomic>

namespace rpcbench {

// An atomic counter that can be copied: the copy holds the value read (relaxed) at that moment.
// Each figure is read on its own; a snapshot is not one instant across all of them.
template <typename T> struct ServerCounter : std::atomic<T>
{
    constexpr ServerCounter(T value = T()) noexcept : std::atomic<T>(value) {}
    ServerCounter(const ServerCounter& other) noexcept : std::atomic<T>(other.load(std::memory_order_relaxed))
    {}
    ServerCounter& operator=(const ServerCounter& other) noexcept
    {
        this->store(other.load(std::memory_order_relaxed), std::memory_order_relaxed);
        return *this;
    }
    T value() const noexcept { return this->load(std::memory_order_relaxed); }
};

struct ServerCounters
{
    ServerCounter<int> openConnections{0};
    ServerCounter<quint64> totalConnections{0};
    ServerCounter<quint64> rejectedConnections{0};
    ServerCounter<quint64> idleClosedConnections{0}; // closed after keepAliveTimeoutMs of silence
    ServerCounter<quint64> messagesIn{0};
    ServerCounter<quint64> repliesOut{0};
};

// A snapshot of the counters (RpcServer::stats()): each member converts to its plain number.
using ServerStats = ServerCounters;

} // namespace rpcbench
