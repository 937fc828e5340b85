#pragma once
// The hot path of request decoding: one pass over the bytes of a plain JSON-RPC 2.0 call
// (`{"jsonrpc":"2.0","method":"m","params":[...],"id":1}` in any member order) straight to a
// DecodedRequest, without building a QJsonDocument for the envelope.
//
// It accepts only a strict, common subset: the four members at most once each, plain keys,
// an integer/string/null id (params of any shape go to Qt's parser as one span). Anything else
// (batches, unusual ids, escapes in keys, the method or the id, other dialects, any error) returns
// nullopt and the caller takes the general path (QJsonDocument + RequestDecoder), which also
// produces every error reply. So whatever this parser accepts is valid JSON and decodes
// exactly as the general path would: it is an optimisation, never a second set of rules.

#include "protocol/RequestDecoder.h"

#include <QByteArrayView>

#include <optional>

namespace rpcbench {

class FastRequestParser
{
public:
    // `maxDepth` as in ServerLimits: deeper params are left to the general path's error.
    static std::optional<DecodedRequest> parse(QByteArrayView json, int maxDepth = 512);
};

} // namespace rpcbench
