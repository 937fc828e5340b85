#include "load/LoadConnection.h"

#include "wire/ByteChannel.h"
#include "wire/ChannelFactory.h"
#include "wire/Endpoint.h"

#include <algorithm>
#include <chrono>

namespace rpcbench {

qint64 loadClockNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

LoadConnection::LoadConnection(const QByteArray& request, ReplyScanner::Mode mode, int depth,
                               LoadCounters* counters, QObject* parent)
    : QObject(parent), m_counters(counters), m_requestSize(request.size()), m_depth(std::max(1, depth)),
      m_scanner(mode, request.size()), m_sentAt(size_t(m_depth), 0)
{
    m_burst.reserve(m_requestSize * m_depth);
    for (int i = 0; i < m_depth; ++i)
        m_burst.append(request);
}

LoadConnection::~LoadConnection()
{
    stop();
}

void LoadConnection::setHandshake(QList<LoadInitStep> steps, LoadInitResolver resolver)
{
    m_initSteps = std::move(steps);
    m_initResolver = std::move(resolver);
}

void LoadConnection::open(const Endpoint& target)
{
    if (m_channel || m_stopped)
        return;
    m_target = target;
    m_channel = makeClientChannel(target, this);
    m_messages = m_channel->preservesMessageBoundaries();
    connect(m_channel, &ByteChannel::connected, this, &LoadConnection::onConnected);
    connect(m_channel, &ByteChannel::readyRead, this, &LoadConnection::onReadyRead);
    // errorOccurred() has the reason first; closed() alone reports an orderly end.
    connect(m_channel, &ByteChannel::errorOccurred, this, &LoadConnection::fail);
    connect(m_channel, &ByteChannel::closed, this, [this](const QString& reason) {
        fail(reason.isEmpty() ? QStringLiteral("connection closed") : reason);
    });
    m_channel->open();
}

void LoadConnection::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_channel) {
        m_channel->disconnect(this);
        m_channel->abort();
    }
}

void LoadConnection::fail(const QString& error)
{
    if (m_stopped)
        return;
    stop();
    emit failed(error);
}

void LoadConnection::onConnected()
{
    if (m_initSteps.isEmpty()) {
        startLoad();
        return;
    }
    m_handshake = new LoadHandshake(m_channel, m_target, m_initSteps, m_initResolver, this);
    connect(m_handshake, &LoadHandshake::finished, this, &LoadConnection::onHandshakeFinished);
    m_handshake->start();
}

void LoadConnection::onHandshakeFinished(const QString& error)
{
    // The handshake is the sender: it goes once its signal has returned.
    m_handshake->deleteLater();
    m_handshake = nullptr;
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    startLoad();
}

void LoadConnection::startLoad()
{
    m_loading = true;
    emit connected();
    if (m_counters->sending && !m_counters->openLoop)
        send(m_depth, loadClockNs());
}

void LoadConnection::sendScheduled(const qint64* intendedNs, int count, qint64 nowNs)
{
    count = std::min(count, room());
    if (count <= 0)
        return;
    send(count, nowNs, intendedNs);
    if (m_counters->recording && m_counters->series)
        m_counters->series->addSent(nowNs, quint64(count));
}

// Latency is measured from `sentAtNs` (closed loop: now), or per call from `perCallNs` (open
// loop: the intended times).
void LoadConnection::send(int count, qint64 sentAtNs, const qint64* perCallNs)
{
    count = std::min(count, m_depth - m_inFlight);
    if (count <= 0)
        return;
    int slot = (m_head + m_inFlight) % m_depth;
    for (int i = 0; i < count; ++i) {
        m_sentAt[size_t(slot)] = perCallNs ? perCallNs[i] : sentAtNs;
        slot = slot + 1 == m_depth ? 0 : slot + 1;
    }
    m_inFlight += count;
    if (m_counters->recording && m_counters->series && !m_counters->openLoop)
        m_counters->series->addSent(sentAtNs, quint64(count));
    if (m_messages) { // one message per request
        const QByteArrayView one(m_burst.constData(), m_requestSize);
        for (int i = 0; i < count; ++i)
            m_channel->write(one);
        return;
    }
    // One write for the whole burst; over TCP it is one send() (no copy into Qt's buffer, no
    // extra event-loop pass), so the generator spends as little CPU per call as possible.
    m_channel->write(QByteArrayView(m_burst.constData(), m_requestSize * count));
}

// Byte streams: the scanner finds reply boundaries (Raw mode only counts bytes).
bool LoadConnection::readStream(ReplyScanner::Result& found)
{
    const qint64 available = m_channel->bytesAvailable();
    if (available <= 0)
        return true;
    if (m_scanner.mode() == ReplyScanner::Mode::Raw) {
        // The echo baseline looks at sizes only.
        m_scanner.scanRaw(m_channel->skip(available), found);
        return true;
    }
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + available);
    const qint64 got = m_channel->read(m_buffer.data() + old, available);
    m_buffer.resize(old + std::max<qint64>(got, 0));
    return m_scanner.scan(m_buffer, found);
}

// Message channels: every message is one reply.
void LoadConnection::readMessages(ReplyScanner::Result& found)
{
    for (QByteArray message = m_channel->readMessage(); !message.isEmpty();
         message = m_channel->readMessage()) {
        ++found.replies;
        if (ReplyScanner::hasTopLevelError(message.constData(), message.size()))
            ++found.errors;
    }
}

void LoadConnection::onReadyRead()
{
    if (m_handshake)
        return; // its replies are the handshake's
    ReplyScanner::Result found;
    if (m_messages) {
        readMessages(found);
    } else if (!readStream(found)) {
        fail(m_scanner.errorString());
        return;
    }
    if (found.replies == 0)
        return;

    const qint64 now = loadClockNs();
    const int matched = std::min(found.replies, m_inFlight);
    if (m_counters->recording)
        m_counters->unexpectedReplies += quint64(found.replies - matched);
    record(matched, found.errors, now);
    if (!m_counters->sending)
        return;
    if (m_counters->openLoop)
        emit capacityFreed();
    else
        send(matched, now);
}

// Retires the `matched` oldest calls in flight, recording their latency while measuring.
void LoadConnection::record(int matched, int errors, qint64 nowNs)
{
    const bool recording = m_counters->recording;
    LoadTimeSeries* series = recording ? m_counters->series : nullptr;
    for (int i = 0; i < matched; ++i) {
        if (recording) {
            const quint64 us = quint64(std::max<qint64>(0, nowNs - m_sentAt[size_t(m_head)] + 500) / 1000);
            m_counters->latency.record(us);
            if (series)
                series->addCompleted(nowNs, us);
        }
        m_head = m_head + 1 == m_depth ? 0 : m_head + 1;
    }
    m_inFlight -= matched;
    if (recording) {
        m_counters->calls += quint64(matched);
        m_counters->errors += quint64(errors);
        if (series)
            series->addErrors(nowNs, quint64(errors));
    }
}

} // namespace rpcbench
