#pragma once
// What a message is (MessageSummary): every rule in one place, so the server's log, the
// client's log and imported logs cannot disagree.
//
// Two kinds of callers use the same functions:
//  - the dispatcher, with what it already decoded while handling the message (the hot path:
//    no second parse, nothing allocated beyond the summary's implicitly shared strings);
//  - summarizeMessage() (traffic/), for bytes merely observed: it parses them and asks here.

#include "protocol/RpcError.h"
#include "protocol/RpcTypes.h"

#include <QJsonObject>

namespace rpcbench {

struct DecodedRequest;

namespace Summaries {

// A request, notification or invalid request, from what RequestDecoder or FastRequestParser
// made of it. The id is listed only when the message carried one.
MessageSummary ofRequest(const DecodedRequest& request);

// A reply the engine writes for `result`: an error or a response. Classic replies carry no id;
// the others answer with `idJson` ("null" when it could not be determined).
MessageSummary ofReply(Dialect dialect, const QByteArray& idJson, const RpcResult& result,
                       const QString& method = {});

// One message object of any dialect, read from the wire: a request (it names a method), a
// reply (result, error, or classic "res"), or else invalid.
MessageSummary ofObject(const QJsonObject& message);

// A message that is no request and no reply, or could not be read at all (not JSON, too deep).
// `answeredIn`: the dialect of the error the server answers it with, if any.
MessageSummary invalid(Dialect answeredIn = Dialect::Unknown);

} // namespace Summaries

// A batch, element by element: always JSON-RPC 2.0; it counts the elements and keeps the
// first method named and the first error code.
class BatchSummary
{
public:
    BatchSummary();
    void add(const QString& method, int errorCode = 0);
    void add(const MessageSummary& element);

    // The batch as a message on the wire: `[]` is an Invalid Request, not a batch.
    MessageSummary message() const;
    // The replies the engine collected for a batch it answers (none: nothing is sent).
    const MessageSummary& collected() const { return m_summary; }

private:
    MessageSummary m_summary;
};

} // namespace rpcbench
