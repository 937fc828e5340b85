#pragma once
// Interrupts scripts that run past their time limit. One thread waits for the earliest
// deadline and calls QJSEngine::setInterrupted(true) (thread-safe by Qt's contract) on the
// engine still running that job. arm()/disarm() bracket each job; once disarm() returned, the
// job's engine is never interrupted on its behalf, so the next job on that engine is safe.

#include <QtGlobal>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

class QJSEngine;

namespace rpcbench {

class ScriptWatchdog
{
public:
    ScriptWatchdog();
    ~ScriptWatchdog();
    ScriptWatchdog(const ScriptWatchdog&) = delete;
    ScriptWatchdog& operator=(const ScriptWatchdog&) = delete;

    // A job starts on `engine`; it is interrupted unless disarmed within `limitMs`.
    quint64 arm(QJSEngine* engine, int limitMs);
    // The job ended; true when the watchdog interrupted it.
    bool disarm(quint64 ticket);

private:
    using Clock = std::chrono::steady_clock;
    struct Job
    {
        QJSEngine* engine;
        Clock::time_point deadline;
        bool fired = false;
    };

    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<quint64, Job> m_jobs;
    quint64 m_nextTicket = 1;
    bool m_stop = false;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace rpcbench
