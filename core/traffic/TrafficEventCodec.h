#pragma once
// One JSON Lines format for traffic events, shared by `serve --log jsonl`, the GUI's log
// export and its import, so a log written by one can be read by the other.
//
// {"t":1732540000123456,"conn":3,"peer":"127.0.0.1:5123","side":"server","dir":"in",
//  "transport":"json","dialect":"2.0","kind":"request","method":"add","id":"1",
//  "size":52,"latencyUs":-1,"raw":"{...}"}          ("rawBase64" instead of "raw" for non-UTF-8)
// Optional keys, written only when set: "batch", "errorCode", "faulted", "late" (a client-side
// reply that arrived after its call had timed out), "upstreamUs" (a proxy's reply: the part of
// its latency spent upstream). "side" is "server", "client" or "proxy".
// A line a launched process wrote to its standard error is a row of its own, with
// "kind":"stderr" and the text as "raw" (no "method" or "id"); files without such rows read as
// before.

#include "traffic/TrafficEvent.h"

#include <QJsonObject>

#include <optional>

namespace rpcbench {

QJsonObject trafficEventToJson(const TrafficEvent& event);
QByteArray trafficEventToJsonLine(const TrafficEvent& event); // compact JSON + '\n'
// nullopt with `error` set when the object is not a valid event.
std::optional<TrafficEvent> trafficEventFromJson(const QJsonObject& obj, QString* error);
// A one-line human rendering for `serve --log text`.
QByteArray trafficEventToText(const TrafficEvent& event);

} // namespace rpcbench
