#pragma once
// The effects of FaultSettings on one reply, as pure functions the Dispatcher composes:
// whether this call gets an injected error, how long its reply is held back, which id it
// carries instead of the right one, and how its bytes are corrupted.

#include "dispatch/FaultSettings.h"
#include "protocol/RpcError.h"

#include <QByteArray>

namespace rpcbench {

struct DispatchReply;

class FaultInjector
{
public:
    // True for errorRatePercent % of the calls (QRandomGenerator::global(), thread-safe).
    static bool rollError(const FaultSettings& f);
    static RpcResult injectedError(const FaultSettings& f);
    // The added latency for one reply: fixed, or uniform in [min, max].
    static int latencyMs(const FaultSettings& f);

    // A different id of a comparable kind: integers +1, other numbers +1, strings get a
    // "-wrong" suffix, null becomes 0, anything else the string "wrong-id".
    static QByteArray wrongId(const QByteArray& idJson);

    // Bytes that frame like one JSON value (balanced brackets, closed strings, so stream
    // clients do not hang) but do not parse: the value is cut after the member separator
    // nearest its middle, e.g. {"jsonrpc":"2.0","result":} .
    static QByteArray corrupt(const QByteArray& json);

    // Applies the message-level faults (malformed, drop, trickle) to a built reply and sets
    // summary.faulted when anything was changed (`alreadyFaulted`: an earlier step was).
    static void applyToReply(DispatchReply& reply, const FaultSettings& f, bool alreadyFaulted);
};

} // namespace rpcbench
