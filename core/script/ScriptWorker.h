#pragma once
// Runs script calls on one dedicated thread with that thread's own QJSEngine (created there
// on first use, destroyed there). Calls queue on the thread; each is timed by the watchdog.
// The engine offers plain ECMAScript only: no Qt object, console, XMLHttpRequest, require or
// module loading, so scripts cannot reach files, processes or the network.

#include "mock/ScriptRunner.h"

#include <QHash>
#include <QJSValue>
#include <QObject>

#include <atomic>
#include <memory>
#include <variant>

class QJSEngine;

namespace rpcbench {

class ScriptWatchdog;

struct ScriptJob
{
    ScriptFunction fn;
    QJsonArray args;
    QJsonValue params; // as sent; Undefined when absent
    Responder done;
    int timeLimitMs = 5000;
};

class ScriptWorker : public QObject
{
    Q_OBJECT
public:
    ScriptWorker(ScriptWatchdog& watchdog, std::shared_ptr<std::atomic<bool>> stopping);
    ~ScriptWorker() override;

    void run(const ScriptJob& job); // on the worker's thread
    // Aborts the script running now, if any (any thread): used when shutting down.
    void interrupt();

private:
    struct Compiled
    {
        QStringList params;
        QString body;
        QJSValue function;
    };

    void ensureEngine();
    // The compiled function, or the problem that stops it from compiling.
    std::variant<QJSValue, ScriptProblem> function(const ScriptFunction& fn);
    RpcResult call(const QJSValue& function, const ScriptJob& job);
    RpcResult resultFrom(const QJSValue& outcome) const;
    RpcResult errorFrom(const QJSValue& outcome) const;

    ScriptWatchdog& m_watchdog;
    std::shared_ptr<std::atomic<bool>> m_stopping;
    std::unique_ptr<QJSEngine> m_engine;
    std::atomic<QJSEngine*> m_running{nullptr}; // the engine while a call runs, for interrupt()
    QJSValue m_functionCtor; // the original Function constructor (scripts may overwrite the global)
    QJSValue m_trampoline;   // runs a function and reports its outcome as a plain object
    int m_lineOffset = 1;    // lines the Function constructor puts before the body
    QHash<QString, Compiled> m_cache;
};

} // namespace rpcbench
