#include "proxy/ReplayHandler.h"

#include "dispatch/PeerLink.h"
#include "protocol/RpcError.h"
#include "proxy/RecordedCalls.h"
#include "traffic/SummarizeMessage.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QObject>

namespace rpcbench {

namespace {

const QLatin1String kId("id");
const QLatin1String kMethod("method");
const QLatin1String kParams("params");

QJsonObject errorReply(const QJsonValue& id, const RpcError& error)
{
    return QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                       {kId, id.isUndefined() ? QJsonValue(QJsonValue::Null) : id},
                       {QStringLiteral("error"), error.toJson()}};
}

bool isNotification(const QJsonObject& o)
{
    const QJsonValue id = o.value(kId);
    return id.isUndefined() || id.isNull(); // JSON-RPC 1.0 notifications carry a null id
}

// RFC 6901: '~' is written ~0 and '/' ~1 inside a token.
QString escapedToken(QString token)
{
    return token.replace(QLatin1Char('~'), QLatin1String("~0"))
        .replace(QLatin1Char('/'), QLatin1String("~1"));
}

// Every leaf of `value` under its JSON Pointer, as compact JSON (empty containers are leaves).
void flatten(const QJsonValue& value, const QString& at, QMap<QString, QByteArray>* out)
{
    if (value.isObject() && !value.toObject().isEmpty()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), at + QLatin1Char('/') + escapedToken(it.key()), out);
    } else if (value.isArray() && !value.toArray().isEmpty()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flatten(a.at(i), at + QLatin1Char('/') + QString::number(i), out);
    } else {
        out->insert(at, JsonText::compact(value));
    }
}

// The pointers whose values differ between two flattened messages (either side missing too).
QStringList differences(const QMap<QString, QByteArray>& a, const QMap<QString, QByteArray>& b)
{
    QStringList out;
    for (auto it = a.begin(); it != a.end(); ++it)
        if (b.value(it.key(), QByteArray()) != it.value())
            out << it.key();
    for (auto it = b.begin(); it != b.end(); ++it)
        if (!a.contains(it.key()))
            out << it.key();
    out.sort();
    return out;
}

void sendAll(PeerLink* link, const QList<QByteArray>& messages)
{
    if (!link)
        return; // not from a connection (a unit test without one): nobody to send to
    for (const QByteArray& m : messages)
        link->send(m, summarizeMessage(m));
}

} // namespace

ReplayHandler::ReplayHandler(RecordedSession session, QStringList ignore)
    : m_session(std::move(session)), m_ignore(std::move(ignore))
{
    for (int i = 0; i < m_session.exchanges.size(); ++i) {
        const RecordedExchange& x = m_session.exchanges.at(i);
        m_byKey[keyOf(x.request, x.isCall())].append(i);
        if (x.isCall())
            m_callsByMethod[x.method()].append(i);
    }
}

// Calls and notifications never match each other: the kind is part of the key.
QByteArray ReplayHandler::keyOf(const QJsonObject& message, bool call) const
{
    return (call ? "c" : "n") + JsonText::compact(RecordedCalls::comparable(message, m_ignore));
}

void ReplayHandler::handle(const QByteArray& message, QObject* context, ReplyCallback done,
                           MessageSummary* summary, const ReplySink* /*replies: answers to recorded
                                                                       server requests are not checked*/)
{
    *summary = summarizeMessage(message);
    const std::shared_ptr<PeerLink> link = PeerLink::current();
    Connection& connection = m_connections[link ? link->connectionId() : 0];
    Answer answer = answerMessage(message, connection);
    if (!connection.opened) {
        connection.opened = true;
        answer.before = m_session.opening + answer.before;
    }
    // Always answered from the event loop, in order: a reply written synchronously would
    // overtake the server messages meant to precede it, and an earlier reply still queued.
    QMetaObject::invokeMethod(
        context,
        [link, done = std::move(done), answer = std::move(answer)] {
            sendAll(link.get(), answer.before);
            DispatchReply reply;
            if (!answer.reply.isUndefined()) {
                reply.bytes = JsonText::compact(answer.reply);
                reply.summary = summarizeMessage(reply.bytes);
            }
            done(reply);
            sendAll(link.get(), answer.after);
        },
        Qt::QueuedConnection);
}

void ReplayHandler::connectionClosed(quint64 connectionId)
{
    m_connections.erase(connectionId);
}

ReplayHandler::Answer ReplayHandler::answerMessage(const QByteArray& message, Connection& connection) const
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {errorReply(QJsonValue::Null, {ErrorCode::ParseError,
                                              QStringLiteral("Parse error: ") + parseError.errorString()}),
                {},
                {}};
    if (doc.isObject())
        return answerObject(doc.object(), connection);
    const QJsonArray batch = doc.array();
    if (batch.isEmpty())
        return {errorReply(QJsonValue::Null,
                           {ErrorCode::InvalidRequest, QStringLiteral("Invalid Request: empty batch")}),
                {},
                {}};
    // A batch's reply is one array: the server messages of its calls go before or after it.
    Answer out;
    QJsonArray replies;
    for (const QJsonValue& element : batch) {
        const Answer a = element.isObject()
                             ? answerObject(element.toObject(), connection)
                             : Answer{errorReply(QJsonValue::Null, {ErrorCode::InvalidRequest,
                                                                    QStringLiteral("Invalid Request")}),
                                      {},
                                      {}};
        if (!a.reply.isUndefined())
            replies.append(a.reply);
        out.before += a.before;
        out.after += a.after;
    }
    if (!replies.isEmpty())
        out.reply = replies; // none when the batch held notifications only
    return out;
}

ReplayHandler::Answer ReplayHandler::answerObject(const QJsonObject& message, Connection& connection) const
{
    if (!message.contains(kMethod)) {
        if (message.contains(QLatin1String("result")) || message.contains(QLatin1String("error")))
            return {}; // the client answers a recorded server request: accepted as it is
        return {
            errorReply(message.value(kId), {ErrorCode::InvalidRequest, QStringLiteral("Invalid Request")}),
            {},
            {}};
    }
    const bool call = !isNotification(message);
    const RecordedExchange* x = next(keyOf(message, call), connection);
    if (!call) // accepted silently, matched or not
        return {QJsonValue::Undefined, {}, x ? x->after : QList<QByteArray>()};
    if (!x)
        return {noMatch(message), {}, {}};
    QJsonObject reply = x->reply;
    reply.insert(kId, message.value(kId));
    return {reply, x->before, x->after};
}

// The recorded exchange the next message with this key gets: the n-th for the n-th, then the
// last again.
const RecordedExchange* ReplayHandler::next(const QByteArray& key, Connection& connection) const
{
    const auto it = m_byKey.constFind(key);
    if (it == m_byKey.constEnd())
        return nullptr;
    int& used = connection.used[key];
    const int index = it->at(qMin(used, int(it->size()) - 1));
    ++used;
    return &m_session.exchanges.at(index);
}

QJsonObject ReplayHandler::noMatch(const QJsonObject& request) const
{
    const QString method = request.value(kMethod).toString();
    const QJsonValue id = request.value(kId);
    const auto calls = m_callsByMethod.constFind(method);
    if (calls == m_callsByMethod.constEnd())
        return errorReply(id,
                          {ErrorCode::MethodNotFound,
                           QStringLiteral("Method not found: the recording has no call of %1").arg(method)});
    // The closest recorded call: the most leaves in common with this request.
    QMap<QString, QByteArray> wanted;
    flatten(RecordedCalls::comparable(request, m_ignore), QString(), &wanted);
    const RecordedExchange* closest = nullptr;
    QStringList closestDiff;
    for (const int i : *calls) {
        const RecordedExchange& x = m_session.exchanges.at(i);
        QMap<QString, QByteArray> recorded;
        flatten(RecordedCalls::comparable(x.request, m_ignore), QString(), &recorded);
        const QStringList diff = differences(wanted, recorded);
        if (!closest || diff.size() < closestDiff.size()) {
            closest = &x;
            closestDiff = diff;
        }
    }
    QJsonObject data{{QStringLiteral("closestParams"), closest->request.value(kParams)},
                     {QStringLiteral("differingPointers"), QJsonArray::fromStringList(closestDiff)}};
    return errorReply(id, {ErrorCode::InvalidParams,
                           QStringLiteral("no recorded call of %1 matches these params").arg(method), data});
}

} // namespace rpcbench
