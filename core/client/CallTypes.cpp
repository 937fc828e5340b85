#include "client/CallTypes.h"

#include <QJsonDocument>

namespace rpcbench {

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
    qRegisterMetaType<rpcbench::CallProgress>("rpcbench::CallProgress");
    qRegisterMetaType<rpcbench::BatchResult>("rpcbench::BatchResult");
    qRegisterMetaType<rpcbench::DiscoveryResult>("rpcbench::DiscoveryResult");
    qRegisterMetaType<rpcbench::ClientState>("rpcbench::ClientState");
    qRegisterMetaType<rpcbench::MethodInfo>("rpcbench::MethodInfo");
}

} // namespace rpcbench
