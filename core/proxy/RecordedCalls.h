#pragma once
// Golden traffic for `rpcbench replay`: the calls a traffic log (JSON Lines, see
// traffic/TrafficEventCodec.h) holds with their recorded replies, and how a reply received
// again is compared with the recorded one. Pure functions, tested without a network.
//
// A call is a request as its callee saw or its caller sent it (RequestPairing::isRequestLike:
// side server or proxy going in, side client going out) and the reply on the same side and
// connection, travelling the other way, with the same id. Batches carry their calls inside one
// message and are not replayed (counted instead); requests without a recorded reply neither.
//
// Comparison ignores "id" and "jsonrpc" (a replay sends its own ids, maybe in another dialect)
// and the members named by RFC 6901 JSON Pointers ("/result/timestamp"): values that change on
// every call.

#include "traffic/TrafficEvent.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>

#include <vector>

namespace rpcbench {

struct RecordedCall
{
    QString method;
    QByteArray idJson;                         // the recorded id as compact JSON ("1", "\"a\"")
    QJsonValue params = QJsonValue::Undefined; // Undefined: the request had no params
    QJsonObject reply;                         // the recorded reply object
};

struct RecordedCallSet
{
    QList<RecordedCall> calls; // in the order the requests were recorded
    int skippedBatches = 0;    // batch requests (not replayed)
    int unanswered = 0;        // requests of the chosen methods without a recorded reply
};

// A message of a log that travels from caller to callee (request, notification or batch) and
// the reply recorded for it.
struct RecordedPair
{
    size_t request = 0;   // index into the events
    qsizetype reply = -1; // index of its reply; -1 when none was recorded (notifications never)
};

namespace RecordedCalls {

// Every request, notification and batch of `events` with its reply, in the order recorded.
// A reply whose request is not among `events` is left out.
std::vector<RecordedPair> pairs(const std::vector<TrafficEvent>& events);

// The answered calls of `events` whose method matches the wildcard `methodPattern` ("*",
// "eth_*", "textDocument/*"; case-sensitive, '*' spans '/').
RecordedCallSet extract(const std::vector<TrafficEvent>& events,
                        const QString& methodPattern = QStringLiteral("*"));

// True for a JSON Pointer that can name a member of a reply: "/" followed by tokens, each '~'
// escaped as ~0 or ~1. False with a one-line *error otherwise (the whole reply, "", cannot be
// ignored).
bool isValidPointer(const QString& pointer, QString* error = nullptr);
// `value` without the member or element `pointer` names; unchanged when there is none.
QJsonValue removePointer(const QJsonValue& value, const QString& pointer);

// The part of a reply that is compared: without id, jsonrpc and the `ignore` pointers.
QJsonObject comparable(const QJsonObject& reply, const QStringList& ignore);

} // namespace RecordedCalls

} // namespace rpcbench
