#include "wire/HttpParser.h"

#include "wire/HttpHeaderSyntax.h"

#include <utility>

namespace rpcbench {

using Kind = FrameError::Kind;

template <bool isRequest>
HttpParser<isRequest>::HttpParser(qsizetype maxBodyBytes, qsizetype maxHeadBytes)
    : m_maxBody(maxBodyBytes), m_maxHead(maxHeadBytes)
{}

template <bool isRequest> bool HttpParser<isRequest>::feed(QByteArrayView data, FrameSink& sink)
{
    if (error().isError())
        return false;
    // Parse straight from the caller's chunk unless an incomplete message is buffered.
    const QByteArrayView src = m_buf.begin(data);
    qsizetype pos = 0;
    Step step = Step::Progress;
    while (step == Step::Progress) {
        switch (m_phase) {
        case Phase::Head:
            step = readHead(src, pos, sink);
            break;
        case Phase::Length:
            step = readLengthBody(src, pos, sink);
            break;
        case Phase::Chunked:
            step = readChunkedBody(src, pos, sink);
            break;
        case Phase::UntilClose:
            step = readUntilClose(src, pos, sink);
            break;
        }
    }
    if (step == Step::Failed)
        return false; // failWith() dropped the buffer `src` may point into
    m_buf.end(src, pos);
    if constexpr (isRequest) {
        if (m_phase != Phase::Head && m_expectContinue) {
            // The head is in, the body is not: the client waits for "100 Continue".
            m_expectContinue = false;
            m_continuePending = true;
        }
    }
    return true;
}

template <bool isRequest> bool HttpParser<isRequest>::finish(FrameSink& sink)
{
    if (error().isError())
        return false;
    if (m_phase == Phase::UntilClose) {
        if (m_events)
            endEventStream(sink);
        else
            deliver(sink);
        return true;
    }
    if (hasPartial()) {
        failWith(Kind::Truncated, QStringLiteral("connection closed before the %1 was complete").arg(noun()),
                 0);
        return false;
    }
    return true;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::readHead(QByteArrayView src, qsizetype& pos,
                                                                     FrameSink& sink)
{
    if (m_headScanFrom == 0) {
        // RFC 9112 2.2: ignore empty lines before a message.
        while (pos < src.size() && (src[pos] == '\r' || src[pos] == '\n'))
            ++pos;
    }
    if (pos == src.size())
        return Step::NeedMore;
    const QByteArrayView rest = src.sliced(pos);
    const std::optional<qsizetype> end = findHeaderBlockEnd(rest, m_headScanFrom);
    // Too long whether or not its end has arrived yet, so the error does not depend on how
    // the stream was split into reads.
    if ((!end && rest.size() > m_maxHead) || (end && *end > m_maxHead))
        return failWith(Kind::BadHeader,
                        QStringLiteral("%1 head exceeds %2 bytes").arg(noun()).arg(m_maxHead), 431);
    if (!end)
        return Step::NeedMore;
    if (parseHead(rest.first(*end)) == Step::Failed)
        return Step::Failed;
    pos += *end;
    m_headScanFrom = 0;
    if (m_phase == Phase::Head) {
        if (isInterim())
            m_current = Message(); // e.g. 100 Continue: the final response follows
        else
            deliver(sink); // no body
    }
    return Step::Progress;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::parseHead(QByteArrayView head)
{
    const qsizetype lineEnd = head.indexOf('\n');
    QByteArrayView line = head.first(lineEnd);
    if (line.endsWith('\r'))
        line.chop(1);
    m_current = Message();
    if (const FrameError e = parseStartLine(line, m_current); e.isError())
        return failWith(e.kind, e.reason, e.httpStatus);
    if (!parseHttpHeaderLines(head.sliced(lineEnd + 1), m_current.headers))
        return failWith(Kind::BadHeader, QStringLiteral("malformed header line in %1").arg(noun()), 400);
    if (isInterim())
        return Step::Progress;
    m_current.keepAlive = m_current.version == "HTTP/1.1"
                              ? !httpHeadersHaveToken(m_current.headers, "Connection", "close")
                              : httpHeadersHaveToken(m_current.headers, "Connection", "keep-alive");
    return chooseBodyFraming();
}

template <bool isRequest> typename HttpParser<isRequest>::Step HttpParser<isRequest>::chooseBodyFraming()
{
    const HttpHeaders& headers = m_current.headers;
    if constexpr (!isRequest) {
        if (m_current.status == 204 || m_current.status == 304)
            return Step::Progress;
    }
    const HttpContentLength length = httpContentLength(headers, m_maxBody);
    if (hasHttpHeader(headers, "Transfer-Encoding")) {
        // Both framings at once is the classic request-smuggling setup (RFC 9112 6.1); in a
        // response the transfer coding simply wins (RFC 9112 6.3).
        if (isRequest && length.status != HttpContentLength::Status::Absent)
            return failWith(Kind::BadHeader, QStringLiteral("both Content-Length and Transfer-Encoding"),
                            400);
        const QByteArray coding = httpJoinedHeader(headers, "Transfer-Encoding");
        if (trimmedHttpWhitespace(coding).compare("chunked", Qt::CaseInsensitive) != 0)
            return failWith(Kind::BadHeader,
                            QStringLiteral("unsupported transfer coding: ") + QString::fromLatin1(coding),
                            501);
        m_phase = Phase::Chunked;
        m_chunked.reset();
    } else {
        switch (length.status) {
        case HttpContentLength::Status::Invalid:
            return failWith(Kind::BadHeader, QStringLiteral("invalid Content-Length in %1").arg(noun()), 400);
        case HttpContentLength::Status::TooLarge:
            return failWith(Kind::TooLarge,
                            QStringLiteral("%1 body exceeds %2 bytes").arg(noun()).arg(m_maxBody), 413);
        case HttpContentLength::Status::Valid:
            if (length.length > 0) {
                m_phase = Phase::Length;
                m_remaining = length.length;
            }
            break;
        case HttpContentLength::Status::Absent:
            // A request without a length has no body (e.g. GET); a response runs until the
            // server closes the connection.
            if constexpr (!isRequest) {
                m_phase = Phase::UntilClose;
                m_current.keepAlive = false;
            }
            break;
        }
    }
    if constexpr (!isRequest) {
        m_events.reset();
        if (m_phase != Phase::Head && m_current.status / 100 == 2 &&
            SseParser::isEventStream(httpHeader(headers, "Content-Type"))) {
            m_events = std::make_unique<SseParser>(m_maxBody);
            m_eventDelivered = false;
        }
    }
    if constexpr (isRequest) {
        m_expectContinue = m_phase != Phase::Head && m_current.version == "HTTP/1.1" &&
                           trimmedHttpWhitespace(httpJoinedHeader(headers, "Expect"))
                                   .compare("100-continue", Qt::CaseInsensitive) == 0;
    }
    return Step::Progress;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::readLengthBody(QByteArrayView src, qsizetype& pos,
                                                                           FrameSink& sink)
{
    if (m_events) {
        const qsizetype n = qMin(m_remaining, src.size() - pos);
        const QByteArrayView bytes = src.sliced(pos, n);
        pos += n;
        m_remaining -= n;
        if (!feedEvents(bytes, sink))
            return Step::Failed;
        if (m_remaining > 0)
            return Step::NeedMore;
        endEventStream(sink);
        return Step::Progress;
    }
    if (src.size() - pos < m_remaining)
        return Step::NeedMore;
    m_current.body = src.sliced(pos, m_remaining).toByteArray();
    pos += m_remaining;
    deliver(sink);
    return Step::Progress;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::readChunkedBody(QByteArrayView src,
                                                                            qsizetype& pos, FrameSink& sink)
{
    // An event stream's chunks are parsed as they come, so its size limit is per event.
    QByteArray eventBytes;
    const auto result =
        m_chunked.decode(src, pos, m_events ? eventBytes : m_current.body, m_maxBody, m_maxHead);
    if (m_events && !eventBytes.isEmpty() && !feedEvents(eventBytes, sink))
        return Step::Failed;
    switch (result) {
    case HttpChunkedDecoder::Result::NeedMore:
        return Step::NeedMore;
    case HttpChunkedDecoder::Result::Done:
        if (m_events)
            endEventStream(sink);
        else
            deliver(sink);
        return Step::Progress;
    case HttpChunkedDecoder::Result::Malformed:
        return failWith(Kind::Malformed, QString::fromLatin1(m_chunked.error()), 400);
    case HttpChunkedDecoder::Result::TooLarge:
        return failWith(Kind::TooLarge, QString::fromLatin1(m_chunked.error()), 413);
    }
    return Step::Failed;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::readUntilClose(QByteArrayView src, qsizetype& pos,
                                                                           FrameSink& sink)
{
    if (m_events) {
        const QByteArrayView bytes = src.sliced(pos);
        pos = src.size();
        return feedEvents(bytes, sink) ? Step::NeedMore : Step::Failed;
    }
    if (m_current.body.size() + (src.size() - pos) > m_maxBody)
        return failWith(Kind::TooLarge, QStringLiteral("%1 body exceeds %2 bytes").arg(noun()).arg(m_maxBody),
                        413);
    m_current.body.append(src.sliced(pos));
    pos = src.size();
    return Step::NeedMore;
}

template <bool isRequest> bool HttpParser<isRequest>::isInterim() const
{
    if constexpr (isRequest)
        return false;
    else
        return m_current.status < 200;
}

template <bool isRequest> void HttpParser<isRequest>::deliver(FrameSink& sink)
{
    Frame frame;
    frame.payload = m_current.body;
    if constexpr (isRequest)
        frame.request = &m_current;
    else
        frame.response = &m_current;
    sink.onFrame(frame);
    m_current = Message(); // a sink that keeps the message holds a shared copy
    m_phase = Phase::Head;
    m_remaining = 0;
    m_expectContinue = false;
    m_continuePending = false; // the body arrived: no 100 Continue is needed any more
}

template <bool isRequest> bool HttpParser<isRequest>::feedEvents(QByteArrayView bytes, FrameSink& sink)
{
    if (m_events->feed(bytes, [this, &sink](const SseEvent& event) { deliverEvent(event, sink); }))
        return true;
    failWith(Kind::TooLarge, m_events->error(), 0);
    return false;
}

template <bool isRequest> void HttpParser<isRequest>::deliverEvent(const SseEvent& event, FrameSink& sink)
{
    // "message" events carry JSON-RPC messages; other types are passed on when their data is
    // JSON all the same (servers name their events freely), and skipped otherwise (pings...).
    const QByteArrayView data = QByteArrayView(event.data).trimmed();
    const bool json = !data.isEmpty() && (data.front() == '{' || data.front() == '[');
    if (event.type != "message" && !json)
        return;
    if (data.isEmpty())
        return;
    m_current.body = event.data;
    Frame frame;
    frame.payload = m_current.body;
    if constexpr (!isRequest)
        frame.response = &m_current;
    sink.onFrame(frame);
    m_current.body.clear();
    m_eventDelivered = true;
}

template <bool isRequest> void HttpParser<isRequest>::endEventStream(FrameSink& sink)
{
    m_events.reset();
    if (!m_eventDelivered) {
        deliver(sink); // the body is empty: its content went to the event parser
        return;
    }
    m_current = Message();
    m_phase = Phase::Head;
    m_remaining = 0;
}

template <bool isRequest>
typename HttpParser<isRequest>::Step HttpParser<isRequest>::failWith(Kind kind, const QString& reason,
                                                                     int httpStatus)
{
    fail(kind, reason, isRequest ? httpStatus : 0);
    m_buf.clear();
    m_current = Message();
    m_continuePending = false;
    m_events.reset();
    return Step::Failed;
}

template <bool isRequest> bool HttpParser<isRequest>::hasPartial() const
{
    return !m_buf.isEmpty() || m_phase != Phase::Head;
}

template <bool isRequest> qsizetype HttpParser<isRequest>::bufferedBytes() const
{
    return m_buf.size() + m_current.body.size() + (m_events ? m_events->bufferedBytes() : 0);
}

template <bool isRequest> void HttpParser<isRequest>::reset()
{
    clearError();
    m_buf.clear();
    m_current = Message();
    m_phase = Phase::Head;
    m_remaining = 0;
    m_headScanFrom = 0;
    m_chunked.reset();
    m_expectContinue = false;
    m_continuePending = false;
    m_events.reset();
}

template <bool isRequest> QByteArray HttpParser<isRequest>::takeInterimReply()
{
    if (isRequest && std::exchange(m_continuePending, false))
        return QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");
    return {};
}

template class HttpParser<true>;
template class HttpParser<false>;

} // namespace rpcbench
