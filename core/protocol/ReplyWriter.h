#pragma once
// Writes compact JSON and dialect-shaped replies straight into bytes. This is on the hot path:
// a reply is assembled by appending the pre-serialised id and result instead of building a
// QJsonObject per call. The output is the same JSON Qt's own writer produces.

#include "protocol/RpcError.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonValue>

namespace rpcbench {

class ReplyWriter
{
public:
    // Appends `v` as compact JSON (Undefined is written as null, like QJsonArray does).
    static void appendJson(QByteArray& out, const QJsonValue& v);
    static QByteArray toJson(const QJsonValue& v);
    static void appendString(QByteArray& out, const QString& s);

    // The reply to one call. `idJson` is the compact JSON of the request id ("null" when it
    // could not be determined); classic replies carry no id.
    static QByteArray reply(Dialect dialect, const QByteArray& idJson, const RpcResult& result);

    // What that reply is, for the traffic log.
    static MessageSummary summary(Dialect dialect, const QByteArray& idJson, const RpcResult& result,
                                  const QString& method = {});
};

} // namespace rpcbench
