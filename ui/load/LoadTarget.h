#pragma once
// The Load panel's target as the client knows it: the connection settings saved for a URL in
// the client's target bar (headers, auth, TLS files, a process's directory and environment)
// and its handshake (LSP `initialize`, MCP `initialize` ...), applied to a load run's options,
// so a run reaches the same server the composer's calls do.

#include "load/LoadGenerator.h"

namespace rpcbench {
class TargetBar;
}

namespace rpcbench::LoadTarget {

// Sets options->endpoint from options->url with `bar`'s settings for it, and options->init
// (with InitSequence's templates) from its saved handshake; false with *error when the URL does
// not parse or the handshake is malformed.
bool apply(const TargetBar& bar, LoadOptions* options, QString* error);

} // namespace rpcbench::LoadTarget
