#pragma once
// Log-linear (HDR-style) histogram of latencies in microseconds. Values below 256 are kept
// exactly; above, every power of two is split into 128 equal sub-buckets, so a recorded value
// is known to within 1/128 (< 0.8 %) and reported at the bucket middle (< 0.4 % error).
// Memory is fixed (≈ 60 KiB for the whole 64-bit range) whatever the number of samples, so
// a load run can record every call without keeping a list of samples.

#include <QtGlobal>

#include <vector>

namespace rpcbench {

class LatencyHistogram
{
public:
    LatencyHistogram();

    void record(quint64 valueUs) { recordN(valueUs, 1); }
    void recordN(quint64 valueUs, quint64 n);
    void merge(const LatencyHistogram& other);
    void reset();

    // Value at or below which `percent` % (0..100) of the samples fall; 0 when empty.
    // Clamped to the exact min/max, so percentile(100) == max().
    quint64 percentile(double percent) const;
    quint64 count() const { return m_count; }
    quint64 min() const { return m_count ? m_min : 0; }
    quint64 max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }

    // Bucket geometry, public for tests: index of a value, and the value range of a bucket.
    static int indexOf(quint64 value);
    static quint64 bucketLow(int index);
    static quint64 bucketWidth(int index);
    static int bucketCount();
    // Samples recorded in bucket `index` (for drawing or exporting the distribution).
    quint64 countAt(int index) const { return m_counts[size_t(index)]; }

private:
    std::vector<quint64> m_counts;
    quint64 m_count = 0;
    quint64 m_min = ~quint64(0);
    quint64 m_max = 0;
    quint64 m_sum = 0; // µs; overflows only after ~584,000 years of summed latency
};

} // namespace rpcbench
