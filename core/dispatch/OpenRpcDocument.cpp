#include "dispatch/OpenRpcDocument.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace rpcbench {

namespace {

const QLatin1StringView kVariadic("x-variadic");

QString summaryOf(const QString& description)
{
    return description.section(QLatin1Char('\n'), 0, 0).trimmed();
}

QJsonObject paramToJson(const ParamInfo& p)
{
    QJsonObject schema = schemaFor(p.type);
    if (p.variadic)
        schema =
            QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), schema}};
    if (p.defaultValue && !p.defaultValue->isUndefined())
        schema.insert(QStringLiteral("default"), *p.defaultValue);
    QJsonObject obj{{QStringLiteral("name"), p.name},
                    {QStringLiteral("required"), p.isRequired()},
                    {QStringLiteral("schema"), schema}};
    if (!p.description.isEmpty())
        obj.insert(QStringLiteral("description"), p.description);
    if (p.variadic)
        obj.insert(kVariadic, true);
    return obj;
}

// "either" when every call a client can build from the descriptors binds as described.
// By position that fails in two cases, so those methods are described by name only:
// - a variadic parameter: OpenRPC cannot say "spread the remaining positionals into this
//   array", so a client would send sum([[1, 2]]) (params [[1,2]]) and be refused; the
//   descriptor's "x-variadic" tells the clients that know it that positionals are spread.
// - a required parameter after an optional one: JSON-RPC has no way to skip a position.
QString paramStructureOf(const MethodInfo& method)
{
    bool optionalSeen = false;
    for (const ParamInfo& p : method.params) {
        if (p.variadic || (optionalSeen && p.isRequired()))
            return QStringLiteral("by-name");
        optionalSeen = optionalSeen || !p.isRequired();
    }
    return QStringLiteral("either");
}

ParamType typeOfSchema(const QJsonObject& schema)
{
    return paramTypeFromString(schema.value(QLatin1StringView("type")).toString()).value_or(ParamType::Any);
}

ParamInfo paramFromJson(const QJsonObject& obj)
{
    ParamInfo p;
    p.name = obj.value(QLatin1StringView("name")).toString();
    p.description = obj.value(QLatin1StringView("description")).toString();
    const QJsonObject schema = obj.value(QLatin1StringView("schema")).toObject();
    p.variadic = obj.value(kVariadic).toBool();
    p.type =
        p.variadic ? typeOfSchema(schema.value(QLatin1StringView("items")).toObject()) : typeOfSchema(schema);
    const bool required = obj.value(QLatin1StringView("required")).toBool(false);
    if (schema.contains(QLatin1StringView("default")))
        p.defaultValue = schema.value(QLatin1StringView("default"));
    else if (!required && !p.variadic)
        p.defaultValue = QJsonValue(QJsonValue::Undefined); // optional without a default
    return p;
}

} // namespace

QJsonObject OpenRpcDocument::build(const QList<MethodInfo>& methods)
{
    QJsonArray list;
    for (const MethodInfo& m : methods) {
        if (m.enabled && !m.name.startsWith(QLatin1StringView("rpc.")))
            list.append(methodToJson(m));
    }
    QString appVersion = QCoreApplication::applicationVersion();
    if (appVersion.isEmpty())
        appVersion = QStringLiteral("0.1.0");
    return {{QStringLiteral("openrpc"), QLatin1StringView(version)},
            {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("rpcbench")},
                                                 {QStringLiteral("version"), appVersion}}},
            {QStringLiteral("methods"), list}};
}

QJsonObject OpenRpcDocument::methodToJson(const MethodInfo& method)
{
    QJsonArray params;
    for (const ParamInfo& p : method.params)
        params.append(paramToJson(p));
    QJsonObject result{{QStringLiteral("name"), QStringLiteral("result")},
                       {QStringLiteral("schema"), schemaFor(method.resultType)}};
    if (!method.resultDescription.isEmpty())
        result.insert(QStringLiteral("description"), method.resultDescription);
    QJsonObject obj{{QStringLiteral("name"), method.name},
                    {QStringLiteral("params"), params},
                    {QStringLiteral("result"), result},
                    {QStringLiteral("paramStructure"), paramStructureOf(method)}};
    if (!method.description.isEmpty()) {
        obj.insert(QStringLiteral("summary"), summaryOf(method.description));
        obj.insert(QStringLiteral("description"), method.description);
    }
    return obj;
}

std::optional<MethodInfo> OpenRpcDocument::methodFromJson(const QJsonObject& obj, QString* error)
{
    MethodInfo m;
    m.name = obj.value(QLatin1StringView("name")).toString();
    if (m.name.isEmpty()) {
        if (error)
            *error = QStringLiteral("method without a name");
        return std::nullopt;
    }
    m.description = obj.value(QLatin1StringView("description")).toString();
    if (m.description.isEmpty())
        m.description = obj.value(QLatin1StringView("summary")).toString();
    for (const QJsonValue& p : obj.value(QLatin1StringView("params")).toArray()) {
        // Params may be $ref objects we do not resolve; keep them as untyped parameters.
        ParamInfo param = paramFromJson(p.toObject());
        if (param.name.isEmpty())
            param.name = QStringLiteral("param%1").arg(m.params.size() + 1);
        m.params.append(param);
    }
    const QJsonObject result = obj.value(QLatin1StringView("result")).toObject();
    m.resultType = typeOfSchema(result.value(QLatin1StringView("schema")).toObject());
    m.resultDescription = result.value(QLatin1StringView("description")).toString();
    return m;
}

QList<MethodInfo> OpenRpcDocument::parse(const QJsonObject& document, QString* error)
{
    QList<MethodInfo> out;
    QStringList problems;
    const QJsonArray methods = document.value(QLatin1StringView("methods")).toArray();
    for (qsizetype i = 0; i < methods.size(); ++i) {
        QString problem;
        if (auto m = methodFromJson(methods.at(i).toObject(), &problem))
            out.append(*m);
        else
            problems << QStringLiteral("methods[%1]: %2").arg(i).arg(problem);
    }
    if (!document.contains(QLatin1StringView("methods")))
        problems << QStringLiteral("not an OpenRPC document: no \"methods\" array");
    if (error)
        *error = problems.join(QStringLiteral("; "));
    return out;
}

} // namespace rpcbench
