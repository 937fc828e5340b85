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
    }
    return {};
}

} // namespace rpcbench::wire
