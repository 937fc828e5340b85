#include "client/RpcClientPrivate.h"

#include "client/ClientCodec.h"
#include "client/ClientConnection.h"
#include "client/MethodDiscovery.h"
#include "dispatch/Dispatcher.h"
#include "protocol/MessageSummaries.h"
#include "traffic/SummarizeMessage.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QThread>
#include <QTimerEvent>

namespace rpcbench {

RpcClient::RpcClient(QObject* parent) : QObject(parent)
{
    registerClientMetaTypes();
}

RpcClient::RpcClient(const Endpoint& endpoint, Dialect dialect, QObject* parent) : RpcClient(parent)
{
    m_requestedEndpoint = endpoint;
    m_endpoint = endpoint;
    m_dialect = dialect;
}

RpcClient::~RpcClient()
{
    for (auto& [id, link] : m_links)
        delete link->conn; // same thread as us (children die with us anyway)
}

// ---------------------------------------------------------------- configuration

void RpcClient::setEndpoint(const Endpoint& endpoint)
{
    {
        QMutexLocker lock(&m_configMutex);
        m_requestedEndpoint = endpoint;
    }
    post([this, endpoint] { applyEndpoint(endpoint); });
}

bool RpcClient::setUrl(const QString& url, QString* error)
{
    const auto ep = Endpoint::parse(url, error);
    if (!ep)
        return false;
    setEndpoint(*ep);
    return true;
}

void RpcClient::setDialect(Dialect dialect)
{
    QMutexLocker lock(&m_configMutex);
    m_dialect = dialect;
}

Endpoint RpcClient::endpoint() const
{
    QMutexLocker lock(&m_configMutex);
    return m_requestedEndpoint;
}

Dialect RpcClient::dialect() const
{
    QMutexLocker lock(&m_configMutex);
    return m_dialect;
}

void RpcClient::setTrafficBus(std::shared_ptr<TrafficBus> bus)
{
    m_bus = std::move(bus);
}

ClientState RpcClient::state() const
{
    QMutexLocker lock(&m_configMutex);
    return m_state;
}

int RpcClient::pendingCount() const
{
    return m_pendingCount.load();
}

// ---------------------------------------------------------------- entry points (any thread)

quint64 RpcClient::allocateIds(quint64 count)
{
    return m_nextId.fetch_add(count);
}

void RpcClient::post(std::function<void()> work)
{
    if (QThread::currentThread() == thread())
        work();
    else
        QMetaObject::invokeMethod(this, std::move(work), Qt::QueuedConnection);
}

quint64 RpcClient::call(const CallRequest& request)
{
    const quint64 id = allocateIds(1);
    const Dialect d = dialect();
    ++m_pendingCount;
    post([this, id, request, d] { startCall(id, request, d, nullptr); });
    return id;
}

quint64 RpcClient::call(const QString& method, const QJsonValue& params, int timeoutMs)
{
    CallRequest r;
    r.method = method;
    r.params = params;
    r.timeoutMs = timeoutMs;
    return call(r);
}

quint64 RpcClient::notify(const QString& method, const QJsonValue& params)
{
    CallRequest r;
    r.method = method;
    r.params = params;
    r.notification = true;
    return call(r);
}

quint64 RpcClient::batch(const QList<CallRequest>& requests, int timeoutMs)
{
    // The batch id and one JSON-RPC id per request, all from the same counter.
    const quint64 id = allocateIds(quint64(requests.size()) + 1);
    const Dialect d = dialect();
    ++m_pendingCount;
    post([this, id, requests, timeoutMs, d] { startBatch(id, requests, timeoutMs, d); });
    return id;
}

void RpcClient::cancel(quint64 callId)
{
    post([this, callId] {
        rememberUnanswered(callId, true);
        endNow(callId, CallStatus::Cancelled, QStringLiteral("cancelled"));
    });
}

quint64 RpcClient::discover(int timeoutMs)
{
    const quint64 id = allocateIds(1);
    const Dialect d = dialect();
    post([this, id, timeoutMs, d] { startDiscovery(id, timeoutMs, d); });
    return id;
}

void RpcClient::connectToServer()
{
    const Dialect d = dialect();
    post([this, d] {
        if (!m_endpoint.isValid() || (d == Dialect::Classic && m_endpoint.transport != Transport::Http))
            return;
        sharedLinkId();
    });
}

void RpcClient::disconnectFromServer()
{
    post([this] { closeLinks(CallStatus::Cancelled, QStringLiteral("cancelled: disconnected")); });
}

// ---------------------------------------------------------------- client-thread work

void RpcClient::startCall(quint64 callId, CallRequest request, Dialect dialect, Callback callback,
                          bool handshake)
{
    auto p = std::make_unique<Pending>();
    p->id = callId;
    p->method = request.method;
    p->notification = request.notification;
    p->timeoutMs = request.timeoutMs;
    p->callback = std::move(callback);
    p->handshake = handshake;
    rememberProgressTokens(p.get(), request);
    QString error;
    const auto obj = ClientCodec::buildRequest(dialect, request, qint64(callId), &error);
    if (obj) {
        p->payload = JsonText::compact(*obj);
        if (dialect != Dialect::Classic && !request.notification) {
            p->jsonId = qint64(callId);
            p->idKeys.append(qint64(callId));
        }
    }
    if (!addPending(std::move(p), dialect))
        return;
    if (!obj)
        endSoon(callId, CallStatus::TransportError, QStringLiteral("request not sent: ") + error);
}

void RpcClient::startBatch(quint64 batchId, QList<CallRequest> requests, int timeoutMs, Dialect dialect)
{
    auto p = std::make_unique<Pending>();
    p->id = batchId;
    p->isBatch = true;
    p->notification = true;
    p->timeoutMs = timeoutMs;
    QString error;
    if (dialect == Dialect::Classic)
        error = QStringLiteral("the classic dialect has no batches");
    else if (requests.isEmpty())
        error = QStringLiteral("empty batch");
    QJsonArray array;
    for (qsizetype i = 0; i < requests.size() && error.isEmpty(); ++i) {
        const CallRequest& r = requests.at(i);
        const qint64 jsonId = qint64(batchId + 1 + quint64(i));
        QString itemError;
        const auto obj = ClientCodec::buildRequest(dialect, r, jsonId, &itemError);
        if (!obj) {
            error = QStringLiteral("batch item %1 (%2): %3").arg(i + 1).arg(r.method, itemError);
            break;
        }
        CallResult item;
        item.callId = quint64(jsonId);
        item.method = r.method;
        item.notification = r.notification;
        item.requestBytes = JsonText::compact(*obj);
        if (!r.notification) {
            item.id = jsonId;
            p->idKeys.append(jsonId);
            p->notification = false;
        }
        p->items.append(item);
        array.append(*obj);
    }
    p->payload = JsonText::compact(array);
    if (!addPending(std::move(p), dialect))
        return;
    if (!error.isEmpty())
        endSoon(batchId, CallStatus::TransportError, QStringLiteral("batch not sent: ") + error);
}

// Registers the pending call, arms its timeout and hands it to a connection. Returns false
// when it could not be queued (it then ends soon with a transport error).
bool RpcClient::addPending(std::unique_ptr<Pending> pending, Dialect dialect)
{
    Pending* p = pending.get();
    const quint64 id = p->id;
    m_pending.emplace(id, std::move(pending));
    for (qint64 key : p->idKeys)
        m_byJsonId[key] = id;
    if (p->timeoutMs > 0) {
        p->timerId = startTimer(p->timeoutMs, Qt::PreciseTimer);
        m_byTimer[p->timerId] = id;
    }
    if (p->payload.isEmpty())
        return true; // encoding failed; the caller reports why
    if (!m_endpoint.isValid()) {
        endSoon(id, CallStatus::TransportError, QStringLiteral("no server URL set"));
        return false;
    }
    // Classic servers read one message per connection, so without a framing that keeps
    // messages apart (HTTP), each classic call gets a connection of its own.
    const bool perCall = dialect == Dialect::Classic && m_endpoint.transport != Transport::Http;
    const quint64 linkId = perCall ? newLink(false, true) : sharedLinkId();
    Link* l = link(linkId);
    if (!l) { // the channel failed inside open() (the ByteChannel contract allows it)
        endSoon(id, CallStatus::TransportError, m_lastCloseReason);
        return false;
    }
    p->linkId = linkId;
    if (l->connected && (!l->initializing || p->handshake))
        writePending(linkId, p);
    else
        l->waiting.append(id);
    return true;
}

void RpcClient::startDiscovery(quint64 requestId, int timeoutMs, Dialect dialect)
{
    auto caller = [this, dialect](const CallRequest& request, DiscoveryJob::Reply reply) {
        ++m_pendingCount;
        startCall(allocateIds(1), request, dialect, std::move(reply));
    };
    DiscoveryJob::start(caller, timeoutMs,
                        [this, requestId](const DiscoveryResult& r) { emit discovered(requestId, r); });
}

void RpcClient::applyEndpoint(const Endpoint& endpoint)
{
    closeLinks(CallStatus::Cancelled, QStringLiteral("cancelled: server URL changed"));
    m_endpoint = endpoint;
}

void RpcClient::endSoon(quint64 callId, CallStatus status, const QString& reason)
{
    // Never emit from inside an entry point: the caller has not seen the id yet.
    QMetaObject::invokeMethod(
        this, [this, callId, status, reason] { endNow(callId, status, reason); }, Qt::QueuedConnection);
}

void RpcClient::endNow(quint64 callId, CallStatus status, const QString& reason)
{
    const auto it = m_pending.find(callId);
    if (it == m_pending.end())
        return;
    Pending* p = it->second.get();
    const quint64 linkId = p->linkId;
    const bool ownLink = linkId != 0 && linkId != m_sharedLinkId;
    failPending(p, status, reason);
    // A per-call connection serves nothing else; a shared one stays for the other calls
    // (a late reply is ignored).
    if (ownLink)
        dropLink(linkId);
}

void RpcClient::timerEvent(QTimerEvent* event)
{
    const auto it = m_byTimer.find(event->timerId());
    if (it == m_byTimer.end()) {
        if (m_heldByTimer.count(event->timerId()))
            return expireHeld(event->timerId());
        return QObject::timerEvent(event);
    }
    const quint64 id = it->second;
    const auto p = m_pending.find(id);
    const int ms = p != m_pending.end() ? p->second->timeoutMs : 0;
    rememberUnanswered(id, false);
    endNow(id, CallStatus::Timeout, QStringLiteral("timed out after %1 ms").arg(ms));
}

// A call about to end without its reply: if it was written on the shared connection, its reply
// may still come and is then recognised (late, or answering a cancelled call), not foreign.
// (A per-call connection is dropped with its call, so nothing can come on it.)
void RpcClient::rememberUnanswered(quint64 callId, bool cancelled)
{
    const auto it = m_pending.find(callId);
    if (it == m_pending.end())
        return;
    const Pending& p = *it->second;
    if (p.sentUs != 0 && p.linkId == m_sharedLinkId && m_sharedLinkId != 0)
        m_timedOut.remember({callId, p.linkId, p.sentUs, cancelled}, p.idKeys);
}

namespace {
// The summary of a message the client already decoded: no second parse of a big reply.
MessageSummary summaryOf(const QByteArray& payload, const QJsonValue& parsed)
{
    if (parsed.isObject())
        return Summaries::ofObject(parsed.toObject());
    if (!parsed.isArray())
        return summarizeMessage(payload);
    BatchSummary batch;
    for (const QJsonValue& element : parsed.toArray())
        batch.add(element.isObject() ? Summaries::ofObject(element.toObject()) : Summaries::invalid());
    return batch.message();
}
} // namespace

void RpcClient::publish(quint64 linkId, Direction direction, const QByteArray& payload, qint64 timeUs,
                        qint64 latencyUs, bool late, const QJsonValue& parsed)
{
    if (!m_bus || !m_bus->isEnabled())
        return;
    TrafficEvent ev;
    ev.timestampUs = timeUs;
    ev.direction = direction;
    ev.summary = summaryOf(payload, parsed);
    ev.raw = payload;
    ev.latencyUs = latencyUs;
    ev.late = late;
    publishEvent(linkId, std::move(ev));
}

// Fills in what every client event shares: the connection, its peer and transport.
void RpcClient::publishEvent(quint64 linkId, TrafficEvent ev)
{
    if (!m_bus || !m_bus->isEnabled())
        return;
    const Link* l = link(linkId);
    const Endpoint& ep = l ? l->conn->endpoint() : m_endpoint;
    ev.connectionId = linkId;
    ev.peer = ep.toString();
    ev.side = Side::Client;
    ev.transport = ep.transport;
    m_bus->publish(std::move(ev));
}

void RpcClient::failPending(Pending* p, CallStatus status, const QString& reason)
{
    if (p->isBatch) {
        BatchResult b;
        b.status = status;
        b.transportError = reason;
        b.items = p->items;
        for (CallResult& item : b.items) {
            item.status = status;
            item.transportError = reason;
        }
        finish(p, std::move(b));
        return;
    }
    CallResult r;
    r.status = status;
    r.transportError = reason;
    finish(p, std::move(r));
}

void RpcClient::finish(Pending* p, CallResult r)
{
    const auto owned = takePending(p->id);
    r.callId = owned->id;
    r.method = owned->method;
    r.notification = owned->notification;
    r.id = owned->jsonId;
    r.requestBytes = owned->payload;
    if (r.status == CallStatus::Ok && owned->notification)
        r.result = QJsonValue::Undefined;
    if (owned->callback)
        owned->callback(r);
    else
        emit finished(r.callId, r);
}

void RpcClient::finish(Pending* p, BatchResult b)
{
    const auto owned = takePending(p->id);
    b.batchId = owned->id;
    b.requestBytes = owned->payload;
    emit batchFinished(b.batchId, b);
}

std::unique_ptr<RpcClient::Pending> RpcClient::takePending(quint64 callId)
{
    const auto it = m_pending.find(callId);
    std::unique_ptr<Pending> p = std::move(it->second);
    m_pending.erase(it);
    for (qint64 key : p->idKeys)
        m_byJsonId.erase(key);
    forgetProgressTokens(*p);
    if (p->timerId) {
        killTimer(p->timerId);
        m_byTimer.erase(p->timerId);
    }
    if (Link* l = link(p->linkId)) {
        l->waiting.removeOne(callId);
        l->inflight.removeOne(callId);
    }
    --m_pendingCount;
    return p;
}

} // namespace rpcbench
