#pragma once
// What the client talks to (and what a server listens on), written as a URL:
//   tcp://host:port             JSON values on a TCP stream (newline after each message)
//   tcp+lsp://host:port         Content-Length framing
//   http://host[:port][/path]   HTTP/1.1 keep-alive POST (default port 80, default path "/")
//   https://host[:port][/path]  the same over TLS (default port 443)
//   tcp+tls://, tcp+lsp+tls://  JSON stream / Content-Length over TLS
//   ws://host[:port][/path], wss://...   WebSocket, one message per text frame
//   unix:/path, unix+lsp:/path  a Unix-domain socket, JSON stream / Content-Length
//   exec:COMMAND ARGS, exec+lsp:COMMAND ARGS   a child process on stdin/stdout, one JSON
//                               message per line (MCP) / Content-Length (LSP)
// "host:port" without a scheme means tcp://host:port. The carrier says what moves the bytes,
// the transport how messages are framed on it; ConnectOptions carry headers, auth and TLS.

#include "wire/ConnectOptions.h"
#include "wire/Transport.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace rpcbench {

enum class Carrier : quint8 {
    Tcp,       // QTcpSocket, or QSslSocket when Endpoint::tls
    Unix,      // QLocalSocket on socketPath
    Process,   // QProcess stdin/stdout
    WebSocket, // QWebSocket (client); message boundaries kept
};

// A child process to launch (exec: URLs, `--exec`, the GUI's "Launch a process").
struct ProcessSpec
{
    QString program;
    QStringList arguments;
    QString workingDirectory; // empty: the current directory
    QStringList environment;  // "NAME=value" added to (or replacing in) the inherited environment

    // The command line as typed: program and arguments, quoted where needed.
    QString commandLine() const;
    friend bool operator==(const ProcessSpec&, const ProcessSpec&) = default;
};

struct Endpoint
{
    Carrier carrier = Carrier::Tcp;
    bool tls = false; // https, tcp+tls, tcp+lsp+tls, wss
    Transport transport = Transport::JsonStream;
    QString host;
    quint16 port = 0;
    QString path = QStringLiteral("/"); // HTTP and WebSocket (may carry a query string)
    QString socketPath;                 // Unix
    ProcessSpec process;                // Process
    ConnectOptions options;

    // Returns the endpoint, or nullopt with a one-line reason in *error
    // ("unsupported scheme 'udp' (use tcp://, ...)", "missing port", ...).
    static std::optional<Endpoint> parse(const QString& url, QString* error = nullptr);
    // A child process from a command line ("clangd --log=error"), split like a shell would
    // (quotes, backslashes); framing Lsp or JsonStream. nullopt with *error when empty.
    static std::optional<Endpoint> forCommand(const QString& commandLine, Transport framing,
                                              QString* error = nullptr);

    bool isValid() const;
    // Canonical URL, e.g. "tcp://127.0.0.1:5000", "https://[::1]:8443/rpc", "unix:/run/x.sock",
    // "exec+lsp:clangd --log=error". Parses back to the same address (not the options).
    QString toString() const;
    // "host:port" as sent in an HTTP Host header (IPv6 in brackets).
    QString authority() const;
    // The URL scheme alone: "tcp", "https", "unix+lsp", "exec", ...
    QString scheme() const;

    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::Endpoint)
