#include "wire/WebSocketHandshake.h"

#include "wire/HttpWriter.h"

#include <QCryptographicHash>

namespace rpcbench {

namespace {

// True when the comma-separated header value lists `token` (case-insensitive).
bool listsToken(const QByteArray& value, QByteArrayView token)
{
    for (const QByteArray& part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

WebSocketHandshake::Result refuse(int status, const QString& reason)
{
    HttpHeaders extra;
    if (status == 426)
        extra = {{"Sec-WebSocket-Version", "13"}, {"Upgrade", "websocket"}};
    const QByteArray body = reason.toUtf8() + '\n';
    return {false, status, reason, buildHttpResponse(status, body, false, "text/plain", extra)};
}

} // namespace

bool WebSocketHandshake::isUpgradeRequest(const HttpRequest& request)
{
    return request.method == "GET" && listsToken(httpHeader(request.headers, "Upgrade"), "websocket");
}

QByteArray WebSocketHandshake::acceptKey(const QByteArray& key)
{
    static const QByteArray kGuid = QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return QCryptographicHash::hash(key + kGuid, QCryptographicHash::Sha1).toBase64();
}

WebSocketHandshake::Result WebSocketHandshake::accept(const HttpRequest& request)
{
    const HttpHeaders& h = request.headers;
    if (request.method != "GET")
        return refuse(
            400,
            QStringLiteral("WebSocket upgrade needs GET, not %1").arg(QString::fromLatin1(request.method)));
    if (!listsToken(httpHeader(h, "Upgrade"), "websocket"))
        return refuse(400, QStringLiteral("missing 'Upgrade: websocket'"));
    if (!listsToken(httpHeader(h, "Connection"), "upgrade"))
        return refuse(400, QStringLiteral("the Connection header does not list 'upgrade'"));
    const QByteArray version = httpHeader(h, "Sec-WebSocket-Version").trimmed();
    if (version != "13")
        return refuse(426, version.isEmpty() ? QStringLiteral("missing Sec-WebSocket-Version (use 13)")
                                             : QStringLiteral("unsupported Sec-WebSocket-Version %1 (use 13)")
                                                   .arg(QString::fromLatin1(version)));
    const QByteArray key = httpHeader(h, "Sec-WebSocket-Key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.isEmpty() || !decoded || decoded.decoded.size() != 16)
        return refuse(400, QStringLiteral("Sec-WebSocket-Key is not 16 bytes in base64"));

    // Written here rather than by buildHttpResponse: a 1xx response carries no Content-Length.
    QByteArray out = QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\n"
                                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                       "Sec-WebSocket-Accept: ");
    out += acceptKey(key);
    out += "\r\n\r\n";
    return {true, 101, QString(), out};
}

} // namespace rpcbench
