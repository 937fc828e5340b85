#pragma once
// Decides a connection's framing from its first bytes: an HTTP request line, an LSP header
// block, or (anything else) a JSON value stream.

#include "wire/Transport.h"

#include <QByteArrayView>

#include <optional>

namespace rpcbench {

// Returns the transport, or nullopt while the bytes seen so far are still a prefix of an
// HTTP method or of "Content-Length:"/"Content-Type:" and more bytes are needed to decide.
std::optional<Transport> sniffTransport(QByteArrayView firstBytes);

} // namespace rpcbench
