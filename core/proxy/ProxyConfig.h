#pragma once
// One proxy as the user sets it up (the GUI's Proxy panel, a workspace's "proxies" list):
// where it listens, the upstream server it forwards to, the faults it injects into proxied
// methods and its breakpoints.
//
// Workspace JSON:
//   {"listen": "tcp://127.0.0.1:9001", "upstream": "tcp://127.0.0.1:9000",
//    "faults": {"slowMethod": {"latencyMs": 200}}, "intercept": [{"method": "eth_*"}],
//    "interceptTimeoutMs": 60000}
#include "dispatch/FaultSettings.h"
#include "proxy/InterceptRule.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace rpcbench {

struct ProxyConfig
{
    QString listen;   // a ListenSpec URL
    QString upstream; // an Endpoint URL (tcp://, https://, ws://, unix:, exec:...)
    QMap<QString, FaultSettings> faults;
    QList<InterceptRule> intercept;
    int interceptTimeoutMs = 60'000;

    QJsonObject toJson() const; // default members left out
    // Strict: unknown keys, bad URLs and bad values are errors naming the key.
    static std::optional<ProxyConfig> fromJson(const QJsonValue& json, QString* error);
    bool operator==(const ProxyConfig&) const = default;
};

} // namespace rpcbench
