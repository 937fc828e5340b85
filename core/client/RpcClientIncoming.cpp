// RpcClient, part 3: answering the server's own requests. Each is answered exactly once, on
// the connection it came on: by a client method, by the user (holding), or with -32601, so a
// server never waits on us forever.

#include "client/ClientConnection.h"
#include "client/RpcClientPrivate.h"
#include "dispatch/Dispatcher.h"
#include "protocol/ReplyWriter.h"
#include "util/JsonText.h"
#include "util/Log.h"
#include "util/MonotonicClock.h"

#include <QJsonObject>

#include <algorithm>

namespace rpcbench {

namespace {

bool isRequest(const QJsonValue& message)
{
    const QJsonValue id = message.toObject().value(QLatin1String("id"));
    return !id.isUndefined() && !id.isNull();
}

QByteArray replyTo(const QJsonValue& id, const RpcResult& result)
{
    return ReplyWriter::reply(Dialect::JsonRpc2, JsonText::compact(id), result);
}

} // namespace

// ---------------------------------------------------------------- configuration

void RpcClient::setClientMethods(std::shared_ptr<MethodRegistry> registry)
{
    post([this, registry = std::move(registry)] {
        m_clientMethods = registry;
        m_clientDispatcher.reset(); // rebuilt over the new registry when next needed
    });
}

void RpcClient::setHoldUnanswered(bool hold, int timeoutMs)
{
    post([this, hold, timeoutMs] {
        m_holdUnanswered = hold;
        m_holdTimeoutMs = timeoutMs;
    });
}

void RpcClient::answerHeld(quint64 holdId, const RpcResult& answer)
{
    post([this, holdId, answer] { endHeld(holdId, &answer, QStringLiteral("answered")); });
}

void RpcClient::rejectHeld(quint64 holdId)
{
    post([this, holdId] {
        const RpcResult rejected = RpcResult::failure(-32000, QStringLiteral("rejected by the user"));
        endHeld(holdId, &rejected, QStringLiteral("rejected"));
    });
}

Dispatcher& RpcClient::clientDispatcher()
{
    if (!m_clientDispatcher) {
        // Without client methods, batches still get their -32601s from the same engine.
        auto registry = m_clientMethods ? m_clientMethods : std::make_shared<MethodRegistry>();
        m_clientDispatcher = std::make_unique<Dispatcher>(std::move(registry));
    }
    return *m_clientDispatcher;
}

// ---------------------------------------------------------------- answering

void RpcClient::answerIncoming(quint64 linkId, const QJsonValue& message)
{
    if (message.isObject()) {
        const QJsonObject object = message.toObject();
        if (isRequest(object))
            answerRequest(linkId, object);
        else
            receiveProgress(object);
        return;
    }
    QJsonArray requests;
    for (const QJsonValue& element : message.toArray()) {
        if (isRequest(element))
            requests.append(element);
        else
            receiveProgress(element.toObject());
    }
    if (!requests.isEmpty())
        answerBatch(linkId, requests);
}

void RpcClient::answerRequest(quint64 linkId, const QJsonObject& request)
{
    const QString method = request.value(QLatin1String("method")).toString();
    const auto handler = m_clientMethods ? m_clientMethods->find(method) : nullptr;
    if (handler && handler->info.enabled) {
        MessageSummary summary;
        clientDispatcher().handle(
            JsonText::compact(request), this,
            [this, linkId](DispatchReply reply) {
                if (!reply.bytes.isEmpty())
                    sendAnswer(linkId, reply.bytes);
            },
            &summary);
        return;
    }
    if (m_holdUnanswered) {
        holdRequest(linkId, request);
        return;
    }
    sendAnswer(linkId, replyTo(request.value(QLatin1String("id")),
                               RpcResult::failure(-32601, QStringLiteral("Method not found"))));
}

// A batch is answered as a batch (one array), so nothing in it is held: unhandled is -32601.
void RpcClient::answerBatch(quint64 linkId, const QJsonArray& requests)
{
    MessageSummary summary;
    clientDispatcher().handle(
        JsonText::compact(requests), this,
        [this, linkId](DispatchReply reply) {
            if (!reply.bytes.isEmpty())
                sendAnswer(linkId, reply.bytes);
        },
        &summary);
}

void RpcClient::sendAnswer(quint64 linkId, const QByteArray& reply)
{
    Link* l = link(linkId);
    if (!l) {
        qCDebug(lcClient) << "connection" << linkId << "gone: answer dropped";
        return;
    }
    const qint64 nowUs = MonotonicClock::nowUs();
    if (l->conn->endpoint().transport == Transport::Http) {
        if (l->answers && l->answers->isConnected()) {
            l->answers->send(reply);
        } else {
            l->answerQueue.append(reply);
            if (!l->answers)
                openAnswerConnection(linkId);
        }
    } else {
        l->conn->send(reply);
    }
    publish(linkId, Direction::Out, reply, nowUs, -1);
    emit answerSent(linkId, reply);
}

void RpcClient::openAnswerConnection(quint64 linkId)
{
    Link* l = link(linkId);
    Endpoint ep = l->conn->endpoint();
    ep.options.sse = false; // the main connection has the event stream
    auto* answers = new ClientConnection(ep, linkId, false, this);
    answers->joinSession(l->conn->sessionId());
    l->answers = answers;
    connect(answers, &ClientConnection::connected, this, [this, linkId] {
        if (Link* l = link(linkId))
            for (const QByteArray& reply : std::exchange(l->answerQueue, {}))
                l->answers->send(reply);
    });
    connect(answers, &ClientConnection::received, this,
            [linkId](const QByteArray& body, int status, const QByteArray& reason, qint64) {
                // 202 Accepted is the norm; anything else only says the server did not take it.
                if (status / 100 != 2)
                    qCWarning(lcClient).noquote()
                        << QStringLiteral("connection %1: the server refused our answer: HTTP %2 %3 %4")
                               .arg(linkId)
                               .arg(status)
                               .arg(QString::fromUtf8(reason), QString::fromUtf8(body.left(200)));
            });
    connect(answers, &ClientConnection::closed, this, [this, linkId, answers](const QString& reason) {
        Link* l = link(linkId);
        if (!l || l->answers != answers)
            return;
        if (!l->answerQueue.isEmpty())
            qCWarning(lcClient).noquote() << QStringLiteral("connection %1: %2 answer(s) not sent: %3")
                                                 .arg(linkId)
                                                 .arg(l->answerQueue.size())
                                                 .arg(reason);
        l->answerQueue.clear();
        l->answers = nullptr; // the next answer opens a new one
        answers->deleteLater();
    });
    answers->open();
}

// ---------------------------------------------------------------- holding

void RpcClient::holdRequest(quint64 linkId, const QJsonObject& request)
{
    const quint64 holdId = m_nextHoldId++;
    auto held = std::make_unique<Held>();
    held->linkId = linkId;
    held->id = request.value(QLatin1String("id"));
    held->timeoutMs = m_holdTimeoutMs;
    if (m_holdTimeoutMs > 0) {
        held->timerId = startTimer(m_holdTimeoutMs);
        m_heldByTimer[held->timerId] = holdId;
    }
    m_held.emplace(holdId, std::move(held));
    emit requestHeld(holdId, linkId, JsonText::compact(request));
}

// Ends a hold: sends `answer` (none when the connection is gone) and reports how it ended.
void RpcClient::endHeld(quint64 holdId, const RpcResult* answer, const QString& how)
{
    const auto it = m_held.find(holdId);
    if (it == m_held.end())
        return;
    const std::unique_ptr<Held> held = std::move(it->second);
    m_held.erase(it);
    if (held->timerId) {
        killTimer(held->timerId);
        m_heldByTimer.erase(held->timerId);
    }
    if (answer)
        sendAnswer(held->linkId, replyTo(held->id, *answer));
    emit holdEnded(holdId, how);
}

void RpcClient::expireHeld(int timerId)
{
    const auto it = m_heldByTimer.find(timerId);
    if (it == m_heldByTimer.end())
        return;
    const quint64 holdId = it->second;
    const RpcResult late =
        RpcResult::failure(-32601, QStringLiteral("Method not found: not answered in time (held %1 ms)")
                                       .arg(m_held.at(holdId)->timeoutMs));
    endHeld(holdId, &late, QStringLiteral("timed out"));
}

void RpcClient::endHeldOnLink(quint64 linkId)
{
    std::vector<quint64> ended;
    for (const auto& [holdId, held] : m_held)
        if (held->linkId == linkId)
            ended.push_back(holdId);
    std::sort(ended.begin(), ended.end());
    for (quint64 holdId : ended)
        endHeld(holdId, nullptr, QStringLiteral("connection closed"));
}

} // namespace rpcbench
