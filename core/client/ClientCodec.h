#pragma once
// Client-side encoding of requests and decoding of replies for the three dialects. Pure
// functions, no I/O, so every shape can be unit tested without sockets.

#include "client/CallTypes.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace rpcbench::ClientCodec {

// The request object for `request` in `dialect`. `id` is the JSON-RPC id to send (ignored for
// notifications and the classic dialect). Returns nullopt with *error set when the request
// cannot be expressed in the dialect (e.g. a classic notification, params that are neither
// array nor object, kwargs outside the classic dialect).
std::optional<QJsonObject> buildRequest(Dialect dialect, const CallRequest& request, qint64 id,
                                        QString* error);

// Parses a whole reply payload. Returns nullopt with *error set when it is not JSON or is not
// an object/array.
std::optional<QJsonValue> parseReply(const QByteArray& payload, QString* error);

// The integer key of a reply id we generated (number, or a string of digits for servers that
// stringify ids); nullopt for null, absent or foreign ids.
std::optional<qint64> idKey(const QJsonValue& id);

} // namespace rpcbench::ClientCodec
