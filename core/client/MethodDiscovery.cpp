#include "client/MethodDiscovery.h"

#include "dispatch/OpenRpcDocument.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace rpcbench {

namespace MethodDiscovery {

namespace {

void sortByName(QList<MethodInfo>& methods)
{
    std::sort(methods.begin(), methods.end(),
              [](const MethodInfo& a, const MethodInfo& b) { return a.name < b.name; });
}

} // namespace

ParamType typeFromName(const QString& raw)
{
    const QString n = raw.trimmed().toLower();
    if (n == QLatin1String("integer") || n == QLatin1String("int") || n == QLatin1String("i4") ||
        n == QLatin1String("i8"))
        return ParamType::Integer;
    if (n == QLatin1String("number") || n == QLatin1String("double") || n == QLatin1String("float"))
        return ParamType::Number;
    if (n == QLatin1String("string") || n == QLatin1String("str"))
        return ParamType::String;
    if (n == QLatin1String("boolean") || n == QLatin1String("bool"))
        return ParamType::Boolean;
    if (n == QLatin1String("array") || n == QLatin1String("list"))
        return ParamType::Array;
    if (n == QLatin1String("object") || n == QLatin1String("struct") || n == QLatin1String("dict"))
        return ParamType::Object;
    return ParamType::Any;
}

std::optional<QList<MethodInfo>> fromOpenRpc(const QJsonValue& document, QString* error)
{
    if (!document.isObject() || !document.toObject().value(QLatin1String("methods")).isArray()) {
        if (error)
            *error = QStringLiteral("rpc.discover did not return an OpenRPC document (no \"methods\" array)");
        return std::nullopt;
    }
    // Unreadable entries are skipped; the rest of the document is still worth showing.
    QList<MethodInfo> out = OpenRpcDocument::parse(document.toObject());
    sortByName(out);
    return out;
}

MethodInfo fromSignature(const QString& name, const QJsonValue& signature, const QJsonValue& help)
{
    MethodInfo info;
    info.name = name;
    info.description = help.isString() ? help.toString() : QString();
    // [[ret, p1, ...], ...] or a single [ret, p1, ...]; a string means "signatures not supported".
    QJsonArray sig = signature.toArray();
    if (!sig.isEmpty() && sig.first().isArray())
        sig = sig.first().toArray();
    if (sig.isEmpty()) {
        ParamInfo any;
        any.name = QStringLiteral("args");
        any.variadic = true;
        info.params.append(any);
        return info;
    }
    for (qsizetype i = 1; i < sig.size(); ++i) {
        ParamInfo p;
        // Signature entries may be plain type names or {"name":..., "type":...} objects.
        if (sig.at(i).isObject()) {
            const QJsonObject o = sig.at(i).toObject();
            p.name = o.value(QLatin1String("name")).toString();
            p.type = typeFromName(o.value(QLatin1String("type")).toString());
        } else {
            p.type = typeFromName(sig.at(i).toString());
        }
        if (p.name.isEmpty())
            p.name = QStringLiteral("arg%1").arg(i);
        info.params.append(p);
    }
    info.resultType = typeFromName(sig.first().toString());
    return info;
}

} // namespace MethodDiscovery

DiscoveryJob::DiscoveryJob(Caller caller, int timeoutMs, Done done)
    : m_caller(std::move(caller)), m_timeoutMs(timeoutMs), m_done(std::move(done))
{}

void DiscoveryJob::start(Caller caller, int timeoutMs, Done done)
{
    std::shared_ptr<DiscoveryJob> job(new DiscoveryJob(std::move(caller), timeoutMs, std::move(done)));
    job->run();
}

CallRequest DiscoveryJob::request(const QString& method, const QJsonValue& params) const
{
    CallRequest r;
    r.method = method;
    r.params = params;
    r.timeoutMs = m_timeoutMs;
    return r;
}

void DiscoveryJob::run()
{
    auto self = shared_from_this();
    m_caller(request(QStringLiteral("rpc.discover"), QJsonValue::Undefined),
             [self](const CallResult& r) { self->onDiscover(r); });
}

void DiscoveryJob::onDiscover(const CallResult& r)
{
    if (r.ok()) {
        QString error;
        if (auto methods = MethodDiscovery::fromOpenRpc(r.result, &error)) {
            complete({*methods, QStringLiteral("rpc.discover"), {}, false});
            return;
        }
        m_discoverError = error;
    } else {
        m_discoverError = QStringLiteral("rpc.discover: ") + r.describe();
    }
    // Waiting a second time for a server that does not answer helps nobody.
    if (r.status == CallStatus::Timeout) {
        complete({{}, {}, m_discoverError, true});
        return;
    }
    auto self = shared_from_this();
    m_caller(request(QStringLiteral("system.listMethods"), QJsonValue::Undefined),
             [self](const CallResult& r2) { self->onList(r2); });
}

void DiscoveryJob::onList(const CallResult& r)
{
    if (!r.ok() || !r.result.isArray()) {
        const QString why = r.ok() ? QStringLiteral("system.listMethods did not return an array")
                                   : QStringLiteral("system.listMethods: ") + r.describe();
        const bool transport = r.status != CallStatus::Ok && r.status != CallStatus::RpcError;
        complete({{}, {}, QStringLiteral("no discovery: %1; %2").arg(m_discoverError, why), transport});
        return;
    }
    for (const QJsonValue& v : r.result.toArray())
        if (v.isString())
            m_names.append(v.toString());
    m_signatures.resize(m_names.size());
    m_helps.resize(m_names.size());
    if (m_names.isEmpty()) {
        complete({{}, QStringLiteral("system.listMethods"), {}, false});
        return;
    }
    m_outstanding = int(m_names.size()) * 2;
    auto self = shared_from_this();
    for (int i = 0; i < m_names.size(); ++i) {
        const QJsonArray params{m_names.at(i)};
        m_caller(request(QStringLiteral("system.methodSignature"), params),
                 [self, i](const CallResult& d) { self->onDetail(i, true, d); });
        m_caller(request(QStringLiteral("system.methodHelp"), params),
                 [self, i](const CallResult& d) { self->onDetail(i, false, d); });
    }
}

void DiscoveryJob::onDetail(int index, bool signature, const CallResult& r)
{
    if (r.ok())
        (signature ? m_signatures : m_helps)[index] = r.result;
    if (--m_outstanding > 0)
        return;
    QList<MethodInfo> methods;
    for (int i = 0; i < m_names.size(); ++i)
        methods.append(MethodDiscovery::fromSignature(m_names.at(i), m_signatures.at(i), m_helps.at(i)));
    std::sort(methods.begin(), methods.end(),
              [](const MethodInfo& a, const MethodInfo& b) { return a.name < b.name; });
    complete({methods, QStringLiteral("system.listMethods"), {}, false});
}

void DiscoveryJob::complete(DiscoveryResult result)
{
    if (m_done) {
        Done done = std::move(m_done);
        m_done = nullptr;
        done(result);
    }
}

} // namespace rpcbench
