#pragma once
// A breakpoint on proxied traffic: messages whose method matches `pattern` (a wildcard:
// "textDocument/*", "eth_*", "*"), travelling in the chosen direction, are paused in the
// proxy's InterceptQueue until the user forwards, edits, answers or drops them.
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace rpcbench {

struct InterceptRule
{
    enum class Direction : quint8 { ToServer, ToClient, Both };

    QString pattern = QStringLiteral("*"); // wildcard over the method name, case-sensitive
    Direction direction = Direction::ToServer;
    bool enabled = true;

    // True when an enabled rule takes a message with this method going this way. Replies carry
    // no method: they match the rule of the request they answer only through `method` given by
    // the caller (the proxy passes the request's method for replies).
    bool matches(const QString& method, bool toServer) const;

    // {"method": "textDocument/*", "direction": "toServer" | "toClient" | "both", "enabled": true}
    QJsonObject toJson() const;
    // Strict: unknown keys and bad values are errors naming the key.
    static std::optional<InterceptRule> fromJson(const QJsonValue& json, QString* error);
    bool operator==(const InterceptRule&) const = default;
};

// Any rule of the list matches.
bool anyRuleMatches(const QList<InterceptRule>& rules, const QString& method, bool toServer);

} // namespace rpcbench
