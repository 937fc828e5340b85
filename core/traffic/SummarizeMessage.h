#pragma once
// What any message on the wire is, for the client side of the traffic log and for log import
// (the rules themselves are in protocol/MessageSummaries).

#include "protocol/RpcTypes.h"

#include <QByteArray>

namespace rpcbench {

// Parses a message just far enough to summarise it. Never throws, never answers.
MessageSummary summarizeMessage(const QByteArray& json);

} // namespace rpcbench
