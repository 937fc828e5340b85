#include "dispatch/FaultSettings.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>
#include <limits>

namespace rpcbench {

namespace {

const QStringList kKeys = {QStringLiteral("enabled"),   QStringLiteral("latencyMs"),
                           QStringLiteral("errorRate"), QStringLiteral("drop"),
                           QStringLiteral("malformed"), QStringLiteral("wrongId"),
                           QStringLiteral("trickleMs")};

// Reads an integral number in [min, max]; `what` names it in the error.
bool readInt(const QJsonValue& v, const QString& what, qint64 min, qint64 max, int* out, QString* error)
{
    const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
    if (!v.isDouble() || std::trunc(d) != d || d < double(min) || d > double(max)) {
        *error = QStringLiteral("%1 must be an integer between %2 and %3").arg(what).arg(min).arg(max);
        return false;
    }
    *out = int(d);
    return true;
}

bool readBool(const QJsonObject& o, const QString& key, bool* out, QString* error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isBool()) {
        *error = QStringLiteral("'%1' must be true or false").arg(key);
        return false;
    }
    *out = v.toBool();
    return true;
}

bool readLatency(const QJsonValue& v, FaultSettings* f, QString* error)
{
    if (v.isUndefined())
        return true;
    const int max = FaultSettings::maxDelayMs;
    if (v.isDouble()) {
        if (!readInt(v, QStringLiteral("'latencyMs'"), 0, max, &f->latencyMinMs, error))
            return false;
        f->latencyMaxMs = f->latencyMinMs;
        return true;
    }
    const QJsonObject o = v.toObject();
    if (!v.isObject() || !o.contains(u"min") || !o.contains(u"max") || o.size() != 2) {
        *error = QStringLiteral("'latencyMs' must be a number of ms or {\"min\": ms, \"max\": ms}");
        return false;
    }
    if (!readInt(o.value(u"min"), QStringLiteral("'latencyMs.min'"), 0, max, &f->latencyMinMs, error) ||
        !readInt(o.value(u"max"), QStringLiteral("'latencyMs.max'"), 0, max, &f->latencyMaxMs, error))
        return false;
    if (f->latencyMaxMs < f->latencyMinMs) {
        *error = QStringLiteral("'latencyMs.max' (%1) is below 'latencyMs.min' (%2)")
                     .arg(f->latencyMaxMs)
                     .arg(f->latencyMinMs);
        return false;
    }
    return true;
}

bool readErrorRate(const QJsonValue& v, FaultSettings* f, QString* error)
{
    if (v.isUndefined())
        return true;
    const QJsonObject o = v.toObject();
    if (!v.isObject()) {
        *error = QStringLiteral("'errorRate' must be an object {\"percent\", \"code\", \"message\"}");
        return false;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != u"percent" && it.key() != u"code" && it.key() != u"message") {
            *error = QStringLiteral("'errorRate' has an unknown key '%1'").arg(it.key());
            return false;
        }
    }
    const QJsonValue percent = o.value(u"percent");
    if (!percent.isDouble() || percent.toDouble() < 0 || percent.toDouble() > 100) {
        *error = QStringLiteral("'errorRate.percent' must be a number between 0 and 100");
        return false;
    }
    f->errorRatePercent = percent.toDouble();
    if (o.contains(u"code") &&
        !readInt(o.value(u"code"), QStringLiteral("'errorRate.code'"), std::numeric_limits<int>::min(),
                 std::numeric_limits<int>::max(), &f->errorCode, error))
        return false;
    if (o.contains(u"message")) {
        if (!o.value(u"message").isString()) {
            *error = QStringLiteral("'errorRate.message' must be a string");
            return false;
        }
        f->errorMessage = o.value(u"message").toString();
    }
    return true;
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
    QString problem;
    if (!json.isObject()) {
        *error = QStringLiteral("fault settings must be an object");
        return std::nullopt;
    }
    const QJsonObject o = json.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!kKeys.contains(it.key())) {
            *error = QStringLiteral("unknown key '%1' (expected one of %2)").arg(it.key(), kKeys.join(u", "));
            return std::nullopt;
        }
    }
    FaultSettings f;
    const bool ok =
        readBool(o, QStringLiteral("enabled"), &f.enabled, &problem) &&
        readLatency(o.value(u"latencyMs"), &f, &problem) &&
        readErrorRate(o.value(u"errorRate"), &f, &problem) &&
        readBool(o, QStringLiteral("drop"), &f.dropConnection, &problem) &&
        readBool(o, QStringLiteral("malformed"), &f.malformedJson, &problem) &&
        readBool(o, QStringLiteral("wrongId"), &f.wrongId, &problem) &&
        (!o.contains(u"trickleMs") || readInt(o.value(u"trickleMs"), QStringLiteral("'trickleMs'"), 0,
                                              maxDelayMs, &f.trickleMs, &problem));
    if (!ok) {
        *error = problem;
        return std::nullopt;
    }
    return f;
}

} // namespace rpcbench
