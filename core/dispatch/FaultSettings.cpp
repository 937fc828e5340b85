#include "dispatch/FaultSettings.h"

#include "util/JsonFields.h"

#include <QStringList>

#include <limits>

namespace rpcbench {

namespace {

const QStringList kKeys = {QStringLiteral("enabled"),   QStringLiteral("latencyMs"),
                           QStringLiteral("errorRate"), QStringLiteral("drop"),
                           QStringLiteral("malformed"), QStringLiteral("wrongId"),
                           QStringLiteral("trickleMs")};

// {"latencyMs": 200} or {"latencyMs": {"min": 100, "max": 300}}
bool readLatency(JsonFields& fields, FaultSettings* f)
{
    const QJsonValue v = fields.value(u"latencyMs");
    const int max = FaultSettings::maxDelayMs;
    if (v.isUndefined() || v.isDouble()) {
        fields.integer(u"latencyMs", 0, max, &f->latencyMinMs);
        f->latencyMaxMs = f->latencyMinMs;
        return fields.ok();
    }
    const QJsonObject o = v.toObject();
    if (!v.isObject() || !o.contains(u"min") || !o.contains(u"max") || o.size() != 2)
        return fields.fail(
            QStringLiteral("'latencyMs' must be a number of ms or {\"min\": ms, \"max\": ms}"));
    JsonFields range = fields.nested(u"latencyMs");
    if (!range.integer(u"min", 0, max, &f->latencyMinMs) || !range.integer(u"max", 0, max, &f->latencyMaxMs))
        return false;
    if (f->latencyMaxMs < f->latencyMinMs)
        return fields.fail(QStringLiteral("'latencyMs.max' (%1) is below 'latencyMs.min' (%2)")
                               .arg(f->latencyMaxMs)
                               .arg(f->latencyMinMs));
    return true;
}

// {"errorRate": {"percent": 20, "code": -32000, "message": "..."}}; percent is required.
bool readErrorRate(JsonFields& fields, FaultSettings* f)
{
    if (!fields.has(u"errorRate"))
        return fields.ok();
    JsonFields rate = fields.nested(u"errorRate", JsonFields::Optional,
                                    QStringLiteral("an object {\"percent\", \"code\", \"message\"}"));
    return rate.onlyKeys({QStringLiteral("percent"), QStringLiteral("code"), QStringLiteral("message")}) &&
           rate.number(u"percent", 0, 100, &f->errorRatePercent, JsonFields::Required) &&
           rate.integer(u"code", std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                        &f->errorCode) &&
           rate.string(u"message", &f->errorMessage);
}

} // namespace

bool FaultSettings::isActive() const
{
    return enabled && (hasLatency() || errorRatePercent > 0 || dropConnection || malformedJson || wrongId ||
                       trickleMs > 0);
}

QString FaultSettings::describe() const
{
    QStringList parts;
    if (hasJitter())
        parts << QStringLiteral("latency %1-%2 ms").arg(latencyMinMs).arg(latencyMaxMs);
    else if (hasLatency())
        parts << QStringLiteral("latency %1 ms").arg(latencyMinMs);
    if (errorRatePercent > 0)
        parts << QStringLiteral("%1% errors (%2)").arg(errorRatePercent).arg(errorCode);
    if (dropConnection)
        parts << QStringLiteral("drop");
    if (malformedJson)
        parts << QStringLiteral("malformed JSON");
    if (wrongId)
        parts << QStringLiteral("wrong id");
    if (trickleMs > 0)
        parts << QStringLiteral("trickle %1 ms").arg(trickleMs);
    QString text = parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
    if (!enabled)
        text += QStringLiteral(" (off)");
    return text;
}

QJsonObject FaultSettings::toJson() const
{
    QJsonObject o{{QStringLiteral("enabled"), enabled}};
    if (hasJitter())
        o.insert(QStringLiteral("latencyMs"),
                 QJsonObject{{QStringLiteral("min"), latencyMinMs}, {QStringLiteral("max"), latencyMaxMs}});
    else if (hasLatency())
        o.insert(QStringLiteral("latencyMs"), latencyMinMs);
    if (errorRatePercent > 0)
        o.insert(QStringLiteral("errorRate"), QJsonObject{{QStringLiteral("percent"), errorRatePercent},
                                                          {QStringLiteral("code"), errorCode},
                                                          {QStringLiteral("message"), errorMessage}});
    if (dropConnection)
        o.insert(QStringLiteral("drop"), true);
    if (malformedJson)
        o.insert(QStringLiteral("malformed"), true);
    if (wrongId)
        o.insert(QStringLiteral("wrongId"), true);
    if (trickleMs > 0)
        o.insert(QStringLiteral("trickleMs"), trickleMs);
    return o;
}

std::optional<FaultSettings> FaultSettings::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("fault settings must be an object");
        return std::nullopt;
    }
    JsonFields fields(json.toObject());
    FaultSettings f;
    const bool ok =
        fields.onlyKeys(kKeys) && fields.boolean(u"enabled", &f.enabled) && readLatency(fields, &f) &&
        readErrorRate(fields, &f) && fields.boolean(u"drop", &f.dropConnection) &&
        fields.boolean(u"malformed", &f.malformedJson) && fields.boolean(u"wrongId", &f.wrongId) &&
        fields.integer(u"trickleMs", 0, maxDelayMs, &f.trickleMs);
    if (!ok) {
        *error = fields.error();
        return std::nullopt;
    }
    return f;
}

std::optional<QMap<QString, FaultSettings>> FaultSettings::mapFromJson(const QJsonValue& json, QString* error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("expected an object keyed by method name");
        return std::nullopt;
    }
    const QJsonObject all = json.toObject();
    QMap<QString, FaultSettings> faults;
    for (auto it = all.begin(); it != all.end(); ++it) {
        QString problem;
        const auto f = fromJson(it.value(), &problem);
        if (!f) {
            *error = QStringLiteral("%1: %2").arg(it.key(), problem);
            return std::nullopt;
        }
        faults.insert(it.key(), *f);
    }
    return faults;
}

QJsonObject FaultSettings::mapToJson(const QMap<QString, FaultSettings>& faults)
{
    QJsonObject o;
    for (auto it = faults.begin(); it != faults.end(); ++it)
        o.insert(it.key(), it.value().toJson());
    return o;
}

} // namespace rpcbench
