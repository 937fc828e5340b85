#include "ScriptSyntax.h"

#include <QJSEngine>
#include <QJSValueList>

namespace rpcbench {

QJSValue ScriptSyntax::compile(QJSEngine& engine, const QJSValue& functionCtor, const ScriptFunction& fn)
{
    Q_UNUSED(engine);
    QJSValueList args;
    for (const QString& p : fn.params)
        args << QJSValue(p);
    args << QJSValue(fn.body);
    return functionCtor.callAsConstructor(args);
}

ScriptProblem ScriptSyntax::locate(QJSEngine& engine, const ScriptFunction& fn)
{
    // The body starts on line 1, right after the opening brace, so lines match the editor's.
    const QString program = QStringLiteral("(function (%1) {%2\n})\n@").arg(fn.params.join(u", "), fn.body);
    const QJSValue error = engine.evaluate(program, fn.name.isEmpty() ? QStringLiteral("script") : fn.name, 1);
    const int bodyLines = int(fn.body.count(u'\n')) + 1;
    const int line = error.property(QStringLiteral("lineNumber")).toInt();
    QString message = error.toString();
    if (!error.isError() || line <= 0)
        return {0, QStringLiteral("SyntaxError: the script does not compile")};
    if (line > bodyLines) {
        // The parser only noticed at our closing "})" or the sentinel: brackets do not match.
        return {bodyLines, QStringLiteral("SyntaxError: unexpected end of the script (a bracket or brace is not "
                                          "closed, or one closes too early)")};
    }
    return {line, message};
}

std::optional<ScriptProblem> ScriptSyntax::check(const ScriptFunction& fn)
{
    QJSEngine engine;
    const QJSValue ctor = engine.globalObject().property(QStringLiteral("Function"));
    const QJSValue compiled = compile(engine, ctor, fn);
    if (compiled.isCallable())
        return std::nullopt;
    return locate(engine, fn);
}

} // namespace rpcbench
