#include "proxy/RecordedCalls.h"

#include "proxy/InterceptRule.h"
#include "traffic/RequestPairing.h"

#include <QJsonArray>
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
    return e.summary.kind == MessageKind::Response || e.summary.kind == MessageKind::Error;
}

// The index an array token names: digits without a leading zero; -1 otherwise ("-" included:
// it names the element after the last, which never exists).
qsizetype arrayIndex(const QString& token)
{
    if (token.isEmpty() || (token.size() > 1 && token.front() == QLatin1Char('0')))
        return -1;
    bool ok = false;
    const qsizetype i = token.toLongLong(&ok);
    return ok && i >= 0 ? i : -1;
}

// RFC 6901 unescaping: ~1 is '/', ~0 is '~' (in that order, so "~01" stays "~1").
QStringList pointerTokens(const QString& pointer)
{
    QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString& t : tokens)
        t.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
    return tokens;
}

QJsonValue withoutPath(const QJsonValue& value, const QStringList& tokens, qsizetype at)
{
    const QString& token = tokens.at(at);
    const bool last = at + 1 == tokens.size();
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        if (!o.contains(token))
            return value;
        if (last)
            o.remove(token);
        else
            o.insert(token, withoutPath(o.value(token), tokens, at + 1));
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        const qsizetype i = arrayIndex(token);
        if (i < 0 || i >= a.size())
            return value;
        if (last)
            a.removeAt(i);
        else
            a.replace(i, withoutPath(a.at(i), tokens, at + 1));
        return a;
    }
    return value;
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

RecordedCallSet extract(const std::vector<TrafficEvent>& events, const QString& methodPattern)
{
    InterceptRule filter;
    filter.pattern = methodPattern;
    filter.direction = InterceptRule::Direction::Both;
    // One more slot than events: no request is ever forgotten for want of room.
    RequestPairing pairing(qsizetype(events.size()) + 1);
    std::map<size_t, qsizetype> replyOf; // request index -> reply index (-1: none yet)
    RecordedCallSet set;
    for (size_t i = 0; i < events.size(); ++i) {
        const TrafficEvent& e = events[i];
        if (e.kind != TrafficEvent::Kind::Message)
            continue;
        const RequestPairing::Match match = pairing.add(e, quint64(i) + 1);
        if (!RequestPairing::isRequestLike(e)) {
            if (isReply(e) && match.requestSeq > 0) {
                auto it = replyOf.find(size_t(match.requestSeq - 1));
                if (it != replyOf.end() && it->second < 0)
                    it->second = qsizetype(i);
            }
        } else if (e.summary.kind == MessageKind::Batch) {
            ++set.skippedBatches;
        } else if (e.summary.kind == MessageKind::Request && filter.matches(e.summary.method, true)) {
            replyOf.emplace(i, -1);
        }
    }
    for (const auto& [request, reply] : replyOf) {
        if (reply < 0)
            ++set.unanswered;
        else
            set.calls.append(callOf(events[request], events[size_t(reply)]));
    }
    return set;
}

bool isValidPointer(const QString& pointer, QString* error)
{
    if (!pointer.startsWith(QLatin1Char('/')))
        return fail(
            error,
            QStringLiteral("invalid JSON Pointer '%1': it starts with / (e.g. /result/time)").arg(pointer));
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        if (pointer.at(i) != QLatin1Char('~'))
            continue;
        const QChar next = i + 1 < pointer.size() ? pointer.at(i + 1) : QChar();
        if (next != QLatin1Char('0') && next != QLatin1Char('1'))
            return fail(error, QStringLiteral("invalid JSON Pointer '%1': '~' must be written ~0 (and '/' "
                                              "inside a name ~1)")
                                   .arg(pointer));
    }
    return true;
}

QJsonValue removePointer(const QJsonValue& value, const QString& pointer)
{
    if (!isValidPointer(pointer))
        return value;
    return withoutPath(value, pointerTokens(pointer), 0);
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
