#pragma once
// Live server figures, written by the worker thread and read by anyone.

#include <QtGlobal>

#include <atomic>

namespace rpcbench {

struct ServerCounters
{
    std::atomic<int> openConnections{0};
    std::atomic<quint64> totalConnections{0};
    std::atomic<quint64> rejectedConnections{0};
    std::atomic<quint64> idleClosedConnections{0}; // closed after keepAliveTimeoutMs of silence
    std::atomic<quint64> messagesIn{0};
    std::atomic<quint64> repliesOut{0};
};

} // namespace rpcbench
