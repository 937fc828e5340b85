#pragma once
// A method defined by the user at run time (a mock): its description (name, parameters,
// result) and a handler that is a canned result, a canned JSON-RPC error, or a JavaScript
// function body run by a ScriptRunner. Registered into the MethodRegistry like any built-in
// method, so discovery shows it the same way. Stored in workspaces as JSON.

#include "dispatch/MethodInfo.h"
#include "mock/ScriptRunner.h"
#include "mock/Subscriptions.h"
#include "protocol/RpcError.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace rpcbench {

class MethodRegistry;

// Subscribe/Unsubscribe: a mock subscription (mock/Subscriptions.h). Subscribe answers a new
// subscription id and then notifies the caller every subscription.intervalMs; Unsubscribe takes
// that id (params[0], the first declared parameter, or params.subscription) and answers true
// when it ended one, false for an unknown id.
enum class UserHandlerKind : quint8 { Result, Error, Script, Subscribe, Unsubscribe };

// "result", "error", "script", "subscribe", "unsubscribe"
QString toString(UserHandlerKind kind);

struct UserMethod
{
    QString name;
    QString description;
    QList<ParamInfo> params;
    ParamType resultType = ParamType::Any;
    QString resultDescription;
    UserHandlerKind kind = UserHandlerKind::Result;
    QJsonValue result = QJsonValue::Null;                                 // kind == Result
    RpcError error{ErrorCode::ServerError, QStringLiteral("mock error")}; // kind == Error
    // kind == Script: the body of function name(params...) { ... }; besides the parameters
    // it sees `params`, the call's params as sent (ScriptRunner::run).
    QString script;
    SubscribeSettings subscription; // kind == Subscribe
    bool enabled = true;

    MethodInfo info() const; // builtin = false
    ScriptFunction scriptFunction() const;

    // Checks everything but the script's syntax (that needs a ScriptRunner): a usable name,
    // unique parameter names (JavaScript identifiers for scripts), defaults of the declared
    // type, a variadic parameter only last. Empty = fine.
    QString validate() const;

    // Adds (or replaces) the method in `registry`. Script methods run on `scripts`; without
    // one they answer -32603 "scripting is not available".
    void registerInto(MethodRegistry& registry, const std::shared_ptr<ScriptRunner>& scripts) const;

    // {"name", "description", "params": [{"name", "type", "default" | "optional": true,
    //  "variadic", "description"}], "result": {"type", "description"},
    //  "handler": {"kind": "result", "value"} | {"kind": "error", "code", "message", "data"}
    //           | {"kind": "script", "source"}
    //           | {"kind": "subscribe", "notification", "intervalMs", "maxEvents", "params"}
    //           | {"kind": "unsubscribe"}, "enabled"}
    QJsonObject toJson() const;
    // Strict reader: errors name the member ("params[1].type: unknown type 'float'"). Runs
    // validate() too.
    static std::optional<UserMethod> fromJson(const QJsonValue& json, QString* error);

    bool operator==(const UserMethod& other) const;
};

} // namespace rpcbench
