#pragma once
// HTTP/1.1 messages as the framers deliver them: a request (server side), a response (client
// side), their headers, and the standard reason phrases.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace rpcbench {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>; // names as received

// Case-insensitive header lookup; empty when absent.
QByteArray httpHeader(const HttpHeaders& headers, QByteArrayView name);

// A complete message. A framer delivers it through Frame::request / Frame::response with the
// body filled in (Frame::payload views it), so a receiver that keeps the message copies the
// struct: implicit sharing, no allocation.
struct HttpRequest
{
    QByteArray method;  // "POST"
    QByteArray target;  // "/rpc"
    QByteArray version; // "HTTP/1.1"
    HttpHeaders headers;
    QByteArray body;       // de-chunked
    bool keepAlive = true; // HTTP/1.1 default, "Connection: close" or HTTP/1.0 without keep-alive → false
};

struct HttpResponse
{
    int status = 0;
    QByteArray reason;
    QByteArray version; // "HTTP/1.1"
    HttpHeaders headers;
    QByteArray body; // de-chunked
    bool keepAlive = true;
};

// Standard reason phrase for a status code ("OK", "Bad Request", ...).
QByteArray httpReasonPhrase(int status);

// `text` as a QByteArray; common request-line tokens, header names and values come from
// static storage (no allocation: the server's HTTP path is benchmarked).
QByteArray internHttpToken(QByteArrayView text);

} // namespace rpcbench
