#pragma once
// Turns what a GUI-under-load run recorded into JSON, and judges it against the issue's
// targets (p99 stall <= 16 ms, max <= 50 ms, memory bounded once the log is full, nothing
// lost without being counted).

#include <QJsonObject>

namespace rpcbench {

class LoadSampler;
class StallProbe;
class TimedApplication;

namespace guiloadreport {

QJsonObject stalls(const StallProbe& probe);
QJsonObject logCounters(const LoadSampler& sampler, qint64 capacity);
QJsonObject memory(const LoadSampler& sampler);
QJsonObject eventLoop(const TimedApplication& app);
// Adds "targets": {p99, max, rss, nothingLost: {met, detail}} from the sections above.
QJsonObject targets(const QJsonObject& stalls, const QJsonObject& log, const QJsonObject& memory);

} // namespace guiloadreport
} // namespace rpcbench
