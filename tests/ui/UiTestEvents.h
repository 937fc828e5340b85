#pragma once
// Builders for traffic events used by the ui model tests (header-only, tests/ui only).

#include "traffic/TrafficEvent.h"

#include <vector>

namespace uitest {

using namespace rpcbench;

inline TrafficEvent makeEvent(Side side, Direction dir, MessageKind kind, quint64 conn, const QByteArray& id,
                              const QString& method = {}, qint64 timestampUs = 1'700'000'000'000'000,
                              qint64 latencyUs = -1)
{
    TrafficEvent e;
    e.timestampUs = timestampUs;
    e.connectionId = conn;
    e.peer = side == Side::Server ? QStringLiteral("127.0.0.1:%1").arg(40000 + conn)
                                  : QStringLiteral("tcp://127.0.0.1:5000");
    e.side = side;
    e.direction = dir;
    e.summary.kind = kind;
    e.summary.dialect = Dialect::JsonRpc2;
    e.summary.method = method;
    e.summary.idJson = id;
    e.latencyUs = latencyUs;
    if (kind == MessageKind::Error)
        e.summary.errorCode = -32601;
    if (kind == MessageKind::Request || kind == MessageKind::Notification)
        e.raw = QByteArray(R"({"jsonrpc":"2.0","method":")") + method.toUtf8() + R"(","params":[1,2],"id":)" +
                id + "}";
    else if (kind == MessageKind::Error)
        e.raw = R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":)" + id + "}";
    else
        e.raw = R"({"jsonrpc":"2.0","result":3,"id":)" + id + "}";
    return e;
}

// n server-side requests on connection 1 with ids 1..n (no replies).
inline std::vector<TrafficEvent> requests(int n, int firstId = 1,
                                          const QString& method = QStringLiteral("add"))
{
    std::vector<TrafficEvent> out;
    out.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        out.push_back(makeEvent(Side::Server, Direction::In, MessageKind::Request, 1,
                                QByteArray::number(firstId + i), method, 1'700'000'000'000'000 + i));
    return out;
}

} // namespace uitest
