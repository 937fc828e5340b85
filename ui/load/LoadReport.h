#pragma once
// What the Load panel says about a run, as text and files: the summary line, the equivalent
// `rpcbench bench` command line, the JSON export (the same keys as `bench --json`, plus the
// collection of a mixed run), the CSV time series (as `bench --csv`), and the latency
// histogram re-binned into log-scale ranges for drawing (1-2-5 steps per decade).

#include "load/LoadGenerator.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace rpcbench::LoadReport {

// Where a mixed run's calls come from, for the command line: the workspace file (empty: not
// saved yet, a placeholder is written), the collection and the environment used.
struct CollectionSource
{
    QString file;
    QString collection; // empty: not a collection run
    QString environment;
};
// The placeholder for a workspace that has no file yet.
inline constexpr char kUnsavedWorkspace[] = "WORKSPACE.rpcbench.json";
// The placeholder for the target's handshake (kept in the workspace, not in a file of its own).
inline constexpr char kHandshakeFile[] = "HANDSHAKE.json";

// `rpcbench bench ...` that runs the same load: --url (or the endpoint with its connection
// options, secrets masked; --init HANDSHAKE.json when the target has a handshake), --dialect (when not 2.0),
// --conns,
// --depth, --seconds, --rate/--ramp/--ramp-from in open loop, then --method/--params or
// --from-collection FILE --collection NAME [--environment ENV]. Shell-quoted where needed.
QString command(const LoadOptions& options, const CollectionSource& source = {});

// "With the target's connection settings: 2 headers, TLS files, a 3-step handshake on every
// connection." — empty when none apply (a plain URL).
QString targetSettings(const LoadOptions& options);

// One line: calls, calls/s, p50/p90/p99/max, errors, and the late calls of an open loop.
QString summary(const LoadOptions& options, const LoadResult& result);

QJsonObject toJson(const LoadOptions& options, const LoadResult& result, const CollectionSource& source = {});
// second,sent,completed,errors,p50_us,p90_us,p99_us,max_us — one row per second.
QByteArray toCsv(const QList<LoadSecond>& points);

struct HistogramBin
{
    quint64 lowUs = 0;  // inclusive
    quint64 highUs = 0; // exclusive
    quint64 count = 0;
};
// The histogram's samples in ranges 1, 2, 5, 10, 20, 50 ... µs, from the range holding the
// fastest call to the one holding the slowest; empty when nothing was recorded. Each fine
// bucket counts in the range holding its lower bound (the buckets are < 1 % wide).
QList<HistogramBin> logBins(const LatencyHistogram& histogram);
// "200 µs", "1 ms", "2 s": a range's lower bound as an axis label.
QString binLabel(quint64 us);

} // namespace rpcbench::LoadReport
