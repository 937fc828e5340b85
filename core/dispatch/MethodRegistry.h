#pragma once
// The set of callable methods. Thread-safe: the server's worker thread dispatches while the
// GUI (or a workspace loader) adds, replaces, disables or removes methods at run time.
//
//   registry.def("add", [](double a, double b, double c) { return a + b + c; },
//                "Adds three numbers", arg("a"), arg("b"), arg("c") = 10);
//   registry.defAsync("sleep", [](qint64 ms, Responder done) { ... done(RpcResult::success(ms)); },
//                "Sleeps", arg("ms"));
//
// C++ parameter types map to JSON Schema: qint64/int → integer, double → number,
// QString → string, bool → boolean, QJsonArray → array, QJsonObject → object,
// QJsonValue → any. Return types map the same way (void → null).

#include "dispatch/FaultTable.h"
#include "dispatch/LatencyBuckets.h"
#include "dispatch/MethodInfo.h"
#include "protocol/RpcError.h"

#include <QJsonArray>
#include <QObject>
#include <QReadWriteLock>

#include <atomic>
#include <functional>
#include <memory>
#include <shared_mutex>

namespace rpcbench {

// Completes a call. May be invoked from any thread, exactly once; later invocations are ignored.
using Responder = std::function<void(RpcResult)>;
// Receives the bound arguments in declaration order (defaults filled in; a variadic
// parameter arrives as one QJsonArray element; an optional parameter without a default that
// was not given is left out, so args may be shorter than the parameter list) and answers
// through the responder. Throwing is allowed: RpcException → its error, anything else → -32603.
using Handler = std::function<void(const QJsonArray& args, Responder done)>;
// A handler that always answers before returning. The dispatcher calls it directly, without
// building a Responder or arming a timeout: the fast path for def() methods.
using SyncHandler = std::function<RpcResult(const QJsonArray& args)>;

// Live per-method figures for the GUI's server panel. A call counts in `calls` when it starts;
// when its reply is handed to the connection (injected fault latency included; for a
// notification: when the handler answered) it counts in `answered`, its time since the
// dispatcher got the message is added to totalLatencyNs and recorded in `latency`, and a
// failure to `errors`. Mean latency = totalLatencyNs / answered (calls still running do not
// dilute it); percentiles come from latency.snapshot().
struct MethodStats
{
    std::atomic<quint64> calls{0};
    std::atomic<quint64> answered{0};
    std::atomic<quint64> errors{0};
    std::atomic<quint64> totalLatencyNs{0};
    LatencyBuckets latency; // one relaxed increment per answer: no lock on the hot path

    // Mean latency of the answered calls in nanoseconds; -1 when none has been answered.
    qint64 meanLatencyNs() const
    {
        const quint64 n = answered.load(std::memory_order_relaxed);
        return n ? qint64(totalLatencyNs.load(std::memory_order_relaxed) / n) : -1;
    }
};

struct Method
{
    MethodInfo info;
    Handler handler;         // always set (wraps syncHandler for synchronous methods)
    SyncHandler syncHandler; // set only for synchronous methods
    std::shared_ptr<MethodStats> stats = std::make_shared<MethodStats>();
};

// Parameter declaration helper for def(): arg("c") = 10, arg("s").doc("text").
struct Arg
{
    QString name;
    std::optional<QJsonValue> defaultValue;
    QString description;

    Arg& operator=(const QJsonValue& v)
    {
        defaultValue = v;
        return *this;
    }
    Arg& doc(const QString& d)
    {
        description = d;
        return *this;
    }
};
inline Arg arg(const QString& name)
{
    return Arg{name, std::nullopt, {}};
}

class MethodRegistry : public QObject
{
    Q_OBJECT
public:
    explicit MethodRegistry(QObject* parent = nullptr);

    // Adds or replaces (same name) a method.
    void add(MethodInfo info, Handler handler);
    // Adds or replaces a method that answers synchronously (cheaper to dispatch).
    void addSync(MethodInfo info, SyncHandler handler);
    bool remove(const QString& name);
    bool setEnabled(const QString& name, bool enabled);
    // Describes what the method returns (def() cannot say); false when there is no such method.
    bool setResultDescription(const QString& name, const QString& description);
    // Edits a method's description in place (handlers and figures are kept); false when absent.
    bool updateInfo(const QString& name, const std::function<void(MethodInfo&)>& change);

    // nullptr when absent. Disabled methods are returned too (check info.enabled).
    std::shared_ptr<const Method> find(const QString& name) const;
    QList<MethodInfo> methods() const; // sorted by name
    QStringList names() const;

    // Fault injection settings per method name, read by the Dispatcher on every call.
    FaultTable& faults() { return m_faults; }
    const FaultTable& faults() const { return m_faults; }

    template <class F, class... A> void def(const QString& name, F&& fn, const QString& doc, A&&... args);
    template <class F, class... A>
    void defAsync(const QString& name, F&& fn, const QString& doc, A&&... args);

signals:
    void methodsChanged(); // emitted from the thread that changed the registry

private:
    void insert(std::shared_ptr<Method> method);

    // std::shared_mutex rather than QReadWriteLock: same cost, and ThreadSanitizer understands it.
    mutable std::shared_mutex m_lock;
    QHash<QString, std::shared_ptr<const Method>> m_methods;
    FaultTable m_faults;
};

} // namespace rpcbench

#include "dispatch/MethodRegistry_impl.h" // def()/defAsync() templates
