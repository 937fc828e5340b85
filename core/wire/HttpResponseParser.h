#pragma once
// Incremental HTTP/1.1 response parser for the client side: Content-Length, chunked, and
// "read until close" bodies; skips interim 1xx responses.

#include "wire/HttpMessage.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace rpcbench {

class HttpResponseParser
{
public:
    enum class Status { Ok, Error };

    explicit HttpResponseParser(qsizetype maxBodyBytes = 256 * 1024 * 1024);

    Status feed(QByteArrayView data, QList<HttpResponse>& out);
    // The peer closed: completes a "read until close" body, if one was in progress.
    Status finish(QList<HttpResponse>& out);
    bool hasPartial() const;
    QString errorString() const { return m_error; }
    void reset();

private:
    enum class Phase : quint8 { Head, Body, Chunked, UntilClose };

    Status fail(const QString& error);
    // Parses a status line + headers; interim 1xx responses are dropped here. Returns false
    // after fail().
    bool parseHead(QByteArrayView head, bool& interim);
    void completeResponse(QList<HttpResponse>& out);

    static constexpr qsizetype kMaxHeadBytes = 256 * 1024;

    qsizetype m_maxBody;
    QByteArray m_buf; // unconsumed bytes
    QString m_error;
    HttpResponse m_current;
    Phase m_phase = Phase::Head;
    qsizetype m_remaining = 0;
    qsizetype m_headerScanFrom = 0;
    HttpChunkedState m_chunk;
    bool m_failed = false;
};

} // namespace rpcbench
