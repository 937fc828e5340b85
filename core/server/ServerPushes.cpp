#include "server/ServerPushes.h"

#include "server/ServerConnection.h"
#include "traffic/TrafficEvent.h"
#include "util/JsonText.h"
#include "util/Log.h"

#include <QJsonDocument>
#include <QTimer>

#include <vector>

namespace rpcbench {

namespace {

QJsonObject envelope(const QString& method, const QJsonValue& params)
{
    QJsonObject o{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("method"), method}};
    if (!params.isUndefined())
        o.insert(QStringLiteral("params"), params);
    return o;
}

} // namespace

ServerMessage ServerMessage::notification(const QString& method, const QJsonValue& params)
{
    ServerMessage m;
    m.json = QJsonDocument(envelope(method, params)).toJson(QJsonDocument::Compact);
    m.summary.kind = MessageKind::Notification;
    m.summary.dialect = Dialect::JsonRpc2;
    m.summary.method = method;
    return m;
}

ServerMessage ServerMessage::request(quint64 id, const QString& method, const QJsonValue& params)
{
    QJsonObject o = envelope(method, params);
    o.insert(QStringLiteral("id"), qint64(id));
    ServerMessage m;
    m.json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    m.summary.kind = MessageKind::Request;
    m.summary.dialect = Dialect::JsonRpc2;
    m.summary.method = method;
    m.summary.idJson = QByteArray::number(id);
    return m;
}

void ServerPushes::add(ServerConnection* connection)
{
    m_connections.emplace(connection->id(), connection);
}

void ServerPushes::remove(quint64 connectionId)
{
    if (m_connections.erase(connectionId) == 0)
        return;
    std::vector<quint64> ended;
    for (const auto& [id, pending] : m_pending) {
        if (pending.connectionId == connectionId)
            ended.push_back(id);
    }
    for (const quint64 id : ended) {
        CallResult r = m_pending.at(id).result;
        r.status = CallStatus::TransportError;
        r.transportError = QStringLiteral("connection closed");
        finish(id, std::move(r));
    }
}

ServerConnection* ServerPushes::connection(quint64 id) const
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? nullptr : it->second;
}

ServerConnection* ServerPushes::streamFor(const QByteArray& session) const
{
    if (session.isEmpty())
        return nullptr;
    for (const auto& [id, c] : m_connections) {
        if (c->canPush() && c->eventStreamSession() == session)
            return c;
    }
    return nullptr;
}

int ServerPushes::notify(quint64 connectionId, const ServerMessage& message)
{
    if (connectionId != 0) {
        ServerConnection* c = connection(connectionId);
        return c && c->sendServerMessage(message) ? 1 : 0;
    }
    int n = 0;
    for (const auto& [id, c] : m_connections)
        n += c->canPush() && c->sendServerMessage(message) ? 1 : 0;
    return n;
}

void ServerPushes::request(quint64 connectionId, quint64 requestId, const QString& method,
                           const ServerMessage& message, int timeoutMs)
{
    CallResult r;
    r.callId = requestId;
    r.method = method;
    r.id = QJsonValue(qint64(requestId));
    r.requestBytes = message.json;
    ServerConnection* c = connection(connectionId);
    if (!c) {
        fail(requestId, std::move(r),
             QStringLiteral("no connection #%1 (it closed or never existed)").arg(connectionId));
        return;
    }
    if (!c->canPush()) {
        fail(requestId, std::move(r), c->pushRefusal());
        return;
    }
    Pending& p = m_pending[requestId];
    p.connectionId = connectionId;
    p.anyConnection = c->isHttp();
    p.result = std::move(r);
    p.sentUs = nowUs();
    if (timeoutMs > 0) // the connection is the timer's context: nothing fires once it is gone
        QTimer::singleShot(timeoutMs, Qt::PreciseTimer, c,
                           [this, requestId, timeoutMs] { timeOut(requestId, timeoutMs); });
    c->sendServerMessage(message);
}

bool ServerPushes::takeReply(quint64 from, const QJsonObject& reply)
{
    const QJsonValue id = reply.value(QLatin1String("id"));
    const auto it = id.isDouble() ? m_pending.find(quint64(id.toDouble())) : m_pending.end();
    if (it == m_pending.end() || double(it->first) != id.toDouble() ||
        (it->second.connectionId != from && !it->second.anyConnection)) {
        qCDebug(lcServer).noquote() << "connection" << from
                                    << "dropped a reply that matches no request of ours:"
                                    << JsonText::compact(reply).left(120);
        return false;
    }
    CallResult r = std::move(it->second.result);
    r.latencyUs = nowUs() - it->second.sentUs;
    r.replyBytes = JsonText::compact(reply);
    r.replySize = r.replyBytes.size();
    decodeReply(reply, r);
    const quint64 requestId = it->first;
    m_pending.erase(it);
    if (m_finished)
        m_finished(requestId, r);
    return true;
}

void ServerPushes::timeOut(quint64 requestId, int timeoutMs)
{
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end())
        return;
    CallResult r = it->second.result;
    r.status = CallStatus::Timeout;
    r.transportError = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
    finish(requestId, std::move(r));
}

void ServerPushes::fail(quint64 requestId, CallResult result, const QString& reason)
{
    result.status = CallStatus::TransportError;
    result.transportError = reason;
    if (m_finished)
        m_finished(requestId, result);
}

void ServerPushes::finish(quint64 requestId, CallResult result)
{
    m_pending.erase(requestId);
    if (m_finished)
        m_finished(requestId, result);
}

} // namespace rpcbench
