#pragma once
// How a load run's figures are written out, the same for `rpcbench bench` and the GUI's Load
// panel: the text report, the JSON document (`bench --json`, the panel's JSON export) and the
// per-second CSV (`bench --csv`, the panel's CSV export). One home, so the two never disagree
// on a key or a column.

#include "load/LoadGenerator.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace rpcbench::LoadResultFormat {

// "add [1,2]", "echo of 16 B", "mix of 3 calls".
QString callDescription(const LoadOptions& options);
// The non-empty buckets: {"us": lower bound, "count"} (log-linear, see LatencyHistogram).
QJsonArray histogramToJson(const LatencyHistogram& histogram);
// Errors by code as {"-32601": 3, "HTTP 503": 1, "no code": 2} (ReplyScanner::errorCodeLabel).
QJsonObject errorsByCodeToJson(const std::map<qint64, quint64>& errors);
// "-32000 ×5, -32601 ×2": most frequent first.
QString errorsByCodeText(const std::map<qint64, quint64>& errors);
// One object per second; "errorsByCode" only in seconds that had errors.
QJsonArray timeSeriesToJson(const QList<LoadSecond>& points);
// second,sent,completed,errors,p50_us,p90_us,p99_us,max_us — one row per second.
QByteArray timeSeriesToCsv(const QList<LoadSecond>& points);
// Everything `bench --json` prints.
QJsonObject toJson(const LoadOptions& options, const LoadResult& result);
// The human-readable report `bench` prints (several lines, each ending in a newline).
QString toText(const LoadOptions& options, const LoadResult& result);

} // namespace rpcbench::LoadResultFormat
