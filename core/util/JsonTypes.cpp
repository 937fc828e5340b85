#include "util/JsonTypes.h"

#include <cmath>

namespace rpcbench {

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

} // namespace rpcbench
