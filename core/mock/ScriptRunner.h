#pragma once
// What core needs from a script engine, without depending on one: rpcbench_core stays Qt Core
// + Network only, and the QJSEngine implementation (ScriptHost, in core/script/, target
// rpcbench_script) plugs in through this interface. User methods with a script handler and the
// workspace loader's compile check go through it.

#include "dispatch/MethodRegistry.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace rpcbench {

namespace ErrorCode {
// A script ran longer than its time limit and was interrupted.
constexpr int ScriptTimeLimit = -32005;
} // namespace ErrorCode

// A JavaScript function: `body` is the code between the braces of
// `function name(params...) { body }`, so the method's parameters are plain variables. The
// body also sees `params`: the call's params as sent (see ScriptRunner::run), unless a
// parameter of that name hides it.
struct ScriptFunction
{
    QString name; // the method name, for messages and caching
    QStringList params;
    QString body;
};

// A mistake in a script, with the line of the body it is on (1-based; 0 = unknown).
struct ScriptProblem
{
    int line = 0;
    QString message;

    QString toString() const
    {
        return line > 0 ? QStringLiteral("line %1: %2").arg(line).arg(message) : message;
    }
};

class ScriptRunner
{
public:
    virtual ~ScriptRunner() = default;

    // Compile check: nullopt when `fn` is a valid function. Runs none of its code. Thread-safe.
    virtual std::optional<ScriptProblem> check(const ScriptFunction& fn) const = 0;
    // Calls `fn` with `args`, the bound arguments in declaration order (JSON values become JS
    // values), and `params`, the call's params as sent (an array by position, an object by
    // name, undefined when absent), off the calling thread; answers through `done`: the return
    // value as the result, a thrown error as a JSON-RPC error. Thread-safe.
    virtual void run(const ScriptFunction& fn, const QJsonArray& args, const QJsonValue& params,
                     Responder done) = 0;
    // A call that sent no params (the script sees `params` as undefined).
    void run(const ScriptFunction& fn, const QJsonArray& args, Responder done)
    {
        run(fn, args, QJsonValue(QJsonValue::Undefined), std::move(done));
    }
};

} // namespace rpcbench
