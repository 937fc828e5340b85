#pragma once
// Private to RpcClient's implementation (RpcClient.cpp: entry points and call bookkeeping;
// RpcClientLinks.cpp: connections and reply routing; RpcClientIncoming.cpp: answering the
// server's requests; RpcClientProgress.cpp: progress; RpcClientInit.cpp: the handshake).
// Not for other users.

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
    Callback callback;                // internal calls (discovery) report here instead of a signal
    bool handshake = false;           // an init step: written while the other calls wait
    bool resetsOnProgress = false;    // CallRequest::timeoutResetsOnProgress
    QList<QByteArray> progressTokens; // compact JSON of the tokens its params named
};

struct RpcClient::Link
{
    ClientConnection* conn = nullptr; // child of the client, deleted with deleteLater
    bool shared = false;
    bool connected = false;
    QList<quint64> waiting;        // calls queued until the connection is up
    QList<quint64> inflight;       // written, waiting for a reply (send order)
    std::deque<quint64> httpOrder; // HTTP answers come in request order: owner of each
    // The handshake (InitSequence) runs while `initializing`; calls wait in `waiting`.
    bool initializing = false;
    qsizetype initIndex = 0;
    QList<QJsonValue> initResults; // one per step done (notifications: Undefined)
    // HTTP: our answers to the server's requests go out as POSTs on a second connection, since
    // the main one may be busy streaming the very reply that waits for them.
    ClientConnection* answers = nullptr; // child of the client
    QList<QByteArray> answerQueue;       // until `answers` is connected
};

// A server request waiting for the user (setHoldUnanswered).
struct RpcClient::Held
{
    quint64 linkId = 0;
    QJsonValue id; // as the server sent it
    int timerId = 0;
    int timeoutMs = 0; // what it was held for (the setting may change meanwhile)
};

} // namespace rpcbench
