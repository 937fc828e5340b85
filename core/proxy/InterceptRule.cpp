#include "proxy/InterceptRule.h"

#include "util/JsonFields.h"

#include <QRegularExpression>

#include <array>

namespace rpcbench {

namespace {

struct DirectionName
{
    InterceptRule::Direction direction;
    QLatin1StringView name;
};

constexpr std::array<DirectionName, 3> kDirections{{
    {InterceptRule::Direction::ToServer, QLatin1StringView("toServer")},
    {InterceptRule::Direction::ToClient, QLatin1StringView("toClient")},
    {InterceptRule::Direction::Both, QLatin1StringView("both")},
}};

QString directionName(InterceptRule::Direction direction)
{
    for (const DirectionName& d : kDirections)
        if (d.direction == direction)
            return d.name;
    return QStringLiteral("toServer");
}

std::optional<InterceptRule::Direction> directionFromName(const QString& name)
{
    for (const DirectionName& d : kDirections)
        if (name == d.name)
            return d.direction;
    return std::nullopt;
}

// Not QRegularExpression::wildcardToRegularExpression: before Qt 6.6 its '*' stops at '/', so
// "*" would miss "$/progress" and "textDocument/*" nothing deeper. Method names are not paths.
QString wildcardRegex(const QString& pattern)
{
    QString re;
    for (const QChar c : pattern) {
        if (c == QLatin1Char('*'))
            re += QStringLiteral(".*");
        else if (c == QLatin1Char('?'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression::anchoredPattern(re);
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

bool InterceptRule::matches(const QString& method, bool toServer) const
{
    if (!enabled)
        return false;
    if (direction == Direction::ToServer && !toServer)
        return false;
    if (direction == Direction::ToClient && toServer)
        return false;
    const QRegularExpression re(wildcardRegex(pattern));
    return re.match(method).hasMatch();
}

QJsonObject InterceptRule::toJson() const
{
    return QJsonObject{{QStringLiteral("method"), pattern},
                       {QStringLiteral("direction"), directionName(direction)},
                       {QStringLiteral("enabled"), enabled}};
}

std::optional<InterceptRule> InterceptRule::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        fail(error, QStringLiteral("an intercept rule must be an object"));
        return std::nullopt;
    }
    JsonFields fields(json.toObject());
    InterceptRule rule;
    QString direction = directionName(rule.direction);
    const QString directionExpected = QStringLiteral("\"toServer\", \"toClient\" or \"both\"");
    const bool read =
        fields.onlyKeys({QStringLiteral("method"), QStringLiteral("direction"), QStringLiteral("enabled")}) &&
        fields.string(u"method", &rule.pattern, JsonFields::Required,
                      QStringLiteral("a non-empty wildcard string")) &&
        fields.string(u"direction", &direction, JsonFields::Optional, directionExpected) &&
        fields.boolean(u"enabled", &rule.enabled);
    if (read && rule.pattern.isEmpty())
        fields.fail(u"method", QStringLiteral("must not be empty"));
    const std::optional<Direction> d = directionFromName(direction);
    if (fields.ok() && !d)
        fields.fail(QStringLiteral("%1 must be %2").arg(fields.name(u"direction"), directionExpected));
    if (!fields.ok()) {
        fail(error, fields.error());
        return std::nullopt;
    }
    rule.direction = *d;
    return rule;
}

bool anyRuleMatches(const QList<InterceptRule>& rules, const QString& method, bool toServer)
{
    for (const InterceptRule& rule : rules)
        if (rule.matches(method, toServer))
            return true;
    return false;
}

} // namespace rpcbench
