#pragma once
// Compile checks for user scripts, with the line of the mistake, without running any of the
// script's code: the body is parsed by JavaScript's Function constructor (which can only
// build a function, so nothing runs). That constructor does not tell the line, so when it
// fails the body is parsed once more inside a program that is guaranteed not to parse as a
// whole (a trailing '@'), which yields the line and still runs nothing.

#include "mock/ScriptRunner.h"

#include <optional>

class QJSEngine;
class QJSValue;

namespace rpcbench {

class ScriptSyntax
{
public:
    // Uses a throwaway engine on the calling thread (about a millisecond).
    static std::optional<ScriptProblem> check(const ScriptFunction& fn);
    // The line and message of a body the Function constructor rejected, parsed with `engine`.
    static ScriptProblem locate(QJSEngine& engine, const ScriptFunction& fn);
    // Builds the function's maker with `functionCtor` (the engine's original Function
    // constructor): called with the call's params as sent, it returns the function, whose body
    // sees them as `params`. An error value when the body does not compile.
    static QJSValue compile(QJSEngine& engine, const QJSValue& functionCtor, const ScriptFunction& fn);
};

} // namespace rpcbench
