#include "load/OpenLoopDriver.h"

#include "load/LoadConnection.h"

#include <QSocketNotifier>

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace rpcbench {

OpenLoopDriver::OpenLoopDriver(RatePlan plan, RateScheduler::Clock clock, QObject* parent)
    : QObject(parent), m_scheduler(plan, std::move(clock)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &OpenLoopDriver::pump);
    m_timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd >= 0) {
        m_timerNotifier = new QSocketNotifier(qintptr(m_timerFd), QSocketNotifier::Read, this);
        connect(m_timerNotifier, &QSocketNotifier::activated, this, &OpenLoopDriver::onTimerFd);
    }
}

OpenLoopDriver::~OpenLoopDriver()
{
    if (m_timerFd >= 0) {
        m_timerNotifier->setEnabled(false);
        ::close(m_timerFd);
    }
}

void OpenLoopDriver::onTimerFd()
{
    quint64 expirations = 0;
    if (::read(m_timerFd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
        return;
    pump();
}

void OpenLoopDriver::addConnection(LoadConnection* connection)
{
    m_connections.push_back(connection);
    connect(connection, &LoadConnection::capacityFreed, this, &OpenLoopDriver::onCapacityFreed);
}

void OpenLoopDriver::start()
{
    m_running = true;
    m_scheduler.start();
    pump();
}

void OpenLoopDriver::stop()
{
    m_running = false;
    m_timer->stop();
    if (m_timerFd >= 0) {
        const itimerspec disarm{};
        timerfd_settime(m_timerFd, 0, &disarm, nullptr);
    }
}

quint64 OpenLoopDriver::inFlight() const
{
    quint64 total = 0;
    for (const LoadConnection* c : m_connections)
        total += quint64(c->inFlight());
    return total;
}

void OpenLoopDriver::onCapacityFreed()
{
    // Only a blocked schedule needs the room at once; otherwise the timer sends on time.
    if (m_blocked)
        pump();
}

LoadConnection* OpenLoopDriver::pickConnection()
{
    for (size_t tried = 0; tried < m_connections.size(); ++tried) {
        LoadConnection* c = m_connections[m_nextConnection];
        m_nextConnection = m_nextConnection + 1 == m_connections.size() ? 0 : m_nextConnection + 1;
        if (c->canSend())
            return c;
    }
    return nullptr;
}

void OpenLoopDriver::pump()
{
    if (!m_running)
        return;
    const qint64 now = m_scheduler.now();
    m_blocked = false;
    while (m_scheduler.nextIsDue(now)) {
        LoadConnection* c = pickConnection();
        if (!c) {
            m_blocked = true; // capacityFreed() resumes
            return;
        }
        // A few due calls per connection in one write (one syscall), then the next connection.
        const int most = std::min(c->room(), kBatch);
        int n = 0;
        for (; n < most && m_scheduler.nextIsDue(now); ++n)
            m_batch[size_t(n)] = m_scheduler.takeNext(now);
        c->sendScheduled(m_batch.data(), n, now);
    }
    arm(now);
}

void OpenLoopDriver::arm(qint64 nowNs)
{
    const qint64 waitNs = m_scheduler.nextIntendedNs() - nowNs;
    if (m_timerFd >= 0) {
        // Relative, so any injected clock works; never 0 (that would disarm).
        const qint64 ns = std::clamp<qint64>(waitNs, kMinWaitNs, 60'000'000'000);
        itimerspec when{};
        when.it_value.tv_sec = time_t(ns / 1'000'000'000);
        when.it_value.tv_nsec = long(ns % 1'000'000'000);
        if (timerfd_settime(m_timerFd, 0, &when, nullptr) == 0)
            return;
    }
    // Millisecond fallback: wake at the intended time rounded down, at least 1 ms ahead.
    m_timer->start(int(std::clamp<qint64>(waitNs / 1'000'000, 1, 60'000)));
}

} // namespace rpcbench
