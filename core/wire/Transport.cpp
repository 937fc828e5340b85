#include "wire/Transport.h"

namespace rpcbench::wire {

QString toString(Transport t)
{
    switch (t) {
    case Transport::JsonStream:
        return QStringLiteral("json");
    case Transport::Lsp:
        return QStringLiteral("lsp");
    case Transport::Http:
        return QStringLiteral("http");
    case Transport::WebSocket:
        return QStringLiteral("ws");
    }
    return {};
}

} // namespace rpcbench::wire
