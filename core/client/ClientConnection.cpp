#include "client/ClientConnection.h"

#include "client/SseStream.h"
#include "util/Log.h"
#include "util/MonotonicClock.h"
#include "wire/ByteChannel.h"
#include "wire/ChannelFactory.h"
#include "wire/HttpWriter.h"

#include <QTimer>

namespace rpcbench {

namespace {
constexpr char kSessionHeader[] = "Mcp-Session-Id";

// After this long the DELETE ending a session is given up (the channel is freed).
constexpr int kSessionEndGraceMs = 3000;

// Copies the frames out: a receiver of received() may destroy this connection, so nothing is
// emitted while the framer is running. HTTP frames bring their status and reason.
struct Received
{
    QByteArray payload;
    int httpStatus = 0;
    QByteArray httpReason;
    QByteArray sessionId; // HTTP: the response's Mcp-Session-Id
};

struct ReceivedList final : FrameSink
{
    QList<Received> items;
    void onFrame(const Frame& frame) override
    {
        if (frame.response)
            items.append({frame.response->body, frame.response->status, frame.response->reason,
                          httpHeader(frame.response->headers, kSessionHeader)});
        else
            items.append({frame.payload.toByteArray(), 0, {}, {}});
    }
};

FramingSpec framingFor(const Endpoint& endpoint)
{
    FramingSpec spec;
    spec.transport = endpoint.transport;
    spec.maxMessageBytes = qsizetype(endpoint.options.maxReplyBytes);
    spec.httpHost = endpoint.authority().toUtf8();
    spec.httpPath = endpoint.path.toUtf8();
    spec.httpHeaders = endpoint.options.requestHeaders();
    return spec;
}
} // namespace

ClientConnection::ClientConnection(const Endpoint& endpoint, quint64 connectionId, bool rawJson,
                                   QObject* parent)
    : QObject(parent), m_endpoint(endpoint), m_id(connectionId), m_rawJson(rawJson),
      m_channel(makeClientChannel(endpoint, this)), m_framing(framingFor(endpoint))
{
    // A message channel (WebSocket) delivers whole messages: no framer.
    if (!m_channel->preservesMessageBoundaries())
        m_framer = makeReplyFramer(m_framing);
    connect(m_channel, &ByteChannel::stderrLine, this, &ClientConnection::stderrLine);
    connect(m_channel, &ByteChannel::connected, this, &ClientConnection::connected);
    connect(m_channel, &ByteChannel::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_channel, &ByteChannel::closed, this, &ClientConnection::onClosed);
    connect(m_channel, &ByteChannel::errorOccurred, this, &ClientConnection::fail);
}

ClientConnection::~ClientConnection()
{
    m_done = true; // no signals from a dying object
    if (!endSession() && m_channel)
        m_channel->abort();
}

void ClientConnection::open()
{
    if (!m_done)
        m_channel->open();
}

bool ClientConnection::isConnected() const
{
    return !m_done && m_channel->isOpen();
}

void ClientConnection::send(const QByteArray& payload)
{
    if (!m_channel)
        return;
    const bool unframed = !m_framer || (m_rawJson && m_framing.transport == Transport::JsonStream);
    m_channel->write(unframed ? payload : frameRequest(m_framing, payload));
}

void ClientConnection::abort()
{
    m_done = true;
    delete std::exchange(m_events, nullptr);
    if (!endSession() && m_channel)
        m_channel->abort();
}

void ClientConnection::close()
{
    m_done = true;
    delete std::exchange(m_events, nullptr);
    if (!endSession() && m_channel)
        m_channel->close();
}

void ClientConnection::joinSession(const QByteArray& sessionId)
{
    m_ownsSession = false;
    if (sessionId.isEmpty() || m_endpoint.options.hasHeader(kSessionHeader))
        return;
    m_sessionId = sessionId;
    m_framing.httpHeaders = m_endpoint.options.requestHeaders();
    m_framing.httpHeaders.append({kSessionHeader, m_sessionId});
}

void ClientConnection::noteHttpResponse(int status, const QByteArray& sessionId)
{
    if (!sessionId.isEmpty() && sessionId != m_sessionId && !m_endpoint.options.hasHeader(kSessionHeader)) {
        // A header the user set wins (it names a session on purpose); ours follows the server.
        m_sessionId = sessionId;
        m_framing.httpHeaders = m_endpoint.options.requestHeaders();
        m_framing.httpHeaders.append({kSessionHeader, m_sessionId});
    }
    // Not after an error (401, 404...): the GET would only be refused the same way.
    if (m_endpoint.options.sse && status / 100 == 2 && !m_events && !m_done) {
        m_events = new SseStream(m_endpoint, m_framing.httpHeaders, this);
        connect(m_events, &SseStream::received, this, &ClientConnection::received);
        m_events->open();
    }
}

bool ClientConnection::endSession()
{
    if (!m_ownsSession || m_sessionId.isEmpty() || !m_channel || !m_channel->isOpen() ||
        m_framing.transport != Transport::Http)
        return false;
    m_channel->write(buildHttpRequest("DELETE", m_framing.httpHost, m_framing.httpPath, m_framing.httpHeaders,
                                      {}, "application/json"));
    // The channel goes on alone: it sends the DELETE, closes in order and frees itself, even
    // when we are being destroyed (what the server answers no longer matters to anyone).
    ByteChannel* channel = std::exchange(m_channel, nullptr);
    disconnect(channel, nullptr, this, nullptr);
    channel->setParent(nullptr);
    connect(channel, &ByteChannel::closed, channel, &QObject::deleteLater);
    QTimer::singleShot(kSessionEndGraceMs, channel, &QObject::deleteLater);
    channel->close();
    return true;
}

void ClientConnection::onReadyRead()
{
    if (!m_framer) {
        readMessages();
        return;
    }
    const QByteArray data = m_channel->readAll();
    const qint64 readTimeUs = MonotonicClock::nowUs(); // one clock read per read batch
    if (!m_done && !data.isEmpty())
        deframe(data, false, readTimeUs);
}

// The server hung up (errors go to fail() directly): what it sent before is still delivered,
// and a framing whose last message ends with the stream (HTTP without a length) finishes it.
void ClientConnection::onClosed(const QString& reason)
{
    if (m_done)
        return;
    // TCP peers just hang up; other carriers know more ("exited with code 1: <stderr tail>").
    if (m_endpoint.carrier != Carrier::Tcp || m_endpoint.tls)
        m_closeReason = reason;
    if (m_channel->bytesAvailable() > 0)
        onReadyRead();
    if (!m_done && m_framer)
        deframe({}, true, MonotonicClock::nowUs());
    fail(m_closeReason.isEmpty() ? QStringLiteral("connection closed by server") : m_closeReason);
}

namespace {
// An over-limit reply cannot be skipped on a stream (nothing says where the next message
// starts), so it ends the connection with this one line.
QString tooLargeReason(qint64 limit)
{
    constexpr qint64 MiB = 1024 * 1024;
    const QString size = limit % MiB == 0    ? QStringLiteral("%1 MiB").arg(limit / MiB)
                         : limit % 1024 == 0 ? QStringLiteral("%1 KiB").arg(limit / 1024)
                                             : QStringLiteral("%1 bytes").arg(limit);
    return QStringLiteral("reply larger than the %1 limit (--max-reply-bytes)").arg(size);
}
} // namespace

// Message channels: each message is one payload, checked against the size limit on its own.
void ClientConnection::readMessages()
{
    const qint64 readTimeUs = MonotonicClock::nowUs();
    while (!m_done) {
        const QByteArray message = m_channel->readMessage();
        if (message.isEmpty())
            return;
        if (message.size() > m_framing.maxMessageBytes) {
            fail(tooLargeReason(m_framing.maxMessageBytes));
            return;
        }
        emit received(message, 0, {}, readTimeUs);
    }
}

void ClientConnection::deframe(QByteArrayView data, bool finish, qint64 readTimeUs)
{
    ReceivedList sink;
    const bool ok = finish ? m_framer->finish(sink) : m_framer->feed(data, sink);
    // Deliver what was complete before an error; a receiver may destroy us, so check m_done
    // after every emission.
    for (const Received& r : std::as_const(sink.items)) {
        if (m_done)
            return;
        if (r.httpStatus != 0)
            noteHttpResponse(r.httpStatus, r.sessionId); // before the receiver sends the next request
        emit received(r.payload, r.httpStatus, r.httpReason, readTimeUs);
    }
    if (m_done)
        return;
    if (!ok && m_framer->error().kind == FrameError::Kind::TooLarge) {
        fail(tooLargeReason(m_framing.maxMessageBytes));
    } else if (!ok && !finish) { // at the end of the stream, the close itself is the reason
        const bool http = m_framing.transport == Transport::Http;
        fail((http ? QStringLiteral("malformed HTTP reply: ") : QStringLiteral("malformed reply: ")) +
             m_framer->error().reason);
    }
}

void ClientConnection::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    delete std::exchange(m_events, nullptr);
    m_channel->abort();
    emit closed(reason);
}

} // namespace rpcbench
