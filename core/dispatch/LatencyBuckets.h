#pragma once
// A lock-free latency histogram for the server's hot path: a fixed array of atomic counters,
// one per log-linear bucket, so any number of worker threads record at once with a single
// relaxed fetch_add and the GUI reads a Snapshot whenever it likes.
//
// Buckets (nanoseconds): [0, 128 ns) is one underflow bucket; every power of two from 128 ns
// up to 2^37 ns (≈ 137 s) is split into 8 equal sub-buckets; [2^37 ns, ∞) is one overflow
// bucket. 242 counters (≈ 2 KiB) per histogram, cheap enough for one per method.
//
// Precision: a bucket is at most 1/8 (12.5 %) of its lower bound wide, so a value is known to
// within 12.5 %; percentiles are reported at the bucket's middle, at most 1/16 (6.25 %) from
// any value in it. Outside [128 ns, 137 s) only "below" / "above" is known.
//
// A snapshot reads the counters one by one while others may still record: it is a consistent
// picture only once recording has paused, otherwise it may miss the last few samples. That is
// fine for a display that samples again a moment later.

#include <QtGlobal>

#include <array>
#include <atomic>
#include <bit>
#include <vector>

namespace rpcbench {

class LatencyBuckets
{
public:
    static constexpr int SubBucketBits = 3; // 8 sub-buckets per power of two
    static constexpr int SubBuckets = 1 << SubBucketBits;
    static constexpr int MinExponent = 7;  // 2^7 = 128 ns: the first bucket of the log range
    static constexpr int MaxExponent = 37; // 2^37 ns ≈ 137 s: the overflow bucket starts here
    static constexpr int BucketCount = 1 + (MaxExponent - MinExponent) * SubBuckets + 1;
    static constexpr int UnderflowBucket = 0;
    static constexpr int OverflowBucket = BucketCount - 1;

    // The bucket a value falls in.
    static constexpr int indexOf(quint64 ns)
    {
        if (ns < (quint64(1) << MinExponent))
            return UnderflowBucket;
        const int msb = 63 - std::countl_zero(ns);
        if (msb >= MaxExponent)
            return OverflowBucket;
        const int sub = int(ns >> (msb - SubBucketBits)) & (SubBuckets - 1);
        return 1 + (msb - MinExponent) * SubBuckets + sub;
    }
    // A bucket's values are [lowerBound, upperBound); the overflow bucket's upper bound is
    // the largest quint64.
    static quint64 lowerBound(int index);
    static quint64 upperBound(int index);
    // Where percentiles in this bucket are reported: its middle (the underflow bucket: 64 ns;
    // the overflow bucket: its lower bound, the only thing known).
    static quint64 representative(int index);

    // Records one latency. Safe from any number of threads; never blocks.
    void record(quint64 ns) { m_counts[size_t(indexOf(ns))].fetch_add(1, std::memory_order_relaxed); }
    void reset();

    // The counts at one moment, as plain numbers (see the header comment on consistency).
    class Snapshot
    {
    public:
        struct Bucket
        {
            int index = 0;
            quint64 lowerNs = 0; // inclusive
            quint64 upperNs = 0; // exclusive
            quint64 count = 0;
        };

        quint64 count() const { return m_total; }
        bool isEmpty() const { return m_total == 0; }
        quint64 countAt(int index) const { return m_counts[size_t(index)]; }
        // Value at or below which `percent` % (0..100) of the samples fall, "nearest rank"
        // definition, reported at its bucket's middle (within 6.25 %); -1 when empty.
        qint64 percentile(double percent) const;
        // Bounds of the samples seen: the lowest bucket's lower bound and the highest bucket's
        // upper bound (the overflow bucket: its lower bound); -1 when empty.
        qint64 minNs() const;
        qint64 maxNs() const;
        int firstNonEmpty() const { return m_first; } // -1 when empty
        int lastNonEmpty() const { return m_last; }   // -1 when empty
        // The buckets from the first non-empty one to the last, empty ones between included:
        // what a chart draws.
        std::vector<Bucket> buckets() const;

        Snapshot() = default;
        // Builds a snapshot from plain counts (tests, merging); `counts` has BucketCount entries.
        static Snapshot fromCounts(const std::array<quint64, BucketCount>& counts);

    private:
        friend class LatencyBuckets;
        void finish(); // computes the totals from m_counts

        std::array<quint64, BucketCount> m_counts{};
        quint64 m_total = 0;
        int m_first = -1;
        int m_last = -1;
    };

    Snapshot snapshot() const;

private:
    std::array<std::atomic<quint64>, BucketCount> m_counts{};
};

} // namespace rpcbench
