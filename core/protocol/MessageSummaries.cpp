#include "protocol/MessageSummaries.h"

#include "protocol/RequestDecoder.h"
#include "util/JsonText.h"

namespace rpcbench {

namespace {

const QLatin1StringView kJsonRpc("jsonrpc");
const QLatin1StringView kId("id");
const QLatin1StringView kError("error");

// A reply read back: 2.0 says so, 1.0 always carries an id, classic never does.
MessageSummary ofReadReply(const QJsonObject& obj)
{
    MessageSummary s;
    const auto id = obj.constFind(kId);
    const bool hasId = id != obj.constEnd();
    if (obj.contains(kJsonRpc))
        s.dialect = Dialect::JsonRpc2;
    else
        s.dialect = hasId ? Dialect::JsonRpc1 : Dialect::Classic;
    if (hasId)
        s.idJson = JsonText::compact(id.value());
    const QJsonValue error = obj.value(kError);
    // 1.0 replies carry "error": null on success.
    s.kind = error.isObject() ? MessageKind::Error : MessageKind::Response;
    if (error.isObject())
        s.errorCode = error.toObject().value(QLatin1StringView("code")).toInt();
    return s;
}

} // namespace

namespace Summaries {

MessageSummary ofRequest(const DecodedRequest& request)
{
    MessageSummary s;
    s.dialect = request.dialect;
    s.method = request.method;
    if (request.hasId)
        s.idJson = request.idJson;
    if (!request.valid)
        s.kind = MessageKind::Invalid;
    else
        s.kind = request.notification ? MessageKind::Notification : MessageKind::Request;
    return s;
}

MessageSummary ofReply(Dialect dialect, const QByteArray& idJson, const RpcResult& result,
                       const QString& method)
{
    MessageSummary s;
    s.kind = result.ok ? MessageKind::Response : MessageKind::Error;
    s.dialect = dialect;
    s.method = method;
    if (dialect != Dialect::Classic)
        s.idJson = idJson.isEmpty() ? QByteArrayLiteral("null") : idJson;
    s.errorCode = result.ok ? 0 : result.error.code;
    return s;
}

MessageSummary ofObject(const QJsonObject& obj)
{
    if (obj.contains(QLatin1StringView("method")) || obj.contains(QLatin1StringView("method_name")))
        return ofRequest(RequestDecoder::decode(obj));
    if (obj.contains(QLatin1StringView("res"))) {
        MessageSummary s;
        s.kind = MessageKind::Response;
        s.dialect = Dialect::Classic;
        return s;
    }
    if (obj.contains(QLatin1StringView("result")) || obj.contains(kError))
        return ofReadReply(obj);
    return invalid(obj.contains(kJsonRpc) ? Dialect::JsonRpc2 : Dialect::Unknown);
}

MessageSummary invalid(Dialect answeredIn)
{
    MessageSummary s;
    s.kind = MessageKind::Invalid;
    s.dialect = answeredIn;
    return s;
}

} // namespace Summaries

BatchSummary::BatchSummary()
{
    m_summary.kind = MessageKind::Batch;
    m_summary.dialect = Dialect::JsonRpc2;
}

void BatchSummary::add(const QString& method, int errorCode)
{
    ++m_summary.batchSize;
    if (m_summary.method.isEmpty())
        m_summary.method = method;
    if (!m_summary.errorCode)
        m_summary.errorCode = errorCode;
}

void BatchSummary::add(const MessageSummary& element)
{
    add(element.method, element.kind == MessageKind::Error ? element.errorCode : 0);
}

MessageSummary BatchSummary::message() const
{
    if (m_summary.batchSize > 0)
        return m_summary;
    return Summaries::invalid(Dialect::JsonRpc2);
}

} // namespace rpcbench
