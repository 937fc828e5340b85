#pragma once
// Asynchronous JSON-RPC client: any dialect (2.0, 1.0, classic) over any transport the
// Endpoint names (TCP, TLS, Unix socket, child process, WebSocket; JSON stream,
// Content-Length framing, HTTP/1.1 keep-alive POST, MCP Streamable HTTP).
//
// Every entry point returns at once; outcomes arrive as signals. Many calls may be in flight
// on one connection (pipelining); replies are matched by id, in any order.
//
// THREADING: the object may live on a worker thread (moveToThread) and be driven from any
// other thread. call()/notify()/batch()/discover() allocate their id atomically and post the
// work to the client's thread; cancel()/setEndpoint()/setDialect()/connectToServer()/
// disconnectFromServer() are posted the same way. Signals are emitted on the client's thread
// (connect with the default AutoConnection to receive them queued on the GUI thread).
// call()/notify()/batch()/discover() never emit from inside themselves, so the caller can
// record the returned id first. cancel(), setEndpoint() and disconnectFromServer() called on
// the client's own thread act at once and may emit finished() for the calls they end before
// returning; from another thread they are queued like everything else.
//
// Connections: one shared connection, opened on the first call and re-opened on the next
// call after the server closed it (e.g. restarted). The classic dialect over tcp:// and
// tcp+lsp:// uses one connection per call instead, because classic servers read a single
// message and close; the reply is the first complete JSON value received.
//
// Routing: a message carrying "method" is a request or notification from the server, never a
// reply, alone or inside an array: it is logged as incoming and reported by incoming(). Replies
// are matched by id only; one whose id is not ours is logged as foreign (with a warning) and the
// call keeps waiting. A reply with id null or none goes to the call the connection answers
// (HTTP: in request order; classic: its own connection), else to the first in flight.
//
// Late replies: a call or batch that times out (or is cancelled) on the shared connection is
// remembered (the newest TimedOutCalls::DefaultCapacity, until the connection drops). If its
// reply still comes, it is logged (a timed-out one with TrafficEvent::late, and reported by
// lateReply()), not as a foreign message.
//
// The other direction: a server request is answered exactly once, on the connection it came on
// (stream transports: framed like any message; HTTP: POSTed on a second connection of the same
// MCP session, since the first may be streaming the very reply that waits for the answer; the
// server's 202 to it is never taken for a reply), in JSON-RPC 2.0 with its id as sent. A batch
// of server requests gets one array answer (nothing in it is held). Every answer is logged as
// outgoing client traffic. Progress notifications for a call's token (see CallRequest) are
// reported by progress() and may restart its timeout.
//
// Time stamps and latencies use MonotonicClock, the server's clock too: a request is stamped
// just before it is written, a reply when the read that completed it returned.

#include "client/CallTypes.h"
#include "client/InitSequence.h"
#include "client/TimedOutCalls.h"
#include "traffic/TrafficBus.h"
#include "wire/Endpoint.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace rpcbench {

class ClientConnection;
class Dispatcher;
class MethodRegistry;

class RpcClient : public QObject
{
    Q_OBJECT
public:
    explicit RpcClient(QObject* parent = nullptr);
    RpcClient(const Endpoint& endpoint, Dialect dialect, QObject* parent = nullptr);
    ~RpcClient() override;

    // ---- configuration (any thread) ----
    // Changing the endpoint closes the current connection; pending calls end as Cancelled.
    void setEndpoint(const Endpoint& endpoint);
    // Parses the URL; returns false with *error set (and changes nothing) when it is invalid.
    bool setUrl(const QString& url, QString* error = nullptr);
    void setDialect(Dialect dialect); // JsonRpc2 (default), JsonRpc1 or Classic; applies to new calls
    Endpoint endpoint() const;        // thread-safe snapshot
    Dialect dialect() const;
    // Optional shared bus receiving a Side::Client event for every message sent/received.
    // Set it before the first call (not synchronised with calls in flight).
    void setTrafficBus(std::shared_ptr<TrafficBus> bus);
    ClientState state() const; // of the shared connection

    // ---- calls (any thread) ----
    // Sends one call (or a notification when request.notification is set); ends with finished().
    quint64 call(const CallRequest& request);
    quint64 call(const QString& method, const QJsonValue& params = QJsonValue::Undefined,
                 int timeoutMs = 30'000);
    // Sends a notification; finished() reports Ok once it is written (HTTP: once the server
    // acknowledged it) or a transport error.
    quint64 notify(const QString& method, const QJsonValue& params = QJsonValue::Undefined);
    // Sends the requests as one JSON-RPC batch (not available in the classic dialect);
    // ends with batchFinished(). timeoutMs applies to the whole batch.
    quint64 batch(const QList<CallRequest>& requests, int timeoutMs = 30'000);
    // Ends a pending call or batch now with status Cancelled; a late reply is ignored.
    // Unknown or finished ids are ignored.
    void cancel(quint64 callId);
    // Lists the server's methods: `rpc.discover`, else `system.listMethods` +
    // `system.methodSignature` + `system.methodHelp`. Ends with discovered().
    quint64 discover(int timeoutMs = 10'000);

    // Opens the shared connection ahead of the first call (optional). With the classic dialect
    // over tcp/tcp+lsp there is no shared connection and this does nothing.
    void connectToServer();
    // Closes the shared connection (and per-call ones); pending calls end as Cancelled.
    void disconnectFromServer();

    int pendingCount() const; // calls + batches still waiting (thread-safe)

    // ---- the other direction: the server's requests and notifications (any thread) ----
    // Sent in order on every new shared connection before anything else (a reconnect replays
    // it; per-call classic connections get none); queued calls wait for it, server requests
    // during it are answered as usual. Applies from the next new connection. A step that fails
    // (error reply, timeout, template error, connection lost) ends the calls waiting on that
    // connection with TransportError "handshake: init[1] initialize: error -32600: ...", emits
    // initFinished(linkId, "init[1] initialize: error -32600: ...") and closes it.
    void setInitSequence(const QList<InitStep>& steps);
    // The methods that answer the server's requests: the same engine (and UserMethod mocks) as
    // the server's. Null or an unknown (or disabled) method: -32601, unless holding is on. The
    // server's params bind as strictly as for a server mock: a method must declare the named
    // params the server sends (-32602 "unexpected parameter" otherwise).
    void setClientMethods(std::shared_ptr<MethodRegistry> registry);
    // Holding (the GUI): a server request no client method answers waits for the user —
    // requestHeld(), then answerHeld()/rejectHeld() — and is answered with an error after
    // timeoutMs (60 s by default). Off (headless): answered -32601 at once, so a server never
    // waits on us.
    void setHoldUnanswered(bool hold, int timeoutMs = 60'000);
    // Answers a held request (a result, or an error when !answer.ok); unknown ids are ignored.
    void answerHeld(quint64 holdId, const RpcResult& answer);
    // Answers a held request with error -32000 "rejected by the user".
    void rejectHeld(quint64 holdId);

signals:
    void finished(quint64 callId, const rpcbench::CallResult& result);
    void batchFinished(quint64 batchId, const rpcbench::BatchResult& result);
    void discovered(quint64 requestId, const rpcbench::DiscoveryResult& result);
    // The reply to a call that already finished with CallStatus::Timeout arrived after all;
    // latencyUs counts from when the call was sent.
    void lateReply(quint64 callId, qint64 latencyUs);
    // reason: why the connection ended/failed ("connection refused", "connection closed by
    // server"); empty for a normal connect or a requested disconnect.
    void stateChanged(rpcbench::ClientState state, const QString& reason);
    // A request or notification the server sent (payload: one message, or an array of them that
    // came as one batch), logged as incoming traffic; requests are answered (client methods,
    // holding, else -32601) and the answer logged as outgoing traffic.
    void incoming(quint64 linkId, const QByteArray& payload);
    // A server request waits for the user (setHoldUnanswered); request: the message as sent.
    void requestHeld(quint64 holdId, quint64 linkId, const QByteArray& request);
    // A held request was answered: how = "answered", "rejected", "timed out" or "connection
    // closed" (nothing sent in the last case).
    void holdEnded(quint64 holdId, const QString& how);
    // The client answered server requests on linkId (reply: one answer, or an array for a batch),
    // whoever decided it: a client method, the user, a hold timeout or -32601.
    void answerSent(quint64 linkId, const QByteArray& reply);
    // Progress the server reported for a call in flight (see CallRequest).
    void progress(quint64 callId, const rpcbench::CallProgress& progress);
    // The handshake on a new connection finished (error empty) or failed (error: "init[N]
    // METHOD: reason", without the "handshake: " the failed calls carry). The handshake's own
    // calls emit no finished().
    void initFinished(quint64 linkId, const QString& error);

protected:
    void timerEvent(QTimerEvent* event) override; // per-call timeouts

private:
    struct Pending;
    struct Link;
    using Callback = std::function<void(const CallResult&)>;

    quint64 allocateIds(quint64 count);
    void post(std::function<void()> work);

    // client-thread side of the entry points
    // handshake: an init step, written on the shared connection while other calls wait.
    void startCall(quint64 callId, CallRequest request, Dialect dialect, Callback callback,
                   bool handshake = false);
    void startBatch(quint64 batchId, QList<CallRequest> requests, int timeoutMs, Dialect dialect);
    void startDiscovery(quint64 requestId, int timeoutMs, Dialect dialect);
    bool addPending(std::unique_ptr<Pending> pending, Dialect dialect);
    void applyEndpoint(const Endpoint& endpoint);
    void endSoon(quint64 callId, CallStatus status, const QString& reason);
    void endNow(quint64 callId, CallStatus status, const QString& reason);
    void rememberUnanswered(quint64 callId, bool cancelled);

    // connections (referred to by id: a link may go away while its signal is being handled)
    Link* link(quint64 linkId);
    quint64 sharedLinkId();
    quint64 newLink(bool shared, bool rawJson);
    void writePending(quint64 linkId, Pending* pending);
    void onLinkConnected(quint64 linkId);
    void onLinkReceived(quint64 linkId, const QByteArray& payload, int httpStatus,
                        const QByteArray& httpReason, qint64 readUs);
    void onLinkClosed(quint64 linkId, const QString& reason);
    void closeLinks(CallStatus status, const QString& reason);
    void dropLink(quint64 linkId);
    void setState(ClientState state, const QString& reason);

    // replies; readUs: when the read that completed the reply returned (MonotonicClock)
    // reply: the parsed payload, nullopt (with parseError) when it is not JSON.
    void handleReply(quint64 linkId, const QByteArray& payload, const std::optional<QJsonValue>& reply,
                     const QString& parseError, quint64 owner, qint64 readUs);
    void handleObjectReply(quint64 linkId, const QByteArray& payload, const QJsonValue& reply, quint64 owner,
                           qint64 readUs);
    void handleArrayReply(quint64 linkId, const QByteArray& payload, const QJsonValue& reply, quint64 owner,
                          qint64 readUs);
    // A message with a "method": the server's own request or notification.
    // answer: answer its requests now (false: the caller answers them with others of a batch).
    void receiveIncoming(quint64 linkId, const QByteArray& payload, const QJsonValue& message, qint64 readUs,
                         bool answer = true);
    void onLinkStderr(quint64 linkId, const QByteArray& line);
    // The pending (or timed-out) call or batch a JSON-RPC id belongs to; 0 when none.
    quint64 callForKey(qint64 key) const;
    // Logs the reply and completes the pending call or batch `callId` with it, if any; a reply
    // to one that timed out is reported late.
    void deliverReply(quint64 linkId, quint64 callId, const QByteArray& payload, const QJsonValue& reply,
                      qint64 readUs);
    quint64 fallbackOwner(quint64 linkId, quint64 owner, bool wantBatch) const;

    // answering the server (RpcClientIncoming.cpp)
    struct Held;
    void answerIncoming(quint64 linkId, const QJsonValue& message);
    void answerRequest(quint64 linkId, const QJsonObject& request);
    void answerBatch(quint64 linkId, const QJsonArray& requests);
    // Writes an answer on the connection the request came on (HTTP: POSTed on the side
    // connection) and logs it; nothing when the connection is gone.
    void sendAnswer(quint64 linkId, const QByteArray& reply);
    void openAnswerConnection(quint64 linkId);
    void holdRequest(quint64 linkId, const QJsonObject& request);
    void endHeld(quint64 holdId, const RpcResult* answer, const QString& how);
    void expireHeld(int timerId);
    void endHeldOnLink(quint64 linkId);
    Dispatcher& clientDispatcher();

    // progress (RpcClientProgress.cpp)
    void rememberProgressTokens(Pending* pending, const CallRequest& request);
    void forgetProgressTokens(const Pending& pending);
    void receiveProgress(const QJsonObject& notification);

    // the handshake on a new shared connection (RpcClientInit.cpp)
    void startHandshake(quint64 linkId);
    void runInitStep(quint64 linkId, qsizetype index);
    void failHandshake(quint64 linkId, const QString& reason);
    void writeWaiting(quint64 linkId);
    void completeCall(Pending* pending, const QByteArray& payload, const QJsonValue& reply, qint64 readUs);
    void completeBatch(Pending* pending, const QByteArray& payload, const QJsonValue& reply, qint64 readUs);
    void failPending(Pending* pending, CallStatus status, const QString& reason);
    void finish(Pending* pending, CallResult result);
    void finish(Pending* pending, BatchResult result);
    std::unique_ptr<Pending> takePending(quint64 callId);
    // timeUs: the message's stamp (MonotonicClock: before its write, or its read). `parsed`:
    // the payload already decoded, when the caller has it (a big reply is not parsed twice).
    void publish(quint64 linkId, Direction direction, const QByteArray& payload, qint64 timeUs,
                 qint64 latencyUs, bool late = false, const QJsonValue& parsed = QJsonValue::Undefined);
    void publishEvent(quint64 linkId, TrafficEvent event);

    mutable QMutex m_configMutex; // guards m_requestedEndpoint/m_dialect/m_state
    Endpoint m_requestedEndpoint; // latest setEndpoint(), for endpoint()
    Endpoint m_endpoint;          // client thread only: what new connections use
    Dialect m_dialect = Dialect::JsonRpc2;
    ClientState m_state = ClientState::Disconnected;
    std::shared_ptr<TrafficBus> m_bus;

    std::atomic<quint64> m_nextId{1};
    std::atomic<int> m_pendingCount{0};
    std::unordered_map<quint64, std::unique_ptr<Pending>> m_pending; // by call/batch id
    std::unordered_map<qint64, quint64> m_byJsonId;                  // JSON-RPC id -> call/batch id
    std::unordered_map<int, quint64> m_byTimer;                      // timer id -> call/batch id
    std::unordered_map<quint64, std::unique_ptr<Link>> m_links;      // by connection id
    TimedOutCalls m_timedOut; // their replies may still come on the shared connection
    quint64 m_sharedLinkId = 0;
    QString m_lastCloseReason; // why the last connection ended (for a link that failed while opening)

    // the other direction (client thread only)
    QList<InitStep> m_initSteps;
    std::shared_ptr<MethodRegistry> m_clientMethods;
    std::unique_ptr<Dispatcher> m_clientDispatcher; // over m_clientMethods (or an empty registry)
    bool m_holdUnanswered = false;
    int m_holdTimeoutMs = 60'000;
    quint64 m_nextHoldId = 1;
    std::unordered_map<quint64, std::unique_ptr<Held>> m_held; // by hold id
    std::unordered_map<int, quint64> m_heldByTimer;            // timer id -> hold id
    QHash<QByteArray, quint64> m_byProgressToken;              // compact JSON token -> call id
};

} // namespace rpcbench
