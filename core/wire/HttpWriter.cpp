#include "wire/HttpWriter.h"

#include <algorithm>
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

bool headerIsSafe(QByteArrayView name, QByteArrayView value)
{
    const auto breaks = [](QByteArrayView v) {
        return v.contains('\r') || v.contains('\n') || v.contains('\0');
    };
    return !name.isEmpty() && !name.contains(':') && !name.contains(' ') && !breaks(name) && !breaks(value);
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

namespace {

bool userSet(const HttpHeaders& headers, QByteArrayView name)
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [name](const auto& h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void appendHeader(QByteArray& out, QByteArrayView name, QByteArrayView value)
{
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

} // namespace

QByteArray buildHttpRequest(QByteArrayView method, const QByteArray& host, const QByteArray& path,
                            const HttpHeaders& userHeaders, const QByteArray& body, QByteArrayView accept,
                            QByteArrayView contentType)
{
    QByteArray out;
    out.reserve(192 + host.size() + path.size() + body.size());
    out += method;
    out += ' ';
    out += path.isEmpty() ? QByteArray("/") : path;
    out += " HTTP/1.1\r\n";
    for (const auto& [name, value] : userHeaders) {
        // ConnectOptions::parseHeader already refuses these; a header that reached us another
        // way (a workspace file, the GUI) must still not be able to inject a header or a body.
        if (!headerIsSafe(name, value))
            continue;
        // The body length is ours alone: a user's Content-Length (or Transfer-Encoding) that
        // does not match the bytes we send desynchronises the keep-alive connection — the
        // server would read the next request as body, or wait for bytes that never come.
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
            name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        appendHeader(out, name, value);
    }
    if (!userSet(userHeaders, "Host"))
        appendHeader(out, "Host", host);
    if (!accept.isEmpty() && !userSet(userHeaders, "Accept"))
        appendHeader(out, "Accept", accept);
    if (!body.isEmpty() && !contentType.isEmpty() && !userSet(userHeaders, "Content-Type"))
        appendHeader(out, "Content-Type", contentType);
    if (!body.isEmpty() || method == "POST") {
        out += "Content-Length: ";
        appendDecimal(out, body.size());
        out += "\r\n";
    }
    if (!userSet(userHeaders, "Connection"))
        appendHeader(out, "Connection", "keep-alive");
    out += "\r\n";
    out += body;
    return out;
}

QByteArray buildHttpPost(const QByteArray& host, const QByteArray& path, const QByteArray& body,
                         const HttpHeaders& userHeaders)
{
    return buildHttpRequest("POST", host, path, userHeaders, body, kHttpPostAccept);
}

} // namespace rpcbench
