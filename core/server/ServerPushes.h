#pragma once
// The messages one server starts (docs/PROTOCOL.md, "Both directions"), on its worker thread:
// which connection can carry them, and the requests still waiting for the client's reply.
//
// Request ids are unique per server (RpcServer hands them out), so a reply is found by its id
// alone. A stream connection completes only its own requests; an HTTP client may answer on any
// of its connections (MCP sends replies as POSTs, usually not on the GET stream's connection).
// Pending requests end with a CallResult: Ok/RpcError with the reply, Timeout, or
// TransportError when their connection closes first or cannot carry them at all.
//
// Not thread-safe: every member runs on the worker thread (RpcServer posts to it). Shared by
// the server's connections (ConnectionContext) so it outlives each of them.

#include "protocol/CallResult.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <map>
#include <unordered_map>

namespace rpcbench {

class ServerConnection;

// One message the server starts: its compact JSON and what the traffic log says it is.
struct ServerMessage
{
    QByteArray json;
    MessageSummary summary;

    static ServerMessage notification(const QString& method, const QJsonValue& params);
    static ServerMessage request(quint64 id, const QString& method, const QJsonValue& params);
};

class ServerPushes
{
public:
    using Finished = std::function<void(quint64 requestId, const CallResult& result)>;
    // Where ended requests are reported (the worker forwards them to RpcServer's thread).
    void setFinished(Finished finished) { m_finished = std::move(finished); }

    void add(ServerConnection* connection);
    // The connection ended: its pending requests fail with "connection closed".
    void remove(quint64 connectionId);
    ServerConnection* connection(quint64 id) const;
    // The connection holding the GET event stream of an MCP session (null: none open).
    ServerConnection* streamFor(const QByteArray& session) const;

    // Writes a notification to one connection, or to each that can carry it when
    // connectionId is 0. Returns how many it was written to.
    int notify(quint64 connectionId, const ServerMessage& message);
    // Writes a request and waits for its reply; ends through the Finished callback, never
    // from inside this call.
    void request(quint64 connectionId, quint64 requestId, const QString& method, const ServerMessage& message,
                 int timeoutMs);
    // A reply that arrived on connection `from`: true when it completed a pending request.
    bool takeReply(quint64 from, const QJsonObject& reply);

private:
    struct Pending
    {
        quint64 connectionId = 0;
        bool anyConnection = false; // HTTP: the reply may come on another connection
        qint64 sentUs = 0;
        CallResult result;
    };
    void fail(quint64 requestId, CallResult result, const QString& reason);
    void finish(quint64 requestId, CallResult result);
    void timeOut(quint64 requestId, int timeoutMs);

    Finished m_finished;
    std::map<quint64, ServerConnection*> m_connections; // by id: oldest first
    std::unordered_map<quint64, Pending> m_pending;     // by request id
};

} // namespace rpcbench
