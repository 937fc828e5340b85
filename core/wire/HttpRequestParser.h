#pragma once
// Incremental HTTP/1.1 request parser for the server side. Handles pipelined requests,
// Content-Length and chunked bodies, `Expect: 100-continue`, and rejects malformed input with
// a status code the connection sends before closing. Bytes are scanned once: the parser
// resumes where the previous feed stopped.

#include "wire/HttpMessage.h"

#include <QByteArrayView>
#include <QList>

namespace rpcbench {

class HttpRequestParser
{
public:
    enum class Status { Ok, Error };

    explicit HttpRequestParser(qsizetype maxBodyBytes = 16 * 1024 * 1024,
                               qsizetype maxHeaderBytes = 64 * 1024);

    // Appends bytes; complete requests go to `out`. On Error, errorStatus() is the HTTP status
    // to answer (400 malformed, 413 body too large, 431 headers too large, 501 unsupported
    // transfer coding, 505 bad version) and errorReason() a short human text; the parser stays
    // failed until reset().
    Status feed(QByteArrayView data, QList<HttpRequest>& out);

    // True once per request whose head carried "Expect: 100-continue" and whose body has not
    // arrived yet: the caller then writes "HTTP/1.1 100 Continue\r\n\r\n".
    bool takeContinueRequest();

    bool hasPartial() const;
    qsizetype bufferedBytes() const;
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorReason() const { return m_errorReason; }
    void reset();

private:
    enum class Phase : quint8 { Head, Body, Chunked };

    Status fail(int status, const QByteArray& reason);
    // Parses one request head (request line + header lines + blank line) into m_current and
    // decides how the body is framed. Returns false after fail().
    bool parseHead(QByteArrayView head);
    void completeRequest(QList<HttpRequest>& out);

    qsizetype m_maxBody;
    qsizetype m_maxHeader;
    QByteArray m_buf; // unconsumed bytes (start of a head, an incomplete body or chunk line)
    int m_errorStatus = 0;
    QByteArray m_errorReason;
    bool m_continuePending = false;
    bool m_expectContinue = false; // current request sent Expect: 100-continue, not signalled yet
    // parse state for the current request
    HttpRequest m_current;
    Phase m_phase = Phase::Head;
    qsizetype m_remaining = 0;      // Content-Length body size still to come
    qsizetype m_headerScanFrom = 0; // resume offset of the blank-line search in the head
    HttpChunkedState m_chunk;
};

} // namespace rpcbench
