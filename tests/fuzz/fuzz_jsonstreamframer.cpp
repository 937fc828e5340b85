// libFuzzer target: JsonStreamFramer. The fuzzer's bytes are the stream a peer sends.
// Invariants, for a small and the default size limit:
//  - fed whole, byte by byte, or split at fuzzer-chosen points, the framer gives the same
//    messages, the same status and the same partial state;
//  - all of them equal a deliberately naive byte-at-a-time reference framer (a differential
//    check of the optimised memchr/table scanner);
//  - nothing buffered ever exceeds the limit.

#include "FuzzSupport.h"
#include "wire/JsonStreamFramer.h"

#include <cstdint>
#include <string>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

struct Result
{
    QList<QByteArray> messages;
    bool tooLarge = false;
    bool partial = false;
    qsizetype buffered = 0;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The framing rules of JsonStreamFramer.h, one byte at a time with no cleverness.
Result referenceFrame(QByteArrayView data, qsizetype max)
{
    Result r;
    enum { Between, Scalar, Value, String, Escape } state = Between;
    bool topString = false;
    int depth = 0;
    QByteArray current;
    auto emitCurrent = [&] {
        r.messages.append(current);
        current.clear();
        state = Between;
    };
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (state == Scalar && (isSpace(c) || c == '{' || c == '[' || c == '"'))
            emitCurrent(); // the terminator is not part of the scalar; re-examine it below
        if (state == Between) {
            if (isSpace(c))
                continue;
            current.append(c);
            if (c == '{' || c == '[') {
                state = Value;
                depth = 1;
                topString = false;
            } else if (c == '"') {
                state = String;
                topString = true;
            } else if (c == '}' || c == ']') {
                emitCurrent();
                continue;
            } else {
                state = Scalar;
            }
        } else {
            current.append(c);
            if (state == Escape) {
                state = String;
            } else if (state == String) {
                if (c == '\\')
                    state = Escape;
                else if (c == '"') {
                    if (topString) {
                        if (current.size() <= max)
                            emitCurrent();
                    } else {
                        state = Value;
                    }
                }
            } else if (state == Value) {
                if (c == '"')
                    state = String;
                else if (c == '{' || c == '[')
                    ++depth;
                else if ((c == '}' || c == ']') && --depth == 0 && current.size() <= max)
                    emitCurrent();
            }
        }
        if (current.size() > max) {
            r.tooLarge = true;
            return r;
        }
    }
    r.partial = !current.isEmpty();
    r.buffered = current.size();
    return r;
}

Result frame(QByteArrayView data, qsizetype max, Delivery how)
{
    JsonStreamFramer framer(max);
    Result r;
    for (QByteArrayView chunk : deliver(data, how)) {
        const qsizetype before = r.messages.size();
        const auto status = framer.feed(chunk, r.messages);
        FUZZ_CHECK(framer.bufferedBytes() <= max, "buffered %lld > max %lld",
                   qlonglong(framer.bufferedBytes()), qlonglong(max));
        if (status == JsonStreamFramer::Status::TooLarge) {
            r.tooLarge = true;
            // A failed framer stays failed and emits nothing more.
            QList<QByteArray> more;
            FUZZ_CHECK(framer.feed("{}", more) == JsonStreamFramer::Status::TooLarge && more.isEmpty(),
                       "framer usable after TooLarge");
            break;
        }
        for (qsizetype i = before; i < r.messages.size(); ++i)
            FUZZ_CHECK(!r.messages[i].isEmpty(), "empty message emitted");
    }
    if (!r.tooLarge) {
        r.partial = framer.hasPartial();
        r.buffered = framer.bufferedBytes();
    }
    return r;
}

void compare(const Result& expected, const Result& got, const char* what, qsizetype max)
{
    FUZZ_CHECK(expected.tooLarge == got.tooLarge, "%s (max %lld): tooLarge %d, reference %d", what,
               qlonglong(max), got.tooLarge, expected.tooLarge);
    // After TooLarge, which messages were emitted before the failure may not depend on
    // splitting either: the limit is per message.
    FUZZ_CHECK(expected.messages.size() == got.messages.size(),
               "%s (max %lld): %lld messages, reference %lld", what, qlonglong(max),
               qlonglong(got.messages.size()), qlonglong(expected.messages.size()));
    for (qsizetype i = 0; i < got.messages.size(); ++i)
        FUZZ_CHECK(expected.messages[i] == got.messages[i],
                   "%s (max %lld): message %lld is '%s', reference '%s'", what, qlonglong(max), qlonglong(i),
                   preview(got.messages[i]).constData(), preview(expected.messages[i]).constData());
    FUZZ_CHECK(expected.partial == got.partial && expected.buffered == got.buffered,
               "%s (max %lld): partial %d/%lld bytes, reference %d/%lld", what, qlonglong(max), got.partial,
               qlonglong(got.buffered), expected.partial, qlonglong(expected.buffered));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArrayView data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    // 16 bytes: the limit is hit often; 16 MiB: the server default, never hit here.
    for (const qsizetype max : {qsizetype(16), qsizetype(16 * 1024 * 1024)}) {
        const Result expected = referenceFrame(data, max);
        for (const Delivery how : kDeliveries)
            compare(expected, frame(data, max, how), deliveryName(how), max);
    }
    return 0;
}
