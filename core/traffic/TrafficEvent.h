#pragma once
// One message seen on the wire, on either side. Cheap to copy: the QByteArray and QStrings
// are implicitly shared with the connection that produced them.

#include "protocol/RpcTypes.h"

#include <QByteArray>
#include <QString>

namespace rpcbench {

struct TrafficEvent
{
    qint64 timestampUs = 0;   // microseconds since the Unix epoch
    quint64 connectionId = 0; // unique per process, never reused
    QString peer;             // "127.0.0.1:53412" (server side) or the target URL (client side)
    Side side = Side::Server;
    Direction direction = Direction::In;
    Transport transport = Transport::JsonStream;
    MessageSummary summary;
    QByteArray raw;        // exact payload bytes (without framing headers)
    qint64 latencyUs = -1; // on replies: time since the matching request arrived/was sent
};

qint64 nowUs();
// Process-wide unique connection ids (server and client sides share the counter).
quint64 nextConnectionId();

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::TrafficEvent)
