#include "wire/ChannelFactory.h"

#include "wire/LocalChannel.h"
#include "wire/ProcessChannel.h"
#include "wire/TcpChannel.h"
#include "wire/TlsChannel.h"
#include "wire/WebSocketChannel.h"

namespace rpcbench {

ByteChannel* makeClientChannel(const Endpoint& endpoint, QObject* parent)
{
    switch (endpoint.carrier) {
    case Carrier::Unix:
        return new LocalChannel(endpoint, parent);
    case Carrier::Process:
        return new ProcessChannel(endpoint, parent);
    case Carrier::WebSocket:
        return new WebSocketChannel(endpoint, parent);
    case Carrier::Tcp:
        break;
    }
    if (endpoint.tls)
        return new TlsChannel(endpoint, parent);
    return new TcpChannel(endpoint.host, endpoint.port, parent);
}

} // namespace rpcbench
