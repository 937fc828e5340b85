#include "collection/SchemaCheck.h"

#include "util/JsonPointer.h"
#include "util/JsonText.h"
#include "util/JsonTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace rpcbench {

namespace {

// $refs that loop ("a tree of nodes") stop here instead of overflowing the stack.
constexpr int MaxDepth = 64;

bool isType(const QJsonValue& v, const QString& type)
{
    if (type == QLatin1String("number"))
        return v.isDouble();
    if (type == QLatin1String("integer"))
        return v.isDouble() && isIntegral(v);
    return jsonTypeName(v) == type;
}

// The value as a user reads it, shortened.
QString shown(const QJsonValue& v)
{
    const QByteArray json = JsonText::compact(v);
    return QString::fromUtf8(json.size() > 60 ? json.left(57) + "..." : json);
}

QString child(const QString& at, const QString& token)
{
    QString escaped = token;
    escaped.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
    return at + QLatin1Char('/') + escaped;
}

QString where(const QString& at)
{
    return at.isEmpty() ? QStringLiteral("(the result)") : at;
}

} // namespace

QStringList SchemaCheck::validate(const QJsonValue& value, const QJsonValue& schema, int limit) const
{
    m_limit = limit;
    QStringList problems;
    check(value, schema, QString(), 0, &problems);
    return problems;
}

QJsonValue SchemaCheck::resolve(const QString& ref, QString* error) const
{
    if (!ref.startsWith(QLatin1Char('#'))) {
        *error = QStringLiteral("$ref '%1' points outside the document (not supported)").arg(ref);
        return {};
    }
    const auto target = JsonPointer::find(m_root, ref.mid(1));
    if (!target) {
        *error = QStringLiteral("$ref '%1' names nothing in the document").arg(ref);
        return {};
    }
    return *target;
}

void SchemaCheck::check(const QJsonValue& value, const QJsonValue& schemaValue, const QString& at, int depth,
                        QStringList* problems) const
{
    if (problems->size() >= m_limit)
        return;
    if (schemaValue.isBool()) {
        if (!schemaValue.toBool())
            *problems << QStringLiteral("%1: no value is allowed here").arg(where(at));
        return;
    }
    if (!schemaValue.isObject())
        return; // not a schema: nothing to check against
    const QJsonObject schema = schemaValue.toObject();
    if (depth > MaxDepth) {
        *problems << QStringLiteral("%1: the schema nests too deep ($ref loop?)").arg(where(at));
        return;
    }
    if (const QJsonValue ref = schema.value(QLatin1String("$ref")); ref.isString()) {
        QString error;
        const QJsonValue target = resolve(ref.toString(), &error);
        if (!error.isEmpty())
            *problems << QStringLiteral("%1: %2").arg(where(at), error);
        else
            check(value, target, at, depth + 1, problems);
        return; // siblings of $ref are ignored (draft 7, which OpenRPC follows)
    }
    checkType(value, schema, at, problems);
    if (value.isDouble())
        checkNumber(value.toDouble(), schema, at, problems);
    else if (value.isString())
        checkString(value.toString(), schema, at, problems);
    else if (value.isArray())
        checkArray(value.toArray(), schema, at, depth, problems);
    else if (value.isObject())
        checkObject(value.toObject(), schema, at, depth, problems);
    checkCombinators(value, schema, at, depth, problems);
}

void SchemaCheck::checkType(const QJsonValue& value, const QJsonObject& schema, const QString& at,
                            QStringList* problems) const
{
    const QJsonValue type = schema.value(QLatin1String("type"));
    QStringList allowed;
    if (type.isString())
        allowed << type.toString();
    for (const QJsonValue& t : type.toArray())
        allowed << t.toString();
    if (!allowed.isEmpty() &&
        std::none_of(allowed.begin(), allowed.end(), [&](const QString& t) { return isType(value, t); }))
        *problems << QStringLiteral("%1: expected %2, got %3")
                         .arg(where(at), allowed.join(QLatin1String(" or ")), shown(value));
    if (const QJsonValue e = schema.value(QLatin1String("enum")); e.isArray() && !e.toArray().contains(value))
        *problems << QStringLiteral("%1: %2 is not one of %3").arg(where(at), shown(value), shown(e));
    if (schema.contains(QLatin1String("const")) && schema.value(QLatin1String("const")) != value)
        *problems << QStringLiteral("%1: expected %2, got %3")
                         .arg(where(at), shown(schema.value(QLatin1String("const"))), shown(value));
}

void SchemaCheck::checkNumber(double v, const QJsonObject& schema, const QString& at,
                              QStringList* problems) const
{
    const auto bound = [&](const char* key, auto fails, const char* words) {
        const QJsonValue b = schema.value(QLatin1String(key));
        if (b.isDouble() && fails(v, b.toDouble()))
            *problems
                << QStringLiteral("%1: %2 is %3 %4").arg(where(at), shown(v), QLatin1String(words), shown(b));
    };
    bound(
        "minimum", [](double x, double b) { return x < b; }, "less than");
    bound(
        "maximum", [](double x, double b) { return x > b; }, "more than");
    bound(
        "exclusiveMinimum", [](double x, double b) { return x <= b; }, "not more than");
    bound(
        "exclusiveMaximum", [](double x, double b) { return x >= b; }, "not less than");
    const QJsonValue m = schema.value(QLatin1String("multipleOf"));
    if (m.isDouble() && m.toDouble() > 0) {
        const double q = v / m.toDouble();
        if (std::abs(q - std::round(q)) > 1e-9)
            *problems << QStringLiteral("%1: %2 is not a multiple of %3").arg(where(at), shown(v), shown(m));
    }
}

void SchemaCheck::checkString(const QString& v, const QJsonObject& schema, const QString& at,
                              QStringList* problems) const
{
    // Lengths count code points, as JSON Schema says, not UTF-16 units.
    const qsizetype length = v.toUcs4().size();
    const QJsonValue min = schema.value(QLatin1String("minLength"));
    const QJsonValue max = schema.value(QLatin1String("maxLength"));
    if (min.isDouble() && length < min.toDouble())
        *problems
            << QStringLiteral("%1: %2 is shorter than %3 characters").arg(where(at), shown(v), shown(min));
    if (max.isDouble() && length > max.toDouble())
        *problems
            << QStringLiteral("%1: %2 is longer than %3 characters").arg(where(at), shown(v), shown(max));
    if (const QJsonValue p = schema.value(QLatin1String("pattern")); p.isString()) {
        const QRegularExpression re(p.toString());
        if (!re.isValid())
            *problems << QStringLiteral("%1: the schema's pattern '%2' is not a valid regular expression: %3")
                             .arg(where(at), p.toString(), re.errorString());
        else if (!re.match(v).hasMatch())
            *problems << QStringLiteral("%1: %2 does not match %3").arg(where(at), shown(v), p.toString());
    }
}

void SchemaCheck::checkArray(const QJsonArray& v, const QJsonObject& schema, const QString& at, int depth,
                             QStringList* problems) const
{
    const QJsonValue min = schema.value(QLatin1String("minItems"));
    const QJsonValue max = schema.value(QLatin1String("maxItems"));
    if (min.isDouble() && v.size() < min.toDouble())
        *problems << QStringLiteral("%1: %2 items, expected at least %3")
                         .arg(where(at))
                         .arg(v.size())
                         .arg(shown(min));
    if (max.isDouble() && v.size() > max.toDouble())
        *problems << QStringLiteral("%1: %2 items, expected at most %3")
                         .arg(where(at))
                         .arg(v.size())
                         .arg(shown(max));
    if (schema.value(QLatin1String("uniqueItems")).toBool()) {
        for (qsizetype i = 0; i < v.size(); ++i)
            for (qsizetype j = i + 1; j < v.size(); ++j)
                if (v.at(i) == v.at(j)) {
                    *problems << QStringLiteral("%1: items %2 and %3 are equal").arg(where(at)).arg(i).arg(j);
                    i = j = v.size();
                }
    }
    const QJsonValue items = schema.value(QLatin1String("items"));
    for (qsizetype i = 0; i < v.size(); ++i) {
        const QString itemAt = child(at, QString::number(i));
        if (items.isArray()) { // a tuple: one schema per position, the rest free
            if (i < items.toArray().size())
                check(v.at(i), items.toArray().at(i), itemAt, depth + 1, problems);
        } else if (!items.isUndefined()) {
            check(v.at(i), items, itemAt, depth + 1, problems);
        }
    }
}

void SchemaCheck::checkObject(const QJsonObject& v, const QJsonObject& schema, const QString& at, int depth,
                              QStringList* problems) const
{
    for (const QJsonValue& name : schema.value(QLatin1String("required")).toArray())
        if (!v.contains(name.toString()))
            *problems << QStringLiteral("%1: the member '%2' is missing").arg(where(at), name.toString());
    const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    const QJsonValue additional = schema.value(QLatin1String("additionalProperties"));
    for (auto it = v.begin(); it != v.end(); ++it) {
        const QString memberAt = child(at, it.key());
        if (properties.contains(it.key()))
            check(it.value(), properties.value(it.key()), memberAt, depth + 1, problems);
        else if (additional.isBool() && !additional.toBool())
            *problems << QStringLiteral("%1: the member '%2' is not allowed").arg(where(at), it.key());
        else if (additional.isObject())
            check(it.value(), additional, memberAt, depth + 1, problems);
    }
}

bool SchemaCheck::passes(const QJsonValue& value, const QJsonValue& schema, const QString& at,
                         int depth) const
{
    QStringList problems;
    check(value, schema, at, depth + 1, &problems);
    return problems.isEmpty();
}

void SchemaCheck::checkCombinators(const QJsonValue& value, const QJsonObject& schema, const QString& at,
                                   int depth, QStringList* problems) const
{
    for (const QJsonValue& sub : schema.value(QLatin1String("allOf")).toArray())
        check(value, sub, at, depth + 1, problems);
    if (const QJsonValue any = schema.value(QLatin1String("anyOf")); any.isArray()) {
        const QJsonArray subs = any.toArray();
        if (std::none_of(subs.begin(), subs.end(),
                         [&](const QJsonValue& s) { return passes(value, s, at, depth); }))
            *problems
                << QStringLiteral("%1: %2 matches none of the anyOf schemas").arg(where(at), shown(value));
    }
    if (const QJsonValue one = schema.value(QLatin1String("oneOf")); one.isArray()) {
        const QJsonArray subs = one.toArray();
        const auto n = std::count_if(subs.begin(), subs.end(),
                                     [&](const QJsonValue& s) { return passes(value, s, at, depth); });
        if (n != 1)
            *problems << QStringLiteral("%1: %2 matches %3 of the oneOf schemas, expected exactly one")
                             .arg(where(at), shown(value))
                             .arg(n);
    }
    if (schema.contains(QLatin1String("not")) && passes(value, schema.value(QLatin1String("not")), at, depth))
        *problems << QStringLiteral("%1: %2 matches the schema it must not").arg(where(at), shown(value));
}

} // namespace rpcbench
