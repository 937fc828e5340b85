// libFuzzer target: message decoding + dispatch against the demo registry, in memory (no
// sockets). The fuzzer's bytes are one framed message (a JSON stream value or HTTP body).
// Invariants:
//  - the reply callback runs exactly once, on the context's thread, never again later;
//  - a request that expects a reply gets one, a notification (or all-notification batch)
//    gets none, a batch gets one reply per non-notification element, in request order;
//  - every reply is valid JSON shaped for its dialect (2.0: jsonrpc/id/result|error; 1.0:
//    result/error/id; classic: res|error) and echoes the request id; error objects carry an
//    integer code and a string message.
// Expectations are derived from the JSON-RPC specification here, independently of
// RequestDecoder. `sleep` and `blob` are capped so every input runs in milliseconds, and a
// few extra methods exercise the async paths (timeouts, double answers, other threads,
// exceptions) deterministically.

#include "FuzzSupport.h"
#include "dispatch/DemoService.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/MethodRegistry.h"
#include "protocol/FastRequestParser.h"
#include "protocol/RequestDecoder.h"
#include "traffic/SummarizeMessage.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <stdexcept>

using namespace rpcbench;
using namespace rpcbench::fuzz;

namespace {

constexpr int kHandlerTimeoutMs = 5; // the `hang` method is answered by the timeout
constexpr int kMaxDepth = 512;       // the server default
constexpr qint64 kMaxBlob = 4096;

Dispatcher* g_dispatcher = nullptr;

void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& msg)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", qPrintable(msg));
}

// Re-registers `name` with its first argument passed through `cap`, keeping the real handler
// (and whether it is synchronous).
void wrapFirstArgument(MethodRegistry& registry, const QString& name,
                       std::function<QJsonValue(QJsonValue)> cap)
{
    const auto method = registry.find(name);
    if (!method) {
        std::fprintf(stderr, "fuzz_dispatcher: demo method '%s' not found\n", qPrintable(name));
        std::abort(); // the harness no longer matches the demo service: fix it
    }
    const auto capped = [cap](QJsonArray args) {
        if (!args.isEmpty())
            args[0] = cap(args.at(0));
        return args;
    };
    if (method->syncHandler)
        registry.addSync(method->info, [real = method->syncHandler, capped](const QJsonArray& args) {
            return real(capped(args));
        });
    else
        registry.add(method->info, [real = method->handler, capped](const QJsonArray& args, Responder done) {
            real(capped(args), std::move(done));
        });
}

// `sleep` and `blob` keep their real handlers but run in milliseconds: sleep answers from a
// zero-delay timer (still later, not synchronously), blob returns at most 4 KiB. Values the
// real handler rejects (negative, over the limit) pass through unchanged.
void capSlowMethods(MethodRegistry& registry)
{
    wrapFirstArgument(registry, QStringLiteral("sleep"), [](QJsonValue ms) {
        const qint64 v = ms.toInteger(-1);
        return v >= 0 && v <= DemoLimits::maxSleepMs ? QJsonValue(0) : ms;
    });
    wrapFirstArgument(registry, QStringLiteral("blob"), [](QJsonValue size) {
        const qint64 v = size.toInteger(-1);
        return v > kMaxBlob && v <= DemoLimits::maxBlobBytes ? QJsonValue(kMaxBlob) : size;
    });
}

void addAsyncProbes(MethodRegistry& registry)
{
    registry.defAsync(
        QStringLiteral("hang"), [](Responder) {}, QStringLiteral("Never answers (handler timeout)."));
    registry.defAsync(
        QStringLiteral("twice"),
        [](Responder done) {
            done(RpcResult::success(1));
            done(RpcResult::success(2)); // must be ignored
        },
        QStringLiteral("Answers twice."));
    registry.defAsync(
        QStringLiteral("threaded"),
        [](const QJsonValue& value, Responder done) {
            QThreadPool::globalInstance()->start([value, done] { done(RpcResult::success(value)); });
        },
        QStringLiteral("Answers from a pool thread."), arg(QStringLiteral("value")) = QJsonValue::Null);
    registry.def(
        QStringLiteral("throws"),
        [](const QString& what) -> double {
            if (what == QStringLiteral("rpc"))
                throw RpcException(-32042, QStringLiteral("thrown rpc error"));
            throw std::runtime_error("thrown std::runtime_error");
        },
        QStringLiteral("Throws."), arg(QStringLiteral("what")) = QString());
    registry.defAsync(
        QStringLiteral("throwsAsync"), [](Responder) { throw std::runtime_error("async throw"); },
        QStringLiteral("Throws before answering."));
}

// ---- Expectations, from the specification ----

enum class Shape { JsonRpc2, JsonRpc1, Classic };

struct Expected
{
    bool reply = true;
    bool batch = false;
    Shape shape = Shape::JsonRpc2;
    QJsonValue id = QJsonValue::Null; // for Classic: unused
    QList<QJsonValue> batchIds;       // ids of the elements that expect a reply, in order
    bool parseError = false;          // not JSON, too deep, or a scalar
};

int depthOf(const QJsonValue& v)
{
    int inner = 0;
    if (v.isArray()) {
        for (const QJsonValue& e : v.toArray())
            inner = qMax(inner, depthOf(e));
        return 1 + inner;
    }
    if (v.isObject()) {
        for (const QJsonValue& e : v.toObject())
            inner = qMax(inner, depthOf(e));
        return 1 + inner;
    }
    return 0;
}

bool paramsOk(const QJsonValue& params, bool allowObject)
{
    return params.isUndefined() || params.isArray() || (allowObject && params.isObject());
}

bool isScalarId(const QJsonValue& id)
{
    return id.isString() || id.isDouble() || id.isNull();
}

// A JSON-RPC 2.0 request object (or batch element): whether it is a notification, and the
// id its reply must carry.
bool isNotification2(const QJsonValue& v, QJsonValue* replyId)
{
    *replyId = QJsonValue::Null;
    if (!v.isObject())
        return false;
    const QJsonObject o = v.toObject();
    const bool hasId = o.contains(QLatin1StringView("id"));
    const QJsonValue id = o.value(QLatin1StringView("id"));
    if (hasId && !isScalarId(id))
        return false; // invalid: answered with id null
    if (hasId)
        *replyId = id;
    const bool valid = o.value(QLatin1StringView("jsonrpc")) == QJsonValue(QStringLiteral("2.0")) &&
                       o.value(QLatin1StringView("method")).isString() &&
                       paramsOk(o.value(QLatin1StringView("params")), true);
    return valid && !hasId;
}

Expected expectationFor(const QByteArray& message)
{
    Expected e;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &error);
    if (error.error != QJsonParseError::NoError ||
        depthOf(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object())) > kMaxDepth) {
        e.parseError = true;
        return e;
    }
    if (doc.isArray()) {
        const QJsonArray batch = doc.array();
        if (batch.isEmpty())
            return e; // one Invalid Request error, id null
        e.batch = true;
        for (const QJsonValue& element : batch) {
            QJsonValue id;
            if (!isNotification2(element, &id))
                e.batchIds.append(id);
        }
        e.reply = !e.batchIds.isEmpty();
        return e;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1StringView("jsonrpc"))) {
        e.reply = !isNotification2(o, &e.id);
    } else if (o.contains(QLatin1StringView("method_name"))) {
        e.shape = Shape::Classic;
    } else if (o.contains(QLatin1StringView("method"))) {
        e.shape = Shape::JsonRpc1;
        const bool hasId = o.contains(QLatin1StringView("id"));
        e.id = o.value(QLatin1StringView("id"));
        if (!hasId)
            e.id = QJsonValue::Null;
        const bool valid = hasId && o.value(QLatin1StringView("method")).isString() &&
                           paramsOk(o.value(QLatin1StringView("params")), false);
        e.reply = !(valid && e.id.isNull()); // 1.0: a notification is a request with id null
    }
    return e;
}

// ---- Reply checks ----

void checkError(const QJsonValue& error, const char* where)
{
    FUZZ_CHECK(error.isObject(), "%s: error is not an object", where);
    const QJsonObject o = error.toObject();
    const QJsonValue code = o.value(QLatin1StringView("code"));
    FUZZ_CHECK(code.isDouble() && code.toDouble() == double(code.toInteger()),
               "%s: error code not an integer", where);
    FUZZ_CHECK(o.value(QLatin1StringView("message")).isString(), "%s: error message not a string", where);
    for (const QString& key : o.keys())
        FUZZ_CHECK(key == u"code" || key == u"message" || key == u"data", "%s: unexpected error member '%s'",
                   where, qPrintable(key));
}

// Ids must come back exactly, lone surrogates ("\ud800", a legal JSON escape) included.
bool sameId(const QJsonValue& replyId, const QJsonValue& requestId)
{
    return replyId == requestId;
}

void checkReply2(const QJsonValue& reply, const QJsonValue& id, const char* where)
{
    FUZZ_CHECK(reply.isObject(), "%s: 2.0 reply is not an object", where);
    const QJsonObject o = reply.toObject();
    FUZZ_CHECK(o.value(QLatin1StringView("jsonrpc")) == QJsonValue(QStringLiteral("2.0")),
               "%s: no jsonrpc 2.0", where);
    FUZZ_CHECK(o.contains(QLatin1StringView("id")), "%s: reply without id", where);
    FUZZ_CHECK(sameId(o.value(QLatin1StringView("id")), id), "%s: reply id %s, request id %s", where,
               QJsonDocument(QJsonArray{o.value(QLatin1StringView("id"))})
                   .toJson(QJsonDocument::Compact)
                   .constData(),
               QJsonDocument(QJsonArray{id}).toJson(QJsonDocument::Compact).constData());
    const bool hasResult = o.contains(QLatin1StringView("result"));
    const bool hasError = o.contains(QLatin1StringView("error"));
    FUZZ_CHECK(hasResult != hasError && o.size() == 3,
               "%s: 2.0 reply needs exactly jsonrpc, id and one of "
               "result/error",
               where);
    if (hasError)
        checkError(o.value(QLatin1StringView("error")), where);
}

void checkSingle(const Expected& e, const QJsonDocument& doc)
{
    FUZZ_CHECK(doc.isObject(), "single reply is not an object");
    const QJsonObject o = doc.object();
    switch (e.shape) {
    case Shape::JsonRpc2:
        checkReply2(o, e.id, "single");
        if (e.parseError) {
            const int code = o.value(QLatin1StringView("error"))[QLatin1StringView("code")].toInt();
            FUZZ_CHECK(code == ErrorCode::ParseError || code == ErrorCode::InvalidRequest,
                       "unparseable message answered with code %d", code);
        }
        break;
    case Shape::JsonRpc1: {
        FUZZ_CHECK(o.size() == 3 && o.contains(QLatin1StringView("result")) &&
                       o.contains(QLatin1StringView("error")) && o.contains(QLatin1StringView("id")),
                   "1.0 reply needs exactly result, error and id");
        FUZZ_CHECK(sameId(o.value(QLatin1StringView("id")), e.id), "1.0 reply does not echo the id");
        const QJsonValue error = o.value(QLatin1StringView("error"));
        if (!error.isNull()) {
            checkError(error, "1.0");
            FUZZ_CHECK(o.value(QLatin1StringView("result")).isNull(), "1.0 reply with both result and error");
        }
        break;
    }
    case Shape::Classic:
        FUZZ_CHECK(o.size() == 1 &&
                       (o.contains(QLatin1StringView("res")) || o.contains(QLatin1StringView("error"))),
                   "classic reply needs exactly res or error");
        if (o.contains(QLatin1StringView("error")))
            checkError(o.value(QLatin1StringView("error")), "classic");
        break;
    }
}

void checkReply(const QByteArray& message, const Expected& e, const DispatchReply& reply)
{
    if (!e.reply) {
        FUZZ_CHECK(reply.bytes.isEmpty(), "notification answered: %s -> %s", preview(message).constData(),
                   preview(reply.bytes).constData());
        return;
    }
    FUZZ_CHECK(!reply.bytes.isEmpty(), "request not answered: %s", preview(message).constData());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(reply.bytes, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError, "reply is not JSON (%s): %s",
               qPrintable(error.errorString()), preview(reply.bytes).constData());
    if (!e.batch) {
        checkSingle(e, doc);
        return;
    }
    FUZZ_CHECK(doc.isArray(), "batch reply is not an array");
    const QJsonArray replies = doc.array();
    FUZZ_CHECK(replies.size() == e.batchIds.size(), "batch: %lld replies for %lld requests",
               qlonglong(replies.size()), qlonglong(e.batchIds.size()));
    for (qsizetype i = 0; i < replies.size(); ++i)
        checkReply2(replies.at(i), e.batchIds.at(i), "batch element");
    FUZZ_CHECK(reply.summary.kind == MessageKind::Batch && reply.summary.batchSize == replies.size(),
               "batch reply summary wrong");
}

// Runs the event loop until `done` holds or 3 s passed (a lost reply is reported, not hung on).
void runUntil(const std::function<bool()>& done)
{
    QDeadlineTimer deadline(3000);
    QTimer wake; // WaitForMoreEvents needs something to wake it even if nothing else happens
    wake.start(50);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
}

void drainEvents()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    qInstallMessageHandler(quietMessages);
    new QCoreApplication(*argc, *argv); // lives for the whole run
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    capSlowMethods(*registry);
    addAsyncProbes(*registry);
    g_dispatcher = new Dispatcher(registry, kHandlerTimeoutMs, kMaxDepth);
    return 0;
}

// Differential check of the one-pass decoder: whatever it accepts must be valid JSON that
// the general path (QJsonDocument + RequestDecoder) decodes to exactly the same request.
void checkFastPath(const QByteArray& message)
{
    const std::optional<DecodedRequest> fast = FastRequestParser::parse(message);
    if (!fast)
        return;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(),
               "fast path accepted what Qt rejects: %s", preview(message).constData());
    const DecodedRequest slow = RequestDecoder::decode(doc.object());
    FUZZ_CHECK(slow.valid == fast->valid && slow.dialect == fast->dialect &&
                   slow.notification == fast->notification && slow.hasId == fast->hasId &&
                   slow.idJson == fast->idJson && slow.method == fast->method &&
                   slow.positional == fast->positional && slow.named == fast->named,
               "fast path decodes differently: %s", preview(message).constData());
    for (qsizetype i = 0; i < slow.positional.size(); ++i)
        FUZZ_CHECK(slow.positional.at(i).toVariant().typeId() == fast->positional.at(i).toVariant().typeId(),
                   "fast path number type differs: %s", preview(message).constData());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArray message(reinterpret_cast<const char*>(bytes), qsizetype(size));
    checkFastPath(message);
    const Expected expected = expectationFor(message);

    int calls = 0;
    bool wrongThread = false;
    DispatchReply reply;
    MessageSummary summary;
    {
        QObject context;
        g_dispatcher->handle(
            message, &context,
            [&](DispatchReply r) {
                ++calls;
                wrongThread = wrongThread || QThread::currentThread() != context.thread();
                reply = std::move(r);
            },
            &summary);
        runUntil([&] { return calls > 0; });
        FUZZ_CHECK(calls == 1, "reply callback ran %d times for %s", calls, preview(message).constData());
        drainEvents(); // a second answer would show up now
    }
    // Outstanding notification handlers may still complete; the context is gone, so they
    // must be dropped silently.
    drainEvents();
    FUZZ_CHECK(calls == 1, "reply callback ran %d times for %s", calls, preview(message).constData());
    FUZZ_CHECK(!wrongThread, "reply callback ran on another thread");
    if (!expected.reply && !expected.batch && !expected.parseError)
        FUZZ_CHECK(summary.kind == MessageKind::Notification, "notification summarised as kind %d",
                   int(summary.kind));
    if (qEnvironmentVariableIsSet("RPCBENCH_FUZZ_VERBOSE")) // to look at a reproducer's reply
        std::fprintf(stderr, "reply: %s\n", reply.bytes.constData());
    checkReply(message, expected, reply);
    summarizeMessage(message);
    summarizeMessage(reply.bytes);
    return 0;
}
