#include "util/JsonFields.h"

#include <cmath>

namespace rpcbench {

namespace {

QString typeDescription(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Bool:
        return QStringLiteral("true or false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("null"); // no reader asks for null
}

} // namespace

JsonFields::JsonFields(const QJsonObject& object, const QString& path)
    : m_object(object), m_path(path), m_error(&m_ownError)
{}

JsonFields::JsonFields(const QJsonObject& object, const QString& path, QString* error)
    : m_object(object), m_path(path), m_error(error)
{}

QString JsonFields::name(QStringView key) const
{
    if (m_path.isEmpty())
        return QStringLiteral("'%1'").arg(key);
    return m_path + QLatin1Char('.') + key.toString();
}

QString JsonFields::elementName(QStringView key, qsizetype index) const
{
    const QString member = m_path.isEmpty() ? key.toString() : m_path + QLatin1Char('.') + key.toString();
    return QStringLiteral("%1[%2]").arg(member).arg(index);
}

bool JsonFields::fail(const QString& message)
{
    if (m_error->isEmpty())
        *m_error = message;
    return false;
}

bool JsonFields::fail(QStringView key, const QString& problem)
{
    return fail(QStringLiteral("%1: %2").arg(name(key), problem));
}

bool JsonFields::mustBe(QStringView key, const QString& expected)
{
    return fail(QStringLiteral("%1 must be %2").arg(name(key), expected));
}

bool JsonFields::onlyKeys(const QStringList& known)
{
    for (auto it = m_object.begin(); ok() && it != m_object.end(); ++it) {
        if (known.contains(it.key())) // QStringList::contains: few keys, no hashing needed
            continue;
        const QString problem = QStringLiteral("unknown key '%1' (expected one of %2)")
                                    .arg(it.key(), known.join(QStringLiteral(", ")));
        fail(m_path.isEmpty() ? problem : m_path + QStringLiteral(": ") + problem);
    }
    return ok();
}

std::optional<QJsonValue> JsonFields::member(QStringView key, QJsonValue::Type type, Need need,
                                             const QString& expected)
{
    if (!ok())
        return std::nullopt;
    const QJsonValue v = m_object.value(key);
    if (v.type() == type)
        return v;
    if (!v.isUndefined() || need == Required)
        mustBe(key, expected.isEmpty() ? typeDescription(type) : expected);
    return std::nullopt;
}

bool JsonFields::string(QStringView key, QString* out, Need need, const QString& expected)
{
    if (const auto v = member(key, QJsonValue::String, need, expected))
        *out = v->toString();
    return ok();
}

bool JsonFields::boolean(QStringView key, bool* out, Need need, const QString& expected)
{
    if (const auto v = member(key, QJsonValue::Bool, need, expected))
        *out = v->toBool();
    return ok();
}

bool JsonFields::number(QStringView key, double min, double max, double* out, Need need,
                        const QString& expected)
{
    const QString description =
        expected.isEmpty() ? QStringLiteral("a number between %1 and %2").arg(min).arg(max) : expected;
    const auto v = member(key, QJsonValue::Double, need, description);
    if (!v)
        return ok();
    const double d = v->toDouble();
    if (d < min || d > max)
        return mustBe(key, description);
    *out = d;
    return true;
}

std::optional<qint64> JsonFields::readInteger(QStringView key, qint64 min, qint64 max, Need need,
                                              const QString& expected)
{
    const QString description =
        expected.isEmpty() ? QStringLiteral("an integer between %1 and %2").arg(min).arg(max) : expected;
    const auto v = member(key, QJsonValue::Double, need, description);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble();
    if (std::trunc(d) != d || d < double(min) || d > double(max)) {
        mustBe(key, description);
        return std::nullopt;
    }
    return v->toInteger(qint64(d)); // exact for integers beyond 2^53, which Qt keeps as qint64
}

bool JsonFields::array(QStringView key, QJsonArray* out, Need need, const QString& expected)
{
    if (const auto v = member(key, QJsonValue::Array, need, expected))
        *out = v->toArray();
    return ok();
}

bool JsonFields::stringList(QStringView key, QStringList* out, Need need, const QString& expected)
{
    const auto v = member(key, QJsonValue::Array, need,
                          expected.isEmpty() ? QStringLiteral("an array of strings") : expected);
    if (!v)
        return ok();
    QStringList list;
    const QJsonArray items = v->toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isString())
            return fail(QStringLiteral("%1 must be a string").arg(elementName(key, i)));
        list.append(items.at(i).toString());
    }
    *out = list;
    return true;
}

bool JsonFields::object(QStringView key, QJsonObject* out, Need need, const QString& expected)
{
    if (const auto v = member(key, QJsonValue::Object, need, expected))
        *out = v->toObject();
    return ok();
}

JsonFields JsonFields::nested(QStringView key, Need need, const QString& expected)
{
    QJsonObject o;
    object(key, &o, need, expected);
    return JsonFields(o, m_path.isEmpty() ? key.toString() : name(key), m_error);
}

} // namespace rpcbench
