#pragma once
// Turns what a server says about itself into MethodInfo lists, and runs the discovery
// conversation: `rpc.discover` (OpenRPC) first, then `system.listMethods` with
// `system.methodSignature` / `system.methodHelp` per method (Python xmlrpc style).

#include "client/CallTypes.h"

#include <QJsonValue>

#include <functional>
#include <memory>
#include <optional>

namespace rpcbench {

namespace MethodDiscovery {

// Parses an OpenRPC document (its "methods" array). nullopt with *error when it is not one.
std::optional<QList<MethodInfo>> fromOpenRpc(const QJsonValue& document, QString* error);

// Builds a method from the results of system.methodSignature and system.methodHelp (either
// may be Undefined when the call failed). Python's convention is a list of signatures, each
// [returnType, param1Type, ...]; an unknown signature becomes one variadic "args" parameter.
MethodInfo fromSignature(const QString& name, const QJsonValue& signature, const QJsonValue& help);

// Maps JSON Schema and XML-RPC type names ("int", "double", "struct", ...) to ParamType.
ParamType typeFromName(const QString& name);

} // namespace MethodDiscovery

// One discovery conversation. It only needs a way to make calls, so RpcClient (or a test)
// drives it with a callback; it keeps itself alive through the callbacks it hands out.
class DiscoveryJob : public std::enable_shared_from_this<DiscoveryJob>
{
public:
    using Reply = std::function<void(const CallResult&)>;
    using Caller = std::function<void(const CallRequest&, Reply)>;
    using Done = std::function<void(const DiscoveryResult&)>;

    static void start(Caller caller, int timeoutMs, Done done);

private:
    DiscoveryJob(Caller caller, int timeoutMs, Done done);
    void run();
    void onDiscover(const CallResult& r);
    void onList(const CallResult& r);
    void onDetail(int index, bool signature, const CallResult& r);
    void complete(DiscoveryResult result);
    CallRequest request(const QString& method, const QJsonValue& params) const;

    Caller m_caller;
    int m_timeoutMs;
    Done m_done;
    QString m_discoverError;
    QStringList m_names;
    QList<QJsonValue> m_signatures;
    QList<QJsonValue> m_helps;
    int m_outstanding = 0;
};

} // namespace rpcbench
