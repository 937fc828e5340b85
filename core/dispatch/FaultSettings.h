#pragma once
// How one method misbehaves on purpose (fault injection): added latency, a rate of injected
// errors, and transport-level faults (drop the connection, malformed JSON, a wrong id, a reply
// trickled out slowly). A plain value type; FaultTable stores one per method name and the
// Dispatcher applies it to every call of that method.

#include "protocol/RpcTypes.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace rpcbench {

struct FaultSettings
{
    static constexpr int maxDelayMs = 600'000; // latency and trickle time: at most 10 minutes

    bool enabled = true; // master switch: keeps the settings while they are off
    // Added latency: fixed when latencyMaxMs <= latencyMinMs, otherwise uniform in [min, max].
    int latencyMinMs = 0;
    int latencyMaxMs = 0;
    // Share of calls (0..100 %) answered with this error instead of running the handler.
    double errorRatePercent = 0;
    int errorCode = ErrorCode::ServerError;
    QString errorMessage = QStringLiteral("injected fault");
    bool dropConnection = false; // close the connection instead of replying
    bool malformedJson = false;  // reply with bytes that are not valid JSON
    bool wrongId = false;        // reply with an id the request did not carry
    int trickleMs = 0;           // write the reply slowly, spread over this many ms

    bool hasLatency() const { return latencyMinMs > 0 || latencyMaxMs > 0; }
    bool hasJitter() const { return latencyMaxMs > latencyMinMs; }
    // Enabled and changes anything at all.
    bool isActive() const;
    // Short text for tables and logs: "latency 100-300 ms, 20% errors, drop".
    QString describe() const;

    // {"enabled": true, "latencyMs": 200 | {"min": 100, "max": 300},
    //  "errorRate": {"percent": 20, "code": -32000, "message": "..."}, "drop": true,
    //  "malformed": true, "wrongId": true, "trickleMs": 2000}; default members are left out.
    QJsonObject toJson() const;
    // Strict: unknown keys, wrong types and out-of-range values are errors naming the key.
    static std::optional<FaultSettings> fromJson(const QJsonValue& json, QString* error);

    // The faults of many methods, {"methodName": settings, ...}: a workspace's and a proxy's
    // "faults", the file of `rpcbench proxy --faults`. A bad entry's error names its method
    // ("slowMethod: 'latencyMs' must be ..."); the caller says where the map was.
    static std::optional<QMap<QString, FaultSettings>> mapFromJson(const QJsonValue& json, QString* error);
    static QJsonObject mapToJson(const QMap<QString, FaultSettings>& faults);

    bool operator==(const FaultSettings&) const = default;
};

} // namespace rpcbench
