#pragma once
// The editor's "Check" of a script method, beyond its syntax: runs the function with sample
// arguments, by name and by position, through the same ScriptRunner real calls use (same
// threads, sandbox and time limit), and says in one line what came back:
//   returns {"sum":2} for add(a=1, b=1) and add(1, 1)
//   ReferenceError: foo is not defined (line 3) for add(a=1, b=1) and add(1, 1)
// Lives on the thread that created it; the answer arrives through finished(), so the caller
// never waits for a script (which may run up to the time limit).

#include "mock/UserMethod.h"

#include <QObject>

#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace rpcbench {

struct ScriptTrialReport
{
    bool ok = false; // false: the script failed (a bug, the time limit); a deliberate throw is ok
    int line = 0;    // the body line of the first failure, 0 when none or unknown
    QString text;
};

// One call of a trial: what the caller would write, the params as sent, the bound arguments.
struct ScriptTrialCall
{
    QString label; // add(a=1, b=1) or add(1, 1)
    QJsonValue params;
    std::variant<QJsonArray, RpcError> bound; // as Binder::bind() makes them for a real call
};

class ScriptTrial : public QObject
{
    Q_OBJECT
public:
    explicit ScriptTrial(std::shared_ptr<ScriptRunner> runner, QObject* parent = nullptr);
    ~ScriptTrial() override;

    // Runs `method`'s script with `samples`, one value per declared parameter (a variadic one:
    // one element). A trial still running is abandoned (its answers are ignored).
    void start(const UserMethod& method, const QJsonArray& samples);
    bool isRunning() const { return m_pending > 0; }

    // The calls start() makes: by name, then by position; one call without params for a
    // method without parameters.
    static QList<ScriptTrialCall> sampleCalls(const UserMethod& method, const QJsonArray& samples);
    // The one-line report of `outcomes` (one per call, in order).
    static ScriptTrialReport report(const QList<ScriptTrialCall>& calls, const QList<RpcResult>& outcomes);

signals:
    void finished(const rpcbench::ScriptTrialReport& report);

private:
    struct Inbox;
    void arrived(quint64 generation, int index, const RpcResult& result);

    std::shared_ptr<ScriptRunner> m_runner;
    std::shared_ptr<Inbox> m_inbox; // how answers from script threads reach this object
    quint64 m_generation = 0;
    int m_pending = 0;
    QList<ScriptTrialCall> m_calls;
    std::vector<std::optional<RpcResult>> m_outcomes;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::ScriptTrialReport)
