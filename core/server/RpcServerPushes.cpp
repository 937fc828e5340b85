// RpcServer, both directions: the connections and the messages the server starts on them.
// The work runs on the worker thread (ServerPushes); these calls only post to it.
#include "server/ConnectionDirectory.h"
#include "server/RpcServer.h"
#include "server/ServerWorker.h"

namespace rpcbench {

QList<ConnectionInfo> RpcServer::connections() const
{
    return m_directory->snapshot();
}

int RpcServer::notifyClient(quint64 connectionId, const QString& method, const QJsonValue& params)
{
    // Counted now from the directory (the worker may be busy): a connection closing meanwhile
    // is counted but gets nothing, as with any message to a peer that is leaving.
    const int count = m_worker ? m_directory->pushableCount(connectionId) : 0;
    if (count == 0)
        return 0;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, connectionId, message = ServerMessage::notification(method, params)] {
            w->pushes().notify(connectionId, message);
        });
    return count;
}

quint64 RpcServer::requestClient(quint64 connectionId, const QString& method, const QJsonValue& params,
                                 int timeoutMs)
{
    const quint64 requestId = m_nextRequestId.fetch_add(1);
    if (!m_worker) {
        finishRequestLater(requestId, method, QStringLiteral("the server is not running"));
        return requestId;
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, connectionId, requestId, method, timeoutMs,
                                         message = ServerMessage::request(requestId, method, params)] {
        w->pushes().request(connectionId, requestId, method, message, timeoutMs);
    });
    return requestId;
}

// Queued: requestClient() never emits from inside the call.
void RpcServer::finishRequestLater(quint64 requestId, const QString& method, const QString& reason)
{
    CallResult r;
    r.callId = requestId;
    r.method = method;
    r.id = QJsonValue(qint64(requestId));
    r.status = CallStatus::TransportError;
    r.transportError = reason;
    QMetaObject::invokeMethod(
        this, [this, requestId, r] { emit clientRequestFinished(requestId, r); }, Qt::QueuedConnection);
}

} // namespace rpcbench
