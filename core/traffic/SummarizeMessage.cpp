// summarizeMessage(): what any message on the wire is, for the client side of the traffic log
// and for log import. It only parses; the rules are protocol/MessageSummaries', which the
// dispatcher applies to what it decoded, so both sides of the log agree.

#include "traffic/SummarizeMessage.h"

#include "protocol/MessageSummaries.h"
#include "protocol/RequestDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rpcbench {

MessageSummary summarizeMessage(const QByteArray& json)
{
    constexpr int maxDepth = 512;
    if (RequestDecoder::exceedsDepth(json, maxDepth))
        return Summaries::invalid();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Summaries::invalid();
    if (doc.isObject())
        return Summaries::ofObject(doc.object());

    BatchSummary batch;
    for (const QJsonValue& element : doc.array())
        batch.add(element.isObject() ? Summaries::ofObject(element.toObject()) : Summaries::invalid());
    return batch.message();
}

} // namespace rpcbench
