#include "server/ListenSpec.h"

#include <QRegularExpression>

namespace rpcbench {

namespace {

// Endpoint::parse wants a port a client can connect to (1-65535); a listener may ask for 0.
// Parses with port 1 in its place and puts the 0 back.
std::optional<Endpoint> parseWithPortZero(const QString& url, QString* error)
{
    static const QRegularExpression portZero(
        QStringLiteral("^([a-z+]+://(?:\\[[^\\]]*\\]|[^/:]*)):0+(/.*)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = portZero.match(url.trimmed());
    if (!m.hasMatch())
        return Endpoint::parse(url, error);
    auto ep = Endpoint::parse(m.captured(1) + QStringLiteral(":1") + m.captured(2), error);
    if (ep)
        ep->port = 0;
    return ep;
}

} // namespace

std::optional<ListenSpec> ListenSpec::parse(const QString& url, QString* error)
{
    QString reason;
    auto ep = parseWithPortZero(url, &reason);
    if (ep && ep->carrier == Carrier::Process)
        reason = QStringLiteral("a server cannot listen on a process (use serve --stdio)");
    else if (ep && ep->carrier != Carrier::Unix && ListenSpec{*ep, {}, {}}.bindAddress().isNull())
        reason =
            QStringLiteral("listen host '%1' is not an IP address (use 127.0.0.1, 0.0.0.0, ::, localhost)")
                .arg(ep->host);
    else if (ep)
        return ListenSpec{*ep, {}, {}};
    if (error)
        *error = QStringLiteral("invalid listen URL '%1': %2").arg(url, reason);
    return std::nullopt;
}

std::optional<Transport> ListenSpec::fixedFraming() const
{
    if (endpoint.transport == Transport::Lsp)
        return Transport::Lsp;
    return std::nullopt;
}

QHostAddress ListenSpec::bindAddress() const
{
    const QString host = endpoint.host;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    if (host == QLatin1String("*"))
        return QHostAddress(QHostAddress::Any);
    return QHostAddress(host);
}

} // namespace rpcbench
