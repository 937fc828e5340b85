#pragma once
// The process's one clock for traffic time stamps and latencies, shared by every layer (server,
// client, dispatcher): a wall-clock anchor taken once per process plus the steady clock's
// elapsed time. It reads like wall-clock time (microseconds since the Unix epoch, so a log
// shows the time of day) but never goes backwards or jumps when the system clock is set, so
// time stamps of the two sides of a call can be compared and subtracted.

#include <QtGlobal>

namespace rpcbench::MonotonicClock {

// Nanoseconds since the Unix epoch (anchored once per process), monotonic.
qint64 nowNs();
// The same in microseconds: the unit of TrafficEvent::timestampUs and latencyUs.
inline qint64 nowUs()
{
    return nowNs() / 1000;
}

} // namespace rpcbench::MonotonicClock
