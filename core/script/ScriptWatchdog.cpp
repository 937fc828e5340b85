#include "script/ScriptWatchdog.h"

#include <QJSEngine>

namespace rpcbench {

ScriptWatchdog::ScriptWatchdog() : m_thread([this] { loop(); }) {}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

quint64 ScriptWatchdog::arm(QJSEngine* engine, int limitMs)
{
    quint64 ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        ticket = m_nextTicket++;
        m_jobs.emplace(ticket, Job{engine, Clock::now() + std::chrono::milliseconds(limitMs)});
    }
    m_wake.notify_all(); // the new deadline may be the earliest
    return ticket;
}

bool ScriptWatchdog::disarm(quint64 ticket)
{
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(ticket);
    if (it == m_jobs.end())
        return false;
    const bool fired = it->second.fired;
    m_jobs.erase(it);
    return fired;
}

void ScriptWatchdog::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        auto next = Clock::time_point::max();
        const auto now = Clock::now();
        for (auto& [ticket, job] : m_jobs) {
            if (job.fired)
                continue;
            if (job.deadline <= now) {
                // Under the lock: disarm() cannot return in between, so this hits the right job.
                job.engine->setInterrupted(true);
                job.fired = true;
            } else {
                next = std::min(next, job.deadline);
            }
        }
        if (next == Clock::time_point::max())
            m_wake.wait(lock);
        else
            m_wake.wait_until(lock, next);
    }
}

} // namespace rpcbench
