#pragma once
// How one call ended, on either side: the client's calls and the server's own requests to a
// client (RpcServer::request) end with the same value. It crosses threads through queued
// signals, so it is a plain value with a registered metatype.

#include "protocol/RpcError.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonValue>
#include <QMetaType>
#include <QString>

namespace rpcbench {

enum class CallStatus : quint8 {
    Ok,             // a result arrived (or a notification was sent)
    RpcError,       // the server answered with a JSON-RPC error (see CallResult::error)
    TransportError, // could not connect, connection lost, malformed reply, HTTP error...
    Timeout,        // no reply within timeoutMs
    Cancelled,      // cancel() or the endpoint changed while the call was pending
    NoReply,        // batch item the server answered nothing for (or an empty HTTP body)
};

QString toString(CallStatus s); // "ok", "error", "transport error", "timeout", "cancelled", "no reply"

struct CallResult
{
    quint64 callId = 0;
    CallStatus status = CallStatus::NoReply;
    QString method;
    bool notification = false;
    QJsonValue id;                             // JSON-RPC id sent (Undefined for classic/notifications)
    QJsonValue result = QJsonValue::Undefined; // when Ok (Undefined for notifications)
    RpcError error;                            // when RpcError
    QString transportError;                    // one line, when TransportError/Timeout/Cancelled/NoReply
    qint64 latencyUs = -1;                     // request written -> reply decoded; -1 without reply
    QByteArray requestBytes;                   // JSON payload sent (no framing / HTTP headers)
    QByteArray replyBytes;                     // JSON payload received (for batch items: this item)
    qint64 replySize = 0; // bytes of the reply payload (the whole batch reply for batches)

    bool ok() const { return status == CallStatus::Ok; }
    // One line for logs and the command line: the result is not included, the failure is
    // ("error -32601: Method not found", "timed out after 500 ms", "connection refused").
    QString describe() const;
};

// Fills status/result/error of `out` from one reply object of any dialect: {"result": ...},
// {"error": {...}} (2.0 and 1.0, where "error": null means success) or classic {"res": ...}.
// A reply that is none of these becomes TransportError "malformed reply: ...".
void decodeReply(const QJsonValue& reply, CallResult& out);

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::CallResult)
