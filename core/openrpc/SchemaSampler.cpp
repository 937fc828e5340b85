#include "openrpc/SchemaSampler.h"

#include "dispatch/MethodInfo.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>

namespace rpcbench {

namespace {

constexpr int kMaxDepth = 12;   // deeper schemas (or recursive ones) end in null
constexpr int kMaxRefHops = 32; // a $ref chain longer than this is taken as a cycle

QJsonValue pointer(const QJsonObject& document, const QString& ref)
{
    if (!ref.startsWith(u"#/"))
        return QJsonValue::Undefined; // only local references are resolved
    QJsonValue at = document;
    for (QString part : ref.mid(2).split(u'/')) {
        part.replace(QStringLiteral("~1"), QStringLiteral("/"))
            .replace(QStringLiteral("~0"), QStringLiteral("~"));
        if (at.isObject())
            at = at.toObject().value(part);
        else if (at.isArray())
            at = at.toArray().at(part.toInt());
        else
            return QJsonValue::Undefined;
    }
    return at;
}

// What a value of `type` looks like when nothing more is known: values that keep the usual
// arithmetic and string code of a mock going (1 rather than 0, so a division does not fail).
QJsonValue typeExample(ParamType type)
{
    switch (type) {
    case ParamType::String:
        return QStringLiteral("text");
    case ParamType::Boolean:
        return true;
    case ParamType::Array:
        return QJsonArray{};
    case ParamType::Object:
        return QJsonObject{};
    case ParamType::Integer:
    case ParamType::Number:
    case ParamType::Any:
        break;
    }
    return 1;
}

} // namespace

QJsonValue SchemaSampler::sampleArgument(const ParamInfo& param)
{
    // The parameter's schema as discovery publishes it, with the type's example as the value of
    // last resort; sample() applies the usual order (const, default, enum, examples).
    QJsonObject schema = schemaFor(param.type);
    if (param.defaultValue && !param.defaultValue->isUndefined())
        schema.insert(QStringLiteral("default"), *param.defaultValue);
    schema.insert(QStringLiteral("examples"), QJsonArray{typeExample(param.type)});
    return SchemaSampler().sample(schema);
}

SchemaSampler::SchemaSampler(QJsonObject document) : m_document(std::move(document)) {}

QJsonValue SchemaSampler::resolve(const QJsonValue& value) const
{
    QJsonValue at = value;
    for (int hops = 0; at.isObject() && at.toObject().contains(u"$ref"); ++hops) {
        if (hops == kMaxRefHops)
            return QJsonObject{};
        const QJsonValue target = pointer(m_document, at.toObject().value(u"$ref").toString());
        if (target.isUndefined())
            return QJsonObject{};
        at = target;
    }
    return at;
}

QJsonValue SchemaSampler::sample(const QJsonValue& schema) const
{
    return sample(resolve(schema).toObject(), 0);
}

QJsonObject SchemaSampler::merged(const QJsonObject& schema) const
{
    QJsonObject out = schema;
    const QJsonArray parts = schema.value(u"allOf").toArray();
    QJsonObject properties = out.value(u"properties").toObject();
    for (const QJsonValue& p : parts) {
        const QJsonObject part = resolve(p).toObject();
        for (auto it = part.begin(); it != part.end(); ++it) {
            if (it.key() != u"properties" && !out.contains(it.key()))
                out.insert(it.key(), it.value());
        }
        const QJsonObject more = part.value(u"properties").toObject();
        for (auto it = more.begin(); it != more.end(); ++it)
            properties.insert(it.key(), it.value());
    }
    if (!properties.isEmpty())
        out.insert(QStringLiteral("properties"), properties);
    out.remove(QStringLiteral("allOf"));
    return out;
}

QJsonValue SchemaSampler::sample(const QJsonObject& raw, int depth) const
{
    if (depth > kMaxDepth)
        return QJsonValue::Null;
    const QJsonObject schema = merged(raw);
    if (schema.contains(u"const"))
        return schema.value(u"const");
    if (schema.contains(u"default"))
        return schema.value(u"default");
    if (const QJsonArray e = schema.value(u"enum").toArray(); !e.isEmpty())
        return e.first();
    if (const QJsonArray e = schema.value(u"examples").toArray(); !e.isEmpty())
        return e.first();
    for (const char* key : {"oneOf", "anyOf"}) {
        if (const QJsonArray options = schema.value(QLatin1StringView(key)).toArray(); !options.isEmpty())
            return sample(resolve(options.first()).toObject(), depth + 1);
    }
    QJsonValue type = schema.value(u"type");
    if (type.isArray()) {
        // ["string", "null"]: the first type that is not null.
        const QJsonArray types = type.toArray();
        type = types.isEmpty() ? QJsonValue() : types.first();
        for (const QJsonValue& t : types) {
            if (t.toString() != u"null") {
                type = t;
                break;
            }
        }
    }
    QString name = type.toString();
    if (name.isEmpty()) // untyped: guess from the keywords present
        name = schema.contains(u"properties") ? QStringLiteral("object")
               : schema.contains(u"items")    ? QStringLiteral("array")
                                              : QString();
    return sampleOfType(name, schema, depth);
}

QJsonValue SchemaSampler::sampleOfType(const QString& type, const QJsonObject& schema, int depth) const
{
    if (type == u"object")
        return sampleObject(schema, depth);
    if (type == u"array")
        return sampleArray(schema, depth);
    if (type == u"string")
        return sampleString(schema);
    if (type == u"integer" || type == u"number")
        return sampleNumber(schema, type == u"integer");
    if (type == u"boolean")
        return true;
    return QJsonValue::Null; // "null", or nothing to go on
}

QJsonValue SchemaSampler::sampleObject(const QJsonObject& schema, int depth) const
{
    QJsonObject out;
    const QJsonObject properties = schema.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        out.insert(it.key(), sample(resolve(it.value()).toObject(), depth + 1));
    return out;
}

QJsonValue SchemaSampler::sampleArray(const QJsonObject& schema, int depth) const
{
    QJsonArray out;
    const QJsonValue items = schema.value(u"items");
    if (items.isArray()) { // tuple form
        for (const QJsonValue& item : items.toArray())
            out.append(sample(resolve(item).toObject(), depth + 1));
        return out;
    }
    if (depth > 4 && schema.value(u"minItems").toInt(0) == 0)
        return out; // keeps samples of recursive schemas (trees) small
    const int count = std::max(1, schema.value(u"minItems").toInt(1));
    const QJsonValue element = sample(resolve(items).toObject(), depth + 1);
    for (int i = 0; i < std::min(count, 100); ++i)
        out.append(element);
    return out;
}

QJsonValue SchemaSampler::sampleString(const QJsonObject& schema)
{
    const QString format = schema.value(u"format").toString();
    QString s;
    if (format == u"date-time")
        s = QStringLiteral("2024-01-01T00:00:00Z");
    else if (format == u"date")
        s = QStringLiteral("2024-01-01");
    else if (format == u"time")
        s = QStringLiteral("00:00:00Z");
    else if (format == u"email")
        s = QStringLiteral("user@example.com");
    else if (format == u"uri" || format == u"url")
        s = QStringLiteral("https://example.com/");
    else if (format == u"uuid")
        s = QStringLiteral("00000000-0000-4000-8000-000000000000");
    else if (format == u"ipv4")
        s = QStringLiteral("192.0.2.1");
    else
        s = QStringLiteral("string");
    const int minLength = schema.value(u"minLength").toInt(0);
    const int maxLength = schema.value(u"maxLength").toInt(-1);
    while (s.size() < minLength)
        s += u'x';
    if (maxLength >= 0 && s.size() > maxLength)
        s.truncate(maxLength);
    return s;
}

QJsonValue SchemaSampler::sampleNumber(const QJsonObject& schema, bool integer)
{
    double value = 0;
    const QJsonValue min = schema.value(u"minimum");
    const QJsonValue max = schema.value(u"maximum");
    const QJsonValue exclusiveMin = schema.value(u"exclusiveMinimum");
    if (min.isDouble())
        value = min.toDouble();
    else if (exclusiveMin.isDouble())
        value = exclusiveMin.toDouble() + (integer ? 1 : 0.5);
    else if (max.isDouble() && max.toDouble() < 0)
        value = max.toDouble();
    if (const double step = schema.value(u"multipleOf").toDouble(0); step > 0)
        value = std::ceil(value / step) * step;
    if (integer)
        return qint64(std::ceil(value));
    return value;
}

} // namespace rpcbench
