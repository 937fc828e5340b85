// PLACEHOLDER (seam commit): helper H1 replaces this file with the real implementation.
#include "client/InitSequence.h"

namespace rpcbench {

bool operator==(const InitStep&, const InitStep&)
{
    return false;
}
std::optional<QList<InitStep>> InitSequence::fromJson(const QJsonValue&, QString* error)
{
    *error = QStringLiteral("not implemented yet");
    return std::nullopt;
}
std::optional<QList<InitStep>> InitSequence::load(const QString&, QString* error)
{
    *error = QStringLiteral("not implemented yet");
    return std::nullopt;
}
QJsonArray InitSequence::toJson(const QList<InitStep>&)
{
    return {};
}
std::optional<QJsonValue> InitSequence::resolve(const QJsonValue& params, const QList<QJsonValue>&, QString*)
{
    return params;
}

} // namespace rpcbench
