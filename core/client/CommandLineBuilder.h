#pragma once
// "Copy as command": the shell lines that repeat the composed call outside the GUI.
//   rpcbench call --url tcp://127.0.0.1:5000 --params '[1,2,3]' add
//   curl -s http://127.0.0.1:5000/ -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0",...}'
//   printf '%s\n' '{"jsonrpc":"2.0",...}' | nc 127.0.0.1 5000
// rpcbench's server speaks HTTP on its TCP port too, so a tcp:// URL also gets a curl line.
//
// The Endpoint overloads carry the target's connection options too (headers, auth, TLS files,
// a process to launch with --exec). Secrets are not written into the line unless
// revealSecrets: each becomes a shell variable reference in double quotes, so the line still
// runs once the variable is exported (and the clipboard never holds the secret):
//   --bearer TOKEN                  --bearer "$RPCBENCH_TOKEN"
//   --user alice:PASSWORD           --user "alice:$RPCBENCH_PASSWORD"
//   -H 'X-Api-Key: VALUE'           -H "X-Api-Key: $RPCBENCH_X_API_KEY"  (ConnectOptions::isSecretHeader)
//   --env API_TOKEN=VALUE           --env "API_TOKEN=$API_TOKEN"          (same rule on the name)
// secretVariables() lists the variables a line refers to.

#include "client/CallTypes.h"

#include <QString>
#include <QStringList>

namespace rpcbench {
struct Endpoint;
}

namespace rpcbench::CommandLineBuilder {

// Quotes for POSIX shells: 'it'\''s'. Plain words stay unquoted.
QString shellQuote(const QString& text);

// The request body the client would send in `dialect` (id 1 unless a notification).
QByteArray requestBody(Dialect dialect, const CallRequest& request, int id = 1);

QString rpcbenchCall(const QString& url, Dialect dialect, const CallRequest& request);
// Empty when the URL cannot be reached over HTTP (tcp+lsp://).
QString curl(const QString& url, Dialect dialect, const CallRequest& request);
// Only for tcp:// (JSON stream) URLs; empty otherwise.
QString netcat(const QString& url, Dialect dialect, const CallRequest& request);

// `rpcbench call` for any target: --url or --exec (with --framing, --cwd, --env) and every
// connection option that differs from its default.
QString rpcbenchCall(const Endpoint& endpoint, Dialect dialect, const CallRequest& request,
                     bool revealSecrets = false);
// The words that name `endpoint` with its connection options (--url or --exec with --framing,
// --cwd, --env; -H, --bearer, --user, TLS files...), as `call` and `bench` both take them.
QStringList targetArguments(const Endpoint& endpoint, bool revealSecrets = false);
// curl for http:// and https:// targets (with the headers, auth and TLS options) and for plain
// tcp:// (rpcbench's server sniffs HTTP); empty for every other target (tcp+lsp, TLS streams,
// WebSocket, Unix sockets, processes).
QString curl(const Endpoint& endpoint, Dialect dialect, const CallRequest& request,
             bool revealSecrets = false);
// `nc HOST PORT` for tcp://, `nc -U PATH` for unix: (JSON stream only); empty otherwise.
QString netcat(const Endpoint& endpoint, Dialect dialect, const CallRequest& request);
// The environment variables the masked lines of `endpoint` refer to ("RPCBENCH_TOKEN", ...).
QStringList secretVariables(const Endpoint& endpoint);

} // namespace rpcbench::CommandLineBuilder
