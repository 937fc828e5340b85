#pragma once
// Every server limit in one table: its workspace key, its `rpcbench serve` option, unit, range,
// default and help. The command line (options, --help, checks), the workspace file (keys,
// reading, writing, validation) and any other front end are driven from it, so a new limit is
// a member in ServerLimits plus one row here.

#include "server/ServerLimits.h"

#include <span>

namespace rpcbench {

struct ServerLimitInfo
{
    const char* key;    // workspace key under server.limits, the same as the ServerLimits member
    const char* option; // `rpcbench serve --<option>`; nullptr: settable in a workspace only
    const char* unit;   // "bytes", "ms", ... (the value name in --help)
    qint64 min;         // accepted range, both ends included
    qint64 max;
    const char* help; // one sentence
    qint64 (*get)(const ServerLimits&);
    void (*set)(ServerLimits&, qint64); // the value must be within [min, max]

    qint64 defaultValue() const { return get(ServerLimits{}); } // ServerLimits' initializer
};

// Every limit, in the order of ServerLimits' members.
std::span<const ServerLimitInfo> serverLimitTable();

} // namespace rpcbench
