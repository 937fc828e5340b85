#pragma once
// What a server connection hands every message it de-frames to: the Dispatcher (run the
// methods of a registry and answer) or a proxy relay (forward the message to an upstream
// server and answer with what comes back). ServerConnection holds "a handler" and never asks
// which one; everything else about serving (listeners, framing, limits, HTTP routing, pushes,
// the traffic log) is the same for both.
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonObject>

#include <functional>

class QObject;

namespace rpcbench {

struct DispatchReply
{
    QByteArray bytes;       // compact JSON; empty = nothing to send (notifications)
    MessageSummary summary; // of the reply
    // Transport-level faults injected on purpose (summary.faulted is set as well):
    bool dropConnection = false; // close the connection abruptly instead of replying
    int trickleMs = 0;           // write the reply slowly, spread over this many ms
    // Proxy: how long the reply took upstream (from the request's write to the upstream server
    // to the read of its reply), for the traffic log; -1 otherwise.
    qint64 upstreamUs = -1;
};

class MessageHandler
{
public:
    using ReplyCallback = std::function<void(DispatchReply)>;
    // Receives the replies the peer sends to requests we started.
    using ReplySink = std::function<void(const QJsonObject& reply)>;

    virtual ~MessageHandler() = default;
    // Handles one message of connection `connectionId` (a request, notification, batch, or the
    // peer's reply to a message we started). `summary` receives what the message was (for the
    // traffic log) before handle() returns. `done` is called exactly once (possibly
    // synchronously), on `context`'s thread, never after `context` is destroyed; an empty
    // reply means nothing to send. `replies` may be null.
    virtual void handle(const QByteArray& message, QObject* context, ReplyCallback done,
                        MessageSummary* summary, const ReplySink* replies = nullptr) = 0;
    // The connection ended (on its thread). A handler keeping state per connection drops it.
    // May be called more than once for one id.
    virtual void connectionClosed(quint64 connectionId) { Q_UNUSED(connectionId) }
};

} // namespace rpcbench
