#include "dispatch/Introspection.h"

#include "dispatch/MethodRegistry.h"
#include "dispatch/OpenRpcDocument.h"

namespace rpcbench {

namespace {

// The enabled method called `name`, or a -32602 error naming it.
std::shared_ptr<const Method> lookup(const MethodRegistry& registry, const QString& name)
{
    auto method = registry.find(name);
    if (!method || !method->info.enabled)
        throw RpcException(ErrorCode::InvalidParams, QStringLiteral("unknown method '%1'").arg(name));
    return method;
}

} // namespace

void Introspection::registerInto(MethodRegistry& registry)
{
    MethodRegistry* r = &registry; // the registry owns these handlers, so it outlives them

    registry.def(
        QStringLiteral("rpc.discover"), [r]() { return OpenRpcDocument::build(r->methods()); },
        QStringLiteral("Returns the OpenRPC 1.2.6 document describing every method of this server."));

    registry.def(
        QStringLiteral("system.listMethods"),
        [r]() {
            QJsonArray names;
            for (const MethodInfo& m : r->methods()) {
                if (m.enabled)
                    names.append(m.name);
            }
            return names;
        },
        QStringLiteral("Lists the names of all enabled methods, sorted (as in Python's xmlrpc)."));

    registry.def(
        QStringLiteral("system.methodSignature"),
        [r](const QString& name) {
            const MethodInfo& info = lookup(*r, name)->info;
            QJsonArray signature{toString(info.resultType)};
            for (const ParamInfo& p : info.params)
                signature.append(toString(p.type));
            return QJsonArray{signature};
        },
        QStringLiteral(
            "Returns the method's signatures as [[resultType, paramType...]] (as in Python's xmlrpc)."),
        arg(QStringLiteral("method_name")).doc(QStringLiteral("Name of the method to describe")));

    registry.def(
        QStringLiteral("system.methodHelp"),
        [r](const QString& name) { return lookup(*r, name)->info.description; },
        QStringLiteral("Returns the method's documentation string."),
        arg(QStringLiteral("method_name")).doc(QStringLiteral("Name of the method to describe")));
}

} // namespace rpcbench
