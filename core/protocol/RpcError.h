#pragma once
// A JSON-RPC error as a value, and as an exception a handler may throw to answer with a
// specific code (any other exception becomes -32603 Internal error).

#include "protocol/RpcTypes.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <exception>

namespace rpcbench {

struct RpcError
{
    int code = ErrorCode::InternalError;
    QString message;
    QJsonValue data = QJsonValue::Undefined; // Undefined = no "data" member

    QJsonObject toJson() const;
    static RpcError fromJson(const QJsonObject& obj);
};

class RpcException : public std::exception
{
public:
    RpcException(int code, QString message, QJsonValue data = QJsonValue::Undefined);
    const RpcError& error() const { return m_error; }
    const char* what() const noexcept override { return m_what.constData(); }

private:
    RpcError m_error;
    QByteArray m_what;
};

// Outcome of one call: a result or an error.
struct RpcResult
{
    bool ok = true;
    QJsonValue value; // when ok
    RpcError error;   // when !ok

    static RpcResult success(QJsonValue v) { return {true, std::move(v), {}}; }
    static RpcResult failure(RpcError e) { return {false, {}, std::move(e)}; }
    static RpcResult failure(int code, QString message, QJsonValue data = QJsonValue::Undefined)
    {
        return {false, {}, RpcError{code, std::move(message), std::move(data)}};
    }
};

} // namespace rpcbench
