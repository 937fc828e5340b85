#pragma once
// The server side of the WebSocket opening handshake (RFC 6455 section 4.2): checks that an
// HTTP request asks for a WebSocket upgrade and builds the "101 Switching Protocols" answer.
// Our own code rather than QWebSocketServer, because a server connection has already read the
// request while sniffing its framing and Qt cannot take a socket in that state.

#include "wire/HttpTypes.h"

#include <QByteArray>
#include <QString>

namespace rpcbench {

class WebSocketHandshake
{
public:
    // True when the request asks for a WebSocket (GET with "Upgrade: websocket"), valid or not:
    // such a request is answered by accept() below, never by the plain HTTP routes.
    static bool isUpgradeRequest(const HttpRequest& request);

    struct Result
    {
        bool ok = false;
        int status = 0;      // 101 on success; 400 (malformed) or 426 (wrong version) otherwise
        QString reason;      // why it was refused, one line
        QByteArray response; // the whole HTTP response to send
    };
    // Validates the upgrade (GET, Upgrade: websocket, Connection containing "upgrade",
    // Sec-WebSocket-Version 13, a Sec-WebSocket-Key of 16 base64-encoded bytes) and builds the
    // answer: 101 with Sec-WebSocket-Accept, or the error response (which closes).
    static Result accept(const HttpRequest& request);

    // base64(SHA-1(key + the RFC's GUID)).
    static QByteArray acceptKey(const QByteArray& key);
};

} // namespace rpcbench
