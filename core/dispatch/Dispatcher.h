#pragma once
// Decodes one framed message (any dialect, single or batch), runs the methods it names
// through the registry, and produces the reply bytes. Knows nothing of sockets or framing.
//
// Threading: handle() runs on the caller's thread (a server worker). Handlers may answer
// later and from any thread; the reply callback is always invoked on `context`'s thread
// (queued when needed) and never after `context` is destroyed.
//
// Fault injection: calls of a method with active settings in registry->faults() are altered
// on purpose (see FaultSettings); such replies carry summary.faulted.
//
// Both directions: a peer that serves our own requests sends their replies on the same
// connection. With a reply sink, a message that is a reply (isReply(); or batch elements that
// are) goes to the sink and is never answered (answering a reply invites loops); the request
// elements of a mixed batch are handled as a batch. Replies only ever take the general path:
// the fast parser accepts requests alone, so plain calls pay nothing for this.
//
// Handlers start inside handle() (fault latency delays only the reply), so a PeerLink::Scope
// or CallParams::Scope the caller holds around handle() is current for every handler start.

#include "dispatch/MessageHandler.h"
#include "dispatch/MethodRegistry.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace rpcbench {

struct DecodedRequest;

class Dispatcher final : public MessageHandler
{
public:
    explicit Dispatcher(std::shared_ptr<MethodRegistry> registry, int handlerTimeoutMs = 60'000,
                        int maxJsonDepth = 512);

    // Handles one message. `summary` receives what the request was (for the traffic log)
    // before handle() returns. `done` is called exactly once (possibly synchronously).
    // `replies` (may be null: replies are then answered -32600 like any invalid request) takes
    // the replies the message holds.
    void handle(const QByteArray& message, QObject* context, ReplyCallback done, MessageSummary* summary,
                const ReplySink* replies = nullptr) override;

    // A reply to a request: an object without "method" holding "result" or "error".
    static bool isReply(const QJsonValue& message);

    // Builds an error reply (id null) in the given dialect, e.g. for "message too large".
    static DispatchReply errorReply(Dialect dialect, int code, const QString& message);

    // The OpenRPC 1.2 document describing the registry (also served by `rpc.discover`).
    QJsonObject openRpcDocument() const;

    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }

    int handlerTimeoutMs() const { return m_handlerTimeoutMs; }
    int maxJsonDepth() const { return m_maxJsonDepth; }

private:
    // startedNs: when handle() got the message (MonotonicClock), for the methods' figures.
    void handleSingle(const DecodedRequest& req, qint64 startedNs, QObject* context, ReplyCallback done,
                      MessageSummary& summary);
    void handleBatch(const QJsonArray& batch, qint64 startedNs, QObject* context, ReplyCallback done,
                     MessageSummary& summary, const ReplySink* replies);
    void handleFaulted(const DecodedRequest& req, const std::shared_ptr<const Method>& method,
                       const FaultSettings& fault, qint64 startedNs, QObject* context, ReplyCallback done);

    std::shared_ptr<MethodRegistry> m_registry;
    int m_handlerTimeoutMs;
    int m_maxJsonDepth;
};

} // namespace rpcbench
