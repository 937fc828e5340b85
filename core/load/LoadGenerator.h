#pragma once
// Drives load against a JSON-RPC server (or a raw echo server): C connections × D calls in
// flight for S seconds after a warm-up, counting replies and error replies and recording
// every call's latency into a histogram. Event-driven on the thread that owns it; meant to
// run in its own process (`rpcbench bench`) so it never competes with the server's threads.
//
// Two modes. Closed loop (default): each connection keeps `depth` calls in flight, sending a
// new call per reply, so it slows down when the server does. Open loop (`rate` > 0): calls go
// out on a RateScheduler's schedule (OpenLoopDriver) whatever the server does, `depth` caps
// the calls in flight per connection, and latency counts from each call's intended send time.
// Open loop has no warm-up: the schedule (and its ramp) starts once every connection is up.
//
// Either mode keeps a per-second time series (LoadTimeSeries) and emits secondCompleted()
// for each closed second. A GUI can drive a generator on a worker thread: create it there
// (or moveToThread() it before start(); every timer is a child), invoke start()/stop() with
// QMetaObject::invokeMethod, and receive secondCompleted()/finished() through queued
// connections.

#include "load/LatencyHistogram.h"
#include "load/LoadConnection.h"
#include "load/LoadRequest.h"
#include "load/LoadTimeSeries.h"
#include "load/RateScheduler.h"
#include "protocol/RpcTypes.h"

#include <QObject>
#include <QTimer>

#include <optional>
#include <vector>

namespace rpcbench {

struct LoadOptions
{
    // The target: `endpoint` when it is valid (the command line fills it, with headers, TLS
    // options or a process to launch), else `url` parsed (any Endpoint URL).
    Endpoint endpoint;
    QString url;
    int connections = 1;
    int depth = 1;               // calls in flight per connection
    double seconds = 5.0;        // measured window
    double warmupSeconds = 0.5;  // excluded from the figures
    qsizetype payloadBytes = 16; // echo payload when `method` is empty
    QString method;              // empty = echo with a payload of payloadBytes
    QByteArray params;           // JSON array or object for `method`
    Dialect dialect = Dialect::JsonRpc2;
    bool rawEcho = false;        // the peer is a raw echo server: count echoed bytes only
    int connectTimeoutMs = 5000; // plus the handshake's step timeouts
    // Performed by every connection before its load (`bench --init`); see LoadHandshake.
    QList<LoadInitStep> init;
    LoadInitResolver initResolver;
    // Open loop when rate > 0: calls per second across all connections; the ramp goes
    // linearly from rampFromRate to rate over rampSeconds, then stays at rate.
    double rate = 0;
    double rampSeconds = 0;
    double rampFromRate = 0;

    bool openLoop() const { return rate > 0; }
    RatePlan ratePlan() const { return {rate, rampSeconds, rampFromRate}; }
};

// Open-loop figures (LoadResult::openLoop).
struct OpenLoopResult
{
    quint64 sent = 0;          // calls sent in the run
    quint64 late = 0;          // of those, sent more than RateScheduler::kLateToleranceNs late
    quint64 notSent = 0;       // due by the end but never sent (every connection was full)
    quint64 inFlightAtEnd = 0; // sent but not answered when the run ended
    LatencyHistogram lateness; // µs, of every call sent
};

struct LoadResult
{
    bool ok = false;
    QString error;                // why the run failed (bad options, cannot connect, all lost)
    quint64 calls = 0;            // replies received in the measured window
    quint64 errors = 0;           // of those, replies carrying an error
    quint64 connectionErrors = 0; // connections lost during the run
    quint64 unexpectedReplies = 0;
    double elapsedSeconds = 0; // actual measured window
    double callsPerSecond = 0;
    double cpuSeconds = 0;        // user + system CPU of this process during the window
    qsizetype requestBytes = 0;   // size of one framed request on the wire
    LatencyHistogram latency;     // µs
    QList<LoadSecond> timeSeries; // one point per second of the measured window
    std::optional<OpenLoopResult> openLoop;
};

class OpenLoopDriver;

class LoadGenerator : public QObject
{
    Q_OBJECT
public:
    explicit LoadGenerator(LoadOptions options, QObject* parent = nullptr);
    ~LoadGenerator() override;

    // Empty when the options are usable, else a message naming the bad option.
    static QString validate(const LoadOptions& options);
    // The endpoint the options name (see LoadOptions::endpoint); nullopt with *error when none.
    static std::optional<Endpoint> target(const LoadOptions& options, QString* error = nullptr);
    // The framed bytes one call sends (empty with `error` set when the options are bad).
    static QByteArray buildRequest(const LoadOptions& options, QString* error);

    // Starts the run; finished() is emitted exactly once, always asynchronously.
    Q_INVOKABLE void start();
    // Ends the run early (e.g. on Ctrl+C); figures cover the part measured so far.
    Q_INVOKABLE void stop();
    bool isRunning() const { return m_phase != Phase::Idle && m_phase != Phase::Done; }
    const LoadResult& result() const { return m_result; }
    const LoadOptions& options() const { return m_options; }

signals:
    void finished();
    // One point per second of the measured window, as soon as that second is over.
    void secondCompleted(const rpcbench::LoadSecond& point);

private:
    enum class Phase { Idle, Connecting, Warmup, Measuring, Done };

    void onConnected();
    void onConnectionFailed(const QString& error);
    void onPhaseTimer();
    void beginMeasuring();
    void finish(const QString& error);
    void stopConnections();
    void collectOpenLoop(qint64 endNs);
    QString targetText() const;
    int connectTimeoutMs() const;

    LoadOptions m_options;
    Endpoint m_target;
    LoadCounters m_counters;
    std::vector<LoadConnection*> m_connections; // children
    int m_connected = 0;
    int m_alive = 0;
    Phase m_phase = Phase::Idle;
    QTimer* m_phaseTimer; // child (so moveToThread() takes it along)
    QTimer* m_tickTimer;  // child: closes the time series' seconds while nothing happens
    LoadTimeSeries m_series;
    OpenLoopDriver* m_driver = nullptr; // child, open loop only
    qint64 m_measureStartNs = 0;
    double m_cpuAtStart = 0;
    LoadResult m_result;
};

// User + system CPU seconds consumed by this process so far (getrusage).
double processCpuSeconds();

} // namespace rpcbench
