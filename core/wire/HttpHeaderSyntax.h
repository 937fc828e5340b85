#pragma once
// Header-block syntax shared by the HTTP parsers and the LSP framer (RFC 9110/9112): where a
// header block ends, "Name: value" lines, token lists and Content-Length.

#include "wire/HttpTypes.h"

#include <QByteArrayView>

#include <optional>

namespace rpcbench {

// RFC 9110 tchar, the bytes of a method or a header name.
bool isHttpTokenChar(char c);
// Control bytes (except tab), never allowed in a header value or a request target.
bool isHttpCtl(char c);
// `v` without leading and trailing spaces and tabs.
QByteArrayView trimmedHttpWhitespace(QByteArrayView v);

// Finds the blank line that ends a header block starting at buf[0]. The search resumes at
// `scanFrom` (updated), so repeated calls on a growing buffer look at each byte once. Lines may
// end in CRLF or a bare LF. Returns the offset just past the blank line; nullopt while it has
// not arrived.
std::optional<qsizetype> findHeaderBlockEnd(QByteArrayView buf, qsizetype& scanFrom);

// Parses "Name: value" lines up to the first empty line (or the end of `block`) and appends
// them to `out`. Rejects (false) obs-fold continuation lines, lines without a colon,
// whitespace or non-token bytes in the name, and control bytes in the value. Values are
// trimmed of spaces and tabs; common names and values are interned (internHttpToken).
bool parseHttpHeaderLines(QByteArrayView block, HttpHeaders& out);

// Splits a comma-separated header value and reports whether one element equals `token`
// (case-insensitive), e.g. httpHeaderHasToken("keep-alive, Upgrade", "upgrade").
bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token);
// The same over every header called `name`, as if they were joined into one list (RFC 9110
// 5.3) — without building the joined value.
bool httpHeadersHaveToken(const HttpHeaders& headers, QByteArrayView name, QByteArrayView token);
// All values of a (possibly repeated) header joined with ", "; empty when absent.
QByteArray httpJoinedHeader(const HttpHeaders& headers, QByteArrayView name);
bool hasHttpHeader(const HttpHeaders& headers, QByteArrayView name);

// Content-Length from all given header values: each must be a decimal number (a
// comma-separated list of identical numbers is tolerated) and all must agree.
struct HttpContentLength
{
    enum class Status : quint8 {
        Absent,
        Valid,
        Invalid, // not a number, or conflicting values
        TooLarge // a number over the caller's limit
    };
    Status status = Status::Absent;
    qsizetype length = 0; // when Valid
};
HttpContentLength httpContentLength(const HttpHeaders& headers, qsizetype max);

} // namespace rpcbench
