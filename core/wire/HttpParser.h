#pragma once
// The incremental HTTP/1.1 parser core, written once for both sides (like Boost.Beast's
// basic_parser<isRequest>): head scanning and its size limit, header lines, Content-Length,
// chunked and read-until-close bodies, pipelining, and the Framer contract. Bytes are scanned
// once: a feed resumes where the previous one stopped.
//
// What differs per side is the start line (parseStartLine, defined in HttpRequestParser.cpp
// and HttpResponseParser.cpp) and a few rules, marked `isRequest` in HttpParser.cpp:
//  - a request without Content-Length or chunked coding has no body; a response then runs
//    until the server closes (delivered by finish());
//  - a request with both Content-Length and Transfer-Encoding is rejected (smuggling, RFC 9112
//    6.1); in a response the transfer coding wins (RFC 9112 6.3);
//  - interim 1xx responses are skipped; 204 and 304 responses have no body;
//  - responses only: a 2xx "text/event-stream" body (MCP Streamable HTTP) is not one message
//    but a stream of events, parsed as it arrives (SseParser, whatever the body framing), each
//    event delivered at once as a frame of its own (see deliverEvent());
//  - requests only: "Expect: 100-continue", and errors carry the status to answer (400
//    malformed, 413 body too large, 431 head too large, 501 transfer coding, 505 version).

#include "wire/Framer.h"
#include "wire/HttpChunked.h"
#include "wire/HttpTypes.h"
#include "wire/SseParser.h"
#include "wire/TailBuffer.h"

#include <memory>
#include <type_traits>

namespace rpcbench {

// The start line of each side ("POST /rpc HTTP/1.1", "HTTP/1.1 200 OK"; CRLF removed) into
// `out`. A returned error (kind Malformed) stops the parser.
FrameError parseStartLine(QByteArrayView line, HttpRequest& out);
FrameError parseStartLine(QByteArrayView line, HttpResponse& out);

template <bool isRequest> class HttpParser : public Framer
{
public:
    using Message = std::conditional_t<isRequest, HttpRequest, HttpResponse>;

    // `maxHeadBytes` bounds the start line plus headers, and also a chunk-size line and a
    // trailer block.
    HttpParser(qsizetype maxBodyBytes, qsizetype maxHeadBytes);

    // Complete messages go to the sink with Frame::request (or Frame::response) set and the
    // body as the payload.
    bool feed(QByteArrayView data, FrameSink& sink) override;
    // Delivers a response whose body ran until the close; fails (Truncated) inside a message.
    bool finish(FrameSink& sink) override;
    bool hasPartial() const override;
    qsizetype bufferedBytes() const override;
    void reset() override;

    // Requests only: "HTTP/1.1 100 Continue" once per request whose head carried
    // "Expect: 100-continue" and whose body has not arrived yet.
    QByteArray takeInterimReply() override;

private:
    enum class Phase : quint8 { Head, Length, Chunked, UntilClose };
    enum class Step : quint8 { Progress, NeedMore, Failed };

    Step readHead(QByteArrayView src, qsizetype& pos, FrameSink& sink);
    Step readLengthBody(QByteArrayView src, qsizetype& pos, FrameSink& sink);
    Step readChunkedBody(QByteArrayView src, qsizetype& pos, FrameSink& sink);
    Step readUntilClose(QByteArrayView src, qsizetype& pos, FrameSink& sink);
    // Start line, headers, keep-alive and body framing of the head at the start of `head`.
    Step parseHead(QByteArrayView head);
    Step chooseBodyFraming();
    bool isInterim() const;
    void deliver(FrameSink& sink);
    // Event streams: parses body bytes, delivers the events they complete; false on error.
    bool feedEvents(QByteArrayView bytes, FrameSink& sink);
    // Event streams: one event's data as a frame with the response head (payload = the data).
    // The end of the stream delivers nothing, unless no event came at all: then an empty body,
    // so the client sees an answer without a reply.
    void deliverEvent(const SseEvent& event, FrameSink& sink);
    void endEventStream(FrameSink& sink);
    Step failWith(FrameError::Kind kind, const QString& reason, int httpStatus);
    static QLatin1String noun() { return QLatin1String(isRequest ? "request" : "response"); }

    qsizetype m_maxBody;
    qsizetype m_maxHead;
    TailBuffer m_buf; // unconsumed bytes (start of a head, an incomplete body or chunk line)
    Message m_current;
    Phase m_phase = Phase::Head;
    qsizetype m_remaining = 0;    // Content-Length body size still to come
    qsizetype m_headScanFrom = 0; // resume offset of the blank-line search in the head
    HttpChunkedDecoder m_chunked;
    bool m_expectContinue = false;       // request side: Expect: 100-continue, not signalled yet
    bool m_continuePending = false;      // request side: signalled, not taken yet
    std::unique_ptr<SseParser> m_events; // response side: the body is an event stream
    bool m_eventDelivered = false;       // response side: this stream delivered an event
};

extern template class HttpParser<true>;
extern template class HttpParser<false>;

} // namespace rpcbench
