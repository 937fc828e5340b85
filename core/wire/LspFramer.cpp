#include "wire/LspFramer.h"

#include "wire/HttpMessage.h"

namespace rpcbench {

LspFramer::LspFramer(qsizetype maxMessageBytes, qsizetype maxHeaderBytes)
    : m_maxMessage(maxMessageBytes), m_maxHeader(maxHeaderBytes)
{}

LspFramer::Status LspFramer::feed(QByteArrayView data, QList<QByteArray>& out)
{
    if (m_failed)
        return m_failStatus;
    // Only an incomplete message is ever buffered; when there is none, parse straight from the
    // caller's chunk so a complete message costs a single copy (its payload).
    const bool buffered = !m_buf.isEmpty();
    if (buffered)
        m_buf.append(data);
    const QByteArrayView src = buffered ? QByteArrayView(m_buf) : data;
    qsizetype pos = 0;
    while (pos < src.size()) {
        if (m_bodyLength < 0) {
            if (m_scanFrom == 0) {
                // Tolerate blank lines between messages (some clients end payloads with CRLF).
                while (pos < src.size() && (src[pos] == '\r' || src[pos] == '\n'))
                    ++pos;
            }
            const Status status = readHeader(src.sliced(pos));
            if (status != Status::Ok)
                return status;
            if (m_bodyLength < 0)
                break;
        }
        if (src.size() - pos < m_bodyStart + m_bodyLength)
            break;
        out.append(src.sliced(pos + m_bodyStart, m_bodyLength).toByteArray());
        pos += m_bodyStart + m_bodyLength;
        m_bodyLength = -1;
        m_bodyStart = 0;
        m_scanFrom = 0;
    }
    if (buffered)
        m_buf.remove(0, pos);
    else if (pos < src.size())
        m_buf = src.sliced(pos).toByteArray();
    return Status::Ok;
}

LspFramer::Status LspFramer::readHeader(QByteArrayView msg)
{
    const qsizetype end = findHeaderBlockEnd(msg, m_scanFrom);
    // Too long whether or not its end has arrived yet: one message either way, so the error
    // does not depend on how the stream was split into reads.
    if ((end < 0 && msg.size() > m_maxHeader) || end > m_maxHeader)
        return fail(Status::BadHeader, QStringLiteral("header block exceeds %1 bytes").arg(m_maxHeader));
    if (end < 0)
        return Status::Ok;
    HttpHeaders headers;
    if (!parseHttpHeaderLines(msg.first(end), headers))
        return fail(Status::BadHeader, QStringLiteral("malformed header line (expected \"Name: value\")"));
    const qsizetype length = httpContentLength(headers, m_maxMessage);
    if (length == -1)
        return fail(Status::BadHeader, QStringLiteral("missing Content-Length header"));
    if (length == -2)
        return fail(Status::BadHeader, QStringLiteral("invalid or conflicting Content-Length: %1")
                                           .arg(QString::fromLatin1(httpHeader(headers, "Content-Length"))));
    if (length == -3)
        return fail(Status::TooLarge,
                    QStringLiteral("Content-Length exceeds the limit of %1 bytes").arg(m_maxMessage));
    m_bodyStart = end;
    m_bodyLength = length;
    return Status::Ok;
}

LspFramer::Status LspFramer::fail(Status status, const QString& error)
{
    m_failed = true;
    m_failStatus = status;
    m_error = error;
    m_buf = QByteArray();
    return status;
}

bool LspFramer::hasPartial() const
{
    return !m_buf.isEmpty();
}

qsizetype LspFramer::bufferedBytes() const
{
    return m_buf.size();
}

void LspFramer::reset()
{
    m_buf = QByteArray();
    m_scanFrom = 0;
    m_bodyLength = -1;
    m_bodyStart = 0;
    m_failed = false;
    m_failStatus = Status::Ok;
    m_error.clear();
}

QByteArray LspFramer::frame(const QByteArray& payload)
{
    QByteArray framed;
    framed.reserve(payload.size() + 32);
    framed += "Content-Length: ";
    framed += QByteArray::number(payload.size());
    framed += "\r\n\r\n";
    framed += payload;
    return framed;
}

} // namespace rpcbench
