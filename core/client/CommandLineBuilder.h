#pragma once
// "Copy as command": the shell lines that repeat the composed call outside the GUI.
//   rpcbench call --url tcp://127.0.0.1:5000 --params '[1,2,3]' add
//   curl -s http://127.0.0.1:5000/ -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0",...}'
//   printf '%s\n' '{"jsonrpc":"2.0",...}' | nc 127.0.0.1 5000
// rpcbench's server speaks HTTP on its TCP port too, so a tcp:// URL also gets a curl line.

#include "client/CallTypes.h"

#include <QString>

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

} // namespace rpcbench::CommandLineBuilder
