#include "script/ScriptSyntax.h"

#include <QJSEngine>
#include <QJSValueList>

namespace rpcbench {

namespace {

// Where brackets stop matching, for mistakes the parser only notices after the body (a brace
// closing the function early, or one never closed). Skips strings and comments; a regular
// expression literal holding a bracket may mislead it, which only costs a less precise line.
ScriptProblem bracketProblem(const QString& body)
{
    struct Open
    {
        QChar bracket;
        int line;
    };
    QList<Open> open;
    int line = 1;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        const QChar next = i + 1 < body.size() ? body.at(i + 1) : QChar();
        if (c == u'\n') {
            ++line;
        } else if (c == u'/' && next == u'/') {
            while (i + 1 < body.size() && body.at(i + 1) != u'\n')
                ++i;
        } else if (c == u'/' && next == u'*') {
            for (i += 2; i + 1 < body.size() && !(body.at(i) == u'*' && body.at(i + 1) == u'/'); ++i)
                line += body.at(i) == u'\n' ? 1 : 0;
            ++i;
        } else if (c == u'"' || c == u'\'' || c == u'`') {
            for (++i; i < body.size() && body.at(i) != c; ++i) {
                if (body.at(i) == u'\\')
                    ++i;
                else if (body.at(i) == u'\n')
                    ++line;
            }
        } else if (c == u'(' || c == u'[' || c == u'{') {
            open.append({c, line});
        } else if (c == u')' || c == u']' || c == u'}') {
            const QChar expected = c == u')' ? u'(' : c == u']' ? u'[' : u'{';
            if (open.isEmpty() || open.last().bracket != expected)
                return {line, QStringLiteral("SyntaxError: '%1' does not match an open bracket (the function "
                                             "would end here)")
                                  .arg(c)};
            open.removeLast();
        }
    }
    if (!open.isEmpty())
        return {open.last().line,
                QStringLiteral("SyntaxError: '%1' is never closed").arg(open.last().bracket)};
    return {int(body.trimmed().count(u'\n')) + 1,
            QStringLiteral("SyntaxError: unexpected end of the script")};
}

} // namespace

QJSValue ScriptSyntax::compile(QJSEngine& engine, const QJSValue& functionCtor, const ScriptFunction& fn)
{
    Q_UNUSED(engine);
    // The body alone first: only a valid function body may be wrapped below, so the wrapper
    // cannot be closed early by the body (it stays one `return function ...` statement).
    QJSValueList args;
    for (const QString& p : fn.params)
        args << QJSValue(p);
    args << QJSValue(fn.body);
    const QJSValue plain = functionCtor.callAsConstructor(args);
    if (!plain.isCallable())
        return plain;
    // `params` is a variable of the enclosing maker rather than a parameter: `arguments` stays
    // the bound arguments, and a parameter or a `let` called params simply hides it. The body
    // starts on the wrapper's first line, so its line numbers are those of `plain`.
    const QString maker = QStringLiteral("return function (%1) {%2\n};").arg(fn.params.join(u", "), fn.body);
    return functionCtor.callAsConstructor({QJSValue(QStringLiteral("params")), QJSValue(maker)});
}

ScriptProblem ScriptSyntax::locate(QJSEngine& engine, const ScriptFunction& fn)
{
    // The body starts on line 1, right after the opening brace, so lines match the editor's.
    const QString program = QStringLiteral("(function (%1) {%2\n})\n@").arg(fn.params.join(u", "), fn.body);
    const QJSValue error =
        engine.evaluate(program, fn.name.isEmpty() ? QStringLiteral("script") : fn.name, 1);
    const int bodyLines = int(fn.body.count(u'\n')) + 1;
    const int line = error.property(QStringLiteral("lineNumber")).toInt();
    if (!error.isError() || line <= 0)
        return {0, QStringLiteral("SyntaxError: the script does not compile")};
    if (line > bodyLines) // noticed only at our closing "})" or the sentinel
        return bracketProblem(fn.body);
    return {line, error.toString()};
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
