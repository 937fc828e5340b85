#include "wire/ProcessChannel.h"

#include <QTimer>

namespace rpcbench {

// Placeholder until the transport is written: fails on open() with a clear reason.
ProcessChannel::ProcessChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_endpoint(endpoint)
{}

ProcessChannel::~ProcessChannel() = default;

void ProcessChannel::open()
{
    QTimer::singleShot(0, this, [this] {
        emit errorOccurred(QStringLiteral("launching a process is not available yet"));
        close();
    });
}

void ProcessChannel::close()
{
    if (std::exchange(m_closed, true))
        return;
    emit closed(QStringLiteral("closed"));
}

void ProcessChannel::abort()
{
    close();
}

QString ProcessChannel::peerDescription() const
{
    return m_endpoint.toString();
}

} // namespace rpcbench
