#pragma once
// One open connection of the embedded server, as the GUI's connection list and
// RpcServer::connections() show it.

#include "wire/Transport.h"

#include <QMetaType>
#include <QString>

namespace rpcbench {

struct ConnectionInfo
{
    quint64 id = 0;                              // the traffic log's "#N"
    QString peer;                                // "127.0.0.1:53412", "unix:/run/x.sock", "stdio"
    QString listener;                            // the listening URL it came in on (empty for serve --stdio)
    Transport transport = Transport::JsonStream; // as sniffed (JsonStream until the first bytes)
    qint64 openedUs = 0;                         // MonotonicClock
    // It can carry a message the server starts: every stream transport; HTTP only while the
    // client holds an event stream open (MCP's GET stream).
    bool canPush = false;
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::ConnectionInfo)
