#include "client/ClientCodec.h"

#include "dispatch/MethodInfo.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace rpcbench::ClientCodec {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

bool checkParams(Dialect dialect, const CallRequest& request, QString* error)
{
    const QJsonValue& p = request.params;
    if (!p.isUndefined() && !p.isArray() && !p.isObject())
        return fail(error, QStringLiteral("params must be a JSON array or object"));
    if (dialect == Dialect::Classic) {
        if (request.notification)
            return fail(error, QStringLiteral("the classic dialect has no notifications"));
        if (p.isObject() && !request.kwargs.isEmpty())
            return fail(error,
                        QStringLiteral("give keyword arguments either as an object or as kwargs, not both"));
        return true;
    }
    if (!request.kwargs.isEmpty())
        return fail(error, QStringLiteral("JSON-RPC %1 cannot mix positional and named arguments "
                                          "(use the classic dialect, or only one kind)")
                               .arg(toString(dialect)));
    return true;
}

} // namespace

std::optional<QJsonObject> buildRequest(Dialect dialect, const CallRequest& request, qint64 id,
                                        QString* error)
{
    if (request.method.isEmpty()) {
        fail(error, QStringLiteral("method name is empty"));
        return std::nullopt;
    }
    if (!checkParams(dialect, request, error))
        return std::nullopt;

    QJsonObject o;
    switch (dialect) {
    case Dialect::Classic: {
        o.insert(QLatin1String("method_name"), request.method);
        o.insert(QLatin1String("method_args"), request.params.isArray() ? request.params : QJsonArray());
        o.insert(QLatin1String("method_kwargs"),
                 request.params.isObject() ? request.params : QJsonValue(request.kwargs));
        return o;
    }
    case Dialect::JsonRpc1:
        // 1.0 always carries params (an array) and an id; null marks a notification.
        o.insert(QLatin1String("method"), request.method);
        o.insert(QLatin1String("params"), request.params.isUndefined() ? QJsonArray() : request.params);
        o.insert(QLatin1String("id"), request.notification ? QJsonValue(QJsonValue::Null) : QJsonValue(id));
        return o;
    case Dialect::Unknown:
    case Dialect::JsonRpc2:
        o.insert(QLatin1String("jsonrpc"), QStringLiteral("2.0"));
        o.insert(QLatin1String("method"), request.method);
        if (!request.params.isUndefined())
            o.insert(QLatin1String("params"), request.params);
        if (!request.notification)
            o.insert(QLatin1String("id"), id);
        return o;
    }
    return std::nullopt;
}

std::optional<QJsonValue> parseReply(const QByteArray& payload, QString* error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &pe);
    if (pe.error != QJsonParseError::NoError) {
        QByteArray head = payload.left(60).simplified();
        fail(error,
             QStringLiteral("malformed reply: %1 at offset %2 in '%3%4'")
                 .arg(pe.errorString())
                 .arg(pe.offset)
                 .arg(QString::fromUtf8(head), payload.size() > 60 ? QStringLiteral("...") : QString()));
        return std::nullopt;
    }
    if (doc.isArray())
        return QJsonValue(doc.array());
    if (doc.isObject())
        return QJsonValue(doc.object());
    fail(error, QStringLiteral("malformed reply: not a JSON object or array"));
    return std::nullopt;
}

std::optional<qint64> idKey(const QJsonValue& id)
{
    if (id.isDouble()) {
        const double d = id.toDouble();
        const qint64 i = id.toInteger();
        if (double(i) == d)
            return i;
        return std::nullopt;
    }
    if (id.isString()) {
        bool ok = false;
        const qint64 i = id.toString().toLongLong(&ok);
        if (ok)
            return i;
    }
    return std::nullopt;
}

} // namespace rpcbench::ClientCodec
