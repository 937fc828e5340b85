#include "proxy/RecordedSession.h"

#include "traffic/RequestPairing.h"
#include "util/JsonText.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <unordered_map>

namespace rpcbench {

namespace {

enum class Shape { Call, Notification, Reply, Other };

Shape shapeOf(const QJsonObject& o)
{
    if (o.contains(QLatin1String("method"))) {
        const QJsonValue id = o.value(QLatin1String("id"));
        return id.isUndefined() || id.isNull() ? Shape::Notification : Shape::Call; // 1.0: null id
    }
    if (o.contains(QLatin1String("result")) || o.contains(QLatin1String("error")))
        return Shape::Reply;
    return Shape::Other;
}

// A message's objects: itself, or a batch's elements.
QList<QJsonObject> objectsOf(const QJsonDocument& doc)
{
    QList<QJsonObject> out;
    if (doc.isObject())
        out.append(doc.object());
    for (const QJsonValue& v : doc.array())
        if (v.isObject())
            out.append(v.toObject());
    return out;
}

QByteArray idKey(const QJsonObject& o)
{
    return JsonText::compact(o.value(QLatin1String("id")));
}

bool hasServerView(const std::vector<TrafficEvent>& events)
{
    for (const TrafficEvent& e : events)
        if (e.kind == TrafficEvent::Kind::Message && e.side != Side::Client)
            return true;
    return false;
}

// Builds the session one event at a time (per connection: the calls awaiting their reply and
// the latest client message, where the server's own messages go).
class Builder
{
public:
    void add(const TrafficEvent& e)
    {
        if (m_firstConnection == 0)
            m_firstConnection = e.connectionId;
        Connection& c = m_connections[e.connectionId];
        const QJsonDocument doc = QJsonDocument::fromJson(e.raw);
        if (RequestPairing::isRequestLike(e))
            fromClient(c, doc);
        else
            fromServer(c, e.connectionId, doc, e.raw);
    }

    // Without the calls nobody answered (their server messages go with them).
    RecordedSession finish()
    {
        RecordedSession out;
        out.opening = m_session.opening;
        for (const RecordedExchange& x : std::as_const(m_session.exchanges)) {
            const bool unanswered = shapeOf(x.request) == Shape::Call && x.reply.isEmpty();
            if (unanswered)
                ++out.unanswered;
            else
                out.exchanges.append(x);
        }
        return out;
    }

private:
    struct Connection
    {
        qsizetype latest = -1;                // the client's latest message (exchange index)
        QHash<QByteArray, qsizetype> waiting; // id -> call awaiting its reply
    };

    void fromClient(Connection& c, const QJsonDocument& doc)
    {
        for (const QJsonObject& o : objectsOf(doc)) {
            const Shape shape = shapeOf(o);
            if (shape != Shape::Call && shape != Shape::Notification)
                continue; // the client's replies to the server's requests
            c.latest = m_session.exchanges.size();
            m_session.exchanges.append(RecordedExchange{o, {}, {}, {}});
            if (shape == Shape::Call)
                c.waiting.insert(idKey(o), c.latest);
        }
    }

    void fromServer(Connection& c, quint64 connectionId, const QJsonDocument& doc, const QByteArray& raw)
    {
        const QList<QJsonObject> objects = objectsOf(doc);
        for (const QJsonObject& o : objects) {
            if (shapeOf(o) == Shape::Reply) {
                const auto call = c.waiting.find(idKey(o));
                if (call != c.waiting.end()) {
                    m_session.exchanges[*call].reply = o;
                    c.waiting.erase(call);
                }
                continue;
            }
            // A single message keeps its recorded bytes; a batch element is written anew.
            place(c, connectionId, doc.isObject() ? raw : JsonText::compact(o));
        }
    }

    void place(const Connection& c, quint64 connectionId, const QByteArray& message)
    {
        if (c.latest < 0) {
            if (connectionId == m_firstConnection)
                m_session.opening.append(message);
            return;
        }
        RecordedExchange& x = m_session.exchanges[c.latest];
        const bool replyPending = shapeOf(x.request) == Shape::Call && x.reply.isEmpty();
        (replyPending ? x.before : x.after).append(message);
    }

    RecordedSession m_session;
    std::unordered_map<quint64, Connection> m_connections;
    quint64 m_firstConnection = 0;
};

int countServerMessages(const RecordedSession& s, Shape shape)
{
    int n = 0;
    const auto count = [&](const QList<QByteArray>& messages) {
        for (const QByteArray& m : messages)
            n += shapeOf(QJsonDocument::fromJson(m).object()) == shape ? 1 : 0;
    };
    count(s.opening);
    for (const RecordedExchange& x : s.exchanges) {
        count(x.before);
        count(x.after);
    }
    return n;
}

} // namespace

RecordedSession RecordedSession::fromEvents(const std::vector<TrafficEvent>& events)
{
    const bool serverView = hasServerView(events);
    Builder builder;
    for (const TrafficEvent& e : events) {
        if (e.kind == TrafficEvent::Kind::Message && (e.side != Side::Client) == serverView)
            builder.add(e);
    }
    return builder.finish();
}

int RecordedSession::callCount() const
{
    return int(std::count_if(exchanges.cbegin(), exchanges.cend(),
                             [](const RecordedExchange& x) { return x.isCall(); }));
}

int RecordedSession::methodCount() const
{
    QSet<QString> methods;
    for (const RecordedExchange& x : exchanges)
        if (x.isCall())
            methods.insert(x.method());
    return int(methods.size());
}

int RecordedSession::serverNotificationCount() const
{
    return countServerMessages(*this, Shape::Notification);
}

int RecordedSession::serverRequestCount() const
{
    return countServerMessages(*this, Shape::Call);
}

} // namespace rpcbench
