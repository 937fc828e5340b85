#include "wire/LspFramer.h"

#include "wire/HttpHeaderSyntax.h"

namespace rpcbench {

using Kind = FrameError::Kind;

LspFramer::LspFramer(qsizetype maxMessageBytes, qsizetype maxHeaderBytes)
    : m_maxMessage(maxMessageBytes), m_maxHeader(maxHeaderBytes)
{}

bool LspFramer::feed(QByteArrayView data, FrameSink& sink)
{
    if (error().isError())
        return false;
    // Only an incomplete message is ever buffered; when there is none, parse straight from the
    // caller's chunk so a complete message costs no copy at all.
    const QByteArrayView src = m_buf.begin(data);
    qsizetype pos = 0;
    while (pos < src.size()) {
        if (m_bodyLength < 0) {
            if (m_scanFrom == 0) {
                // Tolerate blank lines between messages (some clients end payloads with CRLF).
                while (pos < src.size() && (src[pos] == '\r' || src[pos] == '\n'))
                    ++pos;
            }
            if (!readHeader(src.sliced(pos)))
                return false; // failWith() dropped the buffer `src` may point into
            if (m_bodyLength < 0)
                break;
        }
        if (src.size() - pos < m_bodyStart + m_bodyLength)
            break;
        Frame frame;
        frame.payload = src.sliced(pos + m_bodyStart, m_bodyLength);
        sink.onFrame(frame);
        pos += m_bodyStart + m_bodyLength;
        m_bodyLength = -1;
        m_bodyStart = 0;
        m_scanFrom = 0;
    }
    m_buf.end(src, pos);
    return true;
}

bool LspFramer::readHeader(QByteArrayView msg)
{
    const std::optional<qsizetype> end = findHeaderBlockEnd(msg, m_scanFrom);
    // Too long whether or not its end has arrived yet: one message either way, so the error
    // does not depend on how the stream was split into reads.
    if ((!end && msg.size() > m_maxHeader) || (end && *end > m_maxHeader))
        return failWith(Kind::BadHeader, QStringLiteral("header block exceeds %1 bytes").arg(m_maxHeader));
    if (!end)
        return true;
    HttpHeaders headers;
    if (!parseHttpHeaderLines(msg.first(*end), headers))
        return failWith(Kind::BadHeader, QStringLiteral("malformed header line (expected \"Name: value\")"));
    const HttpContentLength length = httpContentLength(headers, m_maxMessage);
    switch (length.status) {
    case HttpContentLength::Status::Absent:
        return failWith(Kind::BadHeader, QStringLiteral("missing Content-Length header"));
    case HttpContentLength::Status::Invalid:
        return failWith(Kind::BadHeader,
                        QStringLiteral("invalid or conflicting Content-Length: %1")
                            .arg(QString::fromLatin1(httpHeader(headers, "Content-Length"))));
    case HttpContentLength::Status::TooLarge:
        return failWith(Kind::TooLarge,
                        QStringLiteral("Content-Length exceeds the limit of %1 bytes").arg(m_maxMessage));
    case HttpContentLength::Status::Valid:
        break;
    }
    m_bodyStart = *end;
    m_bodyLength = length.length;
    return true;
}

bool LspFramer::failWith(Kind kind, const QString& reason)
{
    m_buf.clear();
    return fail(kind, reason);
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
    clearError();
    m_buf.clear();
    m_scanFrom = 0;
    m_bodyLength = -1;
    m_bodyStart = 0;
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
