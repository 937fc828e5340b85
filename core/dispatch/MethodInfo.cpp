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

bool isIntegral(const QJsonValue& v)
{
    if (!v.isDouble())
        return false;
    // Integers parsed from JSON are kept as qint64 by Qt; toInteger() also accepts 3.0.
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d)
        return false;
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return true;
    // INT64_MAX kept exactly as qint64 rounds up to 2^63 as a double; a real double that large
    // does not fit, and toInteger() then falls back to the default.
    return v.toInteger(0) != 0;
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

QString jsonTypeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return isIntegral(v) ? QStringLiteral("integer") : QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    }
    return {};
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
