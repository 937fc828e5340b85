#pragma once
// First stage of dispatch: recognises the dialect of one request object and checks its
// shape (JSON-RPC 2.0, 1.0 or classic), without looking the method up.

#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace rpcbench {

struct DecodedRequest
{
    Dialect dialect = Dialect::JsonRpc2;
    bool valid = false;        // false: answer -32600 Invalid Request (always, even without an id)
    bool notification = false; // valid and expects no reply
    bool hasId = false;        // an id member was present (and usable)
    QByteArray idJson = QByteArrayLiteral("null"); // compact JSON of the id to answer with
    QString method;
    QJsonArray positional;
    QJsonObject named;
};

class RequestDecoder
{
public:
    // Decodes one message value. Batch elements always follow JSON-RPC 2.0 rules.
    static DecodedRequest decode(const QJsonValue& message, bool batchElement = false);
    static DecodedRequest decode(const QJsonObject& message, bool batchElement = false);

    // True when brackets nest deeper than maxDepth. One pass over the bytes, no recursion,
    // so hostile input like 100,000 '[' is rejected before the parser sees it.
    static bool exceedsDepth(const QByteArray& json, int maxDepth);

    // True for valid JSON that is neither an array nor an object (`1`, `"x"`, `null`):
    // Qt's parser rejects those, but they are invalid requests, not parse errors.
    static bool isScalarJson(const QByteArray& json);

private:
    static DecodedRequest decode2(const QJsonObject& obj, const QJsonValue& version);
    static DecodedRequest decode1(const QJsonObject& obj);
    static DecodedRequest decodeClassic(const QJsonObject& obj);
};

} // namespace rpcbench
