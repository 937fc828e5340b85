// libFuzzer target: HttpResponseParser (the client side of HTTP). The fuzzer's bytes are what
// a server sends before closing the connection.
// Invariants, for a small and the default body limit:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, then finish() (the server
//    closed), the parser gives the same responses, the same error text and partial state;
//  - bodies respect the limit; statuses are final and valid (200..599; 1xx are skipped).

#include "FuzzSupport.h"
#include "wire/HttpResponseParser.h"

#include <cstdint>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

struct Result
{
    QList<HttpResponse> responses;
    bool failed = false;
    QString error;
    bool partialBeforeFinish = false;
};

// Keeps the whole responses (a Frame's views are valid only during onFrame).
struct Collector final : FrameSink
{
    QList<HttpResponse>& responses;
    explicit Collector(QList<HttpResponse>& out) : responses(out) {}
    void onFrame(const Frame& frame) override
    {
        FUZZ_CHECK(frame.response && !frame.request, "response frame without its head");
        FUZZ_CHECK(frame.payload == frame.response->body, "payload is not the body");
        responses.append(*frame.response);
    }
};

bool sameResponse(const HttpResponse& a, const HttpResponse& b)
{
    return a.status == b.status && a.reason == b.reason && a.headers == b.headers && a.body == b.body &&
           a.keepAlive == b.keepAlive;
}

Result parse(QByteArrayView data, qsizetype maxBody, Delivery how)
{
    HttpResponseParser parser(maxBody);
    Result r;
    Collector sink(r.responses);
    for (QByteArrayView chunk : deliver(data, how)) {
        if (!parser.feed(chunk, sink)) {
            r.failed = true;
            break;
        }
    }
    if (!r.failed) {
        r.partialBeforeFinish = parser.hasPartial();
        r.failed = !parser.finish(sink);
    }
    r.error = parser.error().reason;
    FUZZ_CHECK(parser.error().httpStatus == 0, "a response error with HTTP status %d",
               parser.error().httpStatus);
    FUZZ_CHECK(r.failed == !r.error.isEmpty(), "failed %d with error text '%s'", r.failed,
               qPrintable(r.error));
    for (const HttpResponse& resp : r.responses) {
        FUZZ_CHECK(resp.body.size() <= maxBody, "body of %lld bytes over the limit",
                   qlonglong(resp.body.size()));
        FUZZ_CHECK(resp.status >= 200 && resp.status <= 599, "status %d delivered", resp.status);
    }
    return r;
}

void compare(const Result& expected, const Result& got, const char* what)
{
    FUZZ_CHECK(expected.failed == got.failed && expected.error == got.error, "%s: error '%s', whole '%s'",
               what, qPrintable(got.error), qPrintable(expected.error));
    FUZZ_CHECK(expected.responses.size() == got.responses.size(), "%s: %lld responses, whole %lld", what,
               qlonglong(got.responses.size()), qlonglong(expected.responses.size()));
    for (qsizetype i = 0; i < got.responses.size(); ++i)
        FUZZ_CHECK(sameResponse(expected.responses[i], got.responses[i]), "%s: response %lld differs", what,
                   qlonglong(i));
    FUZZ_CHECK(expected.partialBeforeFinish == got.partialBeforeFinish, "%s: partial %d, whole %d", what,
               got.partialBeforeFinish, expected.partialBeforeFinish);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    for (const qsizetype maxBody : {qsizetype(32), qsizetype(256 * 1024 * 1024)}) {
        const Result whole = parse(data, maxBody, Delivery::Whole);
        for (const Delivery how : {Delivery::ByteByByte, Delivery::FuzzerSplit})
            compare(whole, parse(data, maxBody, how), deliveryName(how));
    }
    return 0;
}
