#include "openrpc/OpenRpcImport.h"

#include "dispatch/OpenRpcDocument.h"
#include "openrpc/SchemaSampler.h"
#include "util/JsonFile.h"

#include <QFileInfo>
#include <QJsonArray>

namespace rpcbench {

namespace {

// The method with its content descriptors ($ref'd params and result) resolved, so the
// OpenRpcDocument reader sees plain objects.
QJsonObject resolvedMethod(const SchemaSampler& refs, const QJsonValue& raw)
{
    QJsonObject method = refs.resolve(raw).toObject();
    QJsonArray params;
    for (const QJsonValue& p : method.value(u"params").toArray()) {
        QJsonObject param = refs.resolve(p).toObject();
        param.insert(QStringLiteral("schema"), refs.resolve(param.value(u"schema")));
        params.append(param);
    }
    method.insert(QStringLiteral("params"), params);
    QJsonObject result = refs.resolve(method.value(u"result")).toObject();
    result.insert(QStringLiteral("schema"), refs.resolve(result.value(u"schema")));
    method.insert(QStringLiteral("result"), result);
    return method;
}

// examples[].result.value of the first example pairing that has one.
std::optional<QJsonValue> exampleResult(const SchemaSampler& refs, const QJsonObject& method)
{
    for (const QJsonValue& e : method.value(u"examples").toArray()) {
        const QJsonObject result = refs.resolve(refs.resolve(e).toObject().value(u"result")).toObject();
        if (result.contains(u"value"))
            return result.value(u"value");
    }
    return std::nullopt;
}

} // namespace

std::optional<QList<UserMethod>> OpenRpcImport::fromDocument(const QJsonObject& document, QString* error,
                                                             QStringList* warnings)
{
    if (!document.value(u"methods").isArray()) {
        *error = QStringLiteral("not an OpenRPC document: no \"methods\" array");
        return std::nullopt;
    }
    const SchemaSampler refs(document);
    QList<UserMethod> out;
    const QJsonArray methods = document.value(u"methods").toArray();
    for (qsizetype i = 0; i < methods.size(); ++i) {
        const QJsonObject raw = resolvedMethod(refs, methods.at(i));
        QString problem;
        const auto info = OpenRpcDocument::methodFromJson(raw, &problem);
        UserMethod m;
        if (info) {
            m.name = info->name;
            m.description = info->description;
            m.params = info->params;
            m.resultType = info->resultType;
            m.resultDescription = info->resultDescription;
            m.kind = UserHandlerKind::Result;
            m.result = exampleResult(refs, raw).value_or(
                refs.sample(raw.value(u"result").toObject().value(u"schema")));
            problem = m.validate();
        }
        if (!problem.isEmpty()) {
            if (warnings)
                warnings->append(QStringLiteral("methods[%1]: %2").arg(i).arg(problem));
            continue;
        }
        out.append(m);
    }
    return out;
}

std::optional<QList<UserMethod>> OpenRpcImport::fromBytes(const QByteArray& json, QString* error,
                                                          QStringList* warnings)
{
    auto doc = JsonFile::parse(json, error);
    if (!doc)
        return std::nullopt;
    return fromDocument(doc->object(), error, warnings);
}

std::optional<QList<UserMethod>> OpenRpcImport::fromFile(const QString& path, QString* error,
                                                         QStringList* warnings)
{
    auto doc = JsonFile::read(path, error);
    if (!doc)
        return std::nullopt;
    QString problem;
    auto methods = fromDocument(doc->object(), &problem, warnings);
    if (!methods)
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), problem);
    return methods;
}

} // namespace rpcbench
