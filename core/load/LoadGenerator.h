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
// Either mode sends one call again and again (method/params, or echo), or a mix of calls
// (LoadOptions::mix, LoadMix.h) as a fixed interleaved cycle; with a mix the result counts
// sent and answered calls per call of the mix. Sampled traffic logging (bus, logEveryNth)
// shows every Nth call and its reply in a traffic log.
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

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace rpcbench {

class TrafficBus;

// One call of a weighted mix (`bench --from-collection`, the Load panel's collection mode).
struct LoadCall
{
    QString name; // shown in reports ("folder/call name"); the method when empty
    QString method;
    QByteArray params; // compact JSON array or object; empty = no params
    // Sent and counted as sent, never waited for (no reply comes); see LoadCycle.h.
    bool notification = false;
    double weight = 1.0; // relative share of the calls sent (> 0; up to three decimals count)
};

// With a mix (LoadResult::perCall): one call's figures in the measured window.
struct LoadCallCount
{
    QString name; // LoadMix::displayName()
    QString method;
    bool notification = false;
    double weight = 1.0;
    quint64 sent = 0;
    quint64 answered = 0; // replies (error replies included); always 0 for a notification
};

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

    // A mix of calls: when not empty it replaces method/params (and the echo payload), and each
    // connection sends them in proportion to their weights (a fixed interleaved cycle, no
    // randomness; LoadMix::cycle). Notifications are written and counted as sent but never in
    // flight (over HTTP they wait for their empty response); a mix needs one call that expects
    // a reply. Not with rawEcho.
    QList<LoadCall> mix;
    // Sampled traffic logging (the GUI's log): every Nth call sent by the run (all connections
    // counted together, warm-up included) is published on `bus` as a client-side request, and
    // its reply with the measured latency (a sampled call still in flight when the run ends has
    // no reply event). 0 = none (the default: a load run must not drown the log, nor pay for
    // logging every call: off, it costs one branch per write and per read). Not with rawEcho.
    std::shared_ptr<TrafficBus> bus;
    int logEveryNth = 0;

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
    QString error;                          // why the run failed (bad options, cannot connect, all lost)
    quint64 calls = 0;                      // replies received in the measured window
    quint64 errors = 0;                     // of those, replies carrying an error
    std::map<qint64, quint64> errorsByCode; // the errors by code (ReplyScanner::errorCodeOf keys)
    quint64 connectionErrors = 0;           // connections lost during the run
    quint64 unexpectedReplies = 0;
    double elapsedSeconds = 0; // actual measured window
    double callsPerSecond = 0;
    double cpuSeconds = 0;        // user + system CPU of this process during the window
    qsizetype requestBytes = 0;   // size of one framed request on the wire (a mix: the mean)
    LatencyHistogram latency;     // µs
    QList<LoadSecond> timeSeries; // one point per second of the measured window
    std::optional<OpenLoopResult> openLoop;
    quint64 sent = 0;             // calls written in the whole run (warm-up, notifications included)
    QList<LoadCallCount> perCall; // with a mix: per call, in the mix's order
    quint64 loggedCalls = 0;      // sampled logging: request events published
    quint64 loggedReplies = 0;    // and reply events
};

class OpenLoopDriver;
struct LoadCycle;

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
    // The framed bytes one call sends (empty with `error` set when the options are bad); with a
    // mix, one cycle's calls.
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
    void collectPerCall();
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
