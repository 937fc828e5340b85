#include "client/CallTypes.h"

#include <QJsonDocument>

namespace rpcbench {

QString toString(CallStatus s)
{
    switch (s) {
    case CallStatus::Ok:
        return QStringLiteral("ok");
    case CallStatus::RpcError:
        return QStringLiteral("error");
    case CallStatus::TransportError:
        return QStringLiteral("transport error");
    case CallStatus::Timeout:
        return QStringLiteral("timeout");
    case CallStatus::Cancelled:
        return QStringLiteral("cancelled");
    case CallStatus::NoReply:
        return QStringLiteral("no reply");
    }
    return {};
}

QString toString(ClientState s)
{
    switch (s) {
    case ClientState::Disconnected:
        return QStringLiteral("disconnected");
    case ClientState::Connecting:
        return QStringLiteral("connecting");
    case ClientState::Connected:
        return QStringLiteral("connected");
    }
    return {};
}

QString CallResult::describe() const
{
    switch (status) {
    case CallStatus::Ok:
        return notification ? QStringLiteral("notification sent") : QStringLiteral("ok");
    case CallStatus::RpcError:
        return QStringLiteral("error %1: %2").arg(error.code).arg(error.message);
    case CallStatus::TransportError:
    case CallStatus::Timeout:
    case CallStatus::Cancelled:
    case CallStatus::NoReply:
        return transportError.isEmpty() ? toString(status) : transportError;
    }
    return {};
}

bool BatchResult::allOk() const
{
    if (status != CallStatus::Ok)
        return false;
    for (const CallResult& item : items)
        if (!item.ok())
            return false;
    return true;
}

void registerClientMetaTypes()
{
    // Registration is idempotent; the names matter for string-based lookups of signal types.
    qRegisterMetaType<rpcbench::CallRequest>("rpcbench::CallRequest");
    qRegisterMetaType<rpcbench::CallResult>("rpcbench::CallResult");
    qRegisterMetaType<rpcbench::BatchResult>("rpcbench::BatchResult");
    qRegisterMetaType<rpcbench::DiscoveryResult>("rpcbench::DiscoveryResult");
    qRegisterMetaType<rpcbench::ClientState>("rpcbench::ClientState");
    qRegisterMetaType<rpcbench::MethodInfo>("rpcbench::MethodInfo");
}

} // namespace rpcbench
