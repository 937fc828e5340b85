#include "protocol/RpcTypes.h"

namespace rpcbench {

QString toString(Dialect d)
{
    switch (d) {
    case Dialect::Unknown:
        return QStringLiteral("?");
    case Dialect::JsonRpc2:
        return QStringLiteral("2.0");
    case Dialect::JsonRpc1:
        return QStringLiteral("1.0");
    case Dialect::Classic:
        return QStringLiteral("classic");
    }
    return {};
}

std::optional<Dialect> dialectFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"2.0" || t == u"2")
        return Dialect::JsonRpc2;
    if (t == u"1.0" || t == u"1")
        return Dialect::JsonRpc1;
    if (t == u"classic")
        return Dialect::Classic;
    return std::nullopt;
}

QString toString(MessageKind k)
{
    switch (k) {
    case MessageKind::Request:
        return QStringLiteral("request");
    case MessageKind::Notification:
        return QStringLiteral("notification");
    case MessageKind::Response:
        return QStringLiteral("response");
    case MessageKind::Error:
        return QStringLiteral("error");
    case MessageKind::Batch:
        return QStringLiteral("batch");
    case MessageKind::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

QString toString(Side s)
{
    switch (s) {
    case Side::Server:
        return QStringLiteral("server");
    case Side::Client:
        return QStringLiteral("client");
    case Side::Proxy:
        return QStringLiteral("proxy");
    }
    return {};
}

QString toString(Direction d)
{
    return d == Direction::In ? QStringLiteral("in") : QStringLiteral("out");
}

} // namespace rpcbench
