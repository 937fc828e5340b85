#pragma once
// Binds JSON-RPC params (by position, by name, or both for the classic dialect) to a
// method's declared parameters, following Python's rules: positionals first, then names,
// defaults fill the rest. Errors name the parameter and the problem (-32602).

#include "dispatch/MethodInfo.h"
#include "protocol/RpcError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <variant>

namespace rpcbench {

class Binder
{
public:
    // Returns the arguments in declaration order, or the -32602 error to answer.
    static std::variant<QJsonArray, RpcError> bind(const MethodInfo& method, const QJsonArray& positional,
                                                   const QJsonObject& named);

    // Every problem bind() would find with `params` as sent in a request (an array: by
    // position, an object: by name, absent or null: none), worded as bind() answers them;
    // bind() stops at the first. Empty when the call would bind. For checking a call before
    // it is sent (the client's raw params editor).
    static QStringList check(const MethodInfo& method, const QJsonValue& params);
};

} // namespace rpcbench
