#pragma once
// One address a server listens on, written as a URL (`serve --listen URL`, the GUI toolbar):
//   tcp://host:port, http://host:port, ws://host:port   sniffed per connection (JSON stream,
//                                      LSP, HTTP, WebSocket upgrade)
//   tcp+lsp://host:port                Content-Length framing, not sniffed
//   https://, tcp+tls://, wss://       TLS (certificate and key below), then sniffed
//   tcp+lsp+tls://                     TLS, then Content-Length
//   unix:/path, unix+lsp:/path         a Unix-domain socket, sniffed / Content-Length
// Port 0 means any free port (RpcServer::listeningEndpoints() tells which).

#include "wire/Endpoint.h"

#include <QHostAddress>
#include <QString>

#include <optional>

namespace rpcbench {

struct ListenSpec
{
    Endpoint endpoint;
    QString tlsCertificate; // PEM file, TLS listeners only
    QString tlsKey;         // PEM file (unencrypted)

    // nullopt with a one-line *error for URLs a server cannot listen on (exec:, bad syntax).
    static std::optional<ListenSpec> parse(const QString& url, QString* error = nullptr);

    bool isTls() const { return endpoint.tls; }
    bool isLocal() const { return endpoint.carrier == Carrier::Unix; }
    // The framing fixed by the URL (Lsp for tcp+lsp, unix+lsp), or nullopt when sniffed.
    std::optional<Transport> fixedFraming() const;
    // The address to bind a TCP listener to ("localhost" is the loopback address); null when
    // the host is not an IP address.
    QHostAddress bindAddress() const;
};

} // namespace rpcbench
