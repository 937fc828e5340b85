#pragma once
// Binds JSON-RPC params (by position, by name, or both for the classic dialect) to a
// method's declared parameters, following Python's rules: positionals first, then names,
// defaults fill the rest. Errors name the parameter and the problem (-32602).

#include "dispatch/MethodInfo.h"
#include "protocol/RpcError.h"

#include <QJsonArray>
#include <QJsonObject>

#include <variant>

namespace rpcbench {

class Binder
{
public:
    // Returns the arguments in declaration order, or the -32602 error to answer.
    static std::variant<QJsonArray, RpcError> bind(const MethodInfo& method, const QJsonArray& positional,
                                                   const QJsonObject& named);
};

} // namespace rpcbench
