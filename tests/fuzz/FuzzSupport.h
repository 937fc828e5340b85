#pragma once
// Shared by the libFuzzer targets: the ways a socket may hand over the fuzzer's bytes, and an
// invariant check that aborts (libFuzzer then saves the input as a crash artifact).

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdio>
#include <cstdlib>

namespace rpcbench::fuzz {

// Aborts with a message when an invariant does not hold. Used instead of assert() so it is
// active in every build type.
#define FUZZ_CHECK(cond, ...)                                                                                \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            std::fprintf(stderr, "INVARIANT FAILED at %s:%d: %s\n  ", __FILE__, __LINE__, #cond);            \
            std::fprintf(stderr, __VA_ARGS__);                                                               \
            std::fprintf(stderr, "\n");                                                                      \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (0)

enum class Delivery { Whole, ByteByByte, FuzzerSplit };
inline constexpr Delivery kDeliveries[] = {Delivery::Whole, Delivery::ByteByByte, Delivery::FuzzerSplit};

// Splits `data` into the chunks a socket might deliver. For FuzzerSplit the chunk sizes
// (1..64) are read from the input itself, last byte first, so the fuzzer chooses the split
// points by mutating bytes while every seed file stays a verbatim stream.
inline QList<QByteArrayView> deliver(QByteArrayView data, Delivery how)
{
    QList<QByteArrayView> chunks;
    if (how == Delivery::Whole) {
        chunks.append(data);
        return chunks;
    }
    qsizetype tail = data.size();
    for (qsizetype pos = 0; pos < data.size();) {
        qsizetype n = 1;
        if (how == Delivery::FuzzerSplit && tail > 0)
            n = 1 + static_cast<unsigned char>(data[--tail]) % 64;
        n = qMin(n, data.size() - pos);
        chunks.append(data.sliced(pos, n));
        pos += n;
    }
    return chunks;
}

inline const char* deliveryName(Delivery how)
{
    switch (how) {
    case Delivery::Whole:
        return "whole";
    case Delivery::ByteByByte:
        return "byte by byte";
    case Delivery::FuzzerSplit:
        return "fuzzer-chosen split";
    }
    return "?";
}

// Printable prefix of a byte array for invariant messages.
inline QByteArray preview(const QByteArray& bytes, qsizetype max = 120)
{
    QByteArray out = bytes.left(max).toPercentEncoding(" {}[]\":,._-/\\");
    if (bytes.size() > max)
        out += "...(" + QByteArray::number(bytes.size()) + " bytes)";
    return out;
}

} // namespace rpcbench::fuzz
