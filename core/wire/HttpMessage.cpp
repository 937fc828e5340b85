#include "wire/HttpMessage.h"

#include <charconv>

#include <cstring>

namespace rpcbench {

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isCtl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Parses a non-empty run of decimal digits, saturating at max + 1. Returns -1 if not digits.
qsizetype parseDecimal(QByteArrayView v, qsizetype max)
{
    if (v.isEmpty())
        return -1;
    qsizetype value = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return -1;
        if (value <= max)
            value = value * 10 + (c - '0');
    }
    return value > max ? max + 1 : value;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QByteArrayView chompCr(QByteArrayView line)
{
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    return line;
}

} // namespace

QByteArray httpHeader(const HttpHeaders& headers, QByteArrayView name)
{
    for (const auto& [key, value] : headers) {
        if (equalsIgnoreCase(key, name))
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
    out += QByteArray::number(body.size());
    out += "\r\nConnection: keep-alive\r\nAccept: application/json\r\n\r\n";
    out += body;
    return out;
}

qsizetype findHeaderBlockEnd(QByteArrayView buf, qsizetype& scanFrom)
{
    const char* const data = buf.data();
    qsizetype i = scanFrom;
    while (i < buf.size()) {
        const auto* nl = static_cast<const char*>(std::memchr(data + i, '\n', size_t(buf.size() - i)));
        if (!nl)
            break;
        const qsizetype at = nl - data;
        // The line that ends here is empty when it starts right at `at` (or at `at - 1` with CR).
        qsizetype lineStart = at;
        if (lineStart > 0 && data[lineStart - 1] == '\r')
            --lineStart;
        if (lineStart == 0 || data[lineStart - 1] == '\n') {
            scanFrom = at + 1;
            return at + 1;
        }
        i = at + 1;
    }
    scanFrom = buf.size();
    return -1;
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

bool parseHttpHeaderLines(QByteArrayView block, HttpHeaders& out)
{
    while (!block.isEmpty()) {
        const qsizetype nl = block.indexOf('\n');
        const QByteArrayView line = chompCr(nl < 0 ? block : block.first(nl));
        block = nl < 0 ? QByteArrayView() : block.sliced(nl + 1);
        if (line.isEmpty())
            return true;
        if (line.front() == ' ' || line.front() == '\t')
            return false; // obs-fold: RFC 9112 lets a server reject it, and we do
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArrayView name = line.first(colon);
        for (char c : name) {
            if (!isTokenChar(c))
                return false; // includes whitespace before the colon (smuggling vector)
        }
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        for (char c : value) {
            if (isCtl(c))
                return false;
        }
        out.append({internHttpToken(name), internHttpToken(value)});
    }
    return true;
}

bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token)
{
    while (true) {
        const qsizetype comma = value.indexOf(',');
        if (equalsIgnoreCase(trimmed(comma < 0 ? value : value.first(comma)), token))
            return true;
        if (comma < 0)
            return false;
        value = value.sliced(comma + 1);
    }
}

qsizetype httpContentLength(const HttpHeaders& headers, qsizetype max)
{
    qsizetype length = -1;
    for (const auto& [name, value] : headers) {
        if (!equalsIgnoreCase(name, "Content-Length"))
            continue;
        QByteArrayView rest = value;
        while (true) {
            const qsizetype comma = rest.indexOf(',');
            const qsizetype n = parseDecimal(trimmed(comma < 0 ? rest : rest.first(comma)), max);
            if (n < 0 || (length >= 0 && n != length))
                return -2;
            length = n;
            if (comma < 0)
                break;
            rest = rest.sliced(comma + 1);
        }
    }
    return length > max ? -3 : length;
}

namespace {

// Parses "1a;ext=v" (CR already removed). Returns the size, -1 if malformed, -2 if > room.
qsizetype parseChunkSize(QByteArrayView line, qsizetype room)
{
    qsizetype size = 0;
    qsizetype i = 0;
    for (; i < line.size(); ++i) {
        const int digit = hexValue(line[i]);
        if (digit < 0)
            break;
        if (size <= room)
            size = size * 16 + digit;
    }
    if (i == 0)
        return -1;
    const QByteArrayView rest = trimmed(line.sliced(i));
    if (!rest.isEmpty() && rest.front() != ';')
        return -1;
    for (char c : rest) {
        if (isCtl(c))
            return -1;
    }
    return size > room ? -2 : size;
}

} // namespace

HttpChunkResult decodeHttpChunked(QByteArrayView buf, qsizetype& pos, HttpChunkedState& st, QByteArray& body,
                                  qsizetype maxBody, qsizetype maxLine, QByteArray& error)
{
    using Phase = HttpChunkedState::Phase;
    while (true) {
        switch (st.phase) {
        case Phase::Size: {
            const qsizetype from = pos + st.scanFrom;
            const qsizetype nl = from < buf.size() ? buf.indexOf('\n', from) : -1;
            if (nl < 0) {
                st.scanFrom = buf.size() - pos;
                if (st.scanFrom > maxLine) {
                    error = "chunk size line too long";
                    return HttpChunkResult::Malformed;
                }
                return HttpChunkResult::NeedMore;
            }
            if (nl - pos > maxLine) {
                error = "chunk size line too long";
                return HttpChunkResult::Malformed;
            }
            const qsizetype size = parseChunkSize(chompCr(buf.sliced(pos, nl - pos)), maxBody - body.size());
            if (size == -1) {
                error = "invalid chunk size line";
                return HttpChunkResult::Malformed;
            }
            if (size == -2) {
                error = "chunked body exceeds the size limit";
                return HttpChunkResult::TooLarge;
            }
            pos = nl + 1;
            st.scanFrom = 0;
            st.remaining = size;
            st.phase = size == 0 ? Phase::Trailers : Phase::Data;
            break;
        }
        case Phase::Data: {
            const qsizetype n = qMin(st.remaining, buf.size() - pos);
            body.append(buf.sliced(pos, n));
            pos += n;
            st.remaining -= n;
            if (st.remaining > 0)
                return HttpChunkResult::NeedMore;
            st.phase = Phase::DataEnd;
            break;
        }
        case Phase::DataEnd: {
            if (pos >= buf.size())
                return HttpChunkResult::NeedMore;
            if (buf[pos] == '\r') {
                if (pos + 1 >= buf.size())
                    return HttpChunkResult::NeedMore;
                ++pos;
            }
            if (buf[pos] != '\n') {
                error = "chunk data not followed by CRLF";
                return HttpChunkResult::Malformed;
            }
            ++pos;
            st.phase = Phase::Size;
            break;
        }
        case Phase::Trailers: {
            const QByteArrayView rest = buf.sliced(pos);
            const qsizetype end = findHeaderBlockEnd(rest, st.scanFrom);
            if (end < 0) {
                if (rest.size() > maxLine) {
                    error = "chunked trailer section too long";
                    return HttpChunkResult::Malformed;
                }
                return HttpChunkResult::NeedMore;
            }
            if (end > maxLine) {
                error = "chunked trailer section too long";
                return HttpChunkResult::Malformed;
            }
            HttpHeaders trailers;
            if (!parseHttpHeaderLines(rest.first(end), trailers)) {
                error = "malformed chunked trailer";
                return HttpChunkResult::Malformed;
            }
            pos += end;
            st = HttpChunkedState();
            return HttpChunkResult::Done;
        }
        }
    }
}

} // namespace rpcbench
