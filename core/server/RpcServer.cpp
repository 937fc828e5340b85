#include "server/RpcServer.h"

#include "server/ServerWorker.h"

#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace rpcbench {

namespace {

// Runs on the thread to lower. Linux keeps a nice value per thread: PRIO_PROCESS with the
// thread id changes only that thread (and the threads it starts later). Returns the steps
// added; QThread::setPriority cannot do this, it has no effect under SCHED_OTHER.
int lowerCurrentThreadPriority(int delta)
{
#ifdef Q_OS_LINUX
    if (delta <= 0)
        return 0;
    const id_t tid = id_t(::gettid());
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno != 0)
        return 0;
    const int target = qMin(current + delta, 19);
    return setpriority(PRIO_PROCESS, tid, target) == 0 ? target - current : 0;
#else
    Q_UNUSED(delta);
    return 0;
#endif
}

qint64 currentThreadId()
{
#ifdef Q_OS_LINUX
    return qint64(::gettid());
#else
    return 0;
#endif
}

} // namespace

RpcServer::RpcServer(std::shared_ptr<MethodRegistry> registry, std::shared_ptr<TrafficBus> bus,
                     ServerLimits limits, QObject* parent)
    : QObject(parent), m_registry(std::move(registry)), m_bus(std::move(bus)), m_limits(limits),
      m_counters(std::make_shared<ServerCounters>())
{}

RpcServer::~RpcServer()
{
    stop();
}

void RpcServer::setLimits(const ServerLimits& limits)
{
    m_limits = limits;
}

bool RpcServer::start(const QHostAddress& address, quint16 port)
{
    stop();
    m_error.clear();
    ConnectionContext ctx;
    ctx.dispatcher =
        std::make_shared<Dispatcher>(m_registry, m_limits.handlerTimeoutMs, m_limits.maxJsonDepth);
    ctx.bus = m_bus;
    ctx.counters = m_counters;
    ctx.limits = m_limits;

    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("rpcbench-server"));
    m_worker = new ServerWorker(ctx);
    m_worker->moveToThread(m_thread.get());
    m_thread->start();

    // The bind is the only blocking step: it tells the caller at once whether the port is
    // free. Everything else happens on the worker thread.
    bool ok = false;
    quint16 bound = 0;
    QString error;
    int applied = 0;
    qint64 tid = 0;
    QMetaObject::invokeMethod(
        m_worker,
        [&] {
            tid = currentThreadId();
            applied = lowerCurrentThreadPriority(m_workerNice);
            ok = m_worker->listen(address, port, &error, &bound);
        },
        Qt::BlockingQueuedConnection);
    m_appliedNice = applied;
    m_workerTid = tid;
    if (!ok) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(error);
        stopThread();
        return false;
    }
    m_listening = true;
    m_address = address;
    m_port = bound;
    emit started(m_address, m_port);
    return true;
}

void RpcServer::stop()
{
    if (!m_thread)
        return;
    const bool wasListening = m_listening;
    m_listening = false;
    stopThread();
    if (wasListening)
        emit stopped();
}

void RpcServer::stopThread()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    // The worker is deleted on its own thread so its timers and sockets die where they live.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_workerTid = 0;
    m_appliedNice = 0;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

ServerStats RpcServer::stats() const
{
    return *m_counters; // a copy is the snapshot
}

} // namespace rpcbench
