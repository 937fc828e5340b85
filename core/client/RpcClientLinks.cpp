// RpcClient, part 2: its connections (one shared, or one per classic call) and the routing of
// every reply to the call or batch it answers.

#include "client/ClientCodec.h"
#include "client/ClientConnection.h"
#include "client/RpcClientPrivate.h"
#include "util/JsonText.h"
#include "util/Log.h"
#include "util/MonotonicClock.h"
#include "wire/HttpTypes.h"

#include <algorithm>

namespace rpcbench {

// ---------------------------------------------------------------- connections

RpcClient::Link* RpcClient::link(quint64 linkId)
{
    const auto it = m_links.find(linkId);
    return it == m_links.end() ? nullptr : it->second.get();
}

quint64 RpcClient::sharedLinkId()
{
    if (m_sharedLinkId == 0) {
        m_sharedLinkId = newLink(true, false);
        setState(ClientState::Connecting, {});
    }
    return m_sharedLinkId;
}

quint64 RpcClient::newLink(bool shared, bool rawJson)
{
    // Unique in the process across clients and servers, so "#N" names one connection.
    const quint64 id = nextConnectionId();
    auto l = std::make_unique<Link>();
    l->shared = shared;
    l->conn = new ClientConnection(m_endpoint, id, rawJson, this);
    connect(l->conn, &ClientConnection::connected, this, [this, id] { onLinkConnected(id); });
    connect(l->conn, &ClientConnection::received, this,
            [this, id](const QByteArray& payload, int status, const QByteArray& reason, qint64 readUs) {
                onLinkReceived(id, payload, status, reason, readUs);
            });
    connect(l->conn, &ClientConnection::closed, this,
            [this, id](const QString& reason) { onLinkClosed(id, reason); });
    connect(l->conn, &ClientConnection::stderrLine, this,
            [this, id](const QByteArray& line) { onLinkStderr(id, line); });
    ClientConnection* conn = l->conn;
    m_links.emplace(id, std::move(l));
    qCDebug(lcClient).noquote() << "connection" << id << "opening to" << m_endpoint.toString();
    conn->open();
    return id;
}

void RpcClient::writePending(quint64 linkId, Pending* p)
{
    Link* l = link(linkId);
    // Stamped before the write, so the server can never have read it earlier.
    p->sentUs = MonotonicClock::nowUs();
    l->conn->send(p->payload);
    publish(linkId, Direction::Out, p->payload, p->sentUs, -1);
    const bool http = l->conn->endpoint().transport == Transport::Http;
    if (http)
        l->httpOrder.push_back(p->id);
    if (p->notification && !http)
        endSoon(p->id, CallStatus::Ok, {}); // nothing comes back; written is done
    else
        l->inflight.append(p->id);
}

void RpcClient::onLinkConnected(quint64 linkId)
{
    Link* l = link(linkId);
    if (!l)
        return;
    qCDebug(lcClient) << "connection" << linkId << "connected";
    l->connected = true;
    if (l->shared)
        setState(ClientState::Connected, {});
    // Per-call (classic) connections get no handshake: they carry one message.
    if (l->shared && !m_initSteps.isEmpty())
        startHandshake(linkId);
    else
        writeWaiting(linkId);
}

void RpcClient::writeWaiting(quint64 linkId)
{
    Link* l = link(linkId);
    if (!l)
        return;
    const QList<quint64> waiting = std::exchange(l->waiting, {});
    for (quint64 id : waiting) {
        const auto it = m_pending.find(id);
        if (it != m_pending.end() && link(linkId))
            writePending(linkId, it->second.get());
    }
}

void RpcClient::onLinkClosed(quint64 linkId, const QString& reason)
{
    Link* l = link(linkId);
    if (!l)
        return;
    qCDebug(lcClient).noquote() << "connection" << linkId << "closed:" << reason;
    if (l->initializing) { // the calls waiting for the handshake learn which step it broke
        failHandshake(linkId, reason);
        return;
    }
    m_lastCloseReason = reason;
    const bool shared = l->shared;
    const QList<quint64> affected = l->waiting + l->inflight;
    dropLink(linkId);
    for (quint64 id : affected) {
        const auto it = m_pending.find(id);
        if (it != m_pending.end())
            failPending(it->second.get(), CallStatus::TransportError, reason);
    }
    if (shared)
        setState(ClientState::Disconnected, reason);
}

void RpcClient::closeLinks(CallStatus status, const QString& reason)
{
    std::vector<quint64> ids;
    for (const auto& [id, l] : m_links)
        ids.push_back(id);
    for (quint64 linkId : ids) {
        Link* l = link(linkId);
        const QList<quint64> affected = l->waiting + l->inflight;
        dropLink(linkId);
        for (quint64 id : affected) {
            const auto it = m_pending.find(id);
            if (it != m_pending.end())
                failPending(it->second.get(), status, reason);
        }
    }
    setState(ClientState::Disconnected, {});
}

void RpcClient::dropLink(quint64 linkId)
{
    const auto it = m_links.find(linkId);
    if (it == m_links.end())
        return;
    // We may be inside one of its signals: silence it now, delete it later.
    it->second->conn->abort();
    it->second->conn->deleteLater();
    if (ClientConnection* answers = it->second->answers) {
        answers->close(); // answers already written still reach the server
        answers->deleteLater();
    }
    m_links.erase(it);
    endHeldOnLink(linkId);         // nothing can answer them any more
    m_timedOut.forgetLink(linkId); // no late reply can come on it any more
    if (linkId == m_sharedLinkId)
        m_sharedLinkId = 0;
}

void RpcClient::setState(ClientState state, const QString& reason)
{
    {
        QMutexLocker lock(&m_configMutex);
        if (m_state == state)
            return;
        m_state = state;
    }
    emit stateChanged(state, reason);
}

// ---------------------------------------------------------------- replies

namespace {

// The first non-empty line of an HTTP error body, trimmed to what fits in one log line.
QString firstBodyLine(const QByteArray& body)
{
    constexpr qsizetype maxChars = 200;
    for (QByteArrayView rest(body); !rest.isEmpty();) {
        const qsizetype nl = rest.indexOf('\n');
        const QByteArrayView line = (nl < 0 ? rest : rest.first(nl)).trimmed();
        rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
        if (line.isEmpty())
            continue;
        const QString text = QString::fromUtf8(line.first(qMin(line.size(), maxChars * 4)));
        return text.size() > maxChars ? text.first(maxChars) + QStringLiteral("...") : text;
    }
    return {};
}

// "HTTP 401 Unauthorized (authentication failed): invalid token": one line naming the status,
// calling out authentication, with what the server said.
QString httpFailure(int status, const QByteArray& reason, const QByteArray& body)
{
    QString text = QStringLiteral("HTTP %1 %2")
                       .arg(status)
                       .arg(QString::fromUtf8(reason.isEmpty() ? httpReasonPhrase(status) : reason));
    if (status == 401)
        text += QStringLiteral(" (authentication failed)");
    else if (status == 403)
        text += QStringLiteral(" (authentication failed: forbidden)");
    if (const QString line = firstBodyLine(body); !line.isEmpty())
        text += QStringLiteral(": ") + line;
    return text;
}

bool hasMethod(const QJsonValue& message)
{
    return message.isObject() && message.toObject().contains(QLatin1String("method"));
}

bool hasNullId(const QJsonValue& message)
{
    const QJsonValue id = message.toObject().value(QLatin1String("id"));
    return id.isNull() || id.isUndefined();
}

// A request or notification from the server, or a batch of nothing else: never a reply.
bool isServerMessage(const QJsonValue& message)
{
    if (!message.isArray())
        return hasMethod(message);
    const QJsonArray all = message.toArray();
    return !all.isEmpty() &&
           std::all_of(all.begin(), all.end(), [](const QJsonValue& v) { return hasMethod(v); });
}

QString idText(const QJsonValue& message)
{
    return QString::fromUtf8(JsonText::serialize(message.toObject().value(QLatin1String("id"))));
}

} // namespace

void RpcClient::onLinkReceived(quint64 linkId, const QByteArray& payload, int httpStatus,
                               const QByteArray& httpReason, qint64 readUs)
{
    Link* l = link(linkId);
    if (!l)
        return;
    const bool http = l->conn->endpoint().transport == Transport::Http;
    const bool empty = QByteArrayView(payload).trimmed().isEmpty();
    QString parseError;
    const auto message = empty && http ? std::nullopt : ClientCodec::parseReply(payload, &parseError);
    // The server's own messages answer nothing: they use up no HTTP answer (an event stream
    // brings them before the reply) and no classic connection.
    if (message && isServerMessage(*message)) {
        receiveIncoming(linkId, payload, *message, readUs);
        return;
    }
    quint64 owner = 0;
    if (http) {
        if (!l->httpOrder.empty()) {
            owner = l->httpOrder.front();
            l->httpOrder.pop_front();
        }
        const auto it = m_pending.find(owner);
        Pending* p = it == m_pending.end() ? nullptr : it->second.get();
        if (empty) {
            // No body: what notifications get; a call got nothing.
            if (p && p->notification && !p->isBatch)
                endNow(owner, CallStatus::Ok, {});
            else if (p && p->isBatch && httpStatus < 400)
                completeBatch(p, payload, QJsonArray(), readUs);
            else if (p)
                failPending(p, httpStatus == 200 ? CallStatus::NoReply : CallStatus::TransportError,
                            httpStatus == 200 ? QStringLiteral("no reply (empty HTTP body)")
                                              : httpFailure(httpStatus, httpReason, payload));
            return;
        }
        // An error status fails the call unless its body is a JSON-RPC reply (servers answer
        // errors with 400/500 and the error object), which says more. Authentication is always
        // called out: its body is the gateway's, not the service's.
        const bool authFailure = httpStatus == 401 || httpStatus == 403;
        if (authFailure || (httpStatus != 200 && !message)) {
            publish(linkId, Direction::In, payload, readUs, -1);
            if (p)
                failPending(p, CallStatus::TransportError, httpFailure(httpStatus, httpReason, payload));
            return;
        }
    } else if (!l->shared && !l->inflight.isEmpty()) {
        owner = l->inflight.first(); // a per-call connection: its one call
    }
    handleReply(linkId, payload, message, parseError, owner, readUs);
    // A classic server answers once: never reuse its connection.
    if (Link* after = link(linkId); after && !after->shared)
        dropLink(linkId);
}

void RpcClient::onLinkStderr(quint64 linkId, const QByteArray& line)
{
    qCDebug(lcClient).noquote() << "connection" << linkId << "stderr:" << QString::fromUtf8(line);
    TrafficEvent ev;
    ev.kind = TrafficEvent::Kind::Stderr;
    ev.timestampUs = MonotonicClock::nowUs();
    ev.direction = Direction::In;
    ev.raw = line;
    publishEvent(linkId, std::move(ev));
}

void RpcClient::handleReply(quint64 linkId, const QByteArray& payload, const std::optional<QJsonValue>& reply,
                            const QString& parseError, quint64 owner, qint64 readUs)
{
    if (!reply) {
        publish(linkId, Direction::In, payload, readUs, -1);
        if (owner != 0) {
            endNow(owner, CallStatus::TransportError, parseError);
            return;
        }
        // On a shared stream a broken message leaves no way to find the next one's start:
        // everything in flight there fails and the connection is dropped.
        onLinkClosed(linkId, parseError);
        return;
    }
    if (reply->isArray())
        handleArrayReply(linkId, payload, *reply, owner, readUs);
    else
        handleObjectReply(linkId, payload, *reply, owner, readUs);
}

void RpcClient::receiveIncoming(quint64 linkId, const QByteArray& payload, const QJsonValue& message,
                                qint64 readUs, bool answer)
{
    qCDebug(lcClient).noquote() << "connection" << linkId << "incoming:" << payload.left(200);
    publish(linkId, Direction::In, payload, readUs, -1, false, message);
    emit incoming(linkId, payload);
    if (answer && link(linkId))
        answerIncoming(linkId, message);
}

// Owner of a reply that carries no usable id (classic, or an error with id null).
quint64 RpcClient::fallbackOwner(quint64 linkId, quint64 owner, bool wantBatch) const
{
    if (owner != 0)
        return owner;
    const auto it = m_links.find(linkId);
    if (it == m_links.end())
        return 0;
    for (quint64 id : it->second->inflight) {
        const auto p = m_pending.find(id);
        if (p != m_pending.end() && p->second->isBatch == wantBatch)
            return id;
    }
    return 0;
}

quint64 RpcClient::callForKey(qint64 key) const
{
    const auto it = m_byJsonId.find(key);
    return it != m_byJsonId.end() ? it->second : m_timedOut.callForKey(key);
}

void RpcClient::handleObjectReply(quint64 linkId, const QByteArray& payload, const QJsonValue& reply,
                                  quint64 owner, qint64 readUs)
{
    const Link* l = link(linkId);
    quint64 callId = 0;
    if (owner != 0 && l && !l->shared) {
        callId = owner; // classic: the first value on its own connection is the reply
    } else if (hasNullId(reply)) {
        callId = fallbackOwner(linkId, owner, false);
        if (callId == 0)
            callId = fallbackOwner(linkId, owner, true); // one error for a whole batch
    } else if (const auto key = ClientCodec::idKey(reply.toObject().value(QLatin1String("id")))) {
        callId = callForKey(*key);
    }
    deliverReply(linkId, callId, payload, reply, readUs);
}

void RpcClient::handleArrayReply(quint64 linkId, const QByteArray& payload, const QJsonValue& reply,
                                 quint64 owner, qint64 readUs)
{
    // The server's own messages mixed in with the replies: each is shown on its own.
    const QJsonArray all = reply.toArray();
    const auto requestCount =
        std::count_if(all.begin(), all.end(), [](const QJsonValue& v) { return hasMethod(v); });
    QJsonArray replies = all; // shared, not copied, unless the server mixed its messages in
    if (requestCount > 0) {
        replies = {};
        QJsonArray serverMessages; // answered together, as the batch they came in
        for (const QJsonValue& element : all) {
            if (hasMethod(element)) {
                receiveIncoming(linkId, JsonText::compact(element), element, readUs, false);
                serverMessages.append(element);
            } else {
                replies.append(element);
            }
        }
        if (link(linkId))
            answerIncoming(linkId, serverMessages);
    }
    const QByteArray rest = requestCount > 0 ? JsonText::compact(replies) : payload;
    bool nullIdsOnly = true;
    quint64 batchId = 0;
    for (const QJsonValue& element : std::as_const(replies)) {
        const auto key = ClientCodec::idKey(element.toObject().value(QLatin1String("id")));
        batchId = key ? callForKey(*key) : 0;
        if (batchId != 0)
            break;
        nullIdsOnly = nullIdsOnly && hasNullId(element);
    }
    if (batchId == 0 && nullIdsOnly)
        batchId = fallbackOwner(linkId, owner, true);
    deliverReply(linkId, batchId, rest, QJsonValue(replies), readUs);
}

void RpcClient::deliverReply(quint64 linkId, quint64 callId, const QByteArray& payload,
                             const QJsonValue& reply, qint64 readUs)
{
    const auto it = m_pending.find(callId);
    if (it == m_pending.end()) {
        if (const auto late = m_timedOut.take(callId)) {
            if (late->cancelled) { // expected, and of no interest any more
                publish(linkId, Direction::In, payload, readUs, readUs - late->sentUs, false, reply);
                return;
            }
            const qint64 latencyUs = readUs - late->sentUs;
            publish(linkId, Direction::In, payload, readUs, latencyUs, true, reply);
            emit lateReply(callId, latencyUs);
            return;
        }
        // Not ours: whatever is in flight keeps waiting.
        const QString what = reply.isArray() ? QStringLiteral("none of its ids matches a")
                                             : QStringLiteral("id %1 matches no").arg(idText(reply));
        qCWarning(lcClient).noquote()
            << QStringLiteral("connection %1: foreign reply (%2 call in flight), ignored")
                   .arg(linkId)
                   .arg(what);
        publish(linkId, Direction::In, payload, readUs, -1, false, reply);
        return;
    }
    Pending* p = it->second.get();
    publish(linkId, Direction::In, payload, readUs, p->sentUs ? readUs - p->sentUs : -1, false, reply);
    if (p->isBatch)
        completeBatch(p, payload, reply, readUs);
    else
        completeCall(p, payload, reply, readUs); // an array for a single call is reported as malformed
}

void RpcClient::completeCall(Pending* p, const QByteArray& payload, const QJsonValue& reply, qint64 readUs)
{
    CallResult r;
    decodeReply(reply, r);
    r.latencyUs = readUs - p->sentUs;
    r.replyBytes = payload;
    r.replySize = payload.size();
    finish(p, std::move(r));
}

void RpcClient::completeBatch(Pending* p, const QByteArray& payload, const QJsonValue& reply, qint64 readUs)
{
    BatchResult b;
    b.status = CallStatus::Ok;
    b.latencyUs = readUs - p->sentUs;
    b.replyBytes = payload;
    b.replySize = payload.size();
    b.items = p->items;
    if (reply.isObject()) { // the server rejected the batch as a whole
        CallResult whole;
        decodeReply(reply, whole);
        b.status = whole.status == CallStatus::Ok ? CallStatus::TransportError : whole.status;
        b.error = whole.error;
        b.transportError = whole.status == CallStatus::Ok
                               ? QStringLiteral("malformed reply: a single result for a batch")
                               : whole.transportError;
        for (CallResult& item : b.items) {
            item.status = b.status;
            item.error = b.error;
            item.transportError = b.transportError;
        }
        finish(p, std::move(b));
        return;
    }
    QList<bool> answered(b.items.size(), false);
    QJsonArray unmatched; // replies with id null: given to unanswered requests in order
    for (const QJsonValue& element : reply.toArray()) {
        const auto key = ClientCodec::idKey(element.toObject().value(QLatin1String("id")));
        qsizetype index = -1;
        for (qsizetype i = 0; key && i < b.items.size(); ++i)
            if (!b.items.at(i).notification && b.items.at(i).id.toInteger() == *key)
                index = i;
        if (index < 0 || answered.at(index)) {
            if (hasNullId(element)) // a foreign id answers none of ours
                unmatched.append(element);
            continue;
        }
        decodeReply(element, b.items[index]);
        b.items[index].replyBytes = JsonText::compact(element);
        b.items[index].replySize = b.items[index].replyBytes.size();
        b.items[index].latencyUs = b.latencyUs;
        answered[index] = true;
    }
    for (qsizetype i = 0; i < b.items.size(); ++i) {
        CallResult& item = b.items[i];
        if (item.notification) {
            item.status = CallStatus::Ok;
        } else if (!answered.at(i) && !unmatched.isEmpty()) {
            const QJsonValue element = unmatched.takeAt(0);
            decodeReply(element, item);
            item.replyBytes = JsonText::compact(element);
            item.replySize = item.replyBytes.size();
        } else if (!answered.at(i)) {
            item.status = CallStatus::NoReply;
            item.transportError = QStringLiteral("no reply for this request");
        }
    }
    finish(p, std::move(b));
}

} // namespace rpcbench
