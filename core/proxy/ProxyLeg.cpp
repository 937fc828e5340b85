#include "proxy/ProxyLeg.h"

#include "client/ClientConnection.h"
#include "dispatch/FaultInjector.h"
#include "dispatch/PeerLink.h"
#include "traffic/SummarizeMessage.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEvent.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace rpcbench {

namespace {

// How long a leg whose client has closed still waits for the replies to its calls in flight
// (they are logged, not delivered) before it closes the upstream connection anyway.
constexpr int kLastRepliesWaitMs = 30'000;

bool isRequest(const MessageSummary& s)
{
    return s.kind == MessageKind::Request;
}

bool isReply(const MessageSummary& s)
{
    return s.kind == MessageKind::Response || s.kind == MessageKind::Error;
}

// The summary a reply is logged with: none for no reply (dropped), `given` when the caller had
// one already (read off the upstream's bytes), else read off the bytes (an edit, a local error).
MessageSummary replySummary(const QByteArray& bytes, MessageSummary given)
{
    if (bytes.isEmpty())
        return {};
    const bool unset = given.kind == MessageKind::Invalid && given.method.isEmpty() && given.idJson.isEmpty();
    return unset ? summarizeMessage(bytes) : given;
}

// The ids of the requests in a batch (notifications and replies have none to wait for).
QList<QByteArray> batchRequestIds(const QByteArray& json)
{
    QList<QByteArray> ids;
    const QJsonArray batch = QJsonDocument::fromJson(json).array();
    for (const QJsonValue& v : batch) {
        const QJsonObject o = v.toObject();
        if (o.contains(u"method") && o.contains(u"id"))
            ids << JsonText::compact(o.value(u"id"));
    }
    return ids;
}

// The id of a batch reply's first element that has one.
QByteArray firstReplyId(const QByteArray& json)
{
    const QJsonArray batch = QJsonDocument::fromJson(json).array();
    for (const QJsonValue& v : batch) {
        const QJsonObject o = v.toObject();
        if (o.contains(u"id") && !o.value(u"id").isNull())
            return JsonText::compact(o.value(u"id"));
    }
    return {};
}

// A reply the proxy makes itself (an injected error, an unreachable upstream), with the
// request's id so the client can match it.
QByteArray localError(const QByteArray& idJson, int code, const QString& message)
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    QByteArray out = "{\"jsonrpc\":\"2.0\",\"id\":";
    out += idJson.isEmpty() ? QByteArray("null") : idJson;
    out += ",\"error\":";
    out += JsonText::compact(error);
    out += '}';
    return out;
}

QByteArray withWrongId(const QByteArray& json, const QByteArray& idJson)
{
    QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty())
        return json;
    const QByteArray wrong = FaultInjector::wrongId(idJson.isEmpty() ? QByteArray("null") : idJson);
    o.insert(QStringLiteral("id"), QJsonDocument::fromJson("[" + wrong + "]").array().at(0));
    return JsonText::compact(o);
}

} // namespace

ProxyLeg::ProxyLeg(const ProxyRelayOptions& options, std::shared_ptr<PeerLink> client, quint64 connectionId)
    : m_options(options), m_client(std::move(client)), m_connectionId(connectionId)
{
    openUpstream();
}

ProxyLeg::~ProxyLeg() = default;

void ProxyLeg::openUpstream()
{
    m_upstream = new ClientConnection(m_options.upstream, nextConnectionId(), false, this);
    connect(m_upstream, &ClientConnection::connected, this, &ProxyLeg::onUpstreamConnected);
    connect(m_upstream, &ClientConnection::received, this, &ProxyLeg::onUpstreamReceived);
    connect(m_upstream, &ClientConnection::closed, this, &ProxyLeg::onUpstreamClosed);
    m_upstream->open();
}

void ProxyLeg::fromClient(const QByteArray& raw, QObject* context, MessageHandler::ReplyCallback done,
                          MessageSummary* summary)
{
    // The message may point into the connection's read buffer: it must outlive this call.
    const QByteArray json(raw.constData(), raw.size());
    *summary = summarizeMessage(json);
    const MessageSummary s = *summary;
    PendingPtr pending;
    if (isRequest(s) || s.kind == MessageKind::Batch) {
        pending = std::make_shared<Pending>();
        pending->method = s.method;
        pending->idJson = s.idJson;
        pending->receivedUs = nowUs();
        if (s.kind == MessageKind::Batch)
            pending->batchIds = batchRequestIds(json);
        if (s.kind == MessageKind::Batch && pending->batchIds.isEmpty())
            pending.reset(); // only notifications and replies: nothing comes back
    }
    if (!pending) {
        done(DispatchReply{}); // notifications, replies to the server, invalid messages: no answer here
    } else {
        pending->done = std::move(done);
        pending->context = context;
        if (isRequest(s))
            pending->fault = m_options.faults->activeFor(s.method);
    }
    if (m_upstreamGone) {
        if (pending)
            deliverReply(pending, localError(s.idJson, ErrorCode::ServerError, m_goneReason), {}, -1);
        return;
    }
    if (m_options.intercept && isRequest(s) == true && m_options.intercept->shouldHold(s.method, true)) {
        hold(json, s, pending, true);
        return;
    }
    if (m_options.intercept && s.kind == MessageKind::Notification &&
        m_options.intercept->shouldHold(s.method, true)) {
        hold(json, s, pending, true);
        return;
    }
    forwardFromClient(json, s, pending);
}

void ProxyLeg::hold(const QByteArray& json, const MessageSummary& summary, const PendingPtr& pending,
                    bool toServer)
{
    HeldMessage message;
    message.connectionId = m_connectionId;
    message.toServer = toServer;
    message.json = json;
    message.summary = summary;
    message.proxy = m_options.name;
    if (!toServer && pending)
        message.requestMethod = pending->method; // a reply: what it answers
    m_options.intercept->hold(message, this, [this, pending, toServer](const InterceptDecision& d) {
        resume(d, pending, toServer);
    });
}

void ProxyLeg::resume(const InterceptDecision& d, const PendingPtr& pending, bool toServer)
{
    using Action = InterceptDecision::Action;
    if (toServer) {
        if (d.action == Action::Forward) {
            MessageSummary s = summarizeMessage(d.json);
            if (pending && isRequest(s))
                pending->idJson = s.idJson; // the edit may have changed the id the reply will carry
            forwardFromClient(d.json, s, pending);
        } else if (pending) {
            deliverReply(pending, d.action == Action::Answer ? d.json : QByteArray(), {}, -1);
        }
        return;
    }
    // Towards the client: a reply (pending set), or the server's own request or notification.
    if (d.action == Action::Forward) {
        if (pending)
            deliverReply(pending, d.json, summarizeMessage(d.json), -1);
        else
            toClient(d.json, summarizeMessage(d.json));
    } else if (d.action == Action::Answer) {
        sendUpstream(d.json); // our answer to the server's request; the client never sees it
    } else if (pending) {
        deliverReply(pending, {}, {}, -1);
    }
}

void ProxyLeg::forwardFromClient(const QByteArray& json, const MessageSummary& summary, PendingPtr pending)
{
    if (pending && pending->fault && FaultInjector::rollError(*pending->fault)) {
        const RpcResult e = FaultInjector::injectedError(*pending->fault);
        QByteArray reply = localError(summary.idJson, e.error.code, e.error.message);
        MessageSummary rs = summarizeMessage(reply);
        rs.faulted = true;
        deliverReply(pending, reply, rs, -1, true);
        return;
    }
    if (pending) {
        pending->sentUs = nowUs();
        registerPending(pending);
    }
    sendUpstream(json);
}

void ProxyLeg::registerPending(const PendingPtr& pending)
{
    if (pending->batchIds.isEmpty()) {
        m_pending[pending->idJson].push_back(pending);
        return;
    }
    for (const QByteArray& id : pending->batchIds)
        m_pending[id].push_back(pending);
}

ProxyLeg::PendingPtr ProxyLeg::takePending(const QByteArray& idJson)
{
    auto it = m_pending.find(idJson);
    if (it == m_pending.end() && (idJson.isEmpty() || idJson == "null") && m_pending.size() == 1)
        it = m_pending.begin(); // a reply without a usable id (classic, parse errors): the only one waiting
    if (it == m_pending.end())
        return {};
    PendingPtr pending = it->second.front();
    it->second.pop_front();
    if (it->second.empty())
        m_pending.erase(it);
    for (const QByteArray& id : pending->batchIds) { // a batch waits under each of its ids
        const auto other = m_pending.find(id);
        if (other == m_pending.end())
            continue;
        std::erase(other->second, pending);
        if (other->second.empty())
            m_pending.erase(other);
    }
    return pending;
}

void ProxyLeg::sendUpstream(const QByteArray& json)
{
    if (m_upstreamOpen)
        m_upstream->send(json);
    else if (!m_upstreamGone)
        m_queued.push_back(json);
}

void ProxyLeg::onUpstreamConnected()
{
    m_upstreamOpen = true;
    while (!m_queued.empty()) {
        m_upstream->send(m_queued.front());
        m_queued.pop_front();
    }
    finishIfDone();
}

void ProxyLeg::onUpstreamReceived(const QByteArray& payload, int httpStatus, const QByteArray& httpReason,
                                  qint64 readTimeUs)
{
    if (payload.trimmed().isEmpty())
        return; // HTTP 202/204: a notification or reply was taken
    MessageSummary s = summarizeMessage(payload);
    if (s.kind == MessageKind::Invalid && httpStatus >= 300) {
        // Not JSON-RPC (a proxy's or gateway's error page): the oldest waiting call gets it as an error.
        if (!m_pending.empty()) {
            const PendingPtr p = takePending(m_pending.begin()->first);
            const QString text =
                QStringLiteral("upstream answered HTTP %1 %2: %3")
                    .arg(httpStatus)
                    .arg(QString::fromUtf8(httpReason), QString::fromUtf8(payload.left(200)));
            deliverReply(p, localError(p->idJson, ErrorCode::ServerError, text), {}, readTimeUs);
        }
    } else {
        fromUpstream(payload, s, readTimeUs);
    }
    finishIfDone(); // the client gone: that may have been the last reply it waited for
}

void ProxyLeg::fromUpstream(const QByteArray& json, const MessageSummary& s, qint64 readTimeUs)
{
    PendingPtr pending;
    if (isReply(s))
        pending = takePending(s.idJson);
    else if (s.kind == MessageKind::Batch)
        pending = takePending(firstReplyId(json));
    const QString method = pending ? pending->method : s.method;
    // Nobody could decide about a message whose client is gone: it is not held.
    if (m_options.intercept && !m_clientGone && (pending || !s.method.isEmpty()) &&
        m_options.intercept->shouldHold(method, false)) {
        hold(json, s, pending, false);
        return;
    }
    if (pending)
        deliverReply(pending, json, s, readTimeUs);
    else
        toClient(json, s);
}

// Answers the client's request: the upstream's reply (or one the proxy made), with the
// request's faults applied.
void ProxyLeg::deliverReply(const PendingPtr& pending, QByteArray json, MessageSummary summary,
                            qint64 readTimeUs, bool alreadyFaulted)
{
    DispatchReply reply;
    reply.bytes = std::move(json);
    reply.summary = replySummary(reply.bytes, std::move(summary));
    if (readTimeUs > 0 && pending->sentUs > 0)
        reply.upstreamUs = readTimeUs - pending->sentUs;
    int delayMs = 0;
    if (pending->fault && !alreadyFaulted && !reply.bytes.isEmpty()) {
        const FaultSettings& f = *pending->fault;
        bool faulted = false;
        if (f.wrongId) {
            reply.bytes = withWrongId(reply.bytes, pending->idJson);
            faulted = true;
        }
        FaultInjector::applyToReply(reply, f, faulted);
        if (faulted)
            reply.summary.faulted = true;
        if (f.hasLatency()) {
            delayMs = FaultInjector::latencyMs(f);
            reply.summary.faulted = true;
        }
    }
    if (m_clientGone) {
        logUndelivered(*pending, reply);
        return;
    }
    if (!pending->context || !pending->done)
        return;
    MessageHandler::ReplyCallback done = std::exchange(pending->done, {});
    if (delayMs <= 0) {
        done(std::move(reply));
        return;
    }
    QTimer::singleShot(
        delayMs, Qt::PreciseTimer, pending->context.data(),
        [done = std::move(done), reply = std::move(reply)]() mutable { done(std::move(reply)); });
}

void ProxyLeg::toClient(const QByteArray& json, const MessageSummary& summary)
{
    if (m_clientGone)
        return;
    if (!m_client->send(json, summary) && m_options.notice)
        m_options.notice(QStringLiteral("connection #%1: a %2 from the upstream could not be delivered: the "
                                        "client's connection cannot carry messages from the server (HTTP "
                                        "without an event stream)")
                             .arg(m_connectionId)
                             .arg(summary.method.isEmpty() ? QStringLiteral("reply") : summary.method));
}

// The row the client's connection would have logged had it still been there (its latency runs
// from when the leg took the request, a hair after the connection read it).
void ProxyLeg::logUndelivered(const Pending& pending, const DispatchReply& reply)
{
    if (reply.bytes.isEmpty())
        return;
    ++m_undelivered;
    if (!m_options.bus || !m_options.bus->isEnabled())
        return;
    TrafficEvent e;
    e.timestampUs = nowUs();
    e.connectionId = m_connectionId;
    e.side = Side::Proxy;
    e.direction = Direction::Out;
    e.summary = reply.summary;
    e.raw = reply.bytes;
    e.latencyUs = pending.receivedUs > 0 ? e.timestampUs - pending.receivedUs : -1;
    e.upstreamUs = reply.upstreamUs;
    m_options.bus->publish(std::move(e));
}

void ProxyLeg::onUpstreamClosed(const QString& reason)
{
    const bool wasOpen = m_upstreamOpen;
    m_upstreamOpen = false;
    m_upstreamGone = true;
    m_goneReason = wasOpen ? QStringLiteral("rpcbench proxy: the upstream %1 closed: %2")
                                 .arg(m_options.upstream.toString(), reason)
                           : QStringLiteral("rpcbench proxy: cannot reach the upstream %1: %2")
                                 .arg(m_options.upstream.toString(), reason);
    m_queued.clear();
    if (m_options.notice && !m_clientGone)
        m_options.notice(QStringLiteral("connection #%1: %2").arg(m_connectionId).arg(m_goneReason));
    failPending(m_goneReason);
    if (!m_clientGone)
        m_client->close(); // after what is already queued for it
    finishIfDone();
}

void ProxyLeg::failPending(const QString& reason)
{
    while (!m_pending.empty()) {
        const PendingPtr p = takePending(m_pending.begin()->first);
        deliverReply(p, localError(p->idJson, ErrorCode::ServerError, reason), {}, -1, true);
    }
}

void ProxyLeg::clientClosed()
{
    m_clientGone = true;
    if (m_options.intercept)
        m_options.intercept->discardConnection(m_connectionId);
    finishIfDone();
}

// Once the client is gone, the upstream has everything it sent and has answered every call
// (or the wait for that ran out), the upstream connection is closed in order (queued bytes
// first) and the leg goes.
void ProxyLeg::finishIfDone()
{
    if (!m_clientGone)
        return;
    if (m_upstreamOpen && !m_pending.empty()) {
        if (!std::exchange(m_waitArmed, true))
            QTimer::singleShot(kLastRepliesWaitMs, this, &ProxyLeg::giveUpWaiting);
        return;
    }
    if (m_undelivered > 0 && m_options.notice) {
        m_options.notice(QStringLiteral("connection #%1 had closed when the upstream answered %2 of its "
                                        "calls: the replies are logged, not delivered")
                             .arg(m_connectionId)
                             .arg(std::exchange(m_undelivered, 0)));
    }
    if (m_upstreamOpen && m_queued.empty()) {
        m_upstream->close();
        m_upstreamOpen = false;
        m_upstreamGone = true;
    }
    if (m_upstreamGone)
        deleteLater();
}

void ProxyLeg::giveUpWaiting()
{
    if (m_pending.empty())
        return;
    if (m_options.notice)
        m_options.notice(QStringLiteral("connection #%1: the upstream did not answer %2 calls within %3 s of "
                                        "the client closing: closing it")
                             .arg(m_connectionId)
                             .arg(m_pending.size())
                             .arg(kLastRepliesWaitMs / 1000));
    m_pending.clear();
    finishIfDone();
}

} // namespace rpcbench
