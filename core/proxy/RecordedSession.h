#pragma once
// A recorded session for `rpcbench serve --replay`: what a client sent a server (calls with
// their recorded replies, and notifications), in recorded order, with the messages the server
// sent on its own (notifications, its own requests) placed where they came. Read from a
// traffic log (JSON Lines, traffic/TrafficEventCodec.h); pure, tested without a network.
//
// Which events: the server's own view when the log has one (side server or proxy: "in" is
// client->server), else the client's (side client: "out" is client->server). A GUI log holding
// both views of one call would otherwise replay every call twice.
//
// Where a server message goes: after the latest message the client had sent on that
// connection — before that message's reply when the reply had not been sent yet (progress,
// log messages while a call runs), after it otherwise (an LSP server's publishDiagnostics after
// didOpen). Server messages sent before the client said anything (an MCP server's greeting)
// are the opening, taken from the first connection of the log.
//
// Batches are taken element by element, their replies matched to their requests by id.

#include "traffic/TrafficEvent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <vector>

namespace rpcbench {

// One message a client sent: a call with its reply, or a notification.
struct RecordedExchange
{
    QJsonObject request;      // as recorded (its id is the recorded one)
    QJsonObject reply;        // empty for notifications
    QList<QByteArray> before; // server messages sent between the request and its reply
    QList<QByteArray> after;  // server messages sent after the reply (or the notification)

    QString method() const { return request.value(QLatin1String("method")).toString(); }
    bool isCall() const { return !reply.isEmpty(); }
};

struct RecordedSession
{
    QList<RecordedExchange> exchanges; // answered calls and notifications, in recorded order
    QList<QByteArray> opening;         // server messages before the client's first message
    int unanswered = 0;                // requests without a recorded reply (not replayed)

    // Reads `events` (any order of sides; see the header comment for which are used).
    static RecordedSession fromEvents(const std::vector<TrafficEvent>& events);

    int callCount() const;
    int methodCount() const; // distinct methods of the calls
    int serverNotificationCount() const;
    int serverRequestCount() const;
};

} // namespace rpcbench
