#include "load/LoadRequest.h"

#include "util/JsonText.h"
#include "wire/Endpoint.h"
#include "wire/Framing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rpcbench {

namespace LoadRequest {

namespace {

QJsonObject callObject(const QString& method, const QJsonValue& params, Dialect dialect,
                       bool notification = false)
{
    QJsonObject o;
    switch (dialect) {
    case Dialect::Classic:
        o.insert(QStringLiteral("method_name"), method);
        if (params.isArray())
            o.insert(QStringLiteral("method_args"), params);
        else if (params.isObject())
            o.insert(QStringLiteral("method_kwargs"), params);
        break;
    case Dialect::JsonRpc1:
        o.insert(QStringLiteral("method"), method);
        o.insert(QStringLiteral("params"), params.isUndefined() ? QJsonValue(QJsonArray()) : params);
        o.insert(QStringLiteral("id"), notification ? QJsonValue(QJsonValue::Null) : QJsonValue(1));
        break;
    case Dialect::JsonRpc2:
    case Dialect::Unknown:
        o.insert(QStringLiteral("jsonrpc"), QStringLiteral("2.0"));
        o.insert(QStringLiteral("method"), method);
        if (!params.isUndefined())
            o.insert(QStringLiteral("params"), params);
        if (!notification)
            o.insert(QStringLiteral("id"), 1);
        break;
    }
    return o;
}

} // namespace

QByteArray buildCall(const QString& method, const QByteArray& params, Dialect dialect, QString* error,
                     bool notification)
{
    if (method.isEmpty()) {
        if (error)
            *error = QStringLiteral("empty method name");
        return {};
    }
    if (notification && dialect == Dialect::Classic) {
        if (error)
            *error = QStringLiteral("the classic dialect has no notifications");
        return {};
    }
    QJsonValue value = QJsonValue::Undefined;
    if (!params.trimmed().isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(params, &pe);
        if (pe.error != QJsonParseError::NoError || doc.isNull()) {
            if (error)
                *error = QStringLiteral("--params is not valid JSON: %1 at offset %2")
                             .arg(pe.errorString())
                             .arg(pe.offset);
            return {};
        }
        if (!doc.isArray() && !doc.isObject()) {
            if (error)
                *error = QStringLiteral("--params must be a JSON array or object");
            return {};
        }
        value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    return JsonText::compact(callObject(method, value, dialect, notification));
}

QByteArray buildEcho(qsizetype payloadBytes, Dialect dialect)
{
    const QJsonArray params{QString(payloadBytes, QLatin1Char('x'))};
    return JsonText::compact(callObject(QStringLiteral("echo"), params, dialect));
}

QByteArray frame(const Endpoint& target, const QByteArray& json)
{
    if (target.transport == Transport::WebSocket)
        return json; // one text message per call: the message is the frame
    FramingSpec spec;
    spec.transport = target.transport;
    spec.httpHost = target.authority().toUtf8();
    spec.httpPath = target.path.isEmpty() ? QByteArray("/") : target.path.toUtf8();
    spec.httpHeaders = target.options.requestHeaders();
    return frameRequest(spec, json);
}

} // namespace LoadRequest

} // namespace rpcbench
