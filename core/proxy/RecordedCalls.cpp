#include "proxy/RecordedCalls.h"

#include "proxy/InterceptRule.h"
#include "traffic/RequestPairing.h"
#include "util/JsonPointer.h"

#include <QJsonDocument>

#include <map>

namespace rpcbench::RecordedCalls {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

bool isReply(const TrafficEvent& e)
{
    const MessageKind kind = e.summary.kind;
    return kind == MessageKind::Response || kind == MessageKind::Error || kind == MessageKind::Batch;
}

bool isCallerMessage(const TrafficEvent& e)
{
    const MessageKind kind = e.summary.kind;
    return kind == MessageKind::Request || kind == MessageKind::Notification || kind == MessageKind::Batch;
}

RecordedCall callOf(const TrafficEvent& request, const TrafficEvent& reply)
{
    RecordedCall call;
    call.method = request.summary.method;
    call.idJson = request.summary.idJson;
    call.params = QJsonDocument::fromJson(request.raw).object().value(QLatin1String("params"));
    call.reply = QJsonDocument::fromJson(reply.raw).object();
    return call;
}

} // namespace

std::vector<RecordedPair> pairs(const std::vector<TrafficEvent>& events)
{
    // One more slot than events: no request is ever forgotten for want of room.
    RequestPairing pairing(qsizetype(events.size()) + 1);
    std::vector<RecordedPair> out;
    std::map<size_t, size_t> exchangeOf; // request index -> its place in `out`
    for (size_t i = 0; i < events.size(); ++i) {
        const TrafficEvent& e = events[i];
        if (e.kind != TrafficEvent::Kind::Message)
            continue;
        const RequestPairing::Match match = pairing.add(e, quint64(i) + 1);
        if (RequestPairing::isRequestLike(e)) {
            if (isCallerMessage(e)) {
                exchangeOf.emplace(i, out.size());
                out.push_back({i, -1});
            }
        } else if (isReply(e) && match.requestSeq > 0) {
            const auto it = exchangeOf.find(size_t(match.requestSeq - 1));
            if (it != exchangeOf.end() && out[it->second].reply < 0)
                out[it->second].reply = qsizetype(i);
        }
    }
    return out;
}

RecordedCallSet extract(const std::vector<TrafficEvent>& events, const QString& methodPattern)
{
    InterceptRule filter;
    filter.pattern = methodPattern;
    filter.direction = InterceptRule::Direction::Both;
    RecordedCallSet set;
    for (const RecordedPair& x : pairs(events)) {
        const TrafficEvent& request = events[x.request];
        if (request.summary.kind == MessageKind::Batch)
            ++set.skippedBatches;
        else if (request.summary.kind != MessageKind::Request ||
                 !filter.matches(request.summary.method, true))
            continue;
        else if (x.reply < 0)
            ++set.unanswered;
        else
            set.calls.append(callOf(request, events[size_t(x.reply)]));
    }
    return set;
}

bool isValidPointer(const QString& pointer, QString* error)
{
    if (pointer.isEmpty())
        return fail(
            error,
            QStringLiteral("invalid JSON Pointer '%1': it starts with / (e.g. /result/time)").arg(pointer));
    return JsonPointer::isValid(pointer, error);
}

QJsonValue removePointer(const QJsonValue& value, const QString& pointer)
{
    return isValidPointer(pointer) ? JsonPointer::remove(value, pointer) : value;
}

QJsonObject comparable(const QJsonObject& reply, const QStringList& ignore)
{
    QJsonObject out = reply;
    out.remove(QLatin1String("id"));
    out.remove(QLatin1String("jsonrpc"));
    QJsonValue v = out;
    for (const QString& pointer : ignore)
        v = removePointer(v, pointer);
    return v.toObject();
}

} // namespace rpcbench::RecordedCalls
