// RpcClient, part 4: progress the server reports for a call in flight. A call is known by the
// tokens its params named (LSP workDoneToken / partialResultToken, MCP _meta.progressToken);
// progress for any other token is just an incoming notification.

#include "client/RpcClientPrivate.h"

#include "util/JsonText.h"

#include <QJsonObject>

namespace rpcbench {

namespace {

QList<QJsonValue> progressTokens(const QJsonValue& params)
{
    QList<QJsonValue> tokens;
    if (!params.isObject())
        return tokens;
    const QJsonObject object = params.toObject();
    for (const char* key : {"workDoneToken", "partialResultToken"}) {
        const QJsonValue token = object.value(QLatin1String(key));
        if (token.isString() || token.isDouble())
            tokens.append(token);
    }
    const QJsonValue mcp =
        object.value(QLatin1String("_meta")).toObject().value(QLatin1String("progressToken"));
    if (mcp.isString() || mcp.isDouble())
        tokens.append(mcp);
    return tokens;
}

double numberOr(const QJsonValue& v, double fallback)
{
    return v.isDouble() ? v.toDouble() : fallback;
}

// LSP: {"token": T, "value": {"kind": "begin"|"report"|"end", "title", "message", "percentage"}}
CallProgress lspProgress(const QJsonObject& params)
{
    const QJsonObject value = params.value(QLatin1String("value")).toObject();
    CallProgress p;
    p.params = params;
    const QString kind = value.value(QLatin1String("kind")).toString();
    p.done = kind == QLatin1String("end");
    p.progress = numberOr(value.value(QLatin1String("percentage")), p.done ? 100 : -1);
    if (p.progress >= 0)
        p.total = 100;
    const QString title = value.value(QLatin1String("title")).toString();
    const QString message = value.value(QLatin1String("message")).toString();
    p.message = title.isEmpty()     ? message
                : message.isEmpty() ? title
                                    : title + QStringLiteral(": ") + message;
    return p;
}

// MCP: {"progressToken": T, "progress": N, "total": N, "message": "..."}
CallProgress mcpProgress(const QJsonObject& params)
{
    CallProgress p;
    p.params = params;
    p.progress = numberOr(params.value(QLatin1String("progress")), -1);
    p.total = numberOr(params.value(QLatin1String("total")), -1);
    p.message = params.value(QLatin1String("message")).toString();
    p.done = p.total > 0 && p.progress >= p.total;
    return p;
}

} // namespace

void RpcClient::rememberProgressTokens(Pending* pending, const CallRequest& request)
{
    pending->resetsOnProgress = request.timeoutResetsOnProgress;
    if (request.notification)
        return;
    for (const QJsonValue& token : progressTokens(request.params)) {
        const QByteArray key = JsonText::compact(token);
        pending->progressTokens.append(key);
        m_byProgressToken.insert(key, pending->id);
    }
}

void RpcClient::forgetProgressTokens(const Pending& pending)
{
    for (const QByteArray& key : pending.progressTokens) {
        const auto it = m_byProgressToken.find(key);
        if (it != m_byProgressToken.end() && it.value() == pending.id)
            m_byProgressToken.erase(it);
    }
}

void RpcClient::receiveProgress(const QJsonObject& notification)
{
    const QString method = notification.value(QLatin1String("method")).toString();
    const bool lsp = method == QLatin1String("$/progress");
    if (!lsp && method != QLatin1String("notifications/progress"))
        return;
    const QJsonObject params = notification.value(QLatin1String("params")).toObject();
    const QJsonValue token = params.value(lsp ? QLatin1String("token") : QLatin1String("progressToken"));
    const quint64 callId = m_byProgressToken.value(JsonText::compact(token));
    const auto it = m_pending.find(callId);
    if (callId == 0 || it == m_pending.end())
        return;
    Pending* p = it->second.get();
    if (p->resetsOnProgress && p->timerId) { // the timeout starts over from now
        killTimer(p->timerId);
        m_byTimer.erase(p->timerId);
        p->timerId = startTimer(p->timeoutMs, Qt::PreciseTimer);
        m_byTimer[p->timerId] = p->id;
    }
    emit progress(callId, lsp ? lspProgress(params) : mcpProgress(params));
}

} // namespace rpcbench
