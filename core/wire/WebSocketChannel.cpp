#include "wire/WebSocketChannel.h"

#include <QTimer>

namespace rpcbench {

// Placeholder until the transport is written: fails on open() with a clear reason.
WebSocketChannel::WebSocketChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_endpoint(endpoint)
{}

WebSocketChannel::~WebSocketChannel() = default;

void WebSocketChannel::open()
{
    QTimer::singleShot(0, this, [this] {
        emit errorOccurred(QStringLiteral("WebSocket is not available yet"));
        close();
    });
}

void WebSocketChannel::close()
{
    if (std::exchange(m_closed, true))
        return;
    emit closed(QStringLiteral("closed"));
}

void WebSocketChannel::abort()
{
    close();
}

QString WebSocketChannel::peerDescription() const
{
    return m_endpoint.toString();
}

} // namespace rpcbench
