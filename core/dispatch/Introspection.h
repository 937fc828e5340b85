#pragma once
// Discovery methods every server offers: `rpc.discover` (OpenRPC 1.2.6 document) and the
// `system.*` methods of Python's xmlrpc (listMethods, methodSignature, methodHelp).

namespace rpcbench {

class MethodRegistry;

class Introspection
{
public:
    // The handlers read the registry at call time, so methods added, disabled or removed
    // later are reflected. `registry` must outlive its methods (it owns them).
    static void registerInto(MethodRegistry& registry);
};

inline void registerIntrospection(MethodRegistry& registry)
{
    Introspection::registerInto(registry);
}

} // namespace rpcbench
