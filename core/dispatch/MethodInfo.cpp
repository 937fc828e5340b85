#include "dispatch/MethodInfo.h"

#include "util/JsonText.h"

#include <QStringList>

#include <cmath>

namespace rpcbench {

QString toString(ParamType t)
{
    switch (t) {
    case ParamType::Integer:
        return QStringLiteral("integer");
    case ParamType::Number:
        return QStringLiteral("number");
    case ParamType::String:
        return QStringLiteral("string");
    case ParamType::Boolean:
        return QStringLiteral("boolean");
    case ParamType::Array:
        return QStringLiteral("array");
    case ParamType::Object:
        return QStringLiteral("object");
    case ParamType::Any:
        return QStringLiteral("any");
    }
    return QStringLiteral("any");
}

std::optional<ParamType> paramTypeFromString(const QString& s)
{
    static const ParamType all[] = {ParamType::Integer, ParamType::Number, ParamType::String,
                                    ParamType::Boolean, ParamType::Array,  ParamType::Object,
                                    ParamType::Any};
    for (ParamType t : all) {
        if (s.compare(toString(t), Qt::CaseInsensitive) == 0)
            return t;
    }
    return std::nullopt;
}

QJsonObject schemaFor(ParamType t)
{
    if (t == ParamType::Any)
        return {};
    return {{QStringLiteral("type"), toString(t)}};
}

bool valueMatches(ParamType t, const QJsonValue& v)
{
    switch (t) {
    case ParamType::Integer:
        return isIntegral(v);
    case ParamType::Number:
        return v.isDouble();
    case ParamType::String:
        return v.isString();
    case ParamType::Boolean:
        return v.isBool();
    case ParamType::Array:
        return v.isArray();
    case ParamType::Object:
        return v.isObject();
    case ParamType::Any:
        return !v.isUndefined();
    }
    return false;
}

QString withArticle(ParamType t)
{
    switch (t) {
    case ParamType::Integer:
        return QStringLiteral("an integer");
    case ParamType::Array:
        return QStringLiteral("an array");
    case ParamType::Object:
        return QStringLiteral("an object");
    case ParamType::Any:
        return QStringLiteral("a JSON value");
    default:
        return QStringLiteral("a ") + toString(t);
    }
}

QString MethodInfo::signature() const
{
    QStringList parts;
    parts.reserve(params.size());
    for (const ParamInfo& p : params) {
        if (p.variadic) {
            parts << QStringLiteral("...%1: %2").arg(p.name, toString(p.type));
        } else if (!p.defaultValue) {
            parts << QStringLiteral("%1: %2").arg(p.name, toString(p.type));
        } else if (p.defaultValue->isUndefined()) {
            parts << QStringLiteral("%1?: %2").arg(p.name, toString(p.type)); // optional, no default value
        } else {
            parts << QStringLiteral("%1: %2 = %3")
                         .arg(p.name, toString(p.type),
                              QString::fromUtf8(JsonText::compact(*p.defaultValue)));
        }
    }
    return QStringLiteral("%1(%2) -> %3").arg(name, parts.join(QStringLiteral(", ")), toString(resultType));
}

} // namespace rpcbench
