#pragma once
// One accepted TCP connection on the server's worker thread: sniffs the framing from the
// first bytes, frames and dispatches every message, writes replies in the same framing,
// and enforces the limits (size, idle time for half-received messages, back-pressure).

#include "dispatch/Dispatcher.h"
#include "protocol/RpcTypes.h"
#include "server/ServerCounters.h"
#include "server/ServerLimits.h"
#include "traffic/TrafficBus.h"
#include "wire/HttpMessage.h"
#include "wire/HttpReplyQueue.h"
#include "wire/JsonStreamFramer.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace rpcbench {

class LspFramer;
class HttpRequestParser;

// What every connection of one server shares.
struct ConnectionContext
{
    std::shared_ptr<Dispatcher> dispatcher;
    std::shared_ptr<TrafficBus> bus;
    std::shared_ptr<ServerCounters> counters;
    ServerLimits limits;
};

class ServerConnection : public QObject, private JsonStreamFramer::Sink
{
    Q_OBJECT
public:
    ServerConnection(QTcpSocket* socket, const ConnectionContext& context, QObject* parent = nullptr);
    ~ServerConnection() override;

    quint64 id() const { return m_id; }
    // Drops the connection at once (server stopping); pending replies are abandoned.
    void abort();

signals:
    void finished(); // socket gone; the owner deletes the connection

private:
    void onReadyRead();
    void onBytesWritten();
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
    };
    PendingFailure tooLargeFailure() const;
    bool outputBackedUp() const;
    void drainQueue();
    void scheduleResume();
    void resumeInput();
    // Where a call's reply goes: the JSON/LSP stream, or an HTTP reply slot. Packed into 8 bytes
    // so the dispatcher's callback stays inside std::function's inline buffer.
    struct ReplyRoute
    {
        quint64 httpSlot : 62 = 0;
        quint64 http : 1 = 0;
        quint64 keepAlive : 1 = 0;
    };
    void onMessage(QByteArrayView message) override;
    void handleMessage(const QByteArray& message);
    void sendJsonLine(const QByteArray& json);
    void dispatch(const QByteArray& payload, ReplyRoute route);
    void onDispatched(DispatchReply reply, ReplyRoute route, qint64 t0);
    void finishReply(ReplyRoute route, const DispatchReply& reply, qint64 t0);
    void deliverStreamReply(const DispatchReply& reply, qint64 latencyUs);
    void deliverHttpReply(ReplyRoute route, const DispatchReply& reply, qint64 latencyUs);
    void handleHttpRequest(const HttpRequest& request);
    void handleHttpPost(const HttpRequest& request, quint64 slot);
    void fillHttpSlot(quint64 slot, QByteArray response, bool closeAfter, int trickleMs = 0);
    void sendMessage(const QByteArray& json, int trickleMs = 0);
    bool applyDropFault(const DispatchReply& reply);
    void write(const QByteArray& bytes, int trickleMs = 0);
    void startNextTrickle();
    void onTrickleTick();
    void flushOutput();
    void failAndClose(int code, const QString& message, int httpStatus);
    void closeAfterFlush();
    void beginLingeringClose();
    void discardInput();
    void updateIdleTimer();
    bool readingPaused() const;
    bool logging() const;
    void publish(Direction direction, const QByteArray& raw, const MessageSummary& summary, qint64 latencyUs);

    QTcpSocket* m_socket;
    ConnectionContext m_ctx;
    quint64 m_id;
    QString m_peer;
    Transport m_transport = Transport::JsonStream;
    bool m_sniffed = false;
    bool m_closing = false;
    bool m_closeWhenFlushed = false; // close once the pending output is written
    bool m_lingering = false;        // our side shut down; discarding input until the peer hangs up
    QTimer m_lingerTimer;
    bool m_inInput = false;    // coalesce replies produced while processing one read
    bool m_inDispatch = false; // inside Dispatcher::handle(): hold a synchronous reply back
    std::optional<DispatchReply> m_syncReply;
    int m_inFlight = 0;                             // dispatched messages whose reply is still pending
    std::deque<QByteArray> m_queuedMessages;        // framed, not yet dispatched (back-pressure)
    std::deque<HttpRequest> m_queuedRequests;       // the same for HTTP
    std::optional<PendingFailure> m_pendingFailure; // framing error to answer after the queue
    bool m_resumeScheduled = false;
    QByteArray m_sniffBuffer;
    QByteArray m_readBuffer;
    qint64 m_readTimeUs = 0; // when the current read batch arrived (0 when not logging)
    QByteArray m_out;
    QTimer m_idleTimer;
    QTimer m_keepAliveTimer; // closes connections that stay silent with nothing under way
    bool m_activity = false; // bytes arrived since the last keep-alive tick
    std::unique_ptr<JsonStreamFramer> m_jsonFramer;
    std::unique_ptr<LspFramer> m_lspFramer;
    std::unique_ptr<HttpRequestParser> m_httpParser;
    HttpReplyQueue m_httpReplies;
    // Slow-write fault injection: replies queued behind a trickled one go out after it.
    QTimer m_trickle;
    std::deque<std::pair<QByteArray, int>> m_trickleQueue;
    QByteArray m_tricklePending;
    qsizetype m_trickleChunk = 1;
};

} // namespace rpcbench
