#pragma once
// Streams traffic logs to and from JSON Lines files, one event per line, in the format of
// core/TrafficEventCodec.h (shared with `serve --log jsonl`). Adds what a big file needs:
// progress, cancellation between lines and errors that name the line. Pure functions, run by
// LogFileJob on a worker thread and tested without one.

#include "traffic/TrafficEvent.h"

#include <QString>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

class QIODevice;

namespace rpcbench::JsonLinesIo {

struct Progress
{
    std::function<void(qint64 done, qint64 total)> report; // may be empty
    const std::atomic<bool>* cancel = nullptr;             // checked between lines
};

// False on a write error (*error set) or when cancelled (*error empty).
bool write(QIODevice& out, const std::vector<TrafficEvent>& events, const Progress& progress, QString* error);
// nullopt on a bad line ("line 12: not valid JSON (...)") or when cancelled (*error empty).
std::optional<std::vector<TrafficEvent>> read(QIODevice& in, const Progress& progress, QString* error);

} // namespace rpcbench::JsonLinesIo
