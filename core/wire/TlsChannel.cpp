#include "wire/TlsChannel.h"

#include <QTimer>

namespace rpcbench {

// Placeholder until the transport is written: fails on open() with a clear reason.
TlsChannel::TlsChannel(const Endpoint& endpoint, QObject* parent) : ByteChannel(parent), m_endpoint(endpoint)
{}

TlsChannel::~TlsChannel() = default;

void TlsChannel::open()
{
    QTimer::singleShot(0, this, [this] {
        emit errorOccurred(QStringLiteral("TLS is not available yet"));
        close();
    });
}

void TlsChannel::close()
{
    if (std::exchange(m_closed, true))
        return;
    emit closed(QStringLiteral("closed"));
}

void TlsChannel::abort()
{
    close();
}

QString TlsChannel::peerDescription() const
{
    return m_endpoint.toString();
}

} // namespace rpcbench
