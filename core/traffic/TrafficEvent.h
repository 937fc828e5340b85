#pragma once
// One message seen on the wire, on either side. Cheap to copy: the QByteArray and QStrings
// are implicitly shared with the connection that produced them.

#include "protocol/RpcTypes.h"
#include "util/MonotonicClock.h"

#include <QByteArray>
#include <QString>

namespace rpcbench {

struct TrafficEvent
{
    // When the message's bytes were read (in) or handed to the socket (out): microseconds since
    // the Unix epoch on MonotonicClock, the one clock of client and server, so the two sides of
    // a call are ordered and subtract to physically possible latencies.
    qint64 timestampUs = 0;
    quint64 connectionId = 0; // unique per process, never reused
    QString peer;             // "127.0.0.1:53412" (server side) or the target URL (client side)
    Side side = Side::Server;
    Direction direction = Direction::In;
    Transport transport = Transport::JsonStream;
    MessageSummary summary;
    QByteArray raw;        // exact payload bytes (without framing headers)
    qint64 latencyUs = -1; // on replies: this stamp minus the matching request's stamp
    // Proxy, on replies: the part of latencyUs spent upstream (request written to the upstream
    // server until its reply was read); the rest is time added by the proxy. -1 otherwise.
    qint64 upstreamUs = -1;
    bool late = false; // client side: a reply that arrived after its call had timed out
    // Message: a JSON-RPC message (raw = its bytes). Stderr: one line a launched process wrote
    // to its standard error (raw = the text, summary empty), its own kind of log row.
    enum class Kind : quint8 { Message, Stderr };
    Kind kind = Kind::Message;
};

// The traffic log's clock (its one home is util/MonotonicClock.h).
using MonotonicClock::nowUs;
// Process-wide unique connection ids (server and client sides share the counter).
quint64 nextConnectionId();

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::TrafficEvent)
