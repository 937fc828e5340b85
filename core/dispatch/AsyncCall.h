#pragma once
// One call whose handler answers later (timer, worker thread, script engine). Guarantees:
// the first answer wins (later ones, from any thread, are ignored); the completion runs on
// the context object's thread; nothing runs once the context is destroyed; a handler that
// never answers is answered with -32002 after the timeout. The method's figures are the
// completion's business (the dispatcher records them when the reply is handed over).

#include "dispatch/MethodRegistry.h"

#include <QMutex>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace rpcbench {

class AsyncCallGuard;

class AsyncCall : public std::enable_shared_from_this<AsyncCall>
{
public:
    using Completion = std::function<void(RpcResult)>; // runs on the context's thread

    // Runs `method`'s handler with `args`. Must be called on `context`'s thread (or with
    // context == nullptr: then the completion runs on the calling thread).
    static void start(const Method& method, const QJsonArray& args, QObject* context, int timeoutMs,
                      Completion completion);

    explicit AsyncCall(Completion completion);

    // Answers the call. Any thread; only the first answer counts.
    void respond(RpcResult result);

private:
    friend class AsyncCallGuard;
    void complete(RpcResult result); // on the context's thread

    std::atomic<bool> m_answered{false};
    Completion m_completion;
    QThread* m_thread = nullptr;
    QMutex m_mutex;                    // guards m_guard against readers on other threads
    AsyncCallGuard* m_guard = nullptr; // written only on the context's thread
};

} // namespace rpcbench
