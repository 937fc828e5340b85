#pragma once
// An incremental parser for a text/event-stream body (the W3C/WHATWG EventSource rules, as MCP
// Streamable HTTP uses them): lines end with CR, LF or CRLF (a CRLF split over two feeds is
// one line end); a UTF-8 BOM at the start is dropped; ":" starts a comment; the fields are
// data (several lines joined with "\n"), event, id (kept across events, ignored when it holds
// NUL) and retry (digits only); a blank line dispatches the event, unless it has no data. An
// incomplete event at the end of the stream is dropped, as EventSource does.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace rpcbench {

struct SseEvent
{
    QByteArray type = "message"; // the event: field, "message" when absent
    QByteArray data;             // the data: lines joined with "\n"
    QByteArray id;               // the last event id seen so far (possibly from an earlier event)
};

class SseParser
{
public:
    using Sink = std::function<void(const SseEvent&)>;

    // `maxEventBytes` bounds one line and one event's data (the stream itself may run forever).
    explicit SseParser(qsizetype maxEventBytes = 16 * 1024 * 1024) : m_max(maxEventBytes) {}

    // Parses the bytes; every event they complete goes to `sink`, in order. False once a line
    // or an event is over the limit (error() says so); nothing more is parsed until reset().
    bool feed(QByteArrayView data, const Sink& sink);
    void reset() { *this = SseParser(m_max); }

    const QString& error() const { return m_error; }
    QByteArray lastEventId() const { return m_lastId; }
    int retryMs() const { return m_retryMs; } // -1 until the server sends retry:
    qsizetype bufferedBytes() const { return m_line.size() + m_data.size(); }

    // True for a Content-Type header value naming an event stream ("text/event-stream;
    // charset=utf-8"), case-insensitively.
    static bool isEventStream(QByteArrayView contentType);

private:
    bool takeLine(QByteArrayView line, const Sink& sink);
    void dispatch(const Sink& sink);

    qsizetype m_max;
    QByteArray m_line; // an incomplete line from earlier feeds
    QByteArray m_data; // data lines of the current event, each followed by "\n"
    QByteArray m_type;
    QByteArray m_lastId;
    int m_retryMs = -1;
    bool m_afterCR = false;  // the last byte was CR: a following LF belongs to that line end
    bool m_firstLine = true; // the BOM check is still due
    bool m_hasData = false;  // a data: field was seen (data may still be empty)
    QString m_error;
};

} // namespace rpcbench
