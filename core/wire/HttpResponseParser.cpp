#include "wire/HttpResponseParser.h"

#include <utility>

namespace rpcbench {

namespace {

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

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

HttpResponseParser::HttpResponseParser(qsizetype maxBodyBytes) : m_maxBody(maxBodyBytes) {}

HttpResponseParser::Status HttpResponseParser::feed(QByteArrayView data, QList<HttpResponse>& out)
{
    if (m_failed)
        return Status::Error;
    const bool buffered = !m_buf.isEmpty();
    if (buffered)
        m_buf.append(data);
    const QByteArrayView src = buffered ? QByteArrayView(m_buf) : data;
    qsizetype pos = 0;
    while (true) {
        if (m_phase == Phase::Head) {
            if (m_headerScanFrom == 0) {
                while (pos < src.size() && (src[pos] == '\r' || src[pos] == '\n'))
                    ++pos;
            }
            if (pos == src.size())
                break;
            const QByteArrayView rest = src.sliced(pos);
            const qsizetype end = findHeaderBlockEnd(rest, m_headerScanFrom);
            if (end < 0) {
                if (rest.size() > kMaxHeadBytes)
                    return fail(QStringLiteral("response head exceeds %1 bytes").arg(kMaxHeadBytes));
                break;
            }
            if (end > kMaxHeadBytes)
                return fail(QStringLiteral("response head exceeds %1 bytes").arg(kMaxHeadBytes));
            bool interim = false;
            if (!parseHead(rest.first(end), interim))
                return Status::Error;
            pos += end;
            m_headerScanFrom = 0;
            if (!interim && m_phase == Phase::Head)
                completeResponse(out); // no body (Content-Length: 0, 204, 304)
            continue;
        }
        if (m_phase == Phase::Body) {
            if (src.size() - pos < m_remaining)
                break;
            m_current.body = src.sliced(pos, m_remaining).toByteArray();
            pos += m_remaining;
            completeResponse(out);
            continue;
        }
        if (m_phase == Phase::UntilClose) {
            if (m_current.body.size() + (src.size() - pos) > m_maxBody)
                return fail(QStringLiteral("response body exceeds %1 bytes").arg(m_maxBody));
            m_current.body.append(src.sliced(pos));
            pos = src.size();
            break;
        }
        QByteArray reason;
        const auto result =
            decodeHttpChunked(src, pos, m_chunk, m_current.body, m_maxBody, kMaxHeadBytes, reason);
        if (result == HttpChunkResult::NeedMore)
            break;
        if (result != HttpChunkResult::Done)
            return fail(QString::fromLatin1(reason));
        completeResponse(out);
    }
    if (buffered)
        m_buf.remove(0, pos);
    else if (pos < src.size())
        m_buf = src.sliced(pos).toByteArray();
    return Status::Ok;
}

HttpResponseParser::Status HttpResponseParser::finish(QList<HttpResponse>& out)
{
    if (m_failed)
        return Status::Error;
    if (m_phase == Phase::UntilClose) {
        completeResponse(out);
        return Status::Ok;
    }
    if (hasPartial())
        return fail(QStringLiteral("connection closed before the response was complete"));
    return Status::Ok;
}

bool HttpResponseParser::parseHead(QByteArrayView head, bool& interim)
{
    const qsizetype lineEnd = head.indexOf('\n');
    QByteArrayView line = head.first(lineEnd);
    if (line.endsWith('\r'))
        line.chop(1);
    // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
    const bool wellFormed =
        line.size() >= 12 && (line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) &&
        isDigit(line[9]) && isDigit(line[10]) && isDigit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!wellFormed) {
        fail(QStringLiteral("malformed status line: %1")
                 .arg(QString::fromLatin1(line.first(qMin<qsizetype>(80, line.size())))));
        return false;
    }
    HttpResponse response;
    response.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (response.status < 100 || response.status > 599) {
        // RFC 9110 section 15: values outside 100..599 are invalid (found by fuzzing).
        fail(QStringLiteral("invalid status code %1").arg(response.status));
        return false;
    }
    response.reason = line.size() > 13 ? line.sliced(13).toByteArray() : QByteArray();
    if (!parseHttpHeaderLines(head.sliced(lineEnd + 1), response.headers)) {
        fail(QStringLiteral("malformed header line in response"));
        return false;
    }
    if (response.status == 101) {
        fail(QStringLiteral("unexpected 101 Switching Protocols"));
        return false;
    }
    interim = response.status >= 100 && response.status < 200;
    if (interim)
        return true; // e.g. 100 Continue: the final response follows

    const bool http11 = line.startsWith("HTTP/1.1");
    const QByteArray connection = joinedHeader(response.headers, "Connection");
    response.keepAlive =
        http11 ? !httpHeaderHasToken(connection, "close") : httpHeaderHasToken(connection, "keep-alive");
    m_current = std::move(response);

    if (m_current.status == 204 || m_current.status == 304)
        return true;
    const QByteArray coding = joinedHeader(m_current.headers, "Transfer-Encoding").trimmed();
    if (!coding.isEmpty()) {
        if (coding.compare("chunked", Qt::CaseInsensitive) != 0) {
            fail(QStringLiteral("unsupported transfer coding: %1").arg(QString::fromLatin1(coding)));
            return false;
        }
        m_phase = Phase::Chunked;
        m_chunk = HttpChunkedState();
        return true;
    }
    const qsizetype length = httpContentLength(m_current.headers, m_maxBody);
    if (length == -2) {
        fail(QStringLiteral("invalid Content-Length in response"));
        return false;
    }
    if (length == -3) {
        fail(QStringLiteral("response body exceeds %1 bytes").arg(m_maxBody));
        return false;
    }
    if (length == -1) {
        // No framing: the body runs until the server closes the connection.
        m_phase = Phase::UntilClose;
        m_current.keepAlive = false;
    } else if (length > 0) {
        m_phase = Phase::Body;
        m_remaining = length;
    }
    return true;
}

void HttpResponseParser::completeResponse(QList<HttpResponse>& out)
{
    out.append(std::exchange(m_current, HttpResponse()));
    m_phase = Phase::Head;
    m_remaining = 0;
}

HttpResponseParser::Status HttpResponseParser::fail(const QString& error)
{
    m_failed = true;
    m_error = error;
    m_buf = QByteArray();
    m_current = HttpResponse();
    return Status::Error;
}

bool HttpResponseParser::hasPartial() const
{
    return !m_buf.isEmpty() || m_phase != Phase::Head;
}

void HttpResponseParser::reset()
{
    m_buf = QByteArray();
    m_error.clear();
    m_current = HttpResponse();
    m_phase = Phase::Head;
    m_remaining = 0;
    m_headerScanFrom = 0;
    m_chunk = HttpChunkedState();
    m_failed = false;
}

} // namespace rpcbench
