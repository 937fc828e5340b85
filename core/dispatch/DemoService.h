#pragma once
// The methods a fresh server offers: a few handy ones (add, echo, sleep, fail, now, blob) and
// the example methods of the JSON-RPC 2.0 specification (section 7), so its examples run
// verbatim. None touches files, processes or the network.

#include <QtGlobal>

namespace rpcbench {

class MethodRegistry;

// Registers the demo methods and the introspection methods (rpc.discover, system.*).
void registerDemoService(MethodRegistry& registry);

namespace DemoLimits {
constexpr qint64 maxSleepMs = 600'000;            // 10 minutes
constexpr qint64 maxBlobBytes = 64 * 1024 * 1024; // 64 MiB
} // namespace DemoLimits

} // namespace rpcbench
