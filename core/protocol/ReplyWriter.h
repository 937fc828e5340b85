#pragma once
// Writes dialect-shaped replies straight into bytes. This is on the hot path: a reply is
// assembled by appending the pre-serialised id and the result (JsonText::appendCompact) instead
// of building a QJsonObject per call. The output is the same JSON Qt's own writer produces.

#include "protocol/RpcError.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>

namespace rpcbench {

class ReplyWriter
{
public:
    // The reply to one call. `idJson` is the compact JSON of the request id ("null" when it
    // could not be determined); classic replies carry no id.
    static QByteArray reply(Dialect dialect, const QByteArray& idJson, const RpcResult& result);
};

} // namespace rpcbench
