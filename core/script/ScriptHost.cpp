#include "script/ScriptHost.h"

#include "script/ScriptSyntax.h"
#include "script/ScriptWatchdog.h"
#include "script/ScriptWorker.h"

#include <QThread>

namespace rpcbench {

ScriptHost::ScriptHost(int threads, int timeLimitMs)
    : m_watchdog(std::make_unique<ScriptWatchdog>()), m_timeLimitMs(std::max(1, timeLimitMs))
{
    m_slots.resize(std::size_t(std::max(1, threads)));
    int index = 0;
    for (Slot& slot : m_slots) {
        slot.thread = std::make_unique<QThread>();
        slot.thread->setObjectName(QStringLiteral("rpcbench-script-%1").arg(index++));
        slot.worker = new ScriptWorker(*m_watchdog, m_stopping);
        slot.worker->moveToThread(slot.thread.get());
        slot.thread->start();
    }
}

ScriptHost::~ScriptHost()
{
    // Abort running scripts; calls still queued answer "server shutting down" at once.
    m_stopping->store(true);
    for (Slot& slot : m_slots)
        slot.worker->interrupt();
    for (Slot& slot : m_slots) {
        // Queued after every pending call: each worker (and its engine) dies on its own thread.
        QMetaObject::invokeMethod(
            slot.worker, [w = slot.worker] { delete w; }, Qt::BlockingQueuedConnection);
        slot.thread->quit();
        slot.thread->wait();
    }
}

void ScriptHost::setTimeLimitMs(int ms)
{
    m_timeLimitMs.store(std::max(1, ms));
}

std::optional<ScriptProblem> ScriptHost::check(const ScriptFunction& fn) const
{
    return ScriptSyntax::check(fn);
}

void ScriptHost::run(const ScriptFunction& fn, const QJsonArray& args, const QJsonValue& params,
                     Responder done)
{
    if (m_stopping->load()) {
        done(RpcResult::failure(ErrorCode::ServerShuttingDown, QStringLiteral("server shutting down")));
        return;
    }
    // The least busy thread: a call never waits behind a slow script while a thread is idle.
    Slot* target = &m_slots.front();
    for (Slot& slot : m_slots) {
        if (slot.queued->load() < target->queued->load())
            target = &slot;
    }
    target->queued->fetch_add(1);
    ScriptJob job{fn, args, params, std::move(done), m_timeLimitMs.load()};
    QMetaObject::invokeMethod(
        target->worker,
        [worker = target->worker, queued = target->queued, job = std::move(job)] {
            worker->run(job);
            queued->fetch_sub(1);
        },
        Qt::QueuedConnection);
}

} // namespace rpcbench
