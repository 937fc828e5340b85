// libFuzzer target: HttpRequestParser. The fuzzer's bytes are what a client sends.
// Invariants, for small and default limits:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, the parser gives the same
//    requests (method, target, version, headers, body, keep-alive), the same error status
//    and reason, and the same partial state;
//  - an error status is one of 400, 413, 431, 501, 505 with a reason; bodies respect the limit;
//  - every parsed request, written out again with a Content-Length body, parses back to the
//    same request (round trip).

#include "FuzzSupport.h"
#include "wire/HttpRequestParser.h"

#include <cstdint>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

struct Result
{
    QList<HttpRequest> requests;
    int errorStatus = 0;
    QByteArray errorReason;
    bool partial = false;
};

// Keeps the whole requests (a Frame's views are valid only during onFrame).
struct Collector final : FrameSink
{
    QList<HttpRequest>& requests;
    explicit Collector(QList<HttpRequest>& out) : requests(out) {}
    void onFrame(const Frame& frame) override
    {
        FUZZ_CHECK(frame.request && !frame.response, "request frame without its head");
        FUZZ_CHECK(frame.payload == frame.request->body, "payload is not the body");
        requests.append(*frame.request);
    }
};

struct Limits
{
    qsizetype body;
    qsizetype header;
};

bool sameRequest(const HttpRequest& a, const HttpRequest& b)
{
    return a.method == b.method && a.target == b.target && a.version == b.version && a.headers == b.headers &&
           a.body == b.body && a.keepAlive == b.keepAlive;
}

QByteArray describe(const HttpRequest& r)
{
    return r.method + ' ' + r.target + ' ' + r.version + " headers=" + QByteArray::number(r.headers.size()) +
           " body=" + preview(r.body, 40) + (r.keepAlive ? " keep-alive" : " close");
}

Result parse(QByteArrayView data, Limits limits, Delivery how)
{
    HttpRequestParser parser(limits.body, limits.header);
    Result r;
    Collector sink(r.requests);
    for (QByteArrayView chunk : deliver(data, how)) {
        const bool ok = parser.feed(chunk, sink);
        parser.takeInterimReply(); // depends on the split by design; must not disturb parsing
        FUZZ_CHECK(ok == !parser.error().isError(), "feed() %d with error kind %d", ok,
                   int(parser.error().kind));
        if (!ok) {
            r.errorStatus = parser.error().httpStatus;
            r.errorReason = parser.error().reason.toUtf8();
            QList<HttpRequest> more;
            Collector moreSink(more);
            FUZZ_CHECK(!parser.feed("GET / HTTP/1.1\r\n\r\n", moreSink) && more.isEmpty(),
                       "parser usable after an error");
            break;
        }
    }
    if (r.errorStatus == 0)
        r.partial = parser.hasPartial();
    for (const HttpRequest& req : r.requests) {
        FUZZ_CHECK(req.body.size() <= limits.body, "body of %lld bytes over the limit",
                   qlonglong(req.body.size()));
        FUZZ_CHECK(!req.method.isEmpty() && !req.target.isEmpty(), "empty method or target");
        FUZZ_CHECK(req.version == "HTTP/1.1" || req.version == "HTTP/1.0", "version '%s'",
                   preview(req.version).constData());
    }
    if (r.errorStatus != 0) {
        const int s = r.errorStatus;
        FUZZ_CHECK(s == 400 || s == 413 || s == 431 || s == 501 || s == 505, "unexpected error status %d", s);
        FUZZ_CHECK(!r.errorReason.isEmpty(), "error %d without a reason", s);
    }
    return r;
}

void compare(const Result& expected, const Result& got, const char* what)
{
    FUZZ_CHECK(expected.errorStatus == got.errorStatus && expected.errorReason == got.errorReason,
               "%s: error %d '%s', whole %d '%s'", what, got.errorStatus, got.errorReason.constData(),
               expected.errorStatus, expected.errorReason.constData());
    FUZZ_CHECK(expected.requests.size() == got.requests.size(), "%s: %lld requests, whole %lld", what,
               qlonglong(got.requests.size()), qlonglong(expected.requests.size()));
    for (qsizetype i = 0; i < got.requests.size(); ++i)
        FUZZ_CHECK(sameRequest(expected.requests[i], got.requests[i]), "%s: request %lld is %s, whole %s",
                   what, qlonglong(i), describe(got.requests[i]).constData(),
                   describe(expected.requests[i]).constData());
    FUZZ_CHECK(expected.partial == got.partial, "%s: partial %d, whole %d", what, got.partial,
               expected.partial);
}

// Writes a parsed request back out: same request line and headers, the body re-framed with
// Content-Length (framing headers replaced).
QByteArray serialize(const HttpRequest& r, HttpHeaders* headersOut)
{
    QByteArray out = r.method + ' ' + r.target + ' ' + r.version + "\r\n";
    HttpHeaders headers;
    for (const auto& h : r.headers) {
        if (h.first.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
            h.first.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        headers.append(h);
    }
    headers.append({"Content-Length", QByteArray::number(r.body.size())});
    for (const auto& [name, value] : headers)
        out += name + ": " + value + "\r\n";
    *headersOut = headers;
    return out + "\r\n" + r.body;
}

void checkRoundTrip(const QList<HttpRequest>& requests, Limits limits)
{
    for (const HttpRequest& r : requests) {
        HttpHeaders headers;
        const QByteArray bytes = serialize(r, &headers);
        HttpRequestParser parser(limits.body, bytes.size() + 64);
        QList<HttpRequest> again;
        Collector sink(again);
        const bool ok = parser.feed(bytes, sink);
        FUZZ_CHECK(ok, "re-serialised request rejected: %d %s", parser.error().httpStatus,
                   qPrintable(parser.error().reason));
        HttpRequest expected = r;
        expected.headers = headers;
        FUZZ_CHECK(again.size() == 1 && sameRequest(again.first(), expected) && !parser.hasPartial(),
                   "round trip changed %s", describe(r).constData());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    for (const Limits limits : {Limits{32, 96}, Limits{16 * 1024 * 1024, 64 * 1024}}) {
        const Result whole = parse(data, limits, Delivery::Whole);
        for (const Delivery how : {Delivery::ByteByByte, Delivery::FuzzerSplit})
            compare(whole, parse(data, limits, how), deliveryName(how));
        checkRoundTrip(whole.requests, limits);
    }
    return 0;
}
