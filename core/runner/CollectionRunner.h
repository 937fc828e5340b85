#pragma once
// Runs the saved calls of a collection (or of one of its folders) one after the other against
// their targets, checks each reply's assertions, keeps captured values for the calls after it,
// and reports call by call. The GUI's Run buttons and `rpcbench test` both use it.
//
// Asynchronous: start() returns at once; callFinished() follows for every call and finished()
// once at the end. Lives on one thread (the GUI puts it on a worker thread): its RpcClients and
// their sockets live there too. Calls to the same target URL, dialect and headers share one
// connection (a session made by one call is there for the next).
#include "collection/Collection.h"
#include "collection/Variables.h"
#include "runner/RunReport.h"
#include "wire/ConnectOptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>

#include <memory>

namespace rpcbench {

class RpcClient;
class TrafficBus;
struct BatchResult;
struct CallResult;

struct RunOptions
{
    QString defaultTarget; // for calls without "target" (`--url`, the workspace's client URL)
    QMap<QString, ConnectOptions> targetOptions; // by target URL (after expansion)
    int defaultTimeoutMs = 10'000;
    bool bail = false;               // stop at the first failing call; the rest are skipped
    std::shared_ptr<TrafficBus> bus; // optional: the calls appear in the traffic log
};

class CollectionRunner : public QObject
{
    Q_OBJECT
public:
    CollectionRunner(Collection collection, Variables variables, RunOptions options,
                     QObject* parent = nullptr);
    ~CollectionRunner() override;

    // Runs every call under `folder` ("" = all, "A/B" = that folder, or one call's path).
    // False with *error when nothing matches the folder.
    bool start(const QString& folder, QString* error = nullptr);
    void stop(); // the call in flight is cancelled; finished() follows with stopped set
    bool isRunning() const { return m_running; }
    const RunReport& report() const { return m_report; }
    const Variables& variables() const { return m_variables; }

signals:
    void callStarted(int index, const QString& path);
    void callFinished(int index, const rpcbench::CallReport& report);
    void finished(const rpcbench::RunReport& report);

private:
    struct Schemas
    {
        bool fetched = false;
        QJsonObject document;                // the target's OpenRPC document (rpc.discover)
        QHash<QString, QJsonValue> byMethod; // result schemas
    };

    void next();
    void runCall(CallReport& report);
    bool prepare(CallReport& report, QString* url, QJsonValue* params, ConnectOptions* options);
    RpcClient* clientFor(const QString& url, const QString& dialect, const ConnectOptions& options);
    void send(RpcClient* client, CallReport& report, const QJsonValue& params);
    void fetchSchemasThen(RpcClient* client, const QString& url, std::function<void()> then);
    void onFinished(quint64 callId, const CallResult& result);
    void onBatchFinished(quint64 batchId, const BatchResult& result);
    void complete(CallReport& report);
    void check(CallReport& report);
    void capture(CallReport& report);
    void end();

    Collection m_collection;
    Variables m_variables;
    RunOptions m_options;
    QList<Collection::Entry> m_queue;
    int m_index = -1;
    bool m_running = false;
    RunReport m_report;
    QElapsedTimer m_runClock;
    QElapsedTimer m_callClock;
    QHash<QString, RpcClient*> m_clients; // children, by url + dialect + headers
    QHash<QString, Schemas> m_schemas;    // by target URL
    RpcClient* m_client = nullptr;        // of the call in flight
    quint64 m_callId = 0;                 // in flight (call, batch or rpc.discover)
    std::function<void(const CallResult&)> m_onDiscover;
};

} // namespace rpcbench
