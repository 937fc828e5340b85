#pragma once
// A handshake: the calls and notifications sent, in order, on every new connection before any
// other message (LSP's initialize + initialized, MCP's initialize +
// notifications/initialized). Each call is awaited before the next item goes out. Params of a
// later item may use what an earlier call returned: a string "{{init[0].result.capabilities}}"
// is replaced by that JSON value (any type), and "{{init[0].result.serverInfo.name}}" inside a
// longer string by its text. A template naming a missing value is an error, never an empty
// string sent silently.
//
// File format (resources/examples/lsp-init.json, mcp-init.json): a JSON array of
//   {"method": "...", "params": ..., "notification": true|false, "timeoutMs": N}
// ("notification" defaults to false, "timeoutMs" to 30000).

#include "client/CallTypes.h"

#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

namespace rpcbench {

struct InitStep
{
    CallRequest request; // params may hold templates
    friend bool operator==(const InitStep& a, const InitStep& b);
};

class InitSequence
{
public:
    // Strict readers: errors name the item and member ("init[1].method: missing").
    static std::optional<QList<InitStep>> fromJson(const QJsonValue& json, QString* error);
    static std::optional<QList<InitStep>> load(const QString& path, QString* error);
    static QJsonArray toJson(const QList<InitStep>& steps);

    // `params` with every template resolved against the results of the calls before it
    // (results[i] is init[i]'s result; notifications have Undefined). nullopt with *error
    // ("init[2].params: {{init[0].result.x}}: init[0].result has no member 'x'").
    static std::optional<QJsonValue> resolve(const QJsonValue& params, const QList<QJsonValue>& results,
                                             QString* error);
};

} // namespace rpcbench
