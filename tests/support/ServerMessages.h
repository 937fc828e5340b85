#pragma once
// Messages a server sends a client (a request to it, a subscription event), for tests of the
// client's incoming side.

#include <QJsonDocument>
#include <QJsonObject>

namespace rpcbench::test {

inline QByteArray serverRequest(int id, const QString& method)
{
    return QJsonDocument(
               QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", QJsonObject{}}})
        .toJson(QJsonDocument::Compact);
}

inline QByteArray subscriptionEvent(const QString& subscription, int n)
{
    return QJsonDocument(QJsonObject{{"jsonrpc", "2.0"},
                                     {"method", "eth_subscription"},
                                     {"params", QJsonObject{{"subscription", subscription}, {"result", n}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace rpcbench::test
