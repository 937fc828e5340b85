#pragma once
// Parsed HTTP/1.1 messages (request on the server side, response on the client side) and
// response serialisation.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace rpcbench {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>; // names as received

// Case-insensitive header lookup; empty when absent.
QByteArray httpHeader(const HttpHeaders& headers, QByteArrayView name);

struct HttpRequest
{
    QByteArray method;  // "POST"
    QByteArray target;  // "/rpc"
    QByteArray version; // "HTTP/1.1"
    HttpHeaders headers;
    QByteArray body;       // de-chunked
    bool keepAlive = true; // HTTP/1.1 default, "Connection: close" or HTTP/1.0 without keep-alive → false
};

struct HttpResponse
{
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body; // de-chunked
    bool keepAlive = true;
};

// Serialises a response: status line, Content-Type (when body non-empty or contentType given),
// Content-Length, Connection: keep-alive/close, then the body.
QByteArray buildHttpResponse(int status, const QByteArray& body, bool keepAlive,
                             const QByteArray& contentType = "application/json",
                             const HttpHeaders& extraHeaders = {});
// Standard reason phrase for a status code ("OK", "Bad Request", ...).
QByteArray httpReasonPhrase(int status);

// `text` as a QByteArray; common request-line tokens, header names and values come from
// static storage (no allocation).
QByteArray internHttpToken(QByteArrayView text);

// Serialises a POST request (client side).
QByteArray buildHttpPost(const QByteArray& host, const QByteArray& path, const QByteArray& body,
                         const QByteArray& contentType = "application/json");

// ---- Parsing helpers shared by HttpRequestParser, HttpResponseParser and LspFramer ----

// Finds the blank line that ends a header block starting at buf[0]. The search resumes at
// `scanFrom` (updated), so repeated calls on a growing buffer look at each byte once. Lines may
// end in CRLF or a bare LF. Returns the offset just past the blank line, or -1.
qsizetype findHeaderBlockEnd(QByteArrayView buf, qsizetype& scanFrom);

// Parses "Name: value" lines up to the first empty line (or the end of `block`). Rejects
// obs-fold continuation lines, lines without a colon, whitespace or non-token bytes in the
// name, and control bytes in the value. Values are trimmed of spaces and tabs.
bool parseHttpHeaderLines(QByteArrayView block, HttpHeaders& out);

// Splits a comma-separated header value and reports whether one element equals `token`
// (case-insensitive), e.g. httpHeaderHasToken("keep-alive, Upgrade", "upgrade").
bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token);

// Parses a Content-Length value from all given header values: each must be a decimal number
// (a comma-separated list of identical numbers is tolerated) and all must agree. Returns -1
// when absent, -2 when invalid or conflicting, -3 when the number exceeds `max`.
qsizetype httpContentLength(const HttpHeaders& headers, qsizetype max);

// Incremental decoder state for a chunked body (RFC 9112 section 7.1).
struct HttpChunkedState
{
    enum class Phase : quint8 { Size, Data, DataEnd, Trailers };
    Phase phase = Phase::Size;
    qsizetype remaining = 0; // bytes left in the current chunk
    qsizetype scanFrom = 0;  // resume offset of the current line/trailer search (from pos)
};

enum class HttpChunkResult { NeedMore, Done, Malformed, TooLarge };

// Decodes chunked data from buf[pos...]: appends chunk data to `body` and advances `pos` past
// everything consumed. Chunk extensions are skipped, trailers validated and dropped. A chunk
// line or the trailer block longer than `maxLine` is Malformed; a body beyond `maxBody` is
// TooLarge (decided from the chunk size, before the data arrives). `error` gets a short text.
HttpChunkResult decodeHttpChunked(QByteArrayView buf, qsizetype& pos, HttpChunkedState& state,
                                  QByteArray& body, qsizetype maxBody, qsizetype maxLine, QByteArray& error);

} // namespace rpcbench
