#pragma once
// The one place that turns an Endpoint's carrier into a client ByteChannel: TCP, TLS, Unix
// socket, child process or WebSocket. Connections (client, load generator, proxy upstream)
// call it and never name a channel class.

#include "wire/Endpoint.h"

class QObject;

namespace rpcbench {

class ByteChannel;

// A new, unopened channel to `endpoint` (call open()); owned by `parent`.
ByteChannel* makeClientChannel(const Endpoint& endpoint, QObject* parent);

} // namespace rpcbench
