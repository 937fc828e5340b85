#include "wire/Endpoint.h"

#include <QHostAddress>

namespace rpcbench {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

std::optional<Transport> transportForScheme(const QString& scheme)
{
    if (scheme == QLatin1String("tcp"))
        return Transport::JsonStream;
    if (scheme == QLatin1String("tcp+lsp"))
        return Transport::Lsp;
    if (scheme == QLatin1String("http"))
        return Transport::Http;
    return std::nullopt;
}

QString schemeFor(Transport t)
{
    switch (t) {
    case Transport::JsonStream:
        return QStringLiteral("tcp");
    case Transport::Lsp:
        return QStringLiteral("tcp+lsp");
    case Transport::Http:
        return QStringLiteral("http");
    }
    return {};
}

// The part after "scheme://" up to the path: "host:port", "[::1]:80", "host".
bool splitAuthority(const QString& authority, QString* host, QString* portText, QString* error)
{
    if (authority.contains(QLatin1Char('@')))
        return fail(error, QStringLiteral("user information is not supported in URLs"));
    if (authority.startsWith(QLatin1Char('['))) {
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(error, QStringLiteral("unterminated IPv6 address '%1'").arg(authority));
        *host = authority.mid(1, close - 1);
        const QString rest = authority.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':')))
            return fail(error, QStringLiteral("unexpected '%1' after IPv6 address").arg(rest));
        *portText = rest.mid(1);
        if (QHostAddress(*host).protocol() != QAbstractSocket::IPv6Protocol)
            return fail(error, QStringLiteral("invalid IPv6 address '%1'").arg(*host));
        return true;
    }
    const qsizetype colon = authority.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && authority.indexOf(QLatin1Char(':')) != colon)
        return fail(error,
                    QStringLiteral("IPv6 addresses must be written in brackets, e.g. tcp://[::1]:5000"));
    *host = colon < 0 ? authority : authority.left(colon);
    *portText = colon < 0 ? QString() : authority.mid(colon + 1);
    return true;
}

bool parsePort(const QString& text, Transport transport, bool hadColon, quint16* port, QString* error)
{
    if (text.isEmpty()) {
        if (transport == Transport::Http && !hadColon) {
            *port = 80;
            return true;
        }
        return fail(error, QStringLiteral("missing port (e.g. tcp://127.0.0.1:5000)"));
    }
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value == 0 || value > 65535)
        return fail(error, QStringLiteral("invalid port '%1' (1-65535)").arg(text));
    *port = quint16(value);
    return true;
}

} // namespace

std::optional<Endpoint> Endpoint::parse(const QString& input, QString* error)
{
    const QString url = input.trimmed();
    if (url.isEmpty()) {
        fail(error, QStringLiteral("empty URL"));
        return std::nullopt;
    }
    const qsizetype sep = url.indexOf(QLatin1String("://"));
    const QString scheme = sep < 0 ? QStringLiteral("tcp") : url.left(sep).toLower();
    const QString rest = sep < 0 ? url : url.mid(sep + 3);

    Endpoint ep;
    const auto transport = transportForScheme(scheme);
    if (!transport) {
        const QString hint = scheme == QLatin1String("https")
                                 ? QStringLiteral("https is not supported; ")
                                 : QStringLiteral("unsupported scheme '%1' ").arg(scheme);
        fail(error, hint + QStringLiteral("(use tcp://, tcp+lsp:// or http://)"));
        return std::nullopt;
    }
    ep.transport = *transport;

    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString authority = slash < 0 ? rest : rest.left(slash);
    const QString path = slash < 0 ? QString() : rest.mid(slash);
    if (!path.isEmpty() && path != QLatin1String("/") && ep.transport != Transport::Http) {
        fail(error, QStringLiteral("%1:// URLs take no path ('%2')").arg(scheme, path));
        return std::nullopt;
    }
    if (ep.transport == Transport::Http && !path.isEmpty())
        ep.path = path;

    QString portText;
    if (!splitAuthority(authority, &ep.host, &portText, error))
        return std::nullopt;
    if (ep.host.isEmpty()) {
        fail(error, QStringLiteral("missing host in '%1'").arg(url));
        return std::nullopt;
    }
    const bool hadColon = authority.endsWith(QLatin1Char(':'));
    if (!parsePort(portText, ep.transport, hadColon, &ep.port, error))
        return std::nullopt;
    return ep;
}

QString Endpoint::authority() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

QString Endpoint::toString() const
{
    QString s = schemeFor(transport) + QLatin1String("://") + authority();
    if (transport == Transport::Http)
        s += path.isEmpty() ? QStringLiteral("/") : path;
    return s;
}

} // namespace rpcbench
