#include "traffic/TrafficEventCodec.h"

#include <QDateTime>
#include <QJsonDocument>

namespace rpcbench {

namespace {

template <class E> std::optional<E> enumFromString(const QString& s, std::initializer_list<E> values)
{
    for (E v : values)
        if (toString(v) == s)
            return v;
    return std::nullopt;
}

// The "kind" of a row that is a line of a launched process's standard error.
QString stderrKind()
{
    return QStringLiteral("stderr");
}

bool isValidUtf8(const QByteArray& bytes)
{
    // Invalid sequences decode to U+FFFD, so a lossless round trip means valid UTF-8.
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

} // namespace

QJsonObject trafficEventToJson(const TrafficEvent& e)
{
    QJsonObject o;
    o.insert(u"t", e.timestampUs);
    o.insert(u"conn", qint64(e.connectionId));
    o.insert(u"peer", e.peer);
    o.insert(u"side", toString(e.side));
    o.insert(u"dir", toString(e.direction));
    o.insert(u"transport", toString(e.transport));
    o.insert(u"dialect", toString(e.summary.dialect));
    // A stderr row has no message summary: its own kind (older readers reject the row, with a
    // reason, instead of showing it as a message).
    o.insert(u"kind", e.kind == TrafficEvent::Kind::Stderr ? stderrKind() : toString(e.summary.kind));
    if (!e.summary.method.isEmpty())
        o.insert(u"method", e.summary.method);
    if (!e.summary.idJson.isEmpty())
        o.insert(u"id", QString::fromUtf8(e.summary.idJson));
    if (e.summary.batchSize > 0)
        o.insert(u"batch", e.summary.batchSize);
    if (e.summary.errorCode != 0)
        o.insert(u"errorCode", e.summary.errorCode);
    if (e.summary.faulted)
        o.insert(u"faulted", true);
    o.insert(u"size", e.raw.size());
    o.insert(u"latencyUs", e.latencyUs);
    if (e.upstreamUs >= 0) // proxy replies only
        o.insert(u"upstreamUs", e.upstreamUs);
    if (e.late) // written only when set: most replies are not late, and older files lack it
        o.insert(u"late", true);
    if (isValidUtf8(e.raw))
        o.insert(u"raw", QString::fromUtf8(e.raw));
    else
        o.insert(u"rawBase64", QString::fromLatin1(e.raw.toBase64()));
    return o;
}

QByteArray trafficEventToJsonLine(const TrafficEvent& event)
{
    return QJsonDocument(trafficEventToJson(event)).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<TrafficEvent> trafficEventFromJson(const QJsonObject& o, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<TrafficEvent> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!o.value(u"t").isDouble())
        return fail(QStringLiteral("missing or non-numeric \"t\" (timestamp)"));
    const auto side = enumFromString(o.value(u"side").toString(), {Side::Server, Side::Client, Side::Proxy});
    const auto dir = enumFromString(o.value(u"dir").toString(), {Direction::In, Direction::Out});
    const auto transport =
        enumFromString(o.value(u"transport").toString(),
                       {Transport::JsonStream, Transport::Lsp, Transport::Http, Transport::WebSocket});
    const auto dialect =
        enumFromString(o.value(u"dialect").toString(),
                       {Dialect::Unknown, Dialect::JsonRpc2, Dialect::JsonRpc1, Dialect::Classic});
    const bool stderrRow = o.value(u"kind").toString() == stderrKind();
    const auto kind =
        stderrRow ? std::optional(MessageKind::Invalid)
                  : enumFromString(o.value(u"kind").toString(),
                                   {MessageKind::Request, MessageKind::Notification, MessageKind::Response,
                                    MessageKind::Error, MessageKind::Batch, MessageKind::Invalid});
    if (!side)
        return fail(QStringLiteral("bad \"side\" (expected server, client or proxy)"));
    if (!dir)
        return fail(QStringLiteral("bad \"dir\" (expected in or out)"));
    if (!transport || !dialect || !kind)
        return fail(QStringLiteral("bad \"transport\", \"dialect\" or \"kind\""));
    if (!o.contains(u"raw") && !o.contains(u"rawBase64"))
        return fail(QStringLiteral("missing \"raw\" or \"rawBase64\""));

    TrafficEvent e;
    e.timestampUs = o.value(u"t").toInteger();
    e.connectionId = quint64(o.value(u"conn").toInteger());
    e.peer = o.value(u"peer").toString();
    e.side = *side;
    e.direction = *dir;
    e.transport = *transport;
    e.summary.dialect = *dialect;
    e.summary.kind = *kind;
    if (stderrRow) {
        e.kind = TrafficEvent::Kind::Stderr;
        e.summary = {};
    }
    e.summary.method = o.value(u"method").toString();
    e.summary.idJson = o.value(u"id").toString().toUtf8();
    e.summary.batchSize = o.value(u"batch").toInt();
    e.summary.errorCode = o.value(u"errorCode").toInt();
    e.summary.faulted = o.value(u"faulted").toBool();
    e.latencyUs = o.value(u"latencyUs").toInteger(-1);
    e.upstreamUs = o.value(u"upstreamUs").toInteger(-1);
    e.late = o.value(u"late").toBool();
    e.raw = o.contains(u"raw") ? o.value(u"raw").toString().toUtf8()
                               : QByteArray::fromBase64(o.value(u"rawBase64").toString().toLatin1());
    return e;
}

QByteArray trafficEventToText(const TrafficEvent& e)
{
    const QString time =
        QDateTime::fromMSecsSinceEpoch(e.timestampUs / 1000).toString(QStringLiteral("HH:mm:ss.zzz"));
    QString line = QStringLiteral("%1 %2 %3 #%4 %5 %6 %7 %8")
                       .arg(time, toString(e.side),
                            e.direction == Direction::In ? QStringLiteral("<-") : QStringLiteral("->"))
                       .arg(e.connectionId)
                       .arg(e.peer, toString(e.transport), toString(e.summary.dialect),
                            e.kind == TrafficEvent::Kind::Stderr ? stderrKind() : toString(e.summary.kind));
    if (e.kind == TrafficEvent::Kind::Stderr) // the line itself is what matters
        return (line + QStringLiteral(": ") + QString::fromUtf8(e.raw)).toUtf8() + '\n';
    if (!e.summary.method.isEmpty())
        line += u' ' + e.summary.method;
    if (!e.summary.idJson.isEmpty())
        line += QStringLiteral(" id=") + QString::fromUtf8(e.summary.idJson);
    if (e.summary.errorCode != 0)
        line += QStringLiteral(" code=") + QString::number(e.summary.errorCode);
    line += QStringLiteral(" %1B").arg(e.raw.size());
    if (e.latencyUs >= 0)
        line += QStringLiteral(" %1ms").arg(double(e.latencyUs) / 1000.0, 0, 'f', 3);
    if (e.summary.faulted)
        line += QStringLiteral(" [faulted]");
    if (e.upstreamUs >= 0)
        line += QStringLiteral(" (upstream %1ms)").arg(double(e.upstreamUs) / 1000.0, 0, 'f', 3);
    if (e.late)
        line += QStringLiteral(" [late]");
    return line.toUtf8() + '\n';
}

} // namespace rpcbench
