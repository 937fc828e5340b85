#include "wire/LocalChannel.h"

#include <QTimer>

namespace rpcbench {

// Placeholder until the transport is written: fails on open() with a clear reason.
LocalChannel::LocalChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_endpoint(endpoint)
{}

LocalChannel::~LocalChannel() = default;

void LocalChannel::open()
{
    QTimer::singleShot(0, this, [this] {
        emit errorOccurred(QStringLiteral("a Unix-domain socket is not available yet"));
        close();
    });
}

void LocalChannel::close()
{
    if (std::exchange(m_closed, true))
        return;
    emit closed(QStringLiteral("closed"));
}

void LocalChannel::abort()
{
    close();
}

QString LocalChannel::peerDescription() const
{
    return m_endpoint.toString();
}

} // namespace rpcbench
