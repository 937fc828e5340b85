#pragma once
// How messages are delimited on one connection (the framing), the only JSON-RPC-free enum the
// byte layer needs. It lives in its own namespace because Q_NAMESPACE may appear once per
// namespace; rpcbench::Transport is the name everyone uses.

#include <QObject>
#include <QString>

namespace rpcbench::wire {

Q_NAMESPACE

// WebSocket: RFC 6455 frames, one JSON-RPC message (or batch) per text message. A server
// connection switches to it after an HTTP upgrade; a client reaches it through a
// WebSocketChannel, whose messages need no framer.
enum class Transport : quint8 { JsonStream, Lsp, Http, WebSocket };
Q_ENUM_NS(Transport)

QString toString(Transport t); // "json", "lsp", "http", "ws"

} // namespace rpcbench::wire

namespace rpcbench {
using wire::toString;
using wire::Transport;
} // namespace rpcbench
