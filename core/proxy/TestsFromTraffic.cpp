#include "proxy/TestsFromTraffic.h"

#include "proxy/RecordedCalls.h"
#include "traffic/RequestPairing.h"
#include "util/JsonPointer.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <set>

namespace rpcbench {

namespace {

QJsonValue parsed(const QByteArray& raw)
{
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

// A member name or index as one pointer token (RFC 6901: '~' first, then '/').
QString pointerToken(QString name)
{
    return name.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
}

// 1.0 replies carry "error": null beside their result.
bool isErrorReply(const QJsonObject& reply)
{
    return reply.value(QLatin1String("error")).isObject();
}

Assertion equalsAt(const QString& pointer, const QJsonValue& value)
{
    Assertion a;
    a.kind = Assertion::Kind::Equals;
    a.pointer = pointer;
    a.expected = value;
    return a;
}

// Equal where nothing is ignored; where an ignored field lies inside, one level down. An
// ignored field only has to exist.
void addChecks(const QJsonValue& value, const QString& pointer, const QStringList& ignored,
               QList<Assertion>* out)
{
    if (!pointer.isEmpty() && ignored.contains(pointer)) {
        Assertion exists;
        exists.kind = Assertion::Kind::Exists;
        exists.pointer = pointer;
        out->append(exists);
        return;
    }
    const QString prefix = pointer + QLatin1Char('/');
    const bool ignoredInside =
        std::any_of(ignored.begin(), ignored.end(), [&](const QString& p) { return p.startsWith(prefix); });
    if (!ignoredInside || !(value.isObject() || value.isArray())) {
        out->append(equalsAt(pointer, value));
        return;
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            addChecks(it.value(), prefix + pointerToken(it.key()), ignored, out);
        return;
    }
    const QJsonArray a = value.toArray();
    for (qsizetype i = 0; i < a.size(); ++i)
        addChecks(a.at(i), prefix + QString::number(i), ignored, out);
}

// What a run sees of a batch reply: per request element, {"result": ...} or {"error": {...}},
// null for a notification (and for a call the recorded reply left out).
QJsonArray batchItems(const QJsonArray& requests, const QJsonArray& replies)
{
    QJsonArray items;
    for (const QJsonValue& request : requests) {
        const QJsonValue id = request.toObject().value(QLatin1String("id"));
        QJsonValue item = QJsonValue::Null;
        for (const QJsonValue& reply : replies) {
            const QJsonObject r = reply.toObject();
            if (id.isUndefined() || r.value(QLatin1String("id")) != id)
                continue;
            const bool error = isErrorReply(r);
            const QString key = error ? QStringLiteral("error") : QStringLiteral("result");
            item = QJsonObject{{key, r.value(key)}};
            break;
        }
        items.append(item);
    }
    return items;
}

// A batch element as a saved call's "batch" keeps it: {"method", "params", "notification"}.
QJsonArray batchCalls(const QJsonArray& requests)
{
    QJsonArray calls;
    for (const QJsonValue& request : requests) {
        const QJsonObject r = request.toObject();
        QJsonObject call{{QStringLiteral("method"), r.value(QLatin1String("method"))}};
        if (r.contains(QLatin1String("params")))
            call.insert(QStringLiteral("params"), r.value(QLatin1String("params")));
        if (!r.contains(QLatin1String("id")))
            call.insert(QStringLiteral("notification"), true);
        calls.append(call);
    }
    return calls;
}

SavedCall callOf(const TrafficEvent& request)
{
    SavedCall call;
    // Only a client row's peer is the server's URL; server and proxy rows hold the caller's.
    if (request.side == Side::Client)
        call.target = request.peer;
    if (request.summary.dialect != Dialect::Unknown)
        call.dialect = toString(request.summary.dialect);
    const QJsonValue json = parsed(request.raw);
    if (request.summary.kind == MessageKind::Batch) {
        call.batch = batchCalls(json.toArray());
        return call;
    }
    call.method = request.summary.method;
    call.params = json.toObject().value(QLatin1String("params"));
    call.notification = request.summary.kind == MessageKind::Notification;
    return call;
}

QList<Assertion> assertionsFor(const TrafficEvent& request, const TrafficEvent& reply,
                               const QStringList& ignored)
{
    const QJsonValue json = parsed(reply.raw);
    QList<Assertion> out;
    if (request.summary.kind == MessageKind::Batch) {
        addChecks(batchItems(parsed(request.raw).toArray(), json.toArray()), QString(), ignored, &out);
        return out;
    }
    const QJsonObject o = json.toObject();
    if (isErrorReply(o)) {
        Assertion error;
        error.kind = Assertion::Kind::IsError;
        const QJsonValue code = o.value(QLatin1String("error")).toObject().value(QLatin1String("code"));
        if (code.isDouble())
            error.code = code.toInt();
        out.append(error);
        return out;
    }
    addChecks(o.value(QLatin1String("result")), QString(), ignored, &out);
    return out;
}

QString noteOf(int unanswered, int orphanReplies)
{
    QStringList parts;
    if (unanswered == 1)
        parts << QStringLiteral("1 request had no recorded reply and was left out");
    else if (unanswered > 1)
        parts << QStringLiteral("%1 requests had no recorded reply and were left out").arg(unanswered);
    if (orphanReplies == 1)
        parts << QStringLiteral("1 reply without its request was left out");
    else if (orphanReplies > 1)
        parts << QStringLiteral("%1 replies without their request were left out").arg(orphanReplies);
    return parts.join(QStringLiteral("; "));
}

bool isReplyRow(const TrafficEvent& e)
{
    const MessageKind kind = e.summary.kind;
    return e.kind == TrafficEvent::Kind::Message && !RequestPairing::isRequestLike(e) &&
           (kind == MessageKind::Response || kind == MessageKind::Error || kind == MessageKind::Batch);
}

} // namespace

bool isValidIgnorePointer(const QString& pointer, QString* error)
{
    if (pointer.isEmpty()) {
        if (error)
            *error =
                QStringLiteral("an empty pointer names the whole result; name a field inside it, e.g. /time");
        return false;
    }
    return JsonPointer::isValid(pointer, error);
}

QList<SavedCall> savedCallsFromTraffic(const std::vector<TrafficEvent>& rows,
                                       const QStringList& ignorePointers, QString* note)
{
    QString error;
    for (const QString& pointer : ignorePointers)
        if (!isValidIgnorePointer(pointer, &error)) {
            if (note)
                *note = error;
            return {};
        }
    QList<SavedCall> calls;
    std::set<size_t> usedReplies;
    int unanswered = 0;
    for (const RecordedPair& x : RecordedCalls::pairs(rows)) {
        const TrafficEvent& request = rows[x.request];
        SavedCall call = callOf(request);
        if (x.reply >= 0) {
            usedReplies.insert(size_t(x.reply));
            call.assertions = assertionsFor(request, rows[size_t(x.reply)], ignorePointers);
        } else if (!call.notification) {
            ++unanswered;
            continue;
        }
        calls.append(call);
    }
    int orphanReplies = 0;
    for (size_t i = 0; i < rows.size(); ++i)
        if (isReplyRow(rows[i]) && !usedReplies.count(i))
            ++orphanReplies;
    if (note)
        *note = noteOf(unanswered, orphanReplies);
    return calls;
}

} // namespace rpcbench
