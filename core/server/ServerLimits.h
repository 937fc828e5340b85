#pragma once
// Limits that protect the server from broken or hostile peers. All on by default.
// Workspace keys, command-line options, ranges and help: server/ServerLimitTable.h (a new
// member needs a row there).

#include <QtGlobal>

namespace rpcbench {

struct ServerLimits
{
    qsizetype maxMessageBytes = 16 * 1024 * 1024; // one framed message (or HTTP body)
    qsizetype maxHeaderBytes = 64 * 1024;         // HTTP request head / LSP header block
    int idleTimeoutMs = 30'000;                   // a half-received message must complete within this
    // A connection with nothing under way (no partial message, no call running, nothing left
    // to send) is closed after this much silence, so peers that connect and never speak
    // cannot use up maxConnections. 0 = never.
    int keepAliveTimeoutMs = 300'000;
    int maxConnections = 1024;     // concurrent connections; more are refused with an error
    int handlerTimeoutMs = 60'000; // a handler that never answers gets a -32002 error
    qsizetype maxPendingReplyBytes = 4 * 1024 * 1024; // unsent output before reads pause
    int maxJsonDepth = 512;                           // deeper nesting is rejected as a parse error
};

} // namespace rpcbench
