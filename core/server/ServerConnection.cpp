#include "server/ServerConnection.h"

#include "wire/HttpRequestParser.h"
#include "wire/JsonStreamFramer.h"
#include "wire/LspFramer.h"
#include "wire/SocketWriter.h"
#include "wire/TransportSniffer.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

#include <sys/socket.h>

namespace rpcbench {

namespace {

// Reads are capped so an unread socket buffer cannot grow without bound (back-pressure).
constexpr qint64 kReadChunk = 256 * 1024;
// A connection stops reading while this many of its calls are still running.
constexpr int kMaxInFlightPerConnection = 4096;
// How long a closing connection waits for the peer to hang up after our last reply.
constexpr int kLingerMs = 2000;
// Replies produced while handling one read are written together up to this size.
constexpr qsizetype kCoalesceLimit = 256 * 1024;

QString peerString(const QTcpSocket* socket)
{
    QString host = socket->peerAddress().toString();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return host + u':' + QString::number(socket->peerPort());
}

} // namespace

ServerConnection::ServerConnection(QTcpSocket* socket, const ConnectionContext& context, QObject* parent)
    : QObject(parent), m_socket(socket), m_ctx(context), m_id(nextConnectionId()), m_peer(peerString(socket))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadChunk);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ServerConnection::onIdleTimeout);
    connect(&m_trickle, &QTimer::timeout, this, &ServerConnection::onTrickleTick);
    if (m_ctx.limits.keepAliveTimeoutMs > 0) {
        // Ticks at half the limit and closes after two quiet ticks in a row: silence of
        // between 1 and 1.5 × the limit, without restarting a timer on every read.
        m_keepAliveTimer.setInterval(std::max(1, m_ctx.limits.keepAliveTimeoutMs / 2));
        connect(&m_keepAliveTimer, &QTimer::timeout, this, &ServerConnection::onKeepAliveTick);
        m_keepAliveTimer.start();
    }
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        m_socket->abort();
        emit finished();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ServerConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &ServerConnection::finished);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            emit finished();
    });
    m_ctx.counters->openConnections.fetch_add(1, std::memory_order_relaxed);
    m_ctx.counters->totalConnections.fetch_add(1, std::memory_order_relaxed);
}

ServerConnection::~ServerConnection()
{
    m_ctx.counters->openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void ServerConnection::abort()
{
    m_closing = true;
    m_socket->abort();
}

bool ServerConnection::readingPaused() const
{
    return m_closing || outputBackedUp() || !m_queuedMessages.empty() || !m_queuedRequests.empty();
}

void ServerConnection::onReadyRead()
{
    m_activity = true;
    if (m_lingering) {
        discardInput();
        return;
    }
    // While paused, bytes stay in the kernel (the read buffer is capped), so a peer that
    // never reads its replies is slowed down by TCP instead of growing our memory.
    if (m_readBuffer.size() != kReadChunk)
        m_readBuffer.resize(kReadChunk); // reused: no allocation per read
    while (!readingPaused() && m_socket->bytesAvailable() > 0) {
        const qint64 n = m_socket->read(m_readBuffer.data(), kReadChunk);
        if (n <= 0)
            break;
        // One time stamp per read batch; only the traffic log needs it.
        m_readTimeUs = logging() ? nowUs() : 0;
        m_inInput = true;
        processInput(QByteArrayView(m_readBuffer.constData(), n));
        m_inInput = false;
        flushOutput();
    }
    updateIdleTimer();
}

void ServerConnection::onBytesWritten()
{
    if (m_closeWhenFlushed && m_socket->bytesToWrite() == 0 && !m_trickle.isActive()) {
        m_closeWhenFlushed = false;
        beginLingeringClose();
        return;
    }
    if (!outputBackedUp())
        scheduleResume();
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
    m_sniffed = true;
    m_transport = *transport;
    const ServerLimits& l = m_ctx.limits;
    switch (m_transport) {
    case Transport::Http:
        m_httpParser = std::make_unique<HttpRequestParser>(l.maxMessageBytes, l.maxHeaderBytes);
        break;
    case Transport::Lsp:
        m_lspFramer = std::make_unique<LspFramer>(l.maxMessageBytes, l.maxHeaderBytes);
        break;
    case Transport::JsonStream:
        m_jsonFramer = std::make_unique<JsonStreamFramer>(l.maxMessageBytes);
        break;
    }
    return true;
}

// Framed messages go to a queue first: one read can hold thousands of pipelined requests,
// and answering them all at once could produce far more output than the back-pressure limit
// allows (e.g. 4,000 calls of an 8 KiB reply). drainQueue() stops while output is backed up.
void ServerConnection::feedFramer(QByteArrayView data)
{
    if (m_closing)
        return;
    if (m_transport == Transport::Http) {
        QList<HttpRequest> requests;
        const auto status = m_httpParser->feed(data, requests);
        for (HttpRequest& r : requests)
            m_queuedRequests.push_back(std::move(r));
        if (m_httpParser->takeContinueRequest())
            write("HTTP/1.1 100 Continue\r\n\r\n");
        if (status == HttpRequestParser::Status::Error) {
            const int status = m_httpParser->errorStatus();
            const int code = status == 413 ? ErrorCode::MessageTooLarge : ErrorCode::InvalidRequest;
            m_pendingFailure = PendingFailure{code, QString::fromUtf8(m_httpParser->errorReason()), status};
        }
    } else {
        QList<QByteArray> messages;
        if (m_transport == Transport::Lsp) {
            const auto status = m_lspFramer->feed(data, messages);
            if (status == LspFramer::Status::TooLarge)
                m_pendingFailure = tooLargeFailure();
            else if (status == LspFramer::Status::BadHeader)
                m_pendingFailure = PendingFailure{
                    ErrorCode::ParseError,
                    QStringLiteral("bad Content-Length header: ") + m_lspFramer->errorString(), 400};
        } else if (m_jsonFramer->feed(data, *this) == JsonStreamFramer::Status::TooLarge) {
            m_pendingFailure = tooLargeFailure(); // onMessage() got the messages before it
        }
        for (QByteArray& m : messages)
            m_queuedMessages.push_back(std::move(m));
    }
    drainQueue();
}

ServerConnection::PendingFailure ServerConnection::tooLargeFailure() const
{
    return {ErrorCode::MessageTooLarge,
            QStringLiteral("message exceeds the limit of %1 bytes").arg(m_ctx.limits.maxMessageBytes), 413};
}

bool ServerConnection::outputBackedUp() const
{
    return m_inFlight >= kMaxInFlightPerConnection ||
           m_out.size() + m_socket->bytesToWrite() > m_ctx.limits.maxPendingReplyBytes;
}

void ServerConnection::drainQueue()
{
    while (!m_closing && !outputBackedUp()) {
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
        failAndClose(f.code, f.message, f.httpStatus);
    }
}

// Continues after back-pressure eased (bytes written, a call finished): first the queued
// messages, then fresh bytes from the socket.
void ServerConnection::scheduleResume()
{
    if (m_resumeScheduled || m_inInput)
        return;
    m_resumeScheduled = true;
    QMetaObject::invokeMethod(this, &ServerConnection::resumeInput, Qt::QueuedConnection);
}

void ServerConnection::resumeInput()
{
    m_resumeScheduled = false;
    if (m_closing)
        return;
    if (!m_queuedMessages.empty() || !m_queuedRequests.empty() || m_pendingFailure) {
        m_inInput = true;
        drainQueue();
        m_inInput = false;
        flushOutput();
    }
    onReadyRead();
}

// JSON stream messages arrive here straight from the read buffer. They are handled without
// a copy unless earlier ones still wait in the queue or output is backed up.
void ServerConnection::onMessage(QByteArrayView message)
{
    if (m_closing)
        return;
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
    m_ctx.dispatcher->handle(payload, this, std::move(done), &summary);
    m_inDispatch = false;
    if (logging()) // the payload may point into the read buffer: the log keeps its own copy
        publish(Direction::In, QByteArray(payload.constData(), payload.size()), summary, -1);
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
    const qint64 latencyUs = t0 > 0 ? nowUs() - t0 : -1;
    if (route.http)
        deliverHttpReply(route, reply, latencyUs);
    else
        deliverStreamReply(reply, latencyUs);
    if (!outputBackedUp() &&
        (m_socket->bytesAvailable() > 0 || !m_queuedMessages.empty() || !m_queuedRequests.empty()))
        scheduleResume();
}

void ServerConnection::deliverStreamReply(const DispatchReply& reply, qint64 latencyUs)
{
    if (reply.bytes.isEmpty() || applyDropFault(reply))
        return;
    sendMessage(reply.bytes, reply.trickleMs);
    publish(Direction::Out, reply.bytes, reply.summary, latencyUs);
}

void ServerConnection::deliverHttpReply(ReplyRoute route, const DispatchReply& reply, qint64 latencyUs)
{
    if (applyDropFault(reply))
        return;
    const bool keepAlive = route.keepAlive;
    // Only notifications: 200 with an empty body (some clients reject 204).
    fillHttpSlot(route.httpSlot, buildHttpResponse(200, reply.bytes, keepAlive), !keepAlive, reply.trickleMs);
    if (!reply.bytes.isEmpty()) {
        m_ctx.counters->repliesOut.fetch_add(1, std::memory_order_relaxed);
        publish(Direction::Out, reply.bytes, reply.summary, latencyUs);
    }
}

void ServerConnection::handleHttpRequest(const HttpRequest& request)
{
    const quint64 slot = m_httpReplies.reserve();
    if (request.method == "POST") {
        handleHttpPost(request, slot);
        return;
    }
    if (request.method == "GET" && (request.target == "/" || request.target == "/openrpc.json")) {
        const QByteArray doc =
            QJsonDocument(m_ctx.dispatcher->openRpcDocument()).toJson(QJsonDocument::Indented);
        fillHttpSlot(slot, buildHttpResponse(200, doc, request.keepAlive), !request.keepAlive);
        return;
    }
    const int status = request.method == "GET" ? 404 : 405;
    const QString text =
        status == 404
            ? QStringLiteral("not found: GET / serves the OpenRPC document, POST calls methods")
            : QStringLiteral("method not allowed: use POST for calls, GET / for the OpenRPC document");
    const QByteArray body = Dispatcher::errorReply(Dialect::JsonRpc2, ErrorCode::InvalidRequest, text).bytes;
    const HttpHeaders extra = status == 405 ? HttpHeaders{{"Allow", "GET, POST"}} : HttpHeaders{};
    fillHttpSlot(slot, buildHttpResponse(status, body, request.keepAlive, "application/json", extra),
                 !request.keepAlive);
}

void ServerConnection::handleHttpPost(const HttpRequest& request, quint64 slot)
{
    ReplyRoute route;
    route.httpSlot = slot;
    route.http = true;
    route.keepAlive = request.keepAlive;
    dispatch(request.body, route);
}

void ServerConnection::fillHttpSlot(quint64 slot, QByteArray response, bool closeAfter, int trickleMs)
{
    if (m_httpReplies.takeIfNext(slot)) {
        write(response, trickleMs);
        if (closeAfter)
            closeAfterFlush();
        return;
    }
    m_httpReplies.fill(slot, std::move(response), closeAfter);
    for (auto& ready : m_httpReplies.takeReady()) {
        write(ready.bytes, trickleMs);
        trickleMs = 0; // only the faulted reply itself is slowed down
        if (ready.closeAfter) {
            closeAfterFlush();
            break;
        }
    }
}

void ServerConnection::sendMessage(const QByteArray& json, int trickleMs)
{
    m_ctx.counters->repliesOut.fetch_add(1, std::memory_order_relaxed);
    if (m_transport == Transport::Lsp)
        write(LspFramer::frame(json), trickleMs);
    else if (trickleMs > 0)
        write(JsonStreamFramer::frame(json), trickleMs);
    else
        sendJsonLine(json);
}

// A reply and its newline without building a framed copy: appended to the coalesced output
// inside a read batch; outside one, small replies are framed (one send), large ones are sent
// as they are with the delimiter after them.
void ServerConnection::sendJsonLine(const QByteArray& json)
{
    if (m_inInput && json.size() < kCoalesceLimit && !m_trickle.isActive() &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        m_out.append(json).append('\n');
        if (m_out.size() >= kCoalesceLimit) {
            SocketWriter::write(m_socket, m_out);
            m_out.clear();
        }
        return;
    }
    if (json.size() < kCoalesceLimit) {
        write(JsonStreamFramer::frame(json));
        return;
    }
    write(json);
    write(QByteArrayLiteral("\n"));
}

// Fault injection: the peer sees the connection reset instead of a reply.
bool ServerConnection::applyDropFault(const DispatchReply& reply)
{
    if (!reply.dropConnection)
        return false;
    publish(Direction::Out, QByteArray(), reply.summary, -1);
    m_closing = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_socket->abort();
            emit finished();
        },
        Qt::QueuedConnection);
    return true;
}

void ServerConnection::write(const QByteArray& bytes, int trickleMs)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_trickle.isActive() || trickleMs > 0) {
        // Everything after a trickled reply waits for it, so replies never interleave.
        m_trickleQueue.push_back({bytes, trickleMs});
        if (!m_trickle.isActive())
            startNextTrickle();
        return;
    }
    if (m_inInput && bytes.size() < kCoalesceLimit) {
        m_out.append(bytes); // one socket write per read batch...
        if (m_out.size() >= kCoalesceLimit) {
            SocketWriter::write(m_socket, m_out); // ...unless that grows large
            m_out.clear();
        }
        return;
    }
    if (!m_out.isEmpty()) { // keep the order; large replies skip the coalescing copy
        SocketWriter::write(m_socket, m_out);
        m_out.clear();
    }
    SocketWriter::write(m_socket, bytes);
}

void ServerConnection::startNextTrickle()
{
    if (m_trickleQueue.empty()) {
        m_trickle.stop();
        return;
    }
    auto [bytes, ms] = std::move(m_trickleQueue.front());
    m_trickleQueue.pop_front();
    if (ms <= 0) {
        m_socket->write(bytes);
        startNextTrickle();
        return;
    }
    // About 20 pieces spread evenly over the requested time.
    m_tricklePending = bytes;
    m_trickleChunk = std::max<qsizetype>(1, (bytes.size() + 19) / 20);
    const qsizetype pieces = (bytes.size() + m_trickleChunk - 1) / m_trickleChunk;
    m_trickle.start(std::max(1, int(ms / std::max<qsizetype>(1, pieces))));
}

void ServerConnection::onTrickleTick()
{
    m_socket->write(m_tricklePending.left(m_trickleChunk));
    m_tricklePending.remove(0, m_trickleChunk);
    if (m_tricklePending.isEmpty())
        startNextTrickle();
}

void ServerConnection::flushOutput()
{
    if (!m_out.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState)
        SocketWriter::write(m_socket, m_out); // sent now, not on the next event-loop pass
    m_out.clear();
    if (m_closing)
        beginLingeringClose();
}

// Answers a limit or framing violation in the connection's own framing, then closes
// cleanly once the answer has been written.
void ServerConnection::failAndClose(int code, const QString& message, int httpStatus)
{
    if (m_closing)
        return;
    const DispatchReply reply = Dispatcher::errorReply(Dialect::JsonRpc2, code, message);
    if (m_transport == Transport::Http) {
        fillHttpSlot(m_httpReplies.reserve(), buildHttpResponse(httpStatus, reply.bytes, false), true);
    } else {
        sendMessage(reply.bytes);
        publish(Direction::Out, reply.bytes, reply.summary, -1);
    }
    closeAfterFlush();
}

void ServerConnection::closeAfterFlush()
{
    m_closing = true;
    m_idleTimer.stop();
    m_keepAliveTimer.stop();
    if (!m_inInput)
        beginLingeringClose();
}

// Closing a socket that still has unread input makes the kernel send a reset, which can
// destroy our last reply before the peer reads it (typical when the peer is still sending an
// oversized message). So: send everything, shut down our side, discard what the peer still
// sends, and close when it hangs up or after a grace period.
void ServerConnection::beginLingeringClose()
{
    if (m_lingering || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_socket->bytesToWrite() > 0 || m_trickle.isActive()) {
        m_closeWhenFlushed = true; // onBytesWritten comes back here
        return;
    }
    m_lingering = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_lingerTimer.start(kLingerMs);
    discardInput();
}

void ServerConnection::discardInput()
{
    while (m_socket->bytesAvailable() > 0)
        m_socket->skip(m_socket->bytesAvailable());
}

bool ServerConnection::hasPartialMessage() const
{
    if (m_jsonFramer)
        return m_jsonFramer->hasPartial();
    if (m_lspFramer)
        return m_lspFramer->hasPartial();
    if (m_httpParser)
        return m_httpParser->hasPartial();
    return !m_sniffBuffer.isEmpty();
}

void ServerConnection::updateIdleTimer()
{
    // The deadline runs from the first byte of a message and is not extended by later
    // bytes, so a peer trickling one byte per second cannot hold the connection forever.
    // Time spent paused by our own back-pressure is not the peer's fault.
    if (!hasPartialMessage() || m_closing || readingPaused())
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
    if (m_closing || m_lingering || m_inFlight > 0 || m_socket->bytesToWrite() > 0 || m_trickle.isActive() ||
        hasPartialMessage() || readingPaused())
        return;
    m_keepAliveTimer.stop();
    m_ctx.counters->idleClosedConnections.fetch_add(1, std::memory_order_relaxed);
    closeAfterFlush(); // nothing to flush: shuts our side down and waits briefly for the peer
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
                               qint64 latencyUs)
{
    if (!logging())
        return;
    TrafficBus* bus = m_ctx.bus.get();
    TrafficEvent e;
    e.timestampUs = nowUs();
    e.connectionId = m_id;
    e.peer = m_peer;
    e.side = Side::Server;
    e.direction = direction;
    e.transport = m_transport;
    e.summary = summary;
    e.raw = raw;
    e.latencyUs = latencyUs;
    bus->publish(std::move(e));
}

} // namespace rpcbench
