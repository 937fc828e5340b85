#include "client/SseStream.h"

#include "util/Log.h"
#include "util/MonotonicClock.h"
#include "wire/ByteChannel.h"
#include "wire/ChannelFactory.h"
#include "wire/HttpResponseParser.h"
#include "wire/HttpWriter.h"

namespace rpcbench {

namespace {
struct Response
{
    QByteArray payload;
    int status = 0;
    QByteArray reason;
};

// Copies frames out before anything is emitted (a receiver may destroy the stream).
struct ResponseList final : FrameSink
{
    QList<Response> items;
    void onFrame(const Frame& frame) override
    {
        items.append({frame.response->body, frame.response->status, frame.response->reason});
    }
};
} // namespace

SseStream::SseStream(const Endpoint& endpoint, const HttpHeaders& headers, QObject* parent)
    : QObject(parent), m_endpoint(endpoint), m_headers(headers), m_channel(makeClientChannel(endpoint, this)),
      m_parser(std::make_unique<HttpResponseParser>(qsizetype(endpoint.options.maxReplyBytes)))
{
    connect(m_channel, &ByteChannel::connected, this, &SseStream::onConnected);
    connect(m_channel, &ByteChannel::readyRead, this, &SseStream::onReadyRead);
    connect(m_channel, &ByteChannel::errorOccurred, this, &SseStream::end);
    connect(m_channel, &ByteChannel::closed, this, [this](const QString& reason) {
        if (m_channel->bytesAvailable() > 0)
            onReadyRead();
        end(reason.isEmpty() ? QStringLiteral("event stream closed by server") : reason);
    });
}

SseStream::~SseStream()
{
    m_done = true;
    m_channel->abort();
}

void SseStream::open()
{
    if (!m_done)
        m_channel->open();
}

void SseStream::onConnected()
{
    m_channel->write(buildHttpRequest("GET", m_endpoint.authority().toUtf8(), m_endpoint.path.toUtf8(),
                                      m_headers, {}, "text/event-stream"));
}

void SseStream::onReadyRead()
{
    if (m_done)
        return;
    const QByteArray data = m_channel->readAll();
    const qint64 readTimeUs = MonotonicClock::nowUs();
    ResponseList sink;
    const bool ok = m_parser->feed(data, sink);
    for (const Response& r : std::as_const(sink.items)) {
        if (m_done)
            return;
        if (r.status / 100 != 2) {
            // 405: the server offers no stream of its own (allowed by the MCP spec).
            end(r.status == 405 ? QStringLiteral("the server offers no event stream (GET %1 answered 405)")
                                      .arg(m_endpoint.path)
                                : QStringLiteral("event stream refused: HTTP %1 %2")
                                      .arg(r.status)
                                      .arg(QString::fromUtf8(r.reason)));
            return;
        }
        if (!r.payload.trimmed().isEmpty())
            emit received(r.payload, r.status, r.reason, readTimeUs);
    }
    if (!ok && !m_done)
        end(QStringLiteral("malformed event stream: ") + m_parser->error().reason);
}

void SseStream::end(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    qCInfo(lcClient).noquote() << m_endpoint.toString() << reason;
    m_channel->abort();
    emit ended(reason);
}

} // namespace rpcbench
