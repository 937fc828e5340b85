#include "collection/Assertion.h"

#include "collection/SchemaCheck.h"
#include "util/JsonPointer.h"
#include "util/JsonText.h"
#include "util/JsonTypes.h"

#include <QRegularExpression>

#include <cmath>

namespace rpcbench {

namespace {

const QStringList Types = {QStringLiteral("string"),  QStringLiteral("number"), QStringLiteral("integer"),
                           QStringLiteral("boolean"), QStringLiteral("null"),   QStringLiteral("object"),
                           QStringLiteral("array")};

QString shown(const QJsonValue& v)
{
    if (v.isUndefined())
        return QStringLiteral("nothing");
    const QByteArray json = JsonText::compact(v);
    return QString::fromUtf8(json.size() > 200 ? json.left(197) + "..." : json);
}

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

// Which assertion an object is: exactly one of the kind keys.
std::optional<Assertion::Kind> kindOf(const QJsonObject& o, QString* error)
{
    static const std::pair<const char*, Assertion::Kind> keys[] = {
        {"result", Assertion::Kind::IsResult}, {"error", Assertion::Kind::IsError},
        {"equals", Assertion::Kind::Equals},   {"matches", Assertion::Kind::Matches},
        {"type", Assertion::Kind::HasType},    {"exists", Assertion::Kind::Exists},
        {"schema", Assertion::Kind::Schema},   {"latencyMs", Assertion::Kind::LatencyUnder}};
    std::optional<Assertion::Kind> kind;
    QStringList found;
    for (const auto& [key, k] : keys)
        if (o.contains(QLatin1String(key))) {
            kind = k;
            found << QLatin1String(key);
        }
    if (found.size() == 1)
        return kind;
    fail(error, found.isEmpty() ? QStringLiteral("an assertion needs one of result, error, equals, matches, "
                                                 "type, exists, schema, latencyMs")
                                : QStringLiteral("an assertion checks one thing; this one has %1")
                                      .arg(found.join(QLatin1String(", "))));
    return std::nullopt;
}

bool readKind(const QJsonObject& o, Assertion* a, QString* error)
{
    switch (a->kind) {
    case Assertion::Kind::IsResult:
        if (o.value(QLatin1String("result")) != QJsonValue(true))
            return fail(error, QStringLiteral("\"result\" must be true"));
        return true;
    case Assertion::Kind::IsError: {
        const QJsonValue e = o.value(QLatin1String("error"));
        if (e == QJsonValue(true))
            return true;
        if (!e.isDouble() || std::trunc(e.toDouble()) != e.toDouble())
            return fail(error, QStringLiteral("\"error\" must be true or an error code (an integer)"));
        a->code = int(e.toDouble());
        return true;
    }
    case Assertion::Kind::Equals:
        a->expected = o.value(QLatin1String("equals"));
        return true;
    case Assertion::Kind::Matches: {
        a->pattern = o.value(QLatin1String("matches")).toString();
        const QRegularExpression re(a->pattern);
        if (!o.value(QLatin1String("matches")).isString() || !re.isValid())
            return fail(error,
                        QStringLiteral("\"matches\" must be a regular expression: %1").arg(re.errorString()));
        return true;
    }
    case Assertion::Kind::HasType:
        a->type = o.value(QLatin1String("type")).toString();
        if (!Types.contains(a->type))
            return fail(error,
                        QStringLiteral("\"type\" must be one of %1").arg(Types.join(QLatin1String(", "))));
        return true;
    case Assertion::Kind::Exists:
        if (!o.value(QLatin1String("exists")).isBool())
            return fail(error, QStringLiteral("\"exists\" must be true or false"));
        a->exists = o.value(QLatin1String("exists")).toBool();
        return true;
    case Assertion::Kind::Schema: {
        const QJsonValue s = o.value(QLatin1String("schema"));
        if (s == QJsonValue(true))
            return true;
        if (!s.isObject())
            return fail(error,
                        QStringLiteral("\"schema\" must be true (the method's result schema) or a schema"));
        a->expected = s;
        return true;
    }
    case Assertion::Kind::LatencyUnder:
        a->maxMs = o.value(QLatin1String("latencyMs")).toDouble(-1);
        if (a->maxMs <= 0)
            return fail(error, QStringLiteral("\"latencyMs\" must be a number of milliseconds above 0"));
        return true;
    }
    return false;
}

} // namespace

std::optional<Assertion> Assertion::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        fail(error,
             QStringLiteral("an assertion is an object, e.g. {\"pointer\": \"/name\", \"equals\": \"Ann\"}"));
        return std::nullopt;
    }
    const QJsonObject o = json.toObject();
    static const QStringList known = {QStringLiteral("result"),  QStringLiteral("error"),
                                      QStringLiteral("equals"),  QStringLiteral("matches"),
                                      QStringLiteral("type"),    QStringLiteral("exists"),
                                      QStringLiteral("schema"),  QStringLiteral("latencyMs"),
                                      QStringLiteral("pointer"), QStringLiteral("of")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key())) {
            fail(error, QStringLiteral("unknown key \"%1\" in an assertion").arg(it.key()));
            return std::nullopt;
        }
    Assertion a;
    const auto kind = kindOf(o, error);
    if (!kind)
        return std::nullopt;
    a.kind = *kind;
    if (!readKind(o, &a, error))
        return std::nullopt;
    const QJsonValue of = o.value(QLatin1String("of"));
    if (!of.isUndefined() && of != QJsonValue(QStringLiteral("result")) &&
        of != QJsonValue(QStringLiteral("error"))) {
        fail(error, QStringLiteral("\"of\" must be \"result\" or \"error\""));
        return std::nullopt;
    }
    a.ofError = of == QJsonValue(QStringLiteral("error"));
    const QJsonValue pointer = o.value(QLatin1String("pointer"));
    if (!pointer.isUndefined()) {
        const bool pointerKind = a.kind == Kind::Equals || a.kind == Kind::Matches ||
                                 a.kind == Kind::HasType || a.kind == Kind::Exists || a.kind == Kind::Schema;
        if (!pointerKind) {
            fail(error, QStringLiteral("\"pointer\" goes with equals, matches, type, exists or schema"));
            return std::nullopt;
        }
        if (!pointer.isString() || !JsonPointer::isValid(pointer.toString(), error))
            return std::nullopt;
        a.pointer = pointer.toString();
    }
    return a;
}

QJsonObject Assertion::toJson() const
{
    QJsonObject o;
    if (ofError)
        o.insert(QLatin1String("of"), QStringLiteral("error"));
    if (!pointer.isEmpty())
        o.insert(QLatin1String("pointer"), pointer);
    switch (kind) {
    case Kind::IsResult:
        o.insert(QLatin1String("result"), true);
        break;
    case Kind::IsError:
        o.insert(QLatin1String("error"), code ? QJsonValue(*code) : QJsonValue(true));
        break;
    case Kind::Equals:
        o.insert(QLatin1String("equals"), expected);
        break;
    case Kind::Matches:
        o.insert(QLatin1String("matches"), pattern);
        break;
    case Kind::HasType:
        o.insert(QLatin1String("type"), type);
        break;
    case Kind::Exists:
        o.insert(QLatin1String("exists"), exists);
        break;
    case Kind::Schema:
        o.insert(QLatin1String("schema"), expected.isObject() ? expected : QJsonValue(true));
        break;
    case Kind::LatencyUnder:
        o.insert(QLatin1String("latencyMs"), maxMs);
        break;
    }
    return o;
}

QString Assertion::describe() const
{
    const QString subject = (ofError ? QStringLiteral("error") : QStringLiteral("result")) +
                            (pointer.isEmpty() ? QString() : QLatin1Char(' ') + pointer);
    switch (kind) {
    case Kind::IsResult:
        return QStringLiteral("reply is a result");
    case Kind::IsError:
        return code ? QStringLiteral("reply is error %1").arg(*code) : QStringLiteral("reply is an error");
    case Kind::Equals:
        return QStringLiteral("%1 equals %2").arg(subject, shown(expected));
    case Kind::Matches:
        return QStringLiteral("%1 matches /%2/").arg(subject, pattern);
    case Kind::HasType:
        return QStringLiteral("%1 is %2 %3")
            .arg(subject,
                 type.startsWith(QLatin1Char('a')) || type.startsWith(QLatin1Char('i')) ||
                         type.startsWith(QLatin1Char('o'))
                     ? QStringLiteral("an")
                     : QStringLiteral("a"),
                 type);
    case Kind::Exists:
        return exists ? QStringLiteral("%1 exists").arg(subject)
                      : QStringLiteral("%1 is absent").arg(subject);
    case Kind::Schema:
        return expected.isObject() ? QStringLiteral("%1 matches the given schema").arg(subject)
                                   : QStringLiteral("%1 matches the method's result schema").arg(subject);
    case Kind::LatencyUnder:
        return QStringLiteral("latency under %1 ms").arg(maxMs);
    }
    return {};
}

namespace {

QString replyShown(const CallOutcome& outcome)
{
    if (!outcome.failure.isEmpty())
        return QStringLiteral("no reply (%1)").arg(outcome.failure);
    if (outcome.error)
        return QStringLiteral("error %1").arg(shown(*outcome.error));
    return QStringLiteral("result %1").arg(shown(outcome.result.value_or(QJsonValue())));
}

AssertionResult result(bool passed, QString expected, QString actual)
{
    return {passed, std::move(expected), std::move(actual)};
}

} // namespace

AssertionResult Assertion::check(const CallOutcome& outcome) const
{
    if (kind == Kind::LatencyUnder) {
        const double ms = double(outcome.latencyUs) / 1000.0;
        return result(outcome.failure.isEmpty() && ms < maxMs, QStringLiteral("under %1 ms").arg(maxMs),
                      outcome.failure.isEmpty() ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 1)
                                                : replyShown(outcome));
    }
    if (kind == Kind::IsResult)
        return result(outcome.result.has_value(), QStringLiteral("a result"), replyShown(outcome));
    if (kind == Kind::IsError) {
        const bool isError = outcome.error.has_value();
        const bool codeOk =
            !code || (isError && outcome.error->value(QLatin1String("code")).toInt() == *code);
        return result(isError && codeOk,
                      code ? QStringLiteral("error %1").arg(*code) : QStringLiteral("an error"),
                      replyShown(outcome));
    }
    // The rest look inside the result (or the error object).
    const bool have = ofError ? outcome.error.has_value() : outcome.result.has_value();
    if (!have)
        return result(false, ofError ? QStringLiteral("an error") : QStringLiteral("a result"),
                      replyShown(outcome));
    const QJsonValue document = ofError ? QJsonValue(*outcome.error) : *outcome.result;
    const std::optional<QJsonValue> at = JsonPointer::find(document, pointer);
    if (kind == Kind::Exists)
        return result(at.has_value() == exists,
                      exists ? QStringLiteral("a value") : QStringLiteral("nothing"),
                      at ? shown(*at) : QStringLiteral("nothing"));
    if (!at)
        return result(false, describe(), QStringLiteral("nothing at %1").arg(pointer));
    switch (kind) {
    case Kind::Equals:
        return result(*at == expected, shown(expected), shown(*at));
    case Kind::Matches:
        return result(at->isString() && QRegularExpression(pattern).match(at->toString()).hasMatch(),
                      QStringLiteral("a string matching /%1/").arg(pattern), shown(*at));
    case Kind::HasType: {
        const QString actual = jsonTypeName(*at);
        const bool ok =
            actual == type || (type == QLatin1String("number") && actual == QLatin1String("integer"));
        return result(ok, type, QStringLiteral("%1 %2").arg(actual, shown(*at)));
    }
    case Kind::Schema: {
        const QJsonValue schema = expected.isObject() ? expected : outcome.resultSchema;
        if (schema.isUndefined())
            return result(false, QStringLiteral("a result schema"),
                          QStringLiteral("the method has none (no OpenRPC "
                                         "document, or no result schema)"));
        const QStringList problems =
            SchemaCheck(expected.isObject() ? expected.toObject() : outcome.schemaRoot)
                .validate(*at, schema, 5);
        return result(problems.isEmpty(), QStringLiteral("valid against the schema"),
                      problems.isEmpty() ? QStringLiteral("valid") : problems.join(QLatin1String("; ")));
    }
    default:
        break;
    }
    return {};
}

} // namespace rpcbench
