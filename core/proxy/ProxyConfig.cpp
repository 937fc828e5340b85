#include "proxy/ProxyConfig.h"

#include "server/ListenSpec.h"
#include "util/JsonFields.h"
#include "wire/Endpoint.h"

#include <QJsonArray>

namespace rpcbench {

namespace {

constexpr int kMaxInterceptTimeoutMs = 3'600'000;

// A URL member that `parse` (ListenSpec::parse, Endpoint::parse) must accept.
template <class Parse> bool readUrl(JsonFields& top, QStringView key, QString* out, Parse parse)
{
    if (!top.string(key, out, JsonFields::Required, QStringLiteral("a URL string")))
        return false;
    QString problem;
    if (!parse(*out, &problem))
        return top.fail(key, problem);
    return true;
}

bool readFaults(JsonFields& top, QMap<QString, FaultSettings>* out)
{
    QJsonObject faults;
    if (!top.object(u"faults", &faults, JsonFields::Optional,
                    QStringLiteral("an object keyed by method name")))
        return false;
    QString problem;
    auto map = FaultSettings::mapFromJson(faults, &problem);
    if (!map)
        return top.fail(QStringLiteral("faults.") + problem);
    *out = std::move(*map);
    return true;
}

bool readIntercept(JsonFields& top, QList<InterceptRule>* out)
{
    QJsonArray rules;
    if (!top.array(u"intercept", &rules, JsonFields::Optional, QStringLiteral("an array of rules")))
        return false;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        QString problem;
        const auto rule = InterceptRule::fromJson(rules.at(i), &problem);
        if (!rule)
            return top.fail(QStringLiteral("intercept[%1]: %2").arg(i).arg(problem));
        out->append(*rule);
    }
    return true;
}

} // namespace

QJsonObject ProxyConfig::toJson() const
{
    const ProxyConfig defaults;
    QJsonObject o{{QStringLiteral("listen"), listen}, {QStringLiteral("upstream"), upstream}};
    if (!faults.isEmpty())
        o.insert(QStringLiteral("faults"), FaultSettings::mapToJson(faults));
    if (!intercept.isEmpty()) {
        QJsonArray rules;
        for (const InterceptRule& rule : intercept)
            rules.append(rule.toJson());
        o.insert(QStringLiteral("intercept"), rules);
    }
    if (interceptTimeoutMs != defaults.interceptTimeoutMs)
        o.insert(QStringLiteral("interceptTimeoutMs"), interceptTimeoutMs);
    return o;
}

std::optional<ProxyConfig> ProxyConfig::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        if (error)
            *error = QStringLiteral("a proxy must be an object");
        return std::nullopt;
    }
    JsonFields top(json.toObject());
    ProxyConfig c;
    const auto parseListen = [](const QString& url, QString* e) {
        return ListenSpec::parse(url, e).has_value();
    };
    const auto parseUpstream = [](const QString& url, QString* e) {
        return Endpoint::parse(url, e).has_value();
    };
    const bool ok =
        top.onlyKeys({QStringLiteral("listen"), QStringLiteral("upstream"), QStringLiteral("faults"),
                      QStringLiteral("intercept"), QStringLiteral("interceptTimeoutMs")}) &&
        readUrl(top, u"listen", &c.listen, parseListen) &&
        readUrl(top, u"upstream", &c.upstream, parseUpstream) && readFaults(top, &c.faults) &&
        readIntercept(top, &c.intercept) &&
        top.integer(u"interceptTimeoutMs", 1, kMaxInterceptTimeoutMs, &c.interceptTimeoutMs);
    if (!ok) {
        if (error)
            *error = top.error();
        return std::nullopt;
    }
    return c;
}

} // namespace rpcbench
