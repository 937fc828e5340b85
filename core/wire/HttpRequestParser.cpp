#include "wire/HttpRequestParser.h"

#include <cstring>
#include <utility>

namespace rpcbench {

namespace {

// All values of a (possibly repeated) header joined as one list, as RFC 9110 allows.
QByteArray joinedHeader(const HttpHeaders& headers, QByteArrayView name)
{
    QByteArray joined;
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!joined.isEmpty())
            joined += ", ";
        joined += value;
    }
    return joined;
}

bool hasHeader(const HttpHeaders& headers, QByteArrayView name)
{
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isValidMethod(QByteArrayView method)
{
    if (method.isEmpty())
        return false;
    for (char c : method) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isValidTarget(QByteArrayView target)
{
    if (target.isEmpty())
        return false;
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return false;
    }
    return true;
}

// "HTTP/" followed by digits and dots: a version, maybe one we do not speak (→ 505).
bool looksLikeHttpVersion(QByteArrayView v)
{
    if (!v.startsWith("HTTP/") || v.size() == 5)
        return false;
    for (char c : v.sliced(5)) {
        if (!(c >= '0' && c <= '9') && c != '.')
            return false;
    }
    return true;
}

} // namespace

HttpRequestParser::HttpRequestParser(qsizetype maxBodyBytes, qsizetype maxHeaderBytes)
    : m_maxBody(maxBodyBytes), m_maxHeader(maxHeaderBytes)
{}

HttpRequestParser::Status HttpRequestParser::feed(QByteArrayView data, QList<HttpRequest>& out)
{
    if (m_errorStatus != 0)
        return Status::Error;
    // Parse straight from the caller's chunk unless an incomplete request is buffered.
    const bool buffered = !m_buf.isEmpty();
    if (buffered)
        m_buf.append(data);
    const QByteArrayView src = buffered ? QByteArrayView(m_buf) : data;
    qsizetype pos = 0;
    while (true) {
        if (m_phase == Phase::Head) {
            if (m_headerScanFrom == 0) {
                // RFC 9112 2.2: ignore empty lines before a request line.
                while (pos < src.size() && (src[pos] == '\r' || src[pos] == '\n'))
                    ++pos;
            }
            if (pos == src.size())
                break;
            const QByteArrayView rest = src.sliced(pos);
            const qsizetype end = findHeaderBlockEnd(rest, m_headerScanFrom);
            if (end < 0) {
                if (rest.size() > m_maxHeader)
                    return fail(431, "request head too large");
                break;
            }
            if (end > m_maxHeader)
                return fail(431, "request head too large");
            if (!parseHead(rest.first(end)))
                return Status::Error;
            pos += end;
            m_headerScanFrom = 0;
            if (m_phase == Phase::Head)
                completeRequest(out); // no body
            continue;
        }
        if (m_phase == Phase::Body) {
            if (src.size() - pos < m_remaining)
                break;
            m_current.body = src.sliced(pos, m_remaining).toByteArray();
            pos += m_remaining;
            completeRequest(out);
            continue;
        }
        QByteArray reason;
        const auto result =
            decodeHttpChunked(src, pos, m_chunk, m_current.body, m_maxBody, m_maxHeader, reason);
        if (result == HttpChunkResult::NeedMore)
            break;
        if (result == HttpChunkResult::Malformed)
            return fail(400, reason);
        if (result == HttpChunkResult::TooLarge)
            return fail(413, reason);
        completeRequest(out);
    }
    if (buffered)
        m_buf.remove(0, pos);
    else if (pos < src.size())
        m_buf = src.sliced(pos).toByteArray();
    if (m_phase != Phase::Head && m_expectContinue) {
        // The head is in, the body is not: the client waits for "100 Continue".
        m_expectContinue = false;
        m_continuePending = true;
    }
    return Status::Ok;
}

bool HttpRequestParser::parseHead(QByteArrayView head)
{
    qsizetype lineEnd = head.indexOf('\n');
    QByteArrayView line = head.first(lineEnd);
    if (line.endsWith('\r'))
        line.chop(1);
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isValidMethod(method) || !isValidTarget(target) || !looksLikeHttpVersion(version)) {
        fail(400, "malformed request line");
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(505, "unsupported HTTP version " + version.toByteArray());
        return false;
    }
    m_current = HttpRequest();
    m_current.method = internHttpToken(method);
    m_current.target = internHttpToken(target);
    m_current.version = internHttpToken(version);
    if (!parseHttpHeaderLines(head.sliced(lineEnd + 1), m_current.headers)) {
        fail(400, "malformed header line");
        return false;
    }
    const HttpHeaders& headers = m_current.headers;

    const QByteArray connection = joinedHeader(headers, "Connection");
    m_current.keepAlive = version == "HTTP/1.1" ? !httpHeaderHasToken(connection, "close")
                                                : httpHeaderHasToken(connection, "keep-alive");

    const qsizetype contentLength = httpContentLength(headers, m_maxBody);
    if (hasHeader(headers, "Transfer-Encoding")) {
        // Both framings at once is the classic request-smuggling setup (RFC 9112 6.1).
        if (contentLength != -1) {
            fail(400, "both Content-Length and Transfer-Encoding");
            return false;
        }
        const QByteArray coding = joinedHeader(headers, "Transfer-Encoding").trimmed();
        if (coding.compare("chunked", Qt::CaseInsensitive) != 0) {
            fail(501, "unsupported transfer coding " + coding);
            return false;
        }
        m_phase = Phase::Chunked;
        m_chunk = HttpChunkedState();
    } else if (contentLength == -2) {
        fail(400, "invalid Content-Length");
        return false;
    } else if (contentLength == -3) {
        fail(413, "request body too large");
        return false;
    } else if (contentLength > 0) {
        m_phase = Phase::Body;
        m_remaining = contentLength;
    }
    // No Content-Length and no chunked coding (e.g. GET): the request has no body.

    m_expectContinue =
        m_phase != Phase::Head && version == "HTTP/1.1" &&
        joinedHeader(headers, "Expect").trimmed().compare("100-continue", Qt::CaseInsensitive) == 0;
    return true;
}

void HttpRequestParser::completeRequest(QList<HttpRequest>& out)
{
    out.append(std::exchange(m_current, HttpRequest()));
    m_phase = Phase::Head;
    m_remaining = 0;
    m_expectContinue = false;
    m_continuePending = false; // the body arrived: no 100 Continue is needed any more
}

bool HttpRequestParser::takeContinueRequest()
{
    return std::exchange(m_continuePending, false);
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const QByteArray& reason)
{
    m_errorStatus = status;
    m_errorReason = reason;
    m_buf = QByteArray();
    m_current = HttpRequest();
    m_continuePending = false;
    return Status::Error;
}

bool HttpRequestParser::hasPartial() const
{
    return !m_buf.isEmpty() || m_phase != Phase::Head;
}

qsizetype HttpRequestParser::bufferedBytes() const
{
    return m_buf.size() + m_current.body.size();
}

void HttpRequestParser::reset()
{
    m_buf = QByteArray();
    m_errorStatus = 0;
    m_errorReason.clear();
    m_continuePending = false;
    m_expectContinue = false;
    m_current = HttpRequest();
    m_phase = Phase::Head;
    m_remaining = 0;
    m_headerScanFrom = 0;
    m_chunk = HttpChunkedState();
}

} // namespace rpcbench
