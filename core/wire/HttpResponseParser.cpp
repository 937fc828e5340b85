#include "wire/HttpResponseParser.h"

#include "wire/HttpTypes.h"

namespace rpcbench {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

FrameError malformed(const QString& reason)
{
    return FrameError{FrameError::Kind::Malformed, reason, 0};
}

} // namespace

// "HTTP/1.1 200 OK"; the reason phrase may be empty or missing. 101 is refused: we never ask
// to switch protocols.
FrameError parseStartLine(QByteArrayView line, HttpResponse& out)
{
    const bool wellFormed =
        line.size() >= 12 && (line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) &&
        isDigit(line[9]) && isDigit(line[10]) && isDigit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!wellFormed) {
        return malformed(QStringLiteral("malformed status line: %1")
                             .arg(QString::fromLatin1(line.first(qMin<qsizetype>(80, line.size())))));
    }
    const int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100 || status > 599) {
        // RFC 9110 section 15: values outside 100..599 are invalid (found by fuzzing).
        return malformed(QStringLiteral("invalid status code %1").arg(status));
    }
    if (status == 101)
        return malformed(QStringLiteral("unexpected 101 Switching Protocols"));
    out.version = internHttpToken(line.first(8));
    out.status = status;
    out.reason = line.size() > 13 ? line.sliced(13).toByteArray() : QByteArray();
    return {};
}

} // namespace rpcbench
