#include "protocol/CallResult.h"

#include "util/JsonText.h"
#include "util/JsonTypes.h"

#include <QJsonObject>

namespace rpcbench {

namespace {

// Servers in the wild answer errors as objects (the spec), strings or numbers.
RpcError decodeError(const QJsonValue& e)
{
    if (e.isObject()) {
        const QJsonObject o = e.toObject();
        RpcError err = RpcError::fromJson(o);
        if (!o.contains(QLatin1String("message")) && !o.contains(QLatin1String("code")))
            err.message = QString::fromUtf8(JsonText::compact(e)); // unknown shape: show all of it
        return err;
    }
    RpcError err;
    err.code = ErrorCode::ServerError;
    err.message = e.isString() ? e.toString() : QString::fromUtf8(JsonText::compact(e));
    return err;
}

} // namespace

QString toString(CallStatus s)
{
    switch (s) {
    case CallStatus::Ok:
        return QStringLiteral("ok");
    case CallStatus::RpcError:
        return QStringLiteral("error");
    case CallStatus::TransportError:
        return QStringLiteral("transport error");
    case CallStatus::Timeout:
        return QStringLiteral("timeout");
    case CallStatus::Cancelled:
        return QStringLiteral("cancelled");
    case CallStatus::NoReply:
        return QStringLiteral("no reply");
    }
    return {};
}

QString CallResult::describe() const
{
    switch (status) {
    case CallStatus::Ok:
        return notification ? QStringLiteral("notification sent") : QStringLiteral("ok");
    case CallStatus::RpcError:
        return QStringLiteral("error %1: %2").arg(error.code).arg(error.message);
    case CallStatus::TransportError:
    case CallStatus::Timeout:
    case CallStatus::Cancelled:
    case CallStatus::NoReply:
        return transportError.isEmpty() ? toString(status) : transportError;
    }
    return {};
}

void decodeReply(const QJsonValue& reply, CallResult& out)
{
    if (!reply.isObject()) {
        out.status = CallStatus::TransportError;
        out.transportError =
            QStringLiteral("malformed reply: expected an object, got %1").arg(jsonTypeName(reply));
        return;
    }
    const QJsonObject o = reply.toObject();
    const QJsonValue err = o.value(QLatin1String("error"));
    if (!err.isUndefined() && !err.isNull()) {
        out.status = CallStatus::RpcError;
        out.error = decodeError(err);
        return;
    }
    for (const char* key : {"result", "res"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined()) {
            out.status = CallStatus::Ok;
            out.result = v;
            return;
        }
    }
    out.status = CallStatus::TransportError;
    out.transportError = QStringLiteral("malformed reply: neither \"result\" nor \"error\" in %1")
                             .arg(QString::fromUtf8(JsonText::compact(reply).left(80)));
}

} // namespace rpcbench
