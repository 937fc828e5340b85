#include "protocol/RpcError.h"

namespace rpcbench {

QJsonObject RpcError::toJson() const
{
    QJsonObject obj{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!data.isUndefined())
        obj.insert(QStringLiteral("data"), data);
    return obj;
}

RpcError RpcError::fromJson(const QJsonObject& obj)
{
    RpcError e;
    const QJsonValue code = obj.value(QLatin1StringView("code"));
    // A peer may send a non-integral or missing code; keep whatever integer part we can.
    e.code = code.isDouble() ? static_cast<int>(code.toDouble()) : ErrorCode::InternalError;
    e.message = obj.value(QLatin1StringView("message")).toString();
    e.data = obj.value(QLatin1StringView("data")); // Undefined when absent
    return e;
}

RpcException::RpcException(int code, QString message, QJsonValue data)
    : m_error{code, std::move(message), std::move(data)}, m_what(m_error.message.toUtf8())
{}

} // namespace rpcbench
