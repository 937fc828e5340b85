#include "server/RpcServer.h"

#include "server/ConnectionDirectory.h"
#include "server/ServerWorker.h"

#include <QThread>

#include <algorithm>

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
{
    qRegisterMetaType<rpcbench::CallResult>();
    qRegisterMetaType<rpcbench::ConnectionInfo>();
    // Called on the worker thread at the first change after a quiet period: one signal for a
    // burst of connects.
    m_directory = std::make_shared<ConnectionDirectory>([this] {
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_directory->acknowledge();
                emit connectionsChanged();
            },
            Qt::QueuedConnection);
    });
}

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
    ListenSpec spec;
    spec.endpoint.carrier = Carrier::Tcp;
    // "*" keeps QHostAddress::Any dual-stack (its text form "0.0.0.0" would bind IPv4 only).
    spec.endpoint.host =
        address == QHostAddress(QHostAddress::Any) ? QStringLiteral("*") : address.toString();
    spec.endpoint.port = port;
    return start(QList<ListenSpec>{spec});
}

bool RpcServer::start(const QList<ListenSpec>& listens)
{
    stop();
    m_error.clear();
    startThread();
    for (const ListenSpec& listen : listens) {
        QString error;
        if (!bind(listen, &error)) {
            m_error = QStringLiteral("cannot listen on %1: %2").arg(listen.endpoint.toString(), error);
            m_endpoints.clear();
            stopThread();
            return false;
        }
    }
    m_listening = true;
    updatePrimaryAddress();
    emit started(m_address, m_port);
    emit listenersChanged();
    return true;
}

void RpcServer::setMessageHandler(std::shared_ptr<MessageHandler> handler, Side side)
{
    m_handler = std::move(handler);
    m_side = side;
}

void RpcServer::startThread()
{
    ConnectionContext ctx;
    ctx.dispatcher =
        std::make_shared<Dispatcher>(m_registry, m_limits.handlerTimeoutMs, m_limits.maxJsonDepth);
    ctx.handler = m_handler;
    ctx.side = m_side;
    ctx.bus = m_bus;
    ctx.counters = m_counters;
    ctx.limits = m_limits;
    ctx.directory = m_directory;

    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("rpcbench-server"));
    m_worker = new ServerWorker(ctx, &m_tlsFailures);
    m_worker->moveToThread(m_thread.get());
    connect(m_worker, &ServerWorker::channelFinished, this, &RpcServer::channelFinished);
    connect(m_worker, &ServerWorker::clientRequestFinished, this, &RpcServer::clientRequestFinished);
    m_thread->start();

    int applied = 0;
    qint64 tid = 0;
    QMetaObject::invokeMethod(
        m_worker,
        [&] {
            tid = currentThreadId();
            applied = lowerCurrentThreadPriority(m_workerNice);
        },
        Qt::BlockingQueuedConnection);
    m_appliedNice = applied;
    m_workerTid = tid;
}

// The bind is the only blocking step: it tells the caller at once whether the address is
// free. Everything else happens on the worker thread.
bool RpcServer::bind(const ListenSpec& listen, QString* error)
{
    bool ok = false;
    Endpoint bound;
    QMetaObject::invokeMethod(
        m_worker, [&] { ok = m_worker->addListener(listen, &bound, error); }, Qt::BlockingQueuedConnection);
    if (ok)
        m_endpoints.append(bound);
    return ok;
}

void RpcServer::updatePrimaryAddress()
{
    m_address.clear();
    m_port = 0;
    for (const Endpoint& ep : std::as_const(m_endpoints)) {
        if (ep.carrier == Carrier::Unix)
            continue;
        m_address = ListenSpec{ep, {}, {}}.bindAddress();
        m_port = ep.port;
        return;
    }
}

bool RpcServer::addListener(const ListenSpec& listen, QString* error)
{
    QString reason;
    if (!m_thread)
        reason = QStringLiteral("the server is not running");
    else if (bind(listen, &reason)) {
        updatePrimaryAddress();
        emit listenersChanged();
        return true;
    }
    if (error)
        *error = QStringLiteral("cannot listen on %1: %2").arg(listen.endpoint.toString(), reason);
    return false;
}

bool RpcServer::removeListener(const QString& url)
{
    const auto it = std::find_if(m_endpoints.begin(), m_endpoints.end(),
                                 [&](const Endpoint& ep) { return ep.toString() == url; });
    if (!m_thread || it == m_endpoints.end())
        return false;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, url] { w->removeListener(url); }, Qt::BlockingQueuedConnection);
    m_endpoints.erase(it);
    updatePrimaryAddress();
    emit listenersChanged();
    return true;
}

void RpcServer::serveChannel(std::function<ByteChannel*(QObject* parent)> make, Transport framing)
{
    if (!m_thread) {
        m_error.clear();
        startThread();
        m_listening = true;
        emit started(m_address, m_port);
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, make = std::move(make), framing] {
        if (ByteChannel* channel = make(w))
            w->serveChannel(channel, framing);
        else
            emit w->channelFinished();
    });
}

void RpcServer::stop()
{
    if (!m_thread)
        return;
    const bool wasListening = m_listening;
    m_listening = false;
    const bool hadListeners = !m_endpoints.isEmpty();
    m_endpoints.clear();
    m_address.clear();
    m_port = 0;
    stopThread();
    if (wasListening)
        emit stopped();
    if (hadListeners)
        emit listenersChanged();
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
