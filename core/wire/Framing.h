#pragma once
// Chooses and builds the framing of one connection, both ways, from its Transport: the framer
// that reads what the peer sends and the bytes of what we send. The only place that switches
// on the framing; a connection holds one Framer and never asks which one it is.

#include "wire/ConnectOptions.h"
#include "wire/Framer.h"
#include "wire/Transport.h"

#include <QByteArray>

#include <memory>

namespace rpcbench {

struct FramingSpec
{
    Transport transport = Transport::JsonStream;
    qsizetype maxMessageBytes = 16 * 1024 * 1024; // one message (HTTP: one body)
    qsizetype maxHeaderBytes = 64 * 1024;         // LSP header block / HTTP head
    int maxJsonDepth = 512;                       // JSON stream: depth checked by the grammar
    // Client side, HTTP: the Host header ("host:port") and the request target of each POST.
    QByteArray httpHost;
    QByteArray httpPath = "/";
    // Client side, HTTP: the user's headers and auth (ConnectOptions::requestHeaders()), sent
    // with every POST; rpcbench's own headers are added only for names not in this list.
    HttpHeaderList httpHeaders;
};

// What a server reads: requests.
std::unique_ptr<Framer> makeRequestFramer(const FramingSpec& spec);
// What a client reads: replies (and the server's own requests and notifications).
std::unique_ptr<Framer> makeReplyFramer(const FramingSpec& spec);

// One outgoing request as a client writes it: JSON + "\n", a Content-Length header block +
// JSON, or an HTTP/1.1 POST.
QByteArray frameRequest(const FramingSpec& spec, const QByteArray& json);
// One outgoing reply on a stream framing: JSON + "\n" or Content-Length + JSON. (HTTP replies
// carry a status and are written by the server's HTTP router.)
QByteArray frameStreamReply(Transport transport, const QByteArray& json);

} // namespace rpcbench
