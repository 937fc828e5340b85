#pragma once
// Where the client sends its calls, written as a URL:
//   tcp://host:port          JSON values on a TCP stream (newline after each message)
//   tcp+lsp://host:port      Content-Length framing
//   http://host[:port][/path] HTTP/1.1 keep-alive POST (default port 80, default path "/")
// "host:port" without a scheme means tcp://host:port.

#include "wire/Transport.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace rpcbench {

struct Endpoint
{
    Transport transport = Transport::JsonStream;
    QString host;
    quint16 port = 0;
    QString path = QStringLiteral("/"); // HTTP only (may carry a query string)

    // Returns the endpoint, or nullopt with a one-line reason in *error
    // ("unsupported scheme 'udp' (use tcp://, tcp+lsp:// or http://)", "missing port", ...).
    static std::optional<Endpoint> parse(const QString& url, QString* error = nullptr);

    bool isValid() const { return !host.isEmpty() && port != 0; }
    // Canonical URL, e.g. "tcp://127.0.0.1:5000", "http://[::1]:8080/rpc".
    QString toString() const;
    // "host:port" as sent in an HTTP Host header (IPv6 in brackets).
    QString authority() const;

    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::Endpoint)
