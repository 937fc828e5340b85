#include "dispatch/Dispatcher.h"

#include "dispatch/AsyncCall.h"
#include "dispatch/Binder.h"
#include "dispatch/CallParams.h"
#include "dispatch/FaultInjector.h"
#include "dispatch/OpenRpcDocument.h"
#include "protocol/FastRequestParser.h"
#include "protocol/MessageSummaries.h"
#include "protocol/ReplyWriter.h"
#include "protocol/RequestDecoder.h"
#include "util/MonotonicClock.h"

#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <vector>

namespace rpcbench {

namespace {

RpcResult invalidRequest()
{
    return RpcResult::failure(ErrorCode::InvalidRequest, QStringLiteral("Invalid Request"));
}

RpcResult methodNotFound()
{
    return RpcResult::failure(ErrorCode::MethodNotFound, QStringLiteral("Method not found"));
}

// Unknown and disabled methods are answered -32601 and have no figures.
bool callable(const std::shared_ptr<const Method>& method)
{
    return method && method->info.enabled;
}

// Records an answered call in its method's figures (see MethodStats): called when the reply is
// handed to the caller's callback, after any injected latency, so the figure is the time from
// the dispatcher getting the message to the reply going out, faults included.
void recordAnswer(MethodStats& stats, bool ok, qint64 startedNs)
{
    const quint64 ns = quint64(std::max<qint64>(MonotonicClock::nowNs() - startedNs, 0));
    stats.totalLatencyNs.fetch_add(ns, std::memory_order_relaxed);
    stats.latency.record(ns);
    stats.answered.fetch_add(1, std::memory_order_relaxed);
    if (!ok)
        stats.errors.fetch_add(1, std::memory_order_relaxed);
}

// recordAnswer() for completions that run later: they keep the figures alive (the method may
// be replaced or removed meanwhile).
struct Meter
{
    std::shared_ptr<MethodStats> stats;
    qint64 startedNs;

    void record(bool ok) const { recordAnswer(*stats, ok, startedNs); }
};

// Binds and runs one valid request of a callable method; the call counts from here. Returns
// the result when it is known now (the fast path: no allocation beyond the reply; the caller
// records the figures as it hands the reply over). Otherwise the handler answers later and the
// completion made by `makeLater()` receives the result on context's thread (and records them).
template <class MakeLater>
std::optional<RpcResult> execute(const Method& method, const DecodedRequest& req, QObject* context,
                                 int timeoutMs, MakeLater&& makeLater)
{
    method.stats->calls.fetch_add(1, std::memory_order_relaxed);
    auto bound = Binder::bind(method.info, req.positional, req.named);
    if (auto* error = std::get_if<RpcError>(&bound))
        return RpcResult::failure(std::move(*error));
    const QJsonArray& args = std::get<QJsonArray>(bound);
    if (method.syncHandler)
        return detail::guarded([&] { return method.syncHandler(args); });
    const CallParams::Scope params(req.positional, req.named); // for handlers that want them as sent
    AsyncCall::start(method, args, context, timeoutMs, makeLater());
    return std::nullopt;
}

// A notification runs for its effects and the method's figures; it is never answered.
void runNotification(const std::shared_ptr<const Method>& method, const DecodedRequest& req, qint64 startedNs,
                     QObject* context, int timeoutMs)
{
    if (!callable(method))
        return;
    std::optional<RpcResult> now = execute(*method, req, context, timeoutMs, [&] {
        return AsyncCall::Completion(
            [meter = Meter{method->stats, startedNs}](RpcResult r) { meter.record(r.ok); });
    });
    if (now)
        recordAnswer(*method->stats, now->ok, startedNs);
}

// The fault settings to apply to a call of a callable method.
std::optional<FaultSettings> activeFault(const MethodRegistry& registry, const Method& m)
{
    return registry.faults().activeFor(m.info.name);
}

// Runs `deliver` now, or after the fault's added latency with a timer on the context's thread
// (the worker thread is never blocked; a context destroyed meanwhile cancels the delivery).
// Precise: a coarse timer may be 5 % off, and this delay is what the user asked to measure.
template <class Deliver> void afterLatency(int delayMs, QObject* context, Deliver&& deliver)
{
    if (delayMs <= 0) {
        deliver();
        return;
    }
    if (context)
        QTimer::singleShot(delayMs, Qt::PreciseTimer, context, std::forward<Deliver>(deliver));
    else
        QTimer::singleShot(delayMs, Qt::PreciseTimer, std::forward<Deliver>(deliver));
}

// Collects the replies of a batch; all members are touched only on the context's thread.
struct BatchState
{
    std::vector<QByteArray> replies; // in request order; empty for notifications
    std::vector<int> errorCodes;
    int outstanding = 1; // +1 while handle() is still starting elements
    Dispatcher::ReplyCallback done;
    // Message-level faults of any element apply to the whole batch reply.
    FaultSettings messageFaults{};
    bool faulted = false;

    void set(std::size_t i, QByteArray reply, int errorCode)
    {
        replies[i] = std::move(reply);
        errorCodes[i] = errorCode;
    }
    void finishOne()
    {
        if (--outstanding > 0)
            return;
        DispatchReply out;
        BatchSummary summary;
        for (std::size_t i = 0; i < replies.size(); ++i) {
            if (replies[i].isEmpty())
                continue;
            out.bytes += out.bytes.isEmpty() ? '[' : ',';
            out.bytes += replies[i];
            summary.add({}, errorCodes[i]);
        }
        out.summary = summary.collected();
        if (!out.bytes.isEmpty())
            out.bytes += ']'; // an all-notification batch gets no reply at all
        FaultInjector::applyToReply(out, messageFaults, faulted);
        auto callback = std::move(done);
        callback(std::move(out));
    }
};

// What a reply needs from its request (kept small: async completions capture it).
struct ReplyTo
{
    Dialect dialect;
    QByteArray idJson;
    QString method;

    explicit ReplyTo(const DecodedRequest& req) : dialect(req.dialect), idJson(req.idJson), method(req.method)
    {}
    // Fault injection: answer with an id the request did not carry. Classic replies have no id.
    bool useWrongId()
    {
        if (dialect == Dialect::Classic)
            return false;
        idJson = FaultInjector::wrongId(idJson);
        return true;
    }
    QByteArray bytes(const RpcResult& result) const { return ReplyWriter::reply(dialect, idJson, result); }
    DispatchReply reply(const RpcResult& result) const
    {
        return {bytes(result), Summaries::ofReply(dialect, idJson, result, method)};
    }
};

DispatchReply makeReply(const DecodedRequest& req, const RpcResult& result)
{
    return ReplyTo(req).reply(result);
}

// A batch element whose method has active faults: its own reply may carry an injected error,
// a wrong id or added latency (the batch waits for it); malformed/drop/trickle apply to the
// whole batch reply.
void startFaultedElement(const DecodedRequest& req, const std::shared_ptr<const Method>& method,
                         const FaultSettings& fault, qint64 startedNs, QObject* context, int timeoutMs,
                         const std::shared_ptr<BatchState>& state, std::size_t slot)
{
    ReplyTo to(req);
    const bool wrongId = fault.wrongId && to.useWrongId();
    const bool injectError = FaultInjector::rollError(fault);
    FaultSettings& batchFaults = state->messageFaults;
    batchFaults.malformedJson = batchFaults.malformedJson || fault.malformedJson;
    batchFaults.dropConnection = batchFaults.dropConnection || fault.dropConnection;
    batchFaults.trickleMs = std::max(batchFaults.trickleMs, fault.trickleMs);
    state->faulted = state->faulted || wrongId || injectError;
    ++state->outstanding;
    auto finish = [state, slot, to, fault, context, meter = Meter{method->stats, startedNs}](RpcResult r) {
        const int delayMs = FaultInjector::latencyMs(fault);
        state->faulted = state->faulted || delayMs > 0;
        afterLatency(
            delayMs, context,
            [state, slot, meter, ok = r.ok, bytes = to.bytes(r), code = r.ok ? 0 : r.error.code]() mutable {
                meter.record(ok);
                state->set(slot, std::move(bytes), code);
                state->finishOne();
            });
    };
    if (injectError) { // counts as a call that failed, like any other
        method->stats->calls.fetch_add(1, std::memory_order_relaxed);
        finish(FaultInjector::injectedError(fault));
        return;
    }
    std::optional<RpcResult> now =
        execute(*method, req, context, timeoutMs, [&] { return AsyncCall::Completion(finish); });
    if (now)
        finish(std::move(*now));
}

} // namespace

Dispatcher::Dispatcher(std::shared_ptr<MethodRegistry> registry, int handlerTimeoutMs, int maxJsonDepth)
    : m_registry(std::move(registry)), m_handlerTimeoutMs(handlerTimeoutMs), m_maxJsonDepth(maxJsonDepth)
{}

DispatchReply Dispatcher::errorReply(Dialect dialect, int code, const QString& message)
{
    const RpcResult error = RpcResult::failure(code, message);
    const QByteArray id = QByteArrayLiteral("null");
    return {ReplyWriter::reply(dialect, id, error), Summaries::ofReply(dialect, id, error)};
}

QJsonObject Dispatcher::openRpcDocument() const
{
    return OpenRpcDocument::build(m_registry->methods());
}

bool Dispatcher::isReply(const QJsonValue& message)
{
    if (!message.isObject())
        return false;
    const QJsonObject o = message.toObject();
    return !o.contains(QLatin1String("method")) &&
           (o.contains(QLatin1String("result")) || o.contains(QLatin1String("error")));
}

void Dispatcher::handle(const QByteArray& message, QObject* context, ReplyCallback done,
                        MessageSummary* summary, const ReplySink* replies)
{
    // The methods' latency figures run from here: parsing and binding count too.
    const qint64 startedNs = MonotonicClock::nowNs();
    MessageSummary ignored;
    MessageSummary& request = summary ? *summary : ignored;
    request = MessageSummary{};

    // Most calls are plain 2.0 requests: decode those in one pass over the bytes. Anything
    // else (and every error) takes the general path below.
    if (std::optional<DecodedRequest> fast = FastRequestParser::parse(message)) {
        handleSingle(*fast, startedNs, context, std::move(done), request);
        return;
    }
    QJsonParseError parseError{};
    QJsonDocument doc;
    const bool tooDeep = RequestDecoder::exceedsDepth(message, m_maxJsonDepth);
    if (!tooDeep)
        doc = QJsonDocument::fromJson(message, &parseError);
    if (tooDeep || parseError.error != QJsonParseError::NoError) {
        // `1` or `"x"` is valid JSON but not a request object.
        const bool scalar = !tooDeep && RequestDecoder::isScalarJson(message);
        request = Summaries::invalid(Dialect::JsonRpc2);
        done(scalar
                 ? errorReply(Dialect::JsonRpc2, ErrorCode::InvalidRequest, QStringLiteral("Invalid Request"))
                 : errorReply(Dialect::JsonRpc2, ErrorCode::ParseError, QStringLiteral("Parse error")));
        return;
    }
    if (replies && doc.isObject() && isReply(doc.object())) {
        request = Summaries::ofObject(doc.object());
        (*replies)(doc.object());
        done(DispatchReply{});
        return;
    }
    if (doc.isArray())
        handleBatch(doc.array(), startedNs, context, std::move(done), request, replies);
    else
        handleSingle(RequestDecoder::decode(doc.object()), startedNs, context, std::move(done), request);
}

void Dispatcher::handleSingle(const DecodedRequest& req, qint64 startedNs, QObject* context,
                              ReplyCallback done, MessageSummary& summary)
{
    summary = Summaries::ofRequest(req);
    if (!req.valid) {
        done(makeReply(req, invalidRequest()));
        return;
    }
    const std::shared_ptr<const Method> method = m_registry->find(req.method);
    if (req.notification) {
        runNotification(method, req, startedNs, context, m_handlerTimeoutMs);
        DispatchReply none;
        none.summary = summary;
        done(std::move(none));
        return;
    }
    if (!callable(method)) {
        done(makeReply(req, methodNotFound()));
        return;
    }
    if (std::optional<FaultSettings> fault = activeFault(*m_registry, *method)) {
        handleFaulted(req, method, *fault, startedNs, context, std::move(done));
        return;
    }
    std::optional<RpcResult> now = execute(*method, req, context, m_handlerTimeoutMs, [&] {
        return [done = std::move(done), to = ReplyTo(req),
                meter = Meter{method->stats, startedNs}](RpcResult result) {
            DispatchReply reply = to.reply(result);
            meter.record(result.ok);
            done(std::move(reply));
        };
    });
    if (now) { // `done` was not moved: the call finished synchronously
        DispatchReply reply = makeReply(req, *now);
        recordAnswer(*method->stats, now->ok, startedNs);
        done(std::move(reply));
    }
}

// A call of a method with active faults: maybe an injected error instead of the handler, then
// the reply altered (wrong id, malformed, drop, trickle) and held back by the added latency.
void Dispatcher::handleFaulted(const DecodedRequest& req, const std::shared_ptr<const Method>& method,
                               const FaultSettings& fault, qint64 startedNs, QObject* context,
                               ReplyCallback done)
{
    ReplyTo to(req);
    const bool wrongId = fault.wrongId && to.useWrongId();
    const bool injectError = FaultInjector::rollError(fault);
    auto finish = [done = std::move(done), to, fault, context, meter = Meter{method->stats, startedNs},
                   faulted = wrongId || injectError](RpcResult result) mutable {
        DispatchReply reply = to.reply(result);
        const int delayMs = FaultInjector::latencyMs(fault);
        FaultInjector::applyToReply(reply, fault, faulted || delayMs > 0);
        afterLatency(delayMs, context,
                     [done = std::move(done), reply = std::move(reply), meter, ok = result.ok]() mutable {
                         meter.record(ok); // the injected latency counts
                         done(std::move(reply));
                     });
    };
    if (injectError) { // counts as a call that failed, like any other
        method->stats->calls.fetch_add(1, std::memory_order_relaxed);
        finish(FaultInjector::injectedError(fault));
        return;
    }
    std::optional<RpcResult> now = execute(*method, req, context, m_handlerTimeoutMs,
                                           [&] { return AsyncCall::Completion(std::move(finish)); });
    if (now)
        finish(std::move(*now)); // not moved: the handler answered synchronously
}

void Dispatcher::handleBatch(const QJsonArray& batch, qint64 startedNs, QObject* context, ReplyCallback done,
                             MessageSummary& summary, const ReplySink* replies)
{
    BatchSummary requestSummary;
    if (batch.isEmpty()) {
        summary = requestSummary.message(); // `[]` is an invalid request, answered as one error
        done(makeReply(DecodedRequest{}, invalidRequest()));
        return;
    }
    auto state = std::make_shared<BatchState>();
    state->replies.resize(std::size_t(batch.size()));
    state->errorCodes.resize(std::size_t(batch.size()), 0);
    state->done = std::move(done);

    // Elements run concurrently: all are started now, async ones finish later.
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const auto slot = std::size_t(i);
        if (replies && isReply(batch.at(i))) { // its slot stays empty: nothing is answered
            requestSummary.add(Summaries::ofObject(batch.at(i).toObject()));
            (*replies)(batch.at(i).toObject());
            continue;
        }
        DecodedRequest req = RequestDecoder::decode(batch.at(i), true);
        requestSummary.add(req.method);
        if (!req.valid) {
            state->set(slot, ReplyWriter::reply(req.dialect, req.idJson, invalidRequest()),
                       ErrorCode::InvalidRequest);
            continue;
        }
        const std::shared_ptr<const Method> method = m_registry->find(req.method);
        if (req.notification) {
            runNotification(method, req, startedNs, context, m_handlerTimeoutMs);
            continue;
        }
        if (!callable(method)) {
            state->set(slot, ReplyWriter::reply(req.dialect, req.idJson, methodNotFound()),
                       ErrorCode::MethodNotFound);
            continue;
        }
        if (std::optional<FaultSettings> fault = activeFault(*m_registry, *method)) {
            startFaultedElement(req, method, *fault, startedNs, context, m_handlerTimeoutMs, state, slot);
            continue;
        }
        std::optional<RpcResult> now = execute(*method, req, context, m_handlerTimeoutMs, [&] {
            ++state->outstanding;
            return [state, slot, to = ReplyTo(req), meter = Meter{method->stats, startedNs}](RpcResult r) {
                meter.record(r.ok);
                state->set(slot, to.bytes(r), r.ok ? 0 : r.error.code);
                state->finishOne();
            };
        });
        if (now) {
            state->set(slot, ReplyWriter::reply(req.dialect, req.idJson, *now),
                       now->ok ? 0 : now->error.code);
            recordAnswer(*method->stats, now->ok, startedNs);
        }
    }
    summary = requestSummary.message();
    state->finishOne(); // releases the +1 held while starting
}

} // namespace rpcbench
