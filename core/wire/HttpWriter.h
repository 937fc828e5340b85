#pragma once
// Serialises the HTTP/1.1 messages rpcbench sends: responses (server side) and POST
// requests (client side).

#include "wire/HttpTypes.h"

namespace rpcbench {

// Serialises a response: status line, Content-Type (when body non-empty or contentType given),
// Content-Length, Connection: keep-alive/close, then the body.
QByteArray buildHttpResponse(int status, const QByteArray& body, bool keepAlive,
                             const QByteArray& contentType = "application/json",
                             const HttpHeaders& extraHeaders = {});

// What a client POST accepts: JSON, or an event stream carrying the reply (MCP Streamable
// HTTP answers 406 to a POST that does not accept both; plain JSON-RPC servers ignore it).
inline constexpr char kHttpPostAccept[] = "application/json, text/event-stream";

// Serialises a client request: the request line, then `userHeaders` (the user's -H headers
// and auth, in order, each once), then rpcbench's own Host, Accept (when `accept` is not
// empty), Content-Type (when there is a body) and Connection, each only when the user did not
// set that name; Content-Length is always ours. A header whose name or value would break the
// head (CR, LF, NUL, an empty name) is left out.
QByteArray buildHttpRequest(QByteArrayView method, const QByteArray& host, const QByteArray& path,
                            const HttpHeaders& userHeaders, const QByteArray& body, QByteArrayView accept,
                            QByteArrayView contentType = "application/json");

// Serialises a JSON-RPC POST (client side), accepting JSON or an event stream.
QByteArray buildHttpPost(const QByteArray& host, const QByteArray& path, const QByteArray& body,
                         const HttpHeaders& userHeaders = {});

} // namespace rpcbench
