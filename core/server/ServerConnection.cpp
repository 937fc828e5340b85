#include "server/ServerConnection.h"

#include "dispatch/PeerLink.h"
#include "server/ConnectionPeerLink.h"
#include "util/Log.h"
#include "wire/Framing.h"
#include "wire/TransportSniffer.h"
#include "wire/WebSocketFramer.h"
#include "wire/WebSocketHandshake.h"

#include <algorithm>
#include <utility>

namespace rpcbench {

namespace {

// Reads are capped so the channel's unread buffer cannot grow without bound (back-pressure).
constexpr qint64 kReadChunk = 256 * 1024;
// A connection stops reading while this many of its calls are still running.
constexpr int kMaxInFlightPerConnection = 4096;

} // namespace

ServerConnection::ServerConnection(ByteChannel* channel, const ConnectionContext& context, QObject* parent)
    : QObject(parent), m_channel(channel), m_ctx(context),
      m_handler(m_ctx.handler ? m_ctx.handler.get() : static_cast<MessageHandler*>(m_ctx.dispatcher.get())),
      m_id(nextConnectionId()), m_peer(channel->peerDescription()), m_output(*channel),
      m_http(m_output, *m_ctx.dispatcher, m_ctx.httpSessions.get())
{
    m_channel->setParent(this);
    m_channel->setReadBufferSize(kReadChunk);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setTimerType(Qt::PreciseTimer); // a limit the user sets and may measure
    connect(&m_idleTimer, &QTimer::timeout, this, &ServerConnection::onIdleTimeout);
    if (m_ctx.limits.keepAliveTimeoutMs > 0) {
        // Ticks at half the limit and closes after two quiet ticks in a row: silence of
        // between 1 and 1.5 × the limit, without restarting a timer on every read.
        m_keepAliveTimer.setInterval(std::max(1, m_ctx.limits.keepAliveTimeoutMs / 2));
        connect(&m_keepAliveTimer, &QTimer::timeout, this, &ServerConnection::onKeepAliveTick);
        m_keepAliveTimer.start();
    }
    connect(&m_output, &ConnectionOutput::closeStarted, this, [this] {
        m_idleTimer.stop();
        m_keepAliveTimer.stop();
        updatePushState();
    });
    connect(&m_output, &ConnectionOutput::writable, this, [this] {
        if (!outputBackedUp())
            scheduleResume();
    });
    connect(&m_output, &ConnectionOutput::finished, this, &ServerConnection::finished);
    connect(m_channel, &ByteChannel::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_channel, &ByteChannel::closed, this, &ServerConnection::finished);
    m_ctx.counters->openConnections.fetch_add(1, std::memory_order_relaxed);
    m_ctx.counters->totalConnections.fetch_add(1, std::memory_order_relaxed);
    setUpPushes();
}

ServerConnection::~ServerConnection()
{
    tearDownPushes();
    m_ctx.counters->openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void ServerConnection::abort()
{
    m_output.markClosing();
    m_channel->abort();
}

bool ServerConnection::readingPaused() const
{
    return m_output.isClosing() || outputBackedUp() || !m_queuedMessages.empty() || !m_queuedRequests.empty();
}

void ServerConnection::onReadyRead()
{
    m_activity = true;
    if (m_output.isLingering()) {
        m_output.discardInput();
        return;
    }
    // While paused, bytes stay in the kernel (the read buffer is capped), so a peer that
    // never reads its replies is slowed down by TCP instead of growing our memory.
    if (m_readBuffer.size() != kReadChunk)
        m_readBuffer.resize(kReadChunk); // reused: no allocation per read
    while (!readingPaused() && m_channel->bytesAvailable() > 0) {
        const qint64 n = m_channel->read(m_readBuffer.data(), kReadChunk);
        if (n <= 0)
            break;
        // One time stamp per read batch, only for the traffic log: every message this read
        // completes is stamped "in" with it, however long its handler takes.
        m_readTimeUs = logging() ? nowUs() : 0;
        m_output.beginBatch();
        processInput(QByteArrayView(m_readBuffer.constData(), n));
        m_output.endBatch();
    }
    updateIdleTimer();
}

void ServerConnection::processInput(QByteArrayView data)
{
    if (!m_sniffed && !sniff(data))
        return;
    if (!m_sniffBuffer.isEmpty()) {
        const QByteArray first = std::exchange(m_sniffBuffer, {});
        feedFramer(first);
        return;
    }
    feedFramer(data);
}

// Buffers the first bytes until the framing is known; returns true once decided (the
// buffered bytes are then in m_sniffBuffer for the framer).
bool ServerConnection::sniff(QByteArrayView data)
{
    m_sniffBuffer.append(data);
    const auto transport = sniffTransport(m_sniffBuffer);
    if (!transport)
        return false;
    useFraming(*transport);
    return true;
}

void ServerConnection::useFraming(Transport transport)
{
    m_sniffed = true;
    m_transport = transport;
    qCDebug(lcWire).noquote() << "connection" << m_id << "framing:" << toString(m_transport);
    const ServerLimits& l = m_ctx.limits;
    FramingSpec spec;
    spec.transport = m_transport;
    spec.maxMessageBytes = l.maxMessageBytes;
    spec.maxHeaderBytes = l.maxHeaderBytes;
    spec.maxJsonDepth = l.maxJsonDepth;
    m_framer = makeRequestFramer(spec);
    updatePushState();
}

// Framed messages go to a queue first: one read can hold thousands of pipelined requests,
// and answering them all at once could produce far more output than the back-pressure limit
// allows (e.g. 4,000 calls of an 8 KiB reply). drainQueue() stops while output is backed up.
void ServerConnection::feedFramer(QByteArrayView data)
{
    if (m_output.isClosing())
        return;
    const bool ok = m_framer->feed(data, *this); // onFrame() got the messages before an error
    if (const QByteArray interim = m_framer->takeInterimReply(); !interim.isEmpty())
        m_output.write(interim);
    if (!ok) {
        // WebSocket: the close frame (the echo of the peer's close, or 1002/1009 with the
        // reason) was the interim reply just written; what is left is to close.
        if (m_transport == Transport::WebSocket)
            m_pendingFailure = PendingFailure{0, m_framer->error().reason, 0, true};
        else
            m_pendingFailure = failureFor(m_framer->error());
    }
    drainQueue();
}

// How a framing error is answered: HTTP with the status the parser chose; the stream
// framings with a JSON-RPC error in their own framing.
ServerConnection::PendingFailure ServerConnection::failureFor(const FrameError& e) const
{
    if (e.httpStatus != 0)
        return {e.httpStatus == 413 ? ErrorCode::MessageTooLarge : ErrorCode::InvalidRequest, e.reason,
                e.httpStatus};
    if (e.kind == FrameError::Kind::TooLarge)
        return {ErrorCode::MessageTooLarge,
                QStringLiteral("message exceeds the limit of %1 bytes").arg(m_ctx.limits.maxMessageBytes),
                413};
    return {ErrorCode::ParseError, QStringLiteral("bad Content-Length header: ") + e.reason, 400};
}

bool ServerConnection::outputBackedUp() const
{
    return m_inFlight >= kMaxInFlightPerConnection ||
           m_output.pendingBytes() > m_ctx.limits.maxPendingReplyBytes;
}

void ServerConnection::drainQueue()
{
    while (!m_output.isClosing() && !outputBackedUp()) {
        if (!m_queuedMessages.empty()) {
            const QByteArray message = std::move(m_queuedMessages.front());
            m_queuedMessages.pop_front();
            handleMessage(message);
        } else if (!m_queuedRequests.empty()) {
            const HttpRequest request = std::move(m_queuedRequests.front());
            m_queuedRequests.pop_front();
            handleHttpRequest(request);
        } else {
            break;
        }
    }
    // A framing error is answered only after the messages that came before it.
    if (m_pendingFailure && m_queuedMessages.empty() && m_queuedRequests.empty()) {
        const PendingFailure f = *std::exchange(m_pendingFailure, std::nullopt);
        if (f.closeOnly) {
            qCDebug(lcServer).noquote() << "connection" << m_id << "closing:" << f.message;
            m_output.closeAfterFlush();
        } else {
            failAndClose(f.code, f.message, f.httpStatus);
        }
    }
}

// Continues after back-pressure eased (bytes written, a call finished): first the queued
// messages, then fresh bytes from the channel.
void ServerConnection::scheduleResume()
{
    if (m_resumeScheduled || m_output.batching())
        return;
    m_resumeScheduled = true;
    QMetaObject::invokeMethod(this, &ServerConnection::resumeInput, Qt::QueuedConnection);
}

void ServerConnection::resumeInput()
{
    m_resumeScheduled = false;
    if (m_output.isClosing())
        return;
    if (!m_queuedMessages.empty() || !m_queuedRequests.empty() || m_pendingFailure) {
        m_output.beginBatch();
        drainQueue();
        m_output.endBatch();
    }
    onReadyRead();
}

// JSON stream messages arrive here straight from the read buffer. They are handled without
// a copy unless earlier ones still wait in the queue or output is backed up. A frame with a
// syntaxError is dispatched like any other: it cannot parse, so it is answered -32700.
void ServerConnection::onFrame(const Frame& frame)
{
    if (m_output.isClosing())
        return;
    if (frame.request) { // HTTP: the whole request, a shared copy; drainQueue() answers in order
        m_queuedRequests.push_back(*frame.request);
        return;
    }
    const QByteArrayView message = frame.payload;
    if (m_queuedMessages.empty() && !outputBackedUp())
        handleMessage(QByteArray::fromRawData(message.data(), message.size()));
    else
        m_queuedMessages.push_back(message.toByteArray());
}

void ServerConnection::handleMessage(const QByteArray& message)
{
    dispatch(message, ReplyRoute{});
}

// Runs one payload through the dispatcher. A reply produced synchronously is held back
// until the request's own traffic event is published, so the log shows request first.
void ServerConnection::dispatch(const QByteArray& payload, ReplyRoute route)
{
    m_ctx.counters->messagesIn.fetch_add(1, std::memory_order_relaxed);
    m_status->countIn();
    const qint64 t0 = m_readTimeUs;
    MessageSummary summary;
    ++m_inFlight;
    m_inDispatch = true;
    m_syncReply.reset();
    Dispatcher::ReplyCallback done;
    if (t0 > 0) { // logging: the reply's latency needs the request's time
        done = [this, t0, route](DispatchReply reply) { onDispatched(std::move(reply), route, t0); };
    } else {
        // Small and trivially copyable: std::function keeps it inline, no allocation per call.
        done = [this, route](DispatchReply reply) { onDispatched(std::move(reply), route, 0); };
    }
    {
        // Handlers that start now may keep the link to message the peer later (subscriptions).
        const PeerLink::Scope link(m_link.get());
        m_handler->handle(payload, this, std::move(done), &summary, m_ctx.pushes ? &m_replySink : nullptr);
    }
    m_inDispatch = false;
    if (logging()) // the payload may point into the read buffer: the log keeps its own copy
        publish(Direction::In, QByteArray(payload.constData(), payload.size()), summary, t0, -1);
    if (m_syncReply) {
        const DispatchReply reply = std::move(*m_syncReply);
        m_syncReply.reset();
        finishReply(route, reply, t0);
    }
}

void ServerConnection::onDispatched(DispatchReply reply, ReplyRoute route, qint64 t0)
{
    if (m_inDispatch)
        m_syncReply = std::move(reply);
    else
        finishReply(route, reply, t0);
}

void ServerConnection::finishReply(ReplyRoute route, const DispatchReply& reply, qint64 t0)
{
    --m_inFlight;
    if (route.http)
        deliverHttpReply(route, reply, t0);
    else
        deliverStreamReply(reply, t0);
    if (!outputBackedUp() &&
        (m_channel->bytesAvailable() > 0 || !m_queuedMessages.empty() || !m_queuedRequests.empty()))
        scheduleResume();
}

// A reply's "out" time stamp is taken before its bytes go to the socket, so the peer can never
// have read them earlier; its latency runs from the read that completed the request (t0).
ServerConnection::OutStamp ServerConnection::stampOut(qint64 t0) const
{
    if (!logging())
        return {};
    const qint64 now = nowUs();
    return {now, t0 > 0 ? now - t0 : -1};
}

void ServerConnection::deliverStreamReply(const DispatchReply& reply, qint64 t0)
{
    if (reply.bytes.isEmpty() || applyDropFault(reply))
        return;
    const OutStamp stamp = stampOut(t0);
    sendMessage(reply.bytes, reply.trickleMs);
    publish(Direction::Out, reply.bytes, reply.summary, stamp.timeUs, stamp.latencyUs, reply.upstreamUs);
}

void ServerConnection::deliverHttpReply(ReplyRoute route, const DispatchReply& reply, qint64 t0)
{
    if (applyDropFault(reply))
        return;
    const OutStamp stamp = reply.bytes.isEmpty() ? OutStamp{} : stampOut(t0);
    m_http.reply(HttpRouter::Call{route.httpSlot, bool(route.keepAlive), bool(route.eventStream),
                                  bool(route.mcp), bool(route.initialize)},
                 reply.bytes, reply.trickleMs);
    if (!reply.bytes.isEmpty()) {
        m_ctx.counters->repliesOut.fetch_add(1, std::memory_order_relaxed);
        m_status->countOut();
        publish(Direction::Out, reply.bytes, reply.summary, stamp.timeUs, stamp.latencyUs, reply.upstreamUs);
    }
}

// GET and unknown methods are answered by the router; a POST comes back to be dispatched.
void ServerConnection::handleHttpRequest(const HttpRequest& request)
{
    if (WebSocketHandshake::isUpgradeRequest(request)) {
        upgradeToWebSocket(request);
        return;
    }
    const auto call = m_http.route(request);
    if (!call) {
        if (m_http.eventStreamOpen() != m_pushable) // a GET opened the event stream
            updatePushState();
        return;
    }
    ReplyRoute route;
    route.httpSlot = call->slot;
    route.http = true;
    route.keepAlive = call->keepAlive;
    route.eventStream = call->eventStream;
    route.mcp = call->mcp;
    route.initialize = call->initialize;
    dispatch(request.body, route);
}

// Answers the handshake in its place among the HTTP replies; once accepted, the rest of the
// connection is WebSocket frames. Called from drainQueue(), never while the HTTP framer feeds.
void ServerConnection::upgradeToWebSocket(const HttpRequest& request)
{
    const WebSocketHandshake::Result result = WebSocketHandshake::accept(request);
    m_http.upgrade(result.response, result.ok);
    if (!result.ok) {
        qCDebug(lcServer).noquote() << "connection" << m_id << "WebSocket upgrade refused:" << result.reason;
        m_queuedRequests.clear();
        return;
    }
    // Anything the HTTP parser made of bytes after the request is not HTTP: a conforming client
    // sends no frame before our 101 (RFC 6455 4.1).
    m_queuedRequests.clear();
    m_pendingFailure.reset();
    useFraming(Transport::WebSocket);
}

void ServerConnection::sendMessage(const QByteArray& json, int trickleMs)
{
    m_ctx.counters->repliesOut.fetch_add(1, std::memory_order_relaxed);
    m_status->countOut();
    if (m_transport == Transport::JsonStream && trickleMs <= 0)
        m_output.writeJsonLine(json); // the hot path: coalesced without a framed copy
    else
        m_output.write(frameStreamReply(m_transport, json), trickleMs);
}

// Fault injection: the peer sees the connection reset instead of a reply.
bool ServerConnection::applyDropFault(const DispatchReply& reply)
{
    if (!reply.dropConnection)
        return false;
    publish(Direction::Out, QByteArray(), reply.summary, 0, -1);
    m_output.dropSoon();
    return true;
}

// Answers a limit or framing violation in the connection's own framing, then closes
// cleanly once the answer has been written.
void ServerConnection::failAndClose(int code, const QString& message, int httpStatus)
{
    if (m_output.isClosing())
        return;
    qCDebug(lcServer).noquote() << "connection" << m_id << "closing:" << message;
    const DispatchReply reply = Dispatcher::errorReply(Dialect::JsonRpc2, code, message);
    if (m_transport == Transport::Http) {
        m_http.fail(httpStatus, reply.bytes);
    } else if (m_transport == Transport::WebSocket) {
        const quint16 closeCode = code == ErrorCode::MessageTooLarge ? WebSocketFramer::CloseTooBig
                                                                     : WebSocketFramer::ClosePolicyViolation;
        m_output.write(WebSocketFramer::frameClose(closeCode, message.toUtf8()));
    } else {
        const OutStamp stamp = stampOut(0);
        sendMessage(reply.bytes);
        publish(Direction::Out, reply.bytes, reply.summary, stamp.timeUs, -1);
    }
    m_output.closeAfterFlush();
}

bool ServerConnection::hasPartialMessage() const
{
    return m_framer ? m_framer->hasPartial() : !m_sniffBuffer.isEmpty();
}

void ServerConnection::updateIdleTimer()
{
    // The deadline runs from the first byte of a message and is not extended by later
    // bytes, so a peer trickling one byte per second cannot hold the connection forever.
    // Time spent paused by our own back-pressure is not the peer's fault.
    if (!hasPartialMessage() || m_output.isClosing() || readingPaused())
        m_idleTimer.stop();
    else if (!m_idleTimer.isActive())
        m_idleTimer.start(m_ctx.limits.idleTimeoutMs);
}

void ServerConnection::onKeepAliveTick()
{
    if (std::exchange(m_activity, false))
        return;
    // Only a connection with nothing under way is idle: a slow handler, a reply still being
    // written or a half-received message (that has its own deadline) keep it open.
    // An open event stream is silent by nature: the client holds it to hear from us.
    if (m_output.isClosing() || m_inFlight > 0 || m_output.busy() || hasPartialMessage() || readingPaused() ||
        m_http.eventStreamOpen())
        return;
    m_keepAliveTimer.stop();
    m_ctx.counters->idleClosedConnections.fetch_add(1, std::memory_order_relaxed);
    if (m_transport == Transport::WebSocket) // a WebSocket peer is told why, in its framing
        m_output.write(WebSocketFramer::frameClose(WebSocketFramer::CloseGoingAway, "idle"));
    m_output.closeAfterFlush(); // nothing to flush: shuts our side down and waits briefly for the peer
}

void ServerConnection::onIdleTimeout()
{
    failAndClose(
        ErrorCode::ServerError,
        QStringLiteral("incomplete message: not completed within %1 ms").arg(m_ctx.limits.idleTimeoutMs),
        408);
}

bool ServerConnection::logging() const
{
    return m_ctx.bus && m_ctx.bus->isEnabled();
}

void ServerConnection::publish(Direction direction, const QByteArray& raw, const MessageSummary& summary,
                               qint64 timeUs, qint64 latencyUs, qint64 upstreamUs)
{
    if (!logging())
        return;
    TrafficBus* bus = m_ctx.bus.get();
    TrafficEvent e;
    e.timestampUs = timeUs > 0 ? timeUs : nowUs(); // 0: logging was switched on meanwhile
    e.connectionId = m_id;
    e.peer = m_peer;
    e.side = m_ctx.side;
    e.direction = direction;
    e.transport = m_transport;
    e.summary = summary;
    e.raw = raw;
    e.latencyUs = latencyUs;
    e.upstreamUs = upstreamUs;
    bus->publish(std::move(e));
}

} // namespace rpcbench
