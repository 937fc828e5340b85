#include "protocol/ReplyWriter.h"

#include "util/JsonText.h"

namespace rpcbench {

QByteArray ReplyWriter::reply(Dialect dialect, const QByteArray& idJson, const RpcResult& result)
{
    QByteArray out;
    out.reserve(128 + idJson.size()); // one allocation for typical replies
    const QByteArray& id = idJson.isEmpty() ? QByteArrayLiteral("null") : idJson;
    switch (dialect) {
    case Dialect::Classic:
        out += result.ok ? "{\"res\":" : "{\"error\":";
        break;
    case Dialect::JsonRpc1:
        // 1.0 always carries both members; the unused one is null.
        out += result.ok ? "{\"result\":" : "{\"result\":null,\"error\":";
        break;
    case Dialect::JsonRpc2:
    case Dialect::Unknown:
        out += result.ok ? "{\"jsonrpc\":\"2.0\",\"result\":" : "{\"jsonrpc\":\"2.0\",\"error\":";
        break;
    }
    if (result.ok)
        JsonText::appendCompact(out, result.value);
    else
        JsonText::appendCompact(out, result.error.toJson());
    if (dialect == Dialect::JsonRpc1 && result.ok)
        out += ",\"error\":null";
    if (dialect != Dialect::Classic) {
        out += ",\"id\":";
        out += id;
    }
    out += '}';
    return out;
}

} // namespace rpcbench
