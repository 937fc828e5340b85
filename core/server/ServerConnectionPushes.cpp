// ServerConnection, both directions: the messages the server starts on this connection, its
// PeerLink, and the replies the peer sends to our requests. See ServerConnection.h.
#include "server/ConnectionPeerLink.h"
#include "server/ServerConnection.h"
#include "server/ServerPushes.h"

#include "util/Log.h"
#include "wire/Framing.h"

namespace rpcbench {

namespace {

// How often the open HTTP event stream gets a comment line: proxies drop silent connections.
constexpr int kEventStreamKeepAliveMs = 15'000;

} // namespace

void ServerConnection::setUpPushes()
{
    m_status = std::make_shared<ConnectionStatus>();
    m_status->fixed.id = m_id;
    m_status->fixed.peer = m_peer;
    m_status->fixed.listener = m_ctx.listener;
    m_status->fixed.openedUs = nowUs();
    m_link = std::make_shared<ConnectionPeerLink>(this);
    m_streamKeepAlive.setInterval(kEventStreamKeepAliveMs);
    connect(&m_streamKeepAlive, &QTimer::timeout, this, &ServerConnection::onEventStreamKeepAlive);
    // At once, not when the owner deletes us later: requests fail and timers stop promptly.
    connect(this, &ServerConnection::finished, this, &ServerConnection::tearDownPushes);
    if (m_ctx.pushes) {
        m_ctx.pushes->add(this);
        m_replySink = [this](const QJsonObject& reply) { m_ctx.pushes->takeReply(m_id, reply); };
    }
    if (m_ctx.directory)
        m_ctx.directory->add(m_status);
}

// The pending requests sent on this connection fail ("connection closed"); handlers holding the
// link see it closed and their timers stop. Runs when the connection finishes and again (doing
// nothing more) when it is deleted.
void ServerConnection::tearDownPushes()
{
    m_streamKeepAlive.stop();
    m_handler->connectionClosed(m_id);
    m_link->detach();
    if (m_ctx.pushes)
        m_ctx.pushes->remove(m_id);
    if (m_ctx.directory)
        m_ctx.directory->remove(m_id);
}

bool ServerConnection::canPush() const
{
    if (!m_sniffed || m_output.isClosing())
        return false;
    return m_transport != Transport::Http || m_http.eventStreamOpen();
}

bool ServerConnection::canReach() const
{
    if (canPush())
        return true;
    return isHttp() && !m_output.isClosing() && m_ctx.pushes &&
           m_ctx.pushes->streamFor(m_http.lastSession()) != nullptr;
}

QString ServerConnection::pushRefusal() const
{
    if (m_output.isClosing())
        return QStringLiteral("connection #%1 is closing").arg(m_id);
    if (!m_sniffed)
        return QStringLiteral("connection #%1 has sent nothing yet: its framing is unknown").arg(m_id);
    return QStringLiteral("connection #%1 is HTTP without an event stream: the client must open one "
                          "(GET with Accept: text/event-stream) to receive messages from the server")
        .arg(m_id);
}

// Called whenever what the connection can carry may have changed: framing known, event stream
// opened, close started.
void ServerConnection::updatePushState()
{
    const bool pushable = canPush();
    if (m_http.eventStreamOpen() && !m_output.isClosing())
        m_streamKeepAlive.start();
    else
        m_streamKeepAlive.stop();
    m_status->transport.store(m_transport);
    m_status->canPush.store(pushable);
    m_link->setCanPush(pushable);
    m_pushable = pushable;
    if (m_ctx.directory)
        m_ctx.directory->markChanged();
}

void ServerConnection::onEventStreamKeepAlive()
{
    m_http.keepAliveComment();
}

bool ServerConnection::sendServerMessage(const ServerMessage& message)
{
    if (!canPush())
        return false;
    const qint64 timeUs = logging() ? nowUs() : 0; // before the write: the peer cannot have it earlier
    if (m_transport == Transport::Http)
        m_http.pushEvent(message.json);
    else if (m_transport == Transport::JsonStream)
        m_output.writeJsonLine(message.json);
    else
        m_output.write(frameStreamReply(m_transport, message.json));
    m_status->countOut();
    publish(Direction::Out, message.json, message.summary, timeUs, -1);
    return true;
}

bool ServerConnection::sendFromHandler(const ServerMessage& message)
{
    if (canPush())
        return sendServerMessage(message);
    if (!isHttp() || !m_ctx.pushes)
        return false;
    ServerConnection* stream = m_ctx.pushes->streamFor(m_http.lastSession());
    return stream && stream->sendServerMessage(message);
}

void ServerConnection::closeFromHandler()
{
    if (!m_output.isClosing())
        m_output.closeAfterFlush();
}

} // namespace rpcbench
