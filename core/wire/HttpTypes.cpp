#include "wire/HttpTypes.h"

namespace rpcbench {

QByteArray httpHeader(const HttpHeaders& headers, QByteArrayView name)
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

QByteArray internHttpToken(QByteArrayView text)
{
    // Static copies of what nearly every JSON-RPC request carries: no allocation for these.
    static const QByteArray common[] = {
        QByteArrayLiteral("POST"),
        QByteArrayLiteral("GET"),
        QByteArrayLiteral("/"),
        QByteArrayLiteral("HTTP/1.1"),
        QByteArrayLiteral("HTTP/1.0"),
        QByteArrayLiteral("Host"),
        QByteArrayLiteral("Content-Type"),
        QByteArrayLiteral("Content-Length"),
        QByteArrayLiteral("Connection"),
        QByteArrayLiteral("User-Agent"),
        QByteArrayLiteral("Accept"),
        QByteArrayLiteral("application/json"),
        QByteArrayLiteral("keep-alive"),
        QByteArrayLiteral("close"),
        QByteArrayLiteral("*/*"),
    };
    for (const QByteArray& c : common) {
        if (text == c)
            return c;
    }
    return text.toByteArray();
}

} // namespace rpcbench
