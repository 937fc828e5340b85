// RpcClient, part 5: the handshake (InitSequence) on every new shared connection. Its steps go
// out in order before anything else; the calls made meanwhile wait in the link's `waiting`
// list and are written once the last step is done, or fail with the step that broke.

#include "client/RpcClientPrivate.h"

#include "util/Log.h"

namespace rpcbench {

void RpcClient::setInitSequence(const QList<InitStep>& steps)
{
    // Applies from the next new connection: the current one already had its handshake.
    post([this, steps] { m_initSteps = steps; });
}

void RpcClient::startHandshake(quint64 linkId)
{
    Link* l = link(linkId);
    l->initializing = true;
    l->initIndex = 0;
    l->initResults.clear();
    qCDebug(lcClient) << "connection" << linkId << "handshake:" << m_initSteps.size() << "step(s)";
    runInitStep(linkId, 0);
}

void RpcClient::runInitStep(quint64 linkId, qsizetype index)
{
    Link* l = link(linkId);
    if (!l || !l->initializing)
        return;
    if (index >= m_initSteps.size()) {
        l->initializing = false;
        emit initFinished(linkId, {});
        writeWaiting(linkId);
        return;
    }
    l->initIndex = index;
    CallRequest request = m_initSteps.at(index).request;
    QString error;
    const auto params = InitSequence::resolve(request.params, l->initResults, &error);
    if (!params) {
        failHandshake(linkId, error);
        return;
    }
    request.params = *params;
    const quint64 id = allocateIds(1);
    ++m_pendingCount;
    // The handshake is the connection's business, not the caller's: no finished() for it.
    startCall(
        id, request, dialect(),
        [this, linkId, index](const CallResult& r) {
            Link* l = link(linkId);
            if (!l || !l->initializing || l->initIndex != index)
                return; // the connection is gone (failHandshake already reported it)
            if (!r.ok()) {
                failHandshake(linkId, r.describe());
                return;
            }
            l->initResults.append(r.result);
            // Queued: a notification's Ok is reported from inside the write path.
            QMetaObject::invokeMethod(
                this, [this, linkId, index] { runInitStep(linkId, index + 1); }, Qt::QueuedConnection);
        },
        true);
}

// Ends the calls waiting for the handshake with the step that broke it, reports it and closes
// the connection; the next call opens a new one and replays the handshake.
void RpcClient::failHandshake(quint64 linkId, const QString& reason)
{
    Link* l = link(linkId);
    if (!l || !l->initializing)
        return;
    l->initializing = false;
    const QString step = QStringLiteral("init[%1] %2: %3")
                             .arg(l->initIndex)
                             .arg(m_initSteps.value(l->initIndex).request.method, reason);
    qCInfo(lcClient).noquote() << QStringLiteral("connection %1: handshake failed: %2").arg(linkId).arg(step);
    const QString message = QStringLiteral("handshake: ") + step;
    const QList<quint64> waiting = std::exchange(l->waiting, {});
    for (quint64 id : waiting) {
        const auto it = m_pending.find(id);
        if (it != m_pending.end())
            failPending(it->second.get(), CallStatus::TransportError, message);
    }
    emit initFinished(linkId, step);
    if (link(linkId))
        onLinkClosed(linkId, message); // the step in flight, if any, ends with it
}

} // namespace rpcbench
