#pragma once
// The schedule of an open-loop (constant-rate) load run: when each call *should* be sent.
// Call k (from 0) is due when the cumulative number of calls of the rate curve reaches k. The
// curve is linear from `rampFromRate` to `rate` over `rampSeconds`, then flat at `rate`.
//
// Latency in open-loop mode is measured from intendedNs(k), not from when the call actually
// went out, so a stall in the server (or in the generator) shows in the figures instead of
// silently slowing the generator down (coordinated omission). The scheduler also keeps how
// late every call went out: takeNext() records now − intended.
//
// The clock is injectable so tests drive a simulated clock; the load run uses loadClockNs().

#include "load/LatencyHistogram.h"

#include <QString>

#include <functional>

namespace rpcbench {

struct RatePlan
{
    double rate = 0;         // calls per second once the ramp is over
    double rampSeconds = 0;  // 0 = no ramp
    double rampFromRate = 0; // rate at the start of the ramp
};

class RateScheduler
{
public:
    using Clock = std::function<qint64()>; // monotonic nanoseconds
    // A call that goes out more than this after its intended time counts as late: the driver
    // wakes at millisecond granularity, so up to ~1 ms (plus timer jitter) is by design.
    static constexpr qint64 kLateToleranceNs = 2'000'000;

    explicit RateScheduler(RatePlan plan, Clock clock);

    // Empty when the plan is usable, else a message naming the bad value.
    static QString validate(const RatePlan& plan);

    // Time zero of the schedule is now.
    void start();
    qint64 startNs() const { return m_startNs; }
    qint64 now() const { return m_clock(); }

    // Rate of the curve `seconds` after the start.
    double rateAt(double seconds) const;
    // Calls the curve has scheduled by `seconds` after the start (not rounded).
    double scheduledBy(double seconds) const;
    // Absolute intended send time of call `index`.
    qint64 intendedNs(quint64 index) const;

    // The next call not yet taken.
    quint64 next() const { return m_next; }
    qint64 nextIntendedNs() const { return intendedNs(m_next); }
    bool nextIsDue(qint64 nowNs) const { return nextIntendedNs() <= nowNs; }
    // Takes the next call as sent at `nowNs`; returns its intended time and records its lateness.
    qint64 takeNext(qint64 nowNs);
    // Calls whose intended time is at or before `nowNs` but that were not taken yet.
    quint64 dueNotTaken(qint64 nowNs) const;

    quint64 taken() const { return m_next; }
    quint64 late() const { return m_late; }
    const LatencyHistogram& lateness() const { return m_lateness; } // µs, every taken call

private:
    RatePlan m_plan;
    Clock m_clock;
    qint64 m_startNs = 0;
    quint64 m_next = 0;
    quint64 m_late = 0;
    LatencyHistogram m_lateness;
};

} // namespace rpcbench
