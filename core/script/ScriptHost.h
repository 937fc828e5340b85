#pragma once
// The JavaScript engine behind script methods: a small pool of dedicated threads, each with
// its own QJSEngine (never the GUI thread). A call goes to the thread with the fewest calls
// queued, so one slow script does not hold up calls on the other thread; a script running
// past the time limit is interrupted by a watchdog and answers error -32005.
//
//   auto scripts = std::make_shared<ScriptHost>();   // 2 threads, 5 s limit
//   MockService mocks(registry, scripts);
//
// Thread-safe; not a QObject, so the last owner may release it on any thread but its own
// workers'.

#include "mock/ScriptRunner.h"

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace rpcbench {

class ScriptWatchdog;
class ScriptWorker;

class ScriptHost : public ScriptRunner
{
public:
    static constexpr int defaultTimeLimitMs = 5000;

    explicit ScriptHost(int threads = 2, int timeLimitMs = defaultTimeLimitMs);
    ~ScriptHost() override;
    ScriptHost(const ScriptHost&) = delete;
    ScriptHost& operator=(const ScriptHost&) = delete;

    void setTimeLimitMs(int ms); // applies to calls started afterwards
    int timeLimitMs() const { return m_timeLimitMs.load(); }
    int threadCount() const { return int(m_slots.size()); }

    std::optional<ScriptProblem> check(const ScriptFunction& fn) const override;
    void run(const ScriptFunction& fn, const QJsonArray& args, const QJsonValue& params,
             Responder done) override;
    using ScriptRunner::run;

private:
    struct Slot
    {
        std::unique_ptr<QThread> thread;
        ScriptWorker* worker = nullptr; // lives on `thread`, deleted there
        std::shared_ptr<std::atomic<int>> queued = std::make_shared<std::atomic<int>>(0);
    };

    std::unique_ptr<ScriptWatchdog> m_watchdog;
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
    std::vector<Slot> m_slots;
    std::atomic<int> m_timeLimitMs;
};

} // namespace rpcbench
