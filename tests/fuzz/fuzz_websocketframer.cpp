// libFuzzer target: WebSocketFramer (RFC 6455 frames as a server reads them). The fuzzer's
// bytes are the stream. Invariants, for a small and the default message limit:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, the framer gives the same
//    messages, the same error kind and text, the same interim replies (pongs, closes) and the
//    same partial state;
//  - no message exceeds the limit; an error always queues a close frame as the interim reply;
//  - the messages, framed again as masked text frames and concatenated, come back unchanged.

#include "FuzzSupport.h"
#include "wire/WebSocketFramer.h"

#include <cstdint>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

struct Result
{
    QList<QByteArray> payloads;
    QByteArray interim;
    FrameError::Kind kind = FrameError::Kind::None;
    QString error;
    bool partial = false;
};

struct Collector final : FrameSink
{
    QList<QByteArray>& payloads;
    explicit Collector(QList<QByteArray>& out) : payloads(out) {}
    void onFrame(const Frame& frame) override
    {
        FUZZ_CHECK(!frame.request && !frame.response && !frame.syntaxError,
                   "WebSocket frame with other data");
        payloads.append(frame.payload.toByteArray());
    }
};

Result frame(QByteArrayView data, qsizetype limit, Delivery how)
{
    WebSocketFramer framer(limit);
    Result r;
    Collector sink(r.payloads);
    for (QByteArrayView chunk : deliver(data, how)) {
        const bool ok = framer.feed(chunk, sink);
        r.interim += framer.takeInterimReply();
        r.kind = framer.error().kind;
        FUZZ_CHECK(ok == (r.kind == FrameError::Kind::None), "feed() %d with error kind %d", ok, int(r.kind));
        if (!ok) {
            r.error = framer.error().reason;
            FUZZ_CHECK(!r.error.isEmpty(), "error without a reason");
            // Every end (error or the peer's close) leaves a close frame to send.
            const qsizetype close = r.interim.lastIndexOf(char(0x88));
            FUZZ_CHECK(close >= 0, "error without a close frame to send");
            break;
        }
    }
    if (r.kind == FrameError::Kind::None)
        r.partial = framer.hasPartial();
    for (const QByteArray& p : r.payloads)
        FUZZ_CHECK(p.size() <= limit, "message of %lld bytes over the limit %lld", qlonglong(p.size()),
                   qlonglong(limit));
    return r;
}

void compare(const Result& expected, const Result& got, const char* what)
{
    FUZZ_CHECK(expected.kind == got.kind, "%s: error kind %d, whole %d", what, int(got.kind),
               int(expected.kind));
    FUZZ_CHECK(expected.error == got.error, "%s: error '%s', whole '%s'", what, qPrintable(got.error),
               qPrintable(expected.error));
    FUZZ_CHECK(expected.payloads == got.payloads, "%s: %lld messages, whole %lld", what,
               qlonglong(got.payloads.size()), qlonglong(expected.payloads.size()));
    FUZZ_CHECK(expected.interim == got.interim, "%s: interim %s, whole %s", what,
               preview(got.interim).constData(), preview(expected.interim).constData());
    FUZZ_CHECK(expected.partial == got.partial, "%s: partial %d, whole %d", what, got.partial,
               expected.partial);
}

void checkRoundTrip(const QList<QByteArray>& payloads, qsizetype limit)
{
    QByteArray stream;
    quint32 mask = 0x9E3779B9;
    for (const QByteArray& p : payloads)
        stream += WebSocketFramer::frame(WebSocketFramer::Text, p, true, mask++);
    for (const Delivery how : {Delivery::Whole, Delivery::ByteByByte}) {
        const Result again = frame(stream, limit, how);
        FUZZ_CHECK(again.kind == FrameError::Kind::None, "re-framed messages rejected (%s): %s",
                   deliveryName(how), qPrintable(again.error));
        FUZZ_CHECK(again.payloads == payloads && !again.partial && again.interim.isEmpty(),
                   "round trip changed the messages (%s)", deliveryName(how));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    for (const qsizetype limit : {qsizetype(16), qsizetype(16 * 1024 * 1024)}) {
        const Result whole = frame(data, limit, Delivery::Whole);
        for (const Delivery how : {Delivery::ByteByByte, Delivery::FuzzerSplit})
            compare(whole, frame(data, limit, how), deliveryName(how));
        checkRoundTrip(whole.payloads, limit);
    }
    return 0;
}
