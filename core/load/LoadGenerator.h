#pragma once
// Drives load against a JSON-RPC server (or a raw echo server): C connections × D calls in
// flight for S seconds after a warm-up, counting replies and error replies and recording
// every call's latency into a histogram. Event-driven on the thread that owns it; meant to
// run in its own process (`rpcbench bench`) so it never competes with the server's threads.

#include "load/LatencyHistogram.h"
#include "load/LoadConnection.h"
#include "load/LoadRequest.h"
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
    double cpuSeconds = 0;      // user + system CPU of this process during the window
    qsizetype requestBytes = 0; // size of one framed request on the wire
    LatencyHistogram latency;   // µs
};

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
    void start();
    // Ends the run early (e.g. on Ctrl+C); figures cover the part measured so far.
    void stop();
    bool isRunning() const { return m_phase != Phase::Idle && m_phase != Phase::Done; }
    const LoadResult& result() const { return m_result; }
    const LoadOptions& options() const { return m_options; }

signals:
    void finished();

private:
    enum class Phase { Idle, Connecting, Warmup, Measuring, Done };

    void onConnected();
    void onConnectionFailed(const QString& error);
    void onPhaseTimer();
    void beginMeasuring();
    void finish(const QString& error);
    void stopConnections();
    QString targetText() const;
    int connectTimeoutMs() const;

    LoadOptions m_options;
    Endpoint m_target;
    LoadCounters m_counters;
    std::vector<LoadConnection*> m_connections; // children
    int m_connected = 0;
    int m_alive = 0;
    Phase m_phase = Phase::Idle;
    QTimer m_phaseTimer;
    qint64 m_measureStartNs = 0;
    double m_cpuAtStart = 0;
    LoadResult m_result;
};

// User + system CPU seconds consumed by this process so far (getrusage).
double processCpuSeconds();

} // namespace rpcbench
