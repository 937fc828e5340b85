#include "dispatch/AsyncCall.h"

#include <QObject>
#include <QThread>
#include <QTimerEvent>

namespace rpcbench {

// Lives on the context's thread as the context's child: it is the target that answers from
// other threads are posted to, it owns the timeout timer, and its destruction (with the
// context) tells late answers to drop silently.
class AsyncCallGuard : public QObject
{
public:
    AsyncCallGuard(std::shared_ptr<AsyncCall> call, QObject* context, int timeoutMs)
        : QObject(context), m_call(std::move(call)), m_timeoutMs(timeoutMs)
    {}
    ~AsyncCallGuard() override
    {
        QMutexLocker lock(&m_call->m_mutex);
        if (m_call->m_guard == this)
            m_call->m_guard = nullptr;
    }

    void arm()
    {
        // Precise: a coarse timer may fire up to 5 % early or late, and users measure timeouts.
        if (m_timeoutMs > 0)
            m_timerId = startTimer(m_timeoutMs, Qt::PreciseTimer);
    }
    void disarm()
    {
        if (m_timerId) {
            killTimer(m_timerId);
            m_timerId = 0;
        }
    }

protected:
    void timerEvent(QTimerEvent* event) override
    {
        if (event->timerId() != m_timerId)
            return;
        disarm();
        auto call = m_call; // keeps the call alive while it completes
        call->respond(RpcResult::failure(ErrorCode::HandlerTimeout,
                                         QStringLiteral("handler timed out after %1 ms").arg(m_timeoutMs)));
    }

private:
    std::shared_ptr<AsyncCall> m_call;
    int m_timeoutMs;
    int m_timerId = 0;
};

AsyncCall::AsyncCall(Completion completion)
    : m_completion(std::move(completion)), m_thread(QThread::currentThread())
{}

void AsyncCall::start(const Method& method, const QJsonArray& args, QObject* context, int timeoutMs,
                      Completion completion)
{
    Q_ASSERT_X(!context || context->thread() == QThread::currentThread(), "AsyncCall::start",
               "must run on the context object's thread");
    auto call = std::make_shared<AsyncCall>(std::move(completion));
    call->m_guard = new AsyncCallGuard(call, context, timeoutMs);
    Responder responder = [call](RpcResult r) { call->respond(std::move(r)); };
    try {
        method.handler(args, responder);
    } catch (const RpcException& e) {
        call->respond(RpcResult::failure(e.error()));
    } catch (const std::exception& e) {
        call->respond(RpcResult::failure(ErrorCode::InternalError, QString::fromUtf8(e.what())));
    } catch (...) {
        call->respond(
            RpcResult::failure(ErrorCode::InternalError, QStringLiteral("unknown exception in handler")));
    }
    // Still waiting: arm the timeout. (m_guard is only written on this thread.)
    if (!call->m_answered.load(std::memory_order_acquire) && call->m_guard)
        call->m_guard->arm();
}

void AsyncCall::respond(RpcResult result)
{
    if (m_answered.exchange(true, std::memory_order_acq_rel))
        return; // answered already (or timed out): late answers are ignored
    if (QThread::currentThread() == m_thread) {
        complete(std::move(result)); // no queued hop when already on the right thread
        return;
    }
    // The lock keeps the guard alive while posting; a destroyed guard means the context is gone.
    QMutexLocker lock(&m_mutex);
    if (!m_guard)
        return;
    QMetaObject::invokeMethod(
        m_guard,
        [self = shared_from_this(), r = std::move(result)]() mutable { self->complete(std::move(r)); },
        Qt::QueuedConnection);
}

void AsyncCall::complete(RpcResult result)
{
    AsyncCallGuard* guard = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        guard = m_guard;
        m_guard = nullptr;
    }
    if (!guard)
        return; // the context was destroyed: drop silently
    guard->disarm();
    // Deferred: complete() may run inside the guard's own timerEvent.
    guard->deleteLater();
    Completion completion = std::move(m_completion);
    m_completion = nullptr;
    if (completion)
        completion(std::move(result));
}

} // namespace rpcbench
