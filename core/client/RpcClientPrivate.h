#pragma once
// Private to RpcClient's implementation (RpcClient.cpp: entry points and call bookkeeping;
// RpcClientLinks.cpp: connections and reply routing). Not for other users.

#include "client/RpcClient.h"

#include <QJsonArray>

#include <deque>

namespace rpcbench {

struct RpcClient::Pending
{
    quint64 id = 0;
    bool isBatch = false;
    bool notification = false; // a notification, or a batch of notifications only
    QString method;
    QJsonValue jsonId = QJsonValue::Undefined;
    QList<CallResult> items; // batch: one per request, in request order
    QByteArray payload;      // compact JSON to send
    int timeoutMs = 0;
    int timerId = 0;
    quint64 linkId = 0;
    qint64 sentUs = 0; // MonotonicClock, just before the request was written
    QList<qint64> idKeys;
    Callback callback; // internal calls (discovery) report here instead of a signal
};

struct RpcClient::Link
{
    ClientConnection* conn = nullptr; // child of the client, deleted with deleteLater
    bool shared = false;
    bool connected = false;
    QList<quint64> waiting;        // calls queued until the connection is up
    QList<quint64> inflight;       // written, waiting for a reply (send order)
    std::deque<quint64> httpOrder; // HTTP answers come in request order: owner of each
};

} // namespace rpcbench
