#include "script/ScriptWorker.h"

#include "script/ScriptSyntax.h"
#include "script/ScriptWatchdog.h"
#include "util/Log.h"

#include <QJSEngine>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace rpcbench {

namespace {

// Makes the function from its maker (ScriptSyntax::compile) and the call's params, calls it
// with args and turns the outcome into a plain object, so C++ can tell a returned value from a
// thrown one. The builtins it uses are captured once, before any user script runs, so a script
// that overwrites JSON or Reflect does not break later calls.
const char* const kTrampoline = R"JS(
(function (stringify, apply, ErrorType) {
    return function (maker, params, args) {
        try {
            var value = apply(maker(params), undefined, args);
            var json = stringify(value === undefined ? null : value);
            return { ok: true, json: json === undefined ? "null" : json };
        } catch (e) {
            var out = { ok: false, isError: e instanceof ErrorType, message: String(e) };
            if (e !== null && typeof e === "object") {
                if (typeof e.code === "number") out.code = e.code;
                out.message = e.message === undefined ? "" : String(e.message);
                if (e.name !== undefined) out.name = String(e.name);
                if (typeof e.lineNumber === "number") out.line = e.lineNumber;
                if (e.data !== undefined) {
                    try { out.data = stringify(e.data); } catch (ignored) { }
                }
            }
            return out;
        }
    };
})(JSON.stringify, Reflect.apply, Error)
)JS";

QJsonValue parseJsonValue(const QString& json)
{
    // Wrapped in an array so that scalars parse too.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArrayLiteral("[") + json.toUtf8() + ']');
    return doc.array().at(0);
}

} // namespace

ScriptWorker::ScriptWorker(ScriptWatchdog& watchdog, std::shared_ptr<std::atomic<bool>> stopping)
    : m_watchdog(watchdog), m_stopping(std::move(stopping))
{}

ScriptWorker::~ScriptWorker() = default;

void ScriptWorker::ensureEngine()
{
    if (m_engine)
        return;
    // Created here, on the worker thread: an engine belongs to the thread that runs it.
    m_engine = std::make_unique<QJSEngine>();
    m_functionCtor = m_engine->globalObject().property(QStringLiteral("Function"));
    m_trampoline = m_engine->evaluate(QString::fromLatin1(kTrampoline));
    // Where the Function constructor puts line 1 of a body (Qt 6.4: line 2).
    const QJSValue probe = m_trampoline.call(
        {ScriptSyntax::compile(*m_engine, m_functionCtor,
                               ScriptFunction{{}, {}, QStringLiteral("throw new Error();")}),
         QJSValue(), m_engine->newArray()});
    m_lineOffset = std::max(0, probe.property(QStringLiteral("line")).toInt() - 1);
}

void ScriptWorker::interrupt()
{
    if (QJSEngine* engine = m_running.load())
        engine->setInterrupted(true);
}

std::variant<QJSValue, ScriptProblem> ScriptWorker::function(const ScriptFunction& fn)
{
    auto it = m_cache.find(fn.name);
    if (it != m_cache.end() && it->params == fn.params && it->body == fn.body)
        return it->function;
    const QJSValue compiled = ScriptSyntax::compile(*m_engine, m_functionCtor, fn);
    if (!compiled.isCallable())
        return ScriptSyntax::locate(*m_engine, fn);
    m_cache.insert(fn.name, Compiled{fn.params, fn.body, compiled});
    return compiled;
}

void ScriptWorker::run(const ScriptJob& job)
{
    if (m_stopping->load()) {
        job.done(RpcResult::failure(ErrorCode::ServerShuttingDown, QStringLiteral("server shutting down")));
        return;
    }
    ensureEngine();
    auto fn = function(job.fn);
    if (auto* problem = std::get_if<ScriptProblem>(&fn)) {
        qCDebug(lcScript).noquote() << "script of" << job.fn.name
                                    << "does not compile:" << problem->toString();
        job.done(RpcResult::failure(ErrorCode::InternalError,
                                    QStringLiteral("script does not compile: %1").arg(problem->toString())));
        return;
    }
    RpcResult result = call(std::get<QJSValue>(fn), job);
    if (!result.ok)
        qCDebug(lcScript).noquote() << "script of" << job.fn.name << "answered error" << result.error.code
                                    << result.error.message;
    job.done(std::move(result));
}

RpcResult ScriptWorker::call(const QJSValue& function, const ScriptJob& job)
{
    QJSValue args = m_engine->newArray(uint(job.args.size()));
    for (qsizetype i = 0; i < job.args.size(); ++i)
        args.setProperty(quint32(i), m_engine->toScriptValue(job.args.at(i)));
    const QJSValue params = job.params.isUndefined() ? QJSValue() : m_engine->toScriptValue(job.params);

    m_engine->setInterrupted(false);
    m_running.store(m_engine.get());
    const quint64 ticket = m_watchdog.arm(m_engine.get(), job.timeLimitMs);
    const QJSValue outcome = m_trampoline.call({function, params, args});
    const bool timedOut = m_watchdog.disarm(ticket);
    m_running.store(nullptr);

    if (timedOut || m_stopping->load()) {
        m_engine->setInterrupted(false);
        if (!timedOut)
            return RpcResult::failure(ErrorCode::ServerShuttingDown, QStringLiteral("server shutting down"));
        return RpcResult::failure(
            ErrorCode::ScriptTimeLimit,
            QStringLiteral("script interrupted: it ran longer than its time limit of %1 ms")
                .arg(job.timeLimitMs));
    }
    if (outcome.isError()) // the trampoline itself failed (e.g. out of stack)
        return RpcResult::failure(ErrorCode::InternalError, outcome.toString());
    if (outcome.property(QStringLiteral("ok")).toBool())
        return resultFrom(outcome);
    return errorFrom(outcome);
}

RpcResult ScriptWorker::resultFrom(const QJSValue& outcome) const
{
    return RpcResult::success(parseJsonValue(outcome.property(QStringLiteral("json")).toString()));
}

RpcResult ScriptWorker::errorFrom(const QJSValue& outcome) const
{
    RpcError error;
    error.message = outcome.property(QStringLiteral("message")).toString();
    const QJSValue code = outcome.property(QStringLiteral("code"));
    const double c = code.isNumber() ? code.toNumber() : 0.5;
    if (std::trunc(c) == c && std::abs(c) <= std::numeric_limits<int>::max()) {
        // A thrown {code, message, data} is the JSON-RPC error the script meant to answer.
        error.code = int(c);
        const QJSValue data = outcome.property(QStringLiteral("data"));
        if (data.isString())
            error.data = parseJsonValue(data.toString());
        if (error.message.isEmpty())
            error.message = QStringLiteral("script error");
        return RpcResult::failure(error);
    }
    // Anything else is a mistake in the script (or a deliberate throw without a code):
    // -32603, with the error's name and the body line it happened on.
    error.code = ErrorCode::InternalError;
    if (outcome.property(QStringLiteral("isError")).toBool()) {
        const QString name = outcome.property(QStringLiteral("name")).toString();
        const QJSValue line = outcome.property(QStringLiteral("line"));
        error.message = QStringLiteral("%1: %2").arg(name, error.message);
        if (line.isNumber() && line.toInt() - m_lineOffset > 0) {
            const int bodyLine = line.toInt() - m_lineOffset;
            error.message += QStringLiteral(" (script line %1)").arg(bodyLine);
            error.data = QJsonObject{{QStringLiteral("line"), bodyLine}};
        }
    }
    if (error.message.isEmpty())
        error.message = QStringLiteral("script error");
    return RpcResult::failure(error);
}

} // namespace rpcbench
