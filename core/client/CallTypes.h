#pragma once
// Value types of the client side: what to call, and how a call (or a batch) ended. They are
// copied through queued signals from the client's worker thread to the GUI, so they are plain
// values with registered metatypes (see registerClientMetaTypes()).

#include "dispatch/MethodInfo.h"
#include "protocol/CallResult.h"
#include "protocol/RpcError.h"
#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

namespace rpcbench {

// One call to make.
struct CallRequest
{
    QString method;
    // Undefined = no params member; array = by position; object = by name.
    // Classic dialect: an array becomes method_args, an object method_kwargs.
    QJsonValue params = QJsonValue::Undefined;
    // Classic dialect only: keyword arguments sent together with a positional `params` array
    // (JSON-RPC 2.0/1.0 cannot mix both; the client reports an error if this is non-empty there).
    QJsonObject kwargs;
    bool notification = false;
    int timeoutMs = 30'000; // <= 0: no timeout
    // Progress the server reports for this call restarts its timeout (LSP "$/progress" for the
    // params' workDoneToken, MCP "notifications/progress" for params._meta.progressToken).
    bool timeoutResetsOnProgress = false;
};

// Progress a server reported for a call in flight (RpcClient::progress()).
struct CallProgress
{
    double progress = -1; // -1: not given (LSP "report" without percentage)
    double total = -1;    // -1: unknown (LSP percentages have total 100)
    QString message;      // MCP "message", LSP "title"/"message"
    bool done = false;    // LSP "end"
    QJsonValue params;    // the notification's params, as sent
};

// How a batch ended. `items` has one entry per request, in request order, each matched to its
// reply by id; requests the server sent nothing for are NoReply. `status` is Ok when a batch
// reply (or, for an all-notification batch, nothing) arrived; otherwise the batch as a whole
// failed and every non-notification item carries the same status and reason.
struct BatchResult
{
    quint64 batchId = 0;
    CallStatus status = CallStatus::NoReply;
    RpcError error;         // when the server answered the whole batch with one error object
    QString transportError; // when status is TransportError/Timeout/Cancelled
    qint64 latencyUs = -1;
    QByteArray requestBytes;
    QByteArray replyBytes;
    qint64 replySize = 0;
    QList<CallResult> items;

    bool ok() const { return status == CallStatus::Ok; }
    bool allOk() const; // status Ok and every item Ok
};

// Outcome of RpcClient::discover().
struct DiscoveryResult
{
    QList<MethodInfo> methods;     // sorted by name
    QString source;                // "rpc.discover" or "system.listMethods"
    QString error;                 // set when neither discovery mechanism worked
    bool transportFailure = false; // the error was a transport failure (not "unsupported")

    bool ok() const { return error.isEmpty(); }
};

enum class ClientState : quint8 { Disconnected, Connecting, Connected };
QString toString(ClientState s);

// Registers every client type for queued signals. Called by RpcClient's constructor; safe to
// call repeatedly.
void registerClientMetaTypes();

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::CallRequest)
Q_DECLARE_METATYPE(rpcbench::CallProgress)
Q_DECLARE_METATYPE(rpcbench::BatchResult)
Q_DECLARE_METATYPE(rpcbench::DiscoveryResult)
Q_DECLARE_METATYPE(rpcbench::ClientState)
