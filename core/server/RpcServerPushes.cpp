// PLACEHOLDER (seam commit): helper H2 replaces this file with the real implementation.
#include "server/RpcServer.h"

namespace rpcbench {

QList<ConnectionInfo> RpcServer::connections() const
{
    return {};
}
int RpcServer::notifyClient(quint64, const QString&, const QJsonValue&)
{
    return 0;
}
quint64 RpcServer::requestClient(quint64, const QString&, const QJsonValue&, int)
{
    return 0;
}

} // namespace rpcbench
