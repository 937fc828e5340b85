#include "wire/SseParser.h"

namespace rpcbench {

bool SseParser::feed(QByteArrayView data, const Sink& sink)
{
    if (!m_error.isEmpty())
        return false;
    qsizetype pos = 0;
    if (m_afterCR && !data.isEmpty() && data.front() == '\n')
        ++pos; // the LF of a CRLF split between two feeds
    m_afterCR = false;
    while (pos < data.size()) {
        qsizetype end = pos;
        while (end < data.size() && data[end] != '\r' && data[end] != '\n')
            ++end;
        if (end == data.size()) { // no line end yet: keep the fragment
            if (m_line.size() + (end - pos) > m_max) {
                m_error = QStringLiteral("event-stream line exceeds %1 bytes").arg(m_max);
                return false;
            }
            m_line.append(data.sliced(pos, end - pos));
            break;
        }
        bool ok;
        if (m_line.isEmpty()) {
            ok = takeLine(data.sliced(pos, end - pos), sink);
        } else {
            m_line.append(data.sliced(pos, end - pos));
            const QByteArray line = std::exchange(m_line, {});
            ok = takeLine(line, sink);
        }
        if (!ok)
            return false;
        if (data[end] == '\r') {
            if (end + 1 == data.size())
                m_afterCR = true;
            else if (data[end + 1] == '\n')
                ++end;
        }
        pos = end + 1;
    }
    return true;
}

bool SseParser::takeLine(QByteArrayView line, const Sink& sink)
{
    if (std::exchange(m_firstLine, false) && line.startsWith("\xEF\xBB\xBF"))
        line = line.sliced(3);
    if (line.isEmpty()) {
        dispatch(sink);
        return true;
    }
    if (line.front() == ':')
        return true; // a comment (servers send them as keep-alives)
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "data") {
        if (m_data.size() + value.size() + 1 > m_max) {
            m_error = QStringLiteral("event-stream event exceeds %1 bytes").arg(m_max);
            return false;
        }
        m_data.append(value);
        m_data.append('\n');
        m_hasData = true;
    } else if (field == "event") {
        m_type = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastId = value.toByteArray();
    } else if (field == "retry") {
        bool digits = !value.isEmpty();
        for (char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_retryMs = value.toByteArray().toInt();
    }
    return true; // other fields are ignored
}

void SseParser::dispatch(const Sink& sink)
{
    // An event without data is not dispatched; its type is forgotten.
    if (m_hasData) {
        SseEvent event;
        if (!m_type.isEmpty())
            event.type = m_type;
        m_data.chop(1); // the "\n" after the last data line
        event.data = std::move(m_data);
        event.id = m_lastId;
        sink(event);
    }
    m_data.clear();
    m_type.clear();
    m_hasData = false;
}

bool SseParser::isEventStream(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    QByteArrayView media = semicolon < 0 ? contentType : contentType.first(semicolon);
    return media.trimmed().compare("text/event-stream", Qt::CaseInsensitive) == 0;
}

} // namespace rpcbench
