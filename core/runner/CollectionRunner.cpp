#include "runner/CollectionRunner.h"

#include "client/CallTypes.h"
#include "client/RpcClient.h"
#include "protocol/CallResult.h"
#include "protocol/RpcTypes.h"
#include "util/JsonPointer.h"
#include "wire/Endpoint.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rpcbench {

namespace {

bool needsMethodSchema(const SavedCall& call)
{
    return std::any_of(call.assertions.begin(), call.assertions.end(), [](const Assertion& a) {
        return a.kind == Assertion::Kind::Schema && !a.expected.isObject();
    });
}

// A batch item's reply as assertions see it: {"result": ...} or {"error": {...}} (null for a
// notification, which gets nothing back).
QJsonValue batchItem(const CallResult& item)
{
    if (item.notification)
        return QJsonValue::Null;
    if (item.status == CallStatus::Ok)
        return QJsonObject{{QStringLiteral("result"), item.result}};
    if (item.status == CallStatus::RpcError)
        return QJsonObject{{QStringLiteral("error"), item.error.toJson()}};
    return QJsonObject{{QStringLiteral("failure"), item.describe()}};
}

QString clientKey(const QString& url, const QString& dialect, const ConnectOptions& options)
{
    QString key = url + QLatin1Char('\n') + dialect;
    for (const auto& [name, value] : options.headers)
        key += QLatin1Char('\n') + QString::fromUtf8(name) + QLatin1Char(':') + QString::fromUtf8(value);
    return key;
}

} // namespace

CollectionRunner::CollectionRunner(Collection collection, Variables variables, RunOptions options,
                                   QObject* parent)
    : QObject(parent), m_collection(std::move(collection)), m_variables(std::move(variables)),
      m_options(std::move(options))
{
    m_variables.setLayer(Variables::Layer::Collection, m_collection.variables);
}

CollectionRunner::~CollectionRunner() = default;

bool CollectionRunner::start(const QString& folder, QString* error)
{
    if (m_running) {
        if (error)
            *error = QStringLiteral("a run is already going");
        return false;
    }
    m_queue.clear();
    for (const Collection::Entry& entry : m_collection.calls())
        if (folder.isEmpty() || entry.path == folder || entry.path.startsWith(folder + QLatin1Char('/')))
            m_queue << entry;
    if (m_queue.isEmpty()) {
        if (error)
            *error = folder.isEmpty()
                         ? QStringLiteral("the collection '%1' has no calls").arg(m_collection.name)
                         : QStringLiteral("nothing in the collection '%1' is called '%2'")
                               .arg(m_collection.name, folder);
        return false;
    }
    m_report = RunReport{};
    m_report.collection = m_collection.name;
    for (const Collection::Entry& entry : m_queue) {
        CallReport report;
        report.path = entry.path;
        report.call = *entry.call;
        report.skipped = true; // until it runs
        m_report.calls << report;
    }
    m_variables.clear(Variables::Layer::Capture);
    m_index = -1;
    m_running = true;
    m_runClock.start();
    // Never emit from inside start(): the caller connects and records first.
    QMetaObject::invokeMethod(this, &CollectionRunner::next, Qt::QueuedConnection);
    return true;
}

void CollectionRunner::stop()
{
    if (!m_running)
        return;
    m_report.stopped = true;
    if (m_client && m_callId)
        m_client->cancel(m_callId); // its finished() ends the call, then next() ends the run
    else
        QMetaObject::invokeMethod(this, &CollectionRunner::next, Qt::QueuedConnection);
}

void CollectionRunner::next()
{
    if (!m_running)
        return;
    const bool failedBefore = m_index >= 0 && !m_report.calls[m_index].passed();
    ++m_index;
    if (m_index >= m_report.calls.size() || m_report.stopped || (m_options.bail && failedBefore)) {
        m_report.stopped = m_report.stopped || m_index < m_report.calls.size();
        end();
        return;
    }
    CallReport& report = m_report.calls[m_index];
    report.skipped = false;
    emit callStarted(m_index, report.path);
    runCall(report);
}

bool CollectionRunner::prepare(CallReport& report, QString* url, QJsonValue* params, ConnectOptions* options)
{
    const SavedCall& call = report.call;
    QString error;
    const QString written = call.target.isEmpty() ? m_options.defaultTarget : call.target;
    const auto target = m_variables.expand(written, &error);
    if (!target) {
        report.problem = QStringLiteral("target: %1").arg(error);
        return false;
    }
    if (target->isEmpty()) {
        report.problem = QStringLiteral("no target: the call names none and no default URL is set (--url)");
        return false;
    }
    *url = *target;
    report.target = *target;
    const auto expanded = m_variables.expand(call.isBatch() ? QJsonValue(call.batch) : call.params, &error);
    if (!expanded) {
        report.problem = QStringLiteral("params: %1").arg(error);
        return false;
    }
    *params = *expanded;
    *options = m_options.targetOptions.value(*target);
    for (const SavedCallHeader& h : call.headers) {
        const auto value = m_variables.expand(h.value, &error);
        if (!value) {
            report.problem = QStringLiteral("header %1: %2").arg(h.name, error);
            return false;
        }
        options->headers.append({h.name.toUtf8(), value->toUtf8()});
    }
    return true;
}

void CollectionRunner::runCall(CallReport& report)
{
    m_callClock.start();
    QString url;
    QJsonValue params;
    ConnectOptions options;
    if (!prepare(report, &url, &params, &options)) {
        complete(report);
        return;
    }
    RpcClient* client = clientFor(url, report.call.dialect, options);
    if (!client) {
        complete(report); // problem set by clientFor's URL check
        return;
    }
    m_client = client;
    if (needsMethodSchema(report.call) && !m_schemas.value(url).fetched) {
        const int index = m_index;
        fetchSchemasThen(client, url, [this, index, params] {
            if (m_running && index == m_index)
                send(m_client, m_report.calls[index], params);
        });
        return;
    }
    send(client, report, params);
}

RpcClient* CollectionRunner::clientFor(const QString& url, const QString& dialect,
                                       const ConnectOptions& options)
{
    const QString key = clientKey(url, dialect, options);
    if (RpcClient* existing = m_clients.value(key))
        return existing;
    QString error;
    auto endpoint = Endpoint::parse(url, &error);
    if (!endpoint) {
        m_report.calls[m_index].problem = QStringLiteral("target %1: %2").arg(url, error);
        return nullptr;
    }
    endpoint->options = options;
    auto* client = new RpcClient(*endpoint, dialectFromString(dialect).value_or(Dialect::JsonRpc2), this);
    if (m_options.bus)
        client->setTrafficBus(m_options.bus);
    connect(client, &RpcClient::finished, this, &CollectionRunner::onFinished);
    connect(client, &RpcClient::batchFinished, this, &CollectionRunner::onBatchFinished);
    connect(client, &RpcClient::stateChanged, this, [this, client](ClientState state, const QString&) {
        if (state == ClientState::Connected)
            client->setProperty("everConnected", true);
    });
    m_clients.insert(key, client);
    return client;
}

void CollectionRunner::fetchSchemasThen(RpcClient* client, const QString& url, std::function<void()> then)
{
    m_onDiscover = [this, url, then = std::move(then)](const CallResult& result) {
        Schemas& schemas = m_schemas[url];
        schemas.fetched = true;
        if (result.ok() && result.result.isObject()) {
            schemas.document = result.result.toObject();
            for (const QJsonValue& m : schemas.document.value(QLatin1String("methods")).toArray()) {
                const QJsonObject method = m.toObject();
                const QJsonValue schema =
                    method.value(QLatin1String("result")).toObject().value(QLatin1String("schema"));
                if (!schema.isUndefined())
                    schemas.byMethod.insert(method.value(QLatin1String("name")).toString(), schema);
            }
        }
        then();
    };
    m_callId =
        client->call(QStringLiteral("rpc.discover"), QJsonValue::Undefined, m_options.defaultTimeoutMs);
}

void CollectionRunner::send(RpcClient* client, CallReport& report, const QJsonValue& params)
{
    const SavedCall& call = report.call;
    const int timeoutMs = call.timeoutMs > 0 ? call.timeoutMs : m_options.defaultTimeoutMs;
    if (call.isBatch()) {
        QList<CallRequest> requests;
        for (const QJsonValue& v : params.toArray()) {
            const QJsonObject o = v.toObject();
            CallRequest r;
            r.method = o.value(QLatin1String("method")).toString();
            r.params = o.value(QLatin1String("params"));
            r.notification = o.value(QLatin1String("notification")).toBool();
            requests << r;
        }
        m_callId = client->batch(requests, timeoutMs);
        return;
    }
    CallRequest request;
    request.method = call.method;
    request.params = params;
    request.notification = call.notification;
    request.timeoutMs = timeoutMs;
    m_callId = client->call(request);
}

void CollectionRunner::onFinished(quint64 callId, const CallResult& result)
{
    if (!m_running || callId != m_callId)
        return;
    m_callId = 0;
    if (m_onDiscover) {
        auto then = std::move(m_onDiscover);
        m_onDiscover = nullptr;
        if (m_report.stopped) {
            next();
            return;
        }
        then(result);
        return;
    }
    CallReport& report = m_report.calls[m_index];
    CallOutcome& outcome = report.outcome;
    outcome.latencyUs = std::max<qint64>(result.latencyUs, 0);
    if (result.status == CallStatus::Ok)
        outcome.result = result.result;
    else if (result.status == CallStatus::RpcError)
        outcome.error = result.error.toJson();
    else
        outcome.failure = result.describe();
    report.unreachable =
        result.status == CallStatus::TransportError && !m_client->property("everConnected").toBool();
    complete(report);
}

void CollectionRunner::onBatchFinished(quint64 batchId, const BatchResult& result)
{
    if (!m_running || batchId != m_callId)
        return;
    m_callId = 0;
    CallReport& report = m_report.calls[m_index];
    CallOutcome& outcome = report.outcome;
    outcome.latencyUs = std::max<qint64>(result.latencyUs, 0);
    if (result.status == CallStatus::Ok) {
        QJsonArray items;
        for (const CallResult& item : result.items)
            items.append(batchItem(item));
        outcome.result = items;
    } else if (result.status == CallStatus::RpcError) {
        outcome.error = result.error.toJson();
    } else {
        outcome.failure = result.transportError;
    }
    report.unreachable =
        result.status == CallStatus::TransportError && !m_client->property("everConnected").toBool();
    complete(report);
}

void CollectionRunner::complete(CallReport& report)
{
    if (report.unreachable && report.problem.isEmpty())
        report.problem = QStringLiteral("cannot reach %1: %2").arg(report.target, report.outcome.failure);
    if (report.problem.isEmpty())
        check(report);
    // Captures come from replies that passed: a value from a wrong reply would mislead later calls.
    if (report.passed())
        capture(report);
    report.durationUs = m_callClock.nsecsElapsed() / 1000;
    m_client = nullptr;
    emit callFinished(m_index, report);
    QMetaObject::invokeMethod(this, &CollectionRunner::next, Qt::QueuedConnection);
}

void CollectionRunner::check(CallReport& report)
{
    const SavedCall& call = report.call;
    CallOutcome& outcome = report.outcome;
    if (!call.isBatch()) {
        const Schemas& schemas = m_schemas[report.target];
        outcome.resultSchema = schemas.byMethod.value(call.method, QJsonValue::Undefined);
        outcome.schemaRoot = schemas.document;
    }
    QList<Assertion> assertions = call.assertions;
    // A call without assertions still has to work: a notification has to go out, a call has
    // to get a result.
    if (assertions.isEmpty() && !call.notification)
        assertions << Assertion{};
    if (call.notification && !outcome.failure.isEmpty())
        report.problem = outcome.failure;
    for (const Assertion& a : assertions)
        report.assertions << AssertionReport{a.describe(), a.check(outcome)};
}

void CollectionRunner::capture(CallReport& report)
{
    const QJsonValue result = report.outcome.result.value_or(QJsonValue());
    for (auto it = report.call.captures.begin(); it != report.call.captures.end(); ++it) {
        const auto value = JsonPointer::find(result, it.value());
        if (!value) {
            report.problem =
                QStringLiteral("capture '%1': nothing at '%2' in the result").arg(it.key(), it.value());
            return;
        }
        m_variables.set(Variables::Layer::Capture, it.key(), *value);
    }
}

void CollectionRunner::end()
{
    m_running = false;
    m_report.durationUs = m_runClock.nsecsElapsed() / 1000;
    // Connections close with the run: a later run starts fresh.
    qDeleteAll(m_clients);
    m_clients.clear();
    m_schemas.clear();
    emit finished(m_report);
}

} // namespace rpcbench
