#pragma once
// Test helper: the ways a socket might hand a byte stream to a framer or parser. Incremental
// parsers must give the same result whatever the split, so their tests feed each input in
// every mode and compare.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QRandomGenerator>

namespace rpcbench::test {

// Seeds used for the random splits (a fixed list, so a failure reproduces).
inline constexpr quint32 kChunkSeeds[] = {1, 7, 42, 1234, 987654321};

// Whole (mode 0), byte by byte (1) or random chunks of 1..4 or 1..40 bytes (2, seeded).
// The views point into `data`, which must outlive them.
inline QList<QByteArrayView> chunksOf(const QByteArray& data, int mode, quint32 seed)
{
    QList<QByteArrayView> chunks;
    const QByteArrayView all(data);
    if (mode == 0) {
        chunks.append(all);
        return chunks;
    }
    QRandomGenerator rng(seed);
    for (qsizetype pos = 0; pos < all.size();) {
        const qsizetype n =
            mode == 1 ? 1 : qMin<qsizetype>(all.size() - pos, 1 + rng.bounded(rng.bounded(2) ? 4 : 40));
        chunks.append(all.sliced(pos, n));
        pos += n;
    }
    return chunks;
}

} // namespace rpcbench::test
