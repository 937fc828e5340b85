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

// Serialises a POST request (client side).
QByteArray buildHttpPost(const QByteArray& host, const QByteArray& path, const QByteArray& body,
                         const QByteArray& contentType = "application/json");

} // namespace rpcbench
