#pragma once
// The PeerLink of one server connection: what a handler started on that connection keeps to
// send it messages later (a mock subscription's events). Owned by the connection through a
// shared_ptr; handlers may keep copies that outlive it. The connection detaches the link when it
// ends: from then on notify() returns false and every timer of every() has stopped.
//
// Thread-safety: notify/every/cancel may be called from any thread; the work is posted to the
// connection's (worker) thread, where the timers live. A detached link posts nothing.

#include "dispatch/PeerLink.h"

#include <QMutex>

#include <atomic>
#include <unordered_map>

class QTimer;

namespace rpcbench {

class ServerConnection;
struct ServerMessage;

class ConnectionPeerLink final : public PeerLink
{
public:
    explicit ConnectionPeerLink(ServerConnection* connection);

    quint64 connectionId() const override { return m_id; }
    // On the connection's thread: exact (an HTTP connection also counts its session's event
    // stream). Elsewhere: whether the connection itself could carry a push at its last change.
    bool isOpen() const override;
    bool notify(const QString& method, const QJsonValue& params) override;
    bool send(const QByteArray& json, const MessageSummary& summary) override;
    void close() override;
    quint64 every(int intervalMs, std::function<bool()> tick) override;
    void cancel(quint64 handle) override;

    // The connection's side, on its thread.
    void setCanPush(bool canPush) { m_canPush.store(canPush); }
    void detach();

private:
    bool onConnectionThread() const;
    bool post(const ServerMessage& message);
    void startTimer(quint64 handle, int intervalMs, std::function<bool()> tick);
    void stopTimer(quint64 handle);

    const quint64 m_id;
    std::atomic<bool> m_canPush{false};
    std::atomic<quint64> m_nextHandle{1};
    mutable QMutex m_mutex;
    ServerConnection* m_connection;                // guarded by m_mutex; null once detached
    std::unordered_map<quint64, QTimer*> m_timers; // the connection's thread only; children of it
};

} // namespace rpcbench
