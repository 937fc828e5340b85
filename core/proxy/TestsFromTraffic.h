#pragma once
// "Save as tests": rows of a traffic log (live, from a proxy, or an opened JSON Lines file)
// turned into saved calls whose assertions are the recorded replies. Pure functions, tested
// without a network.
//
// Each request among the rows becomes a call (method, params, dialect; target: the URL a client
// row went to, empty for server and proxy rows, whose peer is the caller) asserting its
// recorded reply: {"equals": result}, or {"error": code} for an error. A batch becomes a batch
// call asserting the items a run sees ([{"result": ...}, {"error": {...}}, null for a
// notification]). Notifications become notification calls without assertions.
//
// Volatile fields (a timestamp, a session id) are named by RFC 6901 pointers into the result
// ("/time", "/items/0/id"). An ignored field that the recording has is asserted to exist; the
// rest is asserted equal piece by piece, descending only where an ignored field lies inside:
// ignoring "/time" in {"time": 1, "v": 2} gives {"pointer": "/time", "exists": true} and
// {"pointer": "/v", "equals": 2}. Members a later reply adds are not checked.

#include "collection/SavedCall.h"
#include "traffic/TrafficEvent.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace rpcbench {

// True for a pointer naming a field inside a result; "" (the whole result) cannot be ignored.
// False with a one-line *error otherwise.
bool isValidIgnorePointer(const QString& pointer, QString* error = nullptr);

// The saved calls for `rows`, in the order recorded. A request is paired with its reply among
// `rows` (the caller adds the partners of the rows a user selected); requests without one, and
// replies without their request, are left out and counted in *note ("2 requests had no recorded
// reply and were left out"; empty when nothing was). An invalid pointer gives no calls and
// *note says why.
QList<SavedCall> savedCallsFromTraffic(const std::vector<TrafficEvent>& rows,
                                       const QStringList& ignorePointers, QString* note = nullptr);

} // namespace rpcbench
