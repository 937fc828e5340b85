#pragma once
// The open connections of one server as other threads see them (RpcServer::connections()):
// the worker thread adds and removes entries, each connection updates its own entry's
// counters and state with atomics (no lock per message), and a snapshot takes the lock once.
// Changes are announced coalesced: the first change after a quiet period calls `notify` (any
// thread), and nothing more is announced until the receiver calls acknowledge().

#include "server/ConnectionInfo.h"

#include <QMutex>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace rpcbench {

// One connection's entry, shared by the connection (writer, worker thread) and the directory.
struct ConnectionStatus
{
    ConnectionInfo fixed; // id, peer, listener, openedUs: set before the entry is added
    std::atomic<Transport> transport{Transport::JsonStream};
    std::atomic<bool> canPush{false};
    // Written by the connection's thread only: a relaxed load and store, no locked add.
    std::atomic<quint64> messagesIn{0};
    std::atomic<quint64> messagesOut{0};

    void countIn()
    {
        messagesIn.store(messagesIn.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    void countOut()
    {
        messagesOut.store(messagesOut.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    ConnectionInfo info() const;
};

class ConnectionDirectory
{
public:
    explicit ConnectionDirectory(std::function<void()> notify = {});

    void add(std::shared_ptr<ConnectionStatus> status);
    void remove(quint64 id);
    // An entry's transport or canPush changed (the connection wrote them first).
    void markChanged();
    void acknowledge() { m_pending.store(false); }

    // Oldest first (ids grow with time).
    QList<ConnectionInfo> snapshot() const;
    // Whether `id` (or, for 0, any connection) can carry a push now; the count of them.
    int pushableCount(quint64 id) const;

private:
    std::function<void()> m_notify;
    std::atomic<bool> m_pending{false};
    mutable QMutex m_mutex;
    std::map<quint64, std::shared_ptr<ConnectionStatus>> m_entries;
};

} // namespace rpcbench
