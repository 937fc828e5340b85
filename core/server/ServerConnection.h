#pragma once
// One accepted connection on the server's worker thread, over any ByteChannel. It coordinates:
// sniffs the framing from the first bytes, frames and dispatches every message, hands replies
// to ConnectionOutput (coalescing, faults, the orderly close) in the same framing, HTTP
// requests to HttpRouter, and enforces the limits (size, idle time for half-received
// messages, keep-alive, back-pressure).
//
// WebSocket on the sniffed port: an HTTP request that asks for an upgrade (GET with
// "Upgrade: websocket", any path) is answered 101 and the connection switches its framer to
// WebSocketFramer and its transport to Transport::WebSocket: from then on each text (or binary)
// message is one JSON-RPC message or batch, each reply one unmasked text frame. A close from
// the peer is echoed and the connection ends; a protocol error or an over-limit message is
// answered with a close frame (1002, 1009) carrying the reason. The client must wait for the
// 101 before sending frames (RFC 6455 4.1): bytes pipelined behind the upgrade request are lost.

#include "dispatch/Dispatcher.h"
#include "protocol/RpcTypes.h"
#include "server/ConnectionDirectory.h"
#include "server/ConnectionOutput.h"
#include "server/HttpRouter.h"
#include "server/HttpSessions.h"
#include "server/ServerCounters.h"
#include "server/ServerLimits.h"
#include "traffic/TrafficBus.h"
#include "wire/Framer.h"
#include "wire/HttpTypes.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace rpcbench {

class ServerPushes;

// What every connection of one server shares.
struct ConnectionContext
{
    std::shared_ptr<Dispatcher> dispatcher;
    // Takes every de-framed message instead of the dispatcher when set (a proxy's relay); the
    // dispatcher still serves the HTTP side's own routes.
    std::shared_ptr<MessageHandler> handler;
    Side side = Side::Server; // how the traffic log shows this server's messages
    std::shared_ptr<TrafficBus> bus;
    std::shared_ptr<ServerCounters> counters;
    ServerLimits limits;
    // MCP Streamable HTTP sessions, shared by the connections of one server (see HttpRouter).
    std::shared_ptr<HttpSessions> httpSessions = std::make_shared<HttpSessions>();
    // The messages the server starts; the open connections as other threads see them. Both
    // may be null (a connection without a server around it): it then carries no pushes.
    std::shared_ptr<ServerPushes> pushes;
    std::shared_ptr<ConnectionDirectory> directory;
    QString listener; // the listening URL the connection came in on
};

class ConnectionPeerLink;
struct ServerMessage;

class ServerConnection : public QObject, private FrameSink
{
    Q_OBJECT
public:
    // Takes the channel over (it becomes a child).
    ServerConnection(ByteChannel* channel, const ConnectionContext& context, QObject* parent = nullptr);
    ~ServerConnection() override;

    // Skips sniffing: the framing is known from how the peer reached us (serve --stdio with
    // --framing, a unix+lsp: listener). Call before the first read.
    void useFraming(Transport transport);

    quint64 id() const { return m_id; }
    // Drops the connection at once (server stopping); pending replies are abandoned.
    void abort();

    // ---- messages the server starts (ServerConnectionPushes.cpp) ----
    // It can carry one now: a stream framing once known; HTTP while its event stream is open.
    bool canPush() const;
    // canPush(), or an HTTP connection whose session has an event stream open elsewhere.
    bool canReach() const;
    // Why a push cannot go out on it (one line, for a failed request).
    QString pushRefusal() const;
    bool isHttp() const { return m_transport == Transport::Http; }
    QByteArray eventStreamSession() const { return m_http.eventStreamSession(); }
    // Writes the message in the connection's framing and logs it. False when it cannot carry it.
    bool sendServerMessage(const ServerMessage& message);
    // The same for a handler's message (PeerLink): an HTTP connection without a stream of its
    // own sends it on its session's event stream.
    bool sendFromHandler(const ServerMessage& message);
    // Ends the connection once what is queued has been written (a proxy whose upstream closed).
    void closeFromHandler();

signals:
    void finished(); // channel gone; the owner deletes the connection

private:
    void onReadyRead();
    void onIdleTimeout();
    void onKeepAliveTick();
    bool hasPartialMessage() const;
    void processInput(QByteArrayView data);
    bool sniff(QByteArrayView data);
    void feedFramer(QByteArrayView data);
    struct PendingFailure
    {
        int code;
        QString message;
        int httpStatus;
        bool closeOnly = false; // the framer already told the peer (WebSocket close frame)
    };
    PendingFailure failureFor(const FrameError& error) const;
    bool outputBackedUp() const;
    void drainQueue();
    void scheduleResume();
    void resumeInput();
    // Where a call's reply goes: the JSON/LSP stream, or an HTTP reply slot. Packed into 8 bytes
    // so the dispatcher's callback stays inside std::function's inline buffer.
    struct ReplyRoute
    {
        quint64 httpSlot : 59 = 0;
        quint64 http : 1 = 0;
        quint64 keepAlive : 1 = 0;
        quint64 eventStream : 1 = 0; // HttpRouter::Call's flags
        quint64 mcp : 1 = 0;
        quint64 initialize : 1 = 0;
    };
    void onFrame(const Frame& frame) override;
    void handleMessage(const QByteArray& message);
    void dispatch(const QByteArray& payload, ReplyRoute route);
    void onDispatched(DispatchReply reply, ReplyRoute route, qint64 t0);
    void finishReply(ReplyRoute route, const DispatchReply& reply, qint64 t0);
    struct OutStamp
    {
        qint64 timeUs = 0;     // 0 when not logging
        qint64 latencyUs = -1; // since the request's read
    };
    OutStamp stampOut(qint64 t0) const;
    void deliverStreamReply(const DispatchReply& reply, qint64 t0);
    void deliverHttpReply(ReplyRoute route, const DispatchReply& reply, qint64 t0);
    void handleHttpRequest(const HttpRequest& request);
    void upgradeToWebSocket(const HttpRequest& request);
    void sendMessage(const QByteArray& json, int trickleMs = 0);
    bool applyDropFault(const DispatchReply& reply);
    void failAndClose(int code, const QString& message, int httpStatus);
    void updateIdleTimer();
    bool readingPaused() const;
    bool logging() const;
    // timeUs: the message's stamp (the read that completed it, or just before its write); 0 = now.
    void publish(Direction direction, const QByteArray& raw, const MessageSummary& summary, qint64 timeUs,
                 qint64 latencyUs, qint64 upstreamUs = -1);
    // ServerConnectionPushes.cpp
    void setUpPushes();
    void tearDownPushes();
    void updatePushState();
    void onEventStreamKeepAlive();

    ByteChannel* m_channel; // child
    ConnectionContext m_ctx;
    MessageHandler* m_handler; // ctx.handler, else ctx.dispatcher
    quint64 m_id;
    QString m_peer;
    Transport m_transport = Transport::JsonStream;
    bool m_sniffed = false;
    ConnectionOutput m_output; // also the connection's close state
    HttpRouter m_http;
    bool m_inDispatch = false; // inside Dispatcher::handle(): hold a synchronous reply back
    std::optional<DispatchReply> m_syncReply;
    int m_inFlight = 0;                             // dispatched messages whose reply is still pending
    std::deque<QByteArray> m_queuedMessages;        // framed, not yet dispatched (back-pressure)
    std::deque<HttpRequest> m_queuedRequests;       // the same for HTTP
    std::optional<PendingFailure> m_pendingFailure; // framing error to answer after the queue
    bool m_resumeScheduled = false;
    QByteArray m_sniffBuffer;
    QByteArray m_readBuffer;
    qint64 m_readTimeUs = 0; // when the current read batch arrived (MonotonicClock; 0 when not logging)
    QTimer m_idleTimer;
    QTimer m_keepAliveTimer;          // closes connections that stay silent with nothing under way
    bool m_activity = false;          // bytes arrived since the last keep-alive tick
    std::unique_ptr<Framer> m_framer; // chosen by the sniffer from the first bytes
    // Both directions
    std::shared_ptr<ConnectionStatus> m_status; // this connection's entry in ctx.directory
    std::shared_ptr<ConnectionPeerLink> m_link; // current around every dispatch
    Dispatcher::ReplySink m_replySink;          // replies to our requests -> ctx.pushes
    QTimer m_streamKeepAlive;                   // comments on the HTTP event stream
    bool m_pushable = false;                    // canPush() at the last updatePushState()
};

} // namespace rpcbench
