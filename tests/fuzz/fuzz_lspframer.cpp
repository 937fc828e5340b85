// libFuzzer target: LspFramer (Content-Length framing). The fuzzer's bytes are the stream.
// Invariants, for small and default limits:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, the framer gives the same
//    payloads, the same error kind and text, and the same partial state;
//  - no payload exceeds the message limit, nothing buffered exceeds header + message limits;
//  - the payloads, framed again with LspFramer::frame() and concatenated, come back unchanged
//    (round trip), in one piece and byte by byte.

#include "FuzzSupport.h"
#include "wire/LspFramer.h"

#include <cstdint>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

struct Result
{
    QList<QByteArray> payloads;
    FrameError::Kind kind = FrameError::Kind::None;
    QString error;
    bool partial = false;
};

// Keeps copies of the payloads (a Frame's views are valid only during onFrame).
struct Collector final : FrameSink
{
    QList<QByteArray>& payloads;
    explicit Collector(QList<QByteArray>& out) : payloads(out) {}
    void onFrame(const Frame& frame) override
    {
        FUZZ_CHECK(!frame.request && !frame.response && !frame.syntaxError,
                   "LSP frame with HTTP or JSON data");
        payloads.append(frame.payload.toByteArray());
    }
};

struct Limits
{
    qsizetype message;
    qsizetype header;
};

Result frame(QByteArrayView data, Limits limits, Delivery how)
{
    LspFramer framer(limits.message, limits.header);
    Result r;
    Collector sink(r.payloads);
    for (QByteArrayView chunk : deliver(data, how)) {
        const bool ok = framer.feed(chunk, sink);
        // The buffer holds at most one header block plus one incomplete body.
        FUZZ_CHECK(framer.bufferedBytes() <= limits.header + limits.message, "buffered %lld bytes",
                   qlonglong(framer.bufferedBytes()));
        r.kind = framer.error().kind;
        FUZZ_CHECK(ok == (r.kind == FrameError::Kind::None), "feed() %d with error kind %d", ok, int(r.kind));
        if (!ok) {
            r.error = framer.error().reason;
            FUZZ_CHECK(r.kind == FrameError::Kind::BadHeader || r.kind == FrameError::Kind::TooLarge,
                       "unexpected error kind %d", int(r.kind));
            FUZZ_CHECK(!r.error.isEmpty(), "error without a reason");
            QList<QByteArray> more;
            Collector moreSink(more);
            FUZZ_CHECK(!framer.feed("Content-Length: 2\r\n\r\n{}", moreSink) &&
                           framer.error().kind == r.kind && more.isEmpty(),
                       "framer usable after an error");
            break;
        }
    }
    if (r.kind == FrameError::Kind::None)
        r.partial = framer.hasPartial();
    for (const QByteArray& p : r.payloads)
        FUZZ_CHECK(p.size() <= limits.message, "payload of %lld bytes over the limit %lld",
                   qlonglong(p.size()), qlonglong(limits.message));
    return r;
}

void compare(const Result& expected, const Result& got, const char* what)
{
    FUZZ_CHECK(expected.kind == got.kind, "%s: error kind %d, whole %d", what, int(got.kind),
               int(expected.kind));
    FUZZ_CHECK(expected.error == got.error, "%s: error '%s', whole '%s'", what, qPrintable(got.error),
               qPrintable(expected.error));
    FUZZ_CHECK(expected.payloads == got.payloads, "%s: %lld payloads, whole %lld", what,
               qlonglong(got.payloads.size()), qlonglong(expected.payloads.size()));
    FUZZ_CHECK(expected.partial == got.partial, "%s: partial %d, whole %d", what, got.partial,
               expected.partial);
}

void checkRoundTrip(const QList<QByteArray>& payloads, Limits limits)
{
    QByteArray stream;
    for (const QByteArray& p : payloads)
        stream += LspFramer::frame(p);
    for (const Delivery how : {Delivery::Whole, Delivery::ByteByByte}) {
        const Result again = frame(stream, limits, how);
        FUZZ_CHECK(again.kind == FrameError::Kind::None, "re-framed payloads rejected (%s): %s",
                   deliveryName(how), qPrintable(again.error));
        FUZZ_CHECK(again.payloads == payloads && !again.partial, "round trip changed the payloads (%s)",
                   deliveryName(how));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    for (const Limits limits : {Limits{16, 48}, Limits{16 * 1024 * 1024, 64 * 1024}}) {
        const Result whole = frame(data, limits, Delivery::Whole);
        for (const Delivery how : {Delivery::ByteByByte, Delivery::FuzzerSplit})
            compare(whole, frame(data, limits, how), deliveryName(how));
        checkRoundTrip(whole.payloads, limits);
    }
    return 0;
}
