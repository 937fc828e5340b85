// PLACEHOLDER (seam commit): helper H1 replaces this file with the real implementation.
#include "client/RpcClientPrivate.h"

namespace rpcbench {

void RpcClient::setInitSequence(const QList<InitStep>&) {}
void RpcClient::setClientMethods(std::shared_ptr<MethodRegistry>) {}
void RpcClient::setHoldUnanswered(bool, int) {}
void RpcClient::answerHeld(quint64, const RpcResult&) {}
void RpcClient::rejectHeld(quint64) {}

} // namespace rpcbench
