#pragma once
// What a load run sends: the one prebuilt, framed request that is written for every call, or
// the prebuilt cycle of a mix (LoadCycle); the generator never builds JSON on its hot path.
//
// Any Endpoint: the framing (JSON stream, Content-Length, HTTP/1.1 keep-alive POST with the
// endpoint's headers and auth, or a bare WebSocket text message) is chosen by its transport,
// whatever carries the bytes (TCP, TLS, Unix socket, child process).

#include "protocol/RpcTypes.h"
#include "wire/Endpoint.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace rpcbench {

namespace LoadRequest {

// Compact JSON of one call in the dialect. `params` is compact JSON of an array or object
// (empty = no params). Classic puts an array in method_args and an object in method_kwargs.
// Returns an empty array with `error` set when params is not valid JSON / not array or object.
// A notification has no id (JSON-RPC 2.0) or a null one (1.0); the classic dialect has none.
QByteArray buildCall(const QString& method, const QByteArray& params, Dialect dialect, QString* error,
                     bool notification = false);

// An `echo` call whose single argument is a string of `payloadBytes` characters.
QByteArray buildEcho(qsizetype payloadBytes, Dialect dialect);

// The call framed for the target's transport (newline, Content-Length header, HTTP POST; a
// WebSocket message is the JSON alone).
QByteArray frame(const Endpoint& target, const QByteArray& json);

} // namespace LoadRequest

} // namespace rpcbench
