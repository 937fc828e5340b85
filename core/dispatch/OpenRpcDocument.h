#pragma once
// OpenRPC 1.2.6 (https://spec.open-rpc.org) documents from method descriptions, and back.
// Written by `rpc.discover` and `GET /`; read by the client's discovery and workspace import.

#include "dispatch/MethodInfo.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace rpcbench {

class OpenRpcDocument
{
public:
    static constexpr const char* version = "1.2.6";

    // {openrpc, info{title, version}, methods[...]}: enabled methods only; the rpc.* methods
    // are implied by the specification and not listed.
    static QJsonObject build(const QList<MethodInfo>& methods);

    // One method object: name, summary, description, params (content descriptors with
    // required and a schema carrying the default), result and paramStructure: "either", or
    // "by-name" when a by-position call built from the params would be refused (a variadic
    // parameter, or a required parameter after an optional one).
    // A variadic parameter is an optional array schema marked "x-variadic": true: by name it
    // takes the array ({"numbers": [1, 2]}); by position the server spreads the remaining
    // positional arguments into it ([1, 2], as in the JSON-RPC specification's examples).
    static QJsonObject methodToJson(const MethodInfo& method);

    // Reads a method object back; nullopt (and `error` set) when it has no usable name.
    static std::optional<MethodInfo> methodFromJson(const QJsonObject& obj, QString* error = nullptr);
    // Every method of a document; methods that cannot be read are skipped and reported in `error`.
    static QList<MethodInfo> parse(const QJsonObject& document, QString* error = nullptr);
};

} // namespace rpcbench
