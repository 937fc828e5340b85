// summarizeMessage(): what any message on the wire is, for the
// client side of the traffic log and for log import. Never throws, never answers.

#include "traffic/SummarizeMessage.h"

#include "protocol/ReplyWriter.h"
#include "protocol/RequestDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rpcbench {

namespace {

MessageSummary summarizeReply(const QJsonObject& obj)
{
    MessageSummary s;
    const bool hasId = obj.contains(QLatin1StringView("id"));
    if (obj.contains(QLatin1StringView("jsonrpc")))
        s.dialect = Dialect::JsonRpc2;
    else if (hasId)
        s.dialect = Dialect::JsonRpc1;
    else
        s.dialect = Dialect::Classic;
    if (hasId)
        s.idJson = ReplyWriter::toJson(obj.value(QLatin1StringView("id")));
    const QJsonValue error = obj.value(QLatin1StringView("error"));
    if (error.isObject()) {
        s.kind = MessageKind::Error;
        s.errorCode = error.toObject().value(QLatin1StringView("code")).toInt();
    } else {
        s.kind = MessageKind::Response;
    }
    return s;
}

MessageSummary summarizeObject(const QJsonObject& obj)
{
    if (obj.contains(QLatin1StringView("method")) || obj.contains(QLatin1StringView("method_name")))
        return RequestDecoder::summary(RequestDecoder::decode(obj));
    if (obj.contains(QLatin1StringView("res"))) {
        MessageSummary s;
        s.kind = MessageKind::Response;
        s.dialect = Dialect::Classic;
        return s;
    }
    if (obj.contains(QLatin1StringView("result")) || obj.contains(QLatin1StringView("error")))
        return summarizeReply(obj);
    MessageSummary s;
    s.dialect = obj.contains(QLatin1StringView("jsonrpc")) ? Dialect::JsonRpc2 : Dialect::Unknown;
    return s; // Invalid
}

} // namespace

MessageSummary summarizeMessage(const QByteArray& json)
{
    constexpr int maxDepth = 512;
    if (RequestDecoder::exceedsDepth(json, maxDepth))
        return {};
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return {};
    if (doc.isObject())
        return summarizeObject(doc.object());

    const QJsonArray batch = doc.array();
    MessageSummary s;
    s.kind = MessageKind::Batch;
    s.dialect = Dialect::JsonRpc2;
    s.batchSize = int(batch.size());
    for (const QJsonValue& element : batch) {
        const MessageSummary e = element.isObject() ? summarizeObject(element.toObject()) : MessageSummary{};
        if (s.method.isEmpty())
            s.method = e.method;
        if (!s.errorCode && e.kind == MessageKind::Error)
            s.errorCode = e.errorCode;
    }
    return s;
}

} // namespace rpcbench
