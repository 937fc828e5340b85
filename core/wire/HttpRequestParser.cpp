#include "wire/HttpRequestParser.h"

#include "wire/HttpHeaderSyntax.h"

namespace rpcbench {

namespace {

bool isValidMethod(QByteArrayView method)
{
    if (method.isEmpty())
        return false;
    for (char c : method) {
        if (!isHttpTokenChar(c))
            return false;
    }
    return true;
}

bool isValidTarget(QByteArrayView target)
{
    if (target.isEmpty())
        return false;
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return false;
    }
    return true;
}

// "HTTP/" followed by digits and dots: a version, maybe one we do not speak (→ 505).
bool looksLikeHttpVersion(QByteArrayView v)
{
    if (!v.startsWith("HTTP/") || v.size() == 5)
        return false;
    for (char c : v.sliced(5)) {
        if (!(c >= '0' && c <= '9') && c != '.')
            return false;
    }
    return true;
}

FrameError malformed(const QString& reason, int httpStatus = 400)
{
    return FrameError{FrameError::Kind::Malformed, reason, httpStatus};
}

} // namespace

// "POST /rpc HTTP/1.1": 400 when malformed, 505 for a well-formed version other than 1.0/1.1.
FrameError parseStartLine(QByteArrayView line, HttpRequest& out)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return malformed(QStringLiteral("malformed request line"));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isValidMethod(method) || !isValidTarget(target) || !looksLikeHttpVersion(version))
        return malformed(QStringLiteral("malformed request line"));
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return malformed(QStringLiteral("unsupported HTTP version ") + QString::fromLatin1(version), 505);
    out.method = internHttpToken(method);
    out.target = internHttpToken(target);
    out.version = internHttpToken(version);
    return {};
}

} // namespace rpcbench
