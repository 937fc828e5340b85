#pragma once
// Reads this process's memory and per-thread CPU time from /proc (Linux only; elsewhere the
// figures are 0 and the report says so).

#include <QHash>
#include <QString>

namespace rpcbench::procstat {

qint64 rssKb();     // VmRSS: resident now
qint64 peakRssKb(); // VmHWM: the high-water mark since the process started

// CPU seconds (user + system) per thread name ("rpcbench-server", the main thread under the
// program's name...), threads of the same name summed.
QHash<QString, double> threadCpuSeconds();

// CPU time the calling thread has used, in nanoseconds (CLOCK_THREAD_CPUTIME_ID).
qint64 threadCpuNs();

// Time the calling thread has spent runnable but waiting for a CPU (other threads or processes
// had it), in nanoseconds, from /proc/thread-self/schedstat; 0 where unavailable.
qint64 threadRunQueueWaitNs();

// CPU seconds of this process as a whole (all threads, live and finished).
double processCpuSeconds();

} // namespace rpcbench::procstat
