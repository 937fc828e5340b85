#include "load/RateScheduler.h"

#include <algorithm>
#include <cmath>

namespace rpcbench {

namespace {
constexpr double kMaxRate = 10'000'000;
constexpr double kMaxRamp = 86'400;
} // namespace

RateScheduler::RateScheduler(RatePlan plan, Clock clock) : m_plan(plan), m_clock(std::move(clock)) {}

QString RateScheduler::validate(const RatePlan& plan)
{
    if (!(plan.rate > 0) || plan.rate > kMaxRate)
        return QStringLiteral("rate must be greater than 0 and at most %1 calls/s").arg(kMaxRate, 0, 'f', 0);
    if (!(plan.rampSeconds >= 0) || plan.rampSeconds > kMaxRamp)
        return QStringLiteral("ramp must be between 0 and %1 seconds").arg(kMaxRamp, 0, 'f', 0);
    if (!(plan.rampFromRate >= 0) || plan.rampFromRate > plan.rate)
        return QStringLiteral("the ramp's start rate must be between 0 and the rate");
    return {};
}

void RateScheduler::start()
{
    m_startNs = m_clock();
    m_next = 0;
    m_late = 0;
    m_lateness.reset();
}

double RateScheduler::rateAt(double seconds) const
{
    if (seconds < 0)
        return 0;
    if (seconds >= m_plan.rampSeconds)
        return m_plan.rate;
    return m_plan.rampFromRate + (m_plan.rate - m_plan.rampFromRate) * seconds / m_plan.rampSeconds;
}

// The integral of rateAt() from 0 to `seconds`.
double RateScheduler::scheduledBy(double seconds) const
{
    if (seconds <= 0)
        return 0;
    const double r0 = m_plan.rampFromRate;
    const double ramp = m_plan.rampSeconds;
    if (seconds < ramp)
        return r0 * seconds + (m_plan.rate - r0) * seconds * seconds / (2 * ramp);
    const double inRamp = (r0 + m_plan.rate) * ramp / 2;
    return inRamp + m_plan.rate * (seconds - ramp);
}

// Inverse of scheduledBy(): the time at which the curve reaches `index` calls.
qint64 RateScheduler::intendedNs(quint64 index) const
{
    const double k = double(index);
    const double r0 = m_plan.rampFromRate;
    const double ramp = m_plan.rampSeconds;
    const double inRamp = (r0 + m_plan.rate) * ramp / 2;
    double seconds = 0;
    if (k >= inRamp) {
        seconds = ramp + (k - inRamp) / m_plan.rate;
    } else {
        // Solve a·t² + r0·t − k = 0 with a = (rate − r0)/(2·ramp); this form of the root
        // stays exact when a is 0 or tiny (no cancellation).
        const double a = (m_plan.rate - r0) / (2 * ramp);
        const double denominator = r0 + std::sqrt(r0 * r0 + 4 * a * k);
        seconds = denominator > 0 ? 2 * k / denominator : 0;
    }
    return m_startNs + qint64(std::llround(seconds * 1e9));
}

qint64 RateScheduler::takeNext(qint64 nowNs)
{
    const qint64 intended = intendedNs(m_next++);
    const qint64 lateNs = std::max<qint64>(0, nowNs - intended);
    m_lateness.record(quint64((lateNs + 500) / 1000));
    if (lateNs > kLateToleranceNs)
        ++m_late;
    return intended;
}

quint64 RateScheduler::dueNotTaken(qint64 nowNs) const
{
    if (nowNs < m_startNs)
        return 0;
    // Calls 0..floor(N(t)) are due; guard the floating-point edge with intendedNs() itself.
    quint64 due = quint64(std::floor(scheduledBy(double(nowNs - m_startNs) / 1e9))) + 1;
    while (due > 0 && intendedNs(due - 1) > nowNs)
        --due;
    while (intendedNs(due) <= nowNs)
        ++due;
    return due > m_next ? due - m_next : 0;
}

} // namespace rpcbench
