#include "dispatch/LatencyBuckets.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rpcbench {

quint64 LatencyBuckets::lowerBound(int index)
{
    if (index <= UnderflowBucket)
        return 0;
    if (index >= OverflowBucket)
        return quint64(1) << MaxExponent;
    const int octave = (index - 1) / SubBuckets;
    const int sub = (index - 1) % SubBuckets;
    return quint64(SubBuckets + sub) << (MinExponent + octave - SubBucketBits);
}

quint64 LatencyBuckets::upperBound(int index)
{
    if (index >= OverflowBucket)
        return std::numeric_limits<quint64>::max();
    return lowerBound(index + 1);
}

quint64 LatencyBuckets::representative(int index)
{
    if (index >= OverflowBucket)
        return lowerBound(OverflowBucket);
    const quint64 low = lowerBound(index);
    return low + (upperBound(index) - low) / 2;
}

void LatencyBuckets::reset()
{
    for (auto& c : m_counts)
        c.store(0, std::memory_order_relaxed);
}

LatencyBuckets::Snapshot LatencyBuckets::snapshot() const
{
    Snapshot s;
    for (size_t i = 0; i < m_counts.size(); ++i)
        s.m_counts[i] = m_counts[i].load(std::memory_order_relaxed);
    s.finish();
    return s;
}

LatencyBuckets::Snapshot LatencyBuckets::Snapshot::fromCounts(const std::array<quint64, BucketCount>& counts)
{
    Snapshot s;
    s.m_counts = counts;
    s.finish();
    return s;
}

void LatencyBuckets::Snapshot::finish()
{
    m_total = 0;
    m_first = m_last = -1;
    for (int i = 0; i < BucketCount; ++i) {
        if (m_counts[size_t(i)] == 0)
            continue;
        m_total += m_counts[size_t(i)];
        if (m_first < 0)
            m_first = i;
        m_last = i;
    }
}

qint64 LatencyBuckets::Snapshot::percentile(double percent) const
{
    if (m_total == 0)
        return -1;
    percent = std::clamp(percent, 0.0, 100.0);
    // 1-based rank in the sorted samples ("nearest rank"): p50 of 1..10 is the 5th.
    const quint64 rank =
        std::clamp<quint64>(quint64(std::ceil(percent / 100.0 * double(m_total))), 1, m_total);
    quint64 seen = 0;
    for (int i = m_first; i <= m_last; ++i) {
        seen += m_counts[size_t(i)];
        if (seen >= rank)
            return qint64(representative(i));
    }
    return qint64(representative(m_last));
}

qint64 LatencyBuckets::Snapshot::minNs() const
{
    return m_first < 0 ? -1 : qint64(lowerBound(m_first));
}

qint64 LatencyBuckets::Snapshot::maxNs() const
{
    if (m_last < 0)
        return -1;
    return qint64(m_last == OverflowBucket ? lowerBound(m_last) : upperBound(m_last));
}

std::vector<LatencyBuckets::Snapshot::Bucket> LatencyBuckets::Snapshot::buckets() const
{
    std::vector<Bucket> out;
    if (m_first < 0)
        return out;
    out.reserve(size_t(m_last - m_first + 1));
    for (int i = m_first; i <= m_last; ++i)
        out.push_back({i, lowerBound(i), upperBound(i), m_counts[size_t(i)]});
    return out;
}

} // namespace rpcbench
