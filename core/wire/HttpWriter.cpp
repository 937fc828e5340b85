#include "wire/HttpWriter.h"

#include <charconv>

namespace rpcbench {

namespace {

// Numbers in headers without a temporary QByteArray (this runs once per HTTP reply).
void appendDecimal(QByteArray& out, qint64 value)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    out.append(buf, end - buf);
}

} // namespace

QByteArray buildHttpResponse(int status, const QByteArray& body, bool keepAlive,
                             const QByteArray& contentType, const HttpHeaders& extraHeaders)
{
    QByteArray out;
    out.reserve(160 + body.size());
    out += "HTTP/1.1 ";
    appendDecimal(out, status);
    out += ' ';
    out += httpReasonPhrase(status);
    out += "\r\n";
    // An empty body has no type; an explicit Content-Type among the extra headers wins.
    if (!body.isEmpty() && !contentType.isEmpty() && httpHeader(extraHeaders, "Content-Type").isEmpty()) {
        out += "Content-Type: ";
        out += contentType;
        out += "\r\n";
    }
    out += "Content-Length: ";
    appendDecimal(out, body.size());
    out += keepAlive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
    for (const auto& [name, value] : extraHeaders) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += "\r\n";
    out += body;
    return out;
}

QByteArray buildHttpPost(const QByteArray& host, const QByteArray& path, const QByteArray& body,
                         const QByteArray& contentType)
{
    QByteArray out;
    out.reserve(160 + host.size() + path.size() + body.size());
    out += "POST ";
    out += path.isEmpty() ? QByteArray("/") : path;
    out += " HTTP/1.1\r\nHost: ";
    out += host;
    out += "\r\nContent-Type: ";
    out += contentType;
    out += "\r\nContent-Length: ";
    appendDecimal(out, body.size());
    out += "\r\nConnection: keep-alive\r\nAccept: application/json\r\n\r\n";
    out += body;
    return out;
}

} // namespace rpcbench
