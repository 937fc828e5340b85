#pragma once
// The message handler of `rpcbench serve --replay` (see dispatch/MessageHandler.h): a recorded
// session (RecordedSession) stands in for the server that was recorded.
//
// A request is matched to the recorded calls by method and params, compared as
// RecordedCalls::comparable() compares replies: without id and jsonrpc, and without the members
// the ignore pointers name (into the request: "/params/processId"). The n-th request matching
// the same recorded calls gets the n-th recorded reply, and the last again once they run out,
// with the new request's id. The server messages recorded around that call are sent around
// its reply; a client notification matching a recorded one brings the server messages that
// followed it. The recording's opening messages go out when a connection's first message
// arrives (the seam has no "connected" hook), before its answer.
//
// No match: -32601 when the method was never called in the recording, else -32602 with the
// closest recorded params and the pointers that differ in the error's data. Batches are
// answered element by element. Each connection replays on its own.
//
// Runs on the server's worker thread only (handle() and connectionClosed() are called there).
#include "dispatch/MessageHandler.h"
#include "proxy/RecordedSession.h"

#include <QHash>
#include <QStringList>

#include <unordered_map>

namespace rpcbench {

class ReplayHandler final : public MessageHandler
{
public:
    // `ignore`: valid JSON Pointers (RecordedCalls::isValidPointer) into the request.
    ReplayHandler(RecordedSession session, QStringList ignore = {});

    void handle(const QByteArray& message, QObject* context, ReplyCallback done, MessageSummary* summary,
                const ReplySink* replies = nullptr) override;
    void connectionClosed(quint64 connectionId) override;

    const RecordedSession& session() const { return m_session; }

private:
    struct Connection
    {
        bool opened = false;
        QHash<QByteArray, int> used; // match key -> how many requests it has answered
    };
    // What one message brings: its reply (an object, a batch's array, Undefined: none) and the
    // server messages around it.
    struct Answer
    {
        QJsonValue reply = QJsonValue::Undefined;
        QList<QByteArray> before;
        QList<QByteArray> after;
    };

    QByteArray keyOf(const QJsonObject& message, bool call) const;
    Answer answerMessage(const QByteArray& message, Connection& connection) const;
    Answer answerObject(const QJsonObject& message, Connection& connection) const;
    const RecordedExchange* next(const QByteArray& key, Connection& connection) const;
    QJsonObject noMatch(const QJsonObject& request) const;

    RecordedSession m_session;
    QStringList m_ignore;
    QHash<QByteArray, QList<int>> m_byKey;      // match key -> exchanges, in recorded order
    QHash<QString, QList<int>> m_callsByMethod; // for the closest params of a failed match
    std::unordered_map<quint64, Connection> m_connections;
};

} // namespace rpcbench
