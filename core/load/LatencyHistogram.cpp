#include "load/LatencyHistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace rpcbench {

namespace {
constexpr int kSubBits = 7;                     // 128 sub-buckets per power of two
constexpr int kSubCount = 1 << kSubBits;        // 128
constexpr int kLinearCount = 2 * kSubCount;     // values 0..255 are exact
constexpr int kLogRanges = 64 - (kSubBits + 1); // powers of two from 2^8 up to 2^63
} // namespace

LatencyHistogram::LatencyHistogram() : m_counts(bucketCount(), 0) {}

int LatencyHistogram::bucketCount()
{
    return kLinearCount + kLogRanges * kSubCount;
}

int LatencyHistogram::indexOf(quint64 value)
{
    if (value < quint64(kLinearCount))
        return int(value);
    const int msb = 63 - std::countl_zero(value);
    const int shift = msb - kSubBits; // ≥ 1 here
    const int sub = int(value >> shift) - kSubCount;
    return kLinearCount + (shift - 1) * kSubCount + sub;
}

quint64 LatencyHistogram::bucketLow(int index)
{
    if (index < kLinearCount)
        return quint64(index);
    const int range = (index - kLinearCount) / kSubCount;
    const int sub = (index - kLinearCount) % kSubCount;
    return quint64(kSubCount + sub) << (range + 1);
}

quint64 LatencyHistogram::bucketWidth(int index)
{
    if (index < kLinearCount)
        return 1;
    return quint64(1) << ((index - kLinearCount) / kSubCount + 1);
}

void LatencyHistogram::recordN(quint64 valueUs, quint64 n)
{
    if (n == 0)
        return;
    m_counts[indexOf(valueUs)] += n;
    m_count += n;
    m_sum += valueUs * n;
    m_min = std::min(m_min, valueUs);
    m_max = std::max(m_max, valueUs);
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    if (other.m_count == 0)
        return;
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::reset()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_count = 0;
    m_min = ~quint64(0);
    m_max = 0;
    m_sum = 0;
}

quint64 LatencyHistogram::percentile(double percent) const
{
    if (m_count == 0)
        return 0;
    percent = std::clamp(percent, 0.0, 100.0);
    // Rank of the sample in a sorted list (1-based, "nearest rank" definition).
    quint64 rank = quint64(std::ceil(percent / 100.0 * double(m_count)));
    rank = std::clamp<quint64>(rank, 1, m_count);
    // The extremes are known exactly; buckets only approximate the samples in between.
    if (rank == m_count)
        return m_max;
    if (rank == 1)
        return m_min;
    quint64 seen = 0;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank) {
            const quint64 mid = bucketLow(int(i)) + (bucketWidth(int(i)) - 1) / 2;
            return std::clamp(mid, m_min, m_max);
        }
    }
    return m_max;
}

} // namespace rpcbench
