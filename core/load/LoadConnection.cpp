#include "load/LoadConnection.h"

#include "load/LoadCycle.h"
#include "traffic/SummarizeMessage.h"
#include "traffic/TrafficBus.h"
#include "traffic/TrafficEvent.h"
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

LoadConnection::LoadConnection(std::shared_ptr<const LoadCycle> cycle, int startPosition,
                               ReplyScanner::Mode mode, int depth, LoadCounters* counters, QObject* parent)
    : QObject(parent), m_counters(counters), m_requestSize(cycle->averageRequestBytes),
      m_depth(std::max(1, depth)), m_scanner(mode, cycle->averageRequestBytes), m_sentAt(size_t(m_depth), 0),
      m_cycle(std::move(cycle)), m_callOfSlot(size_t(m_depth), 0)
{
    m_position = std::clamp(startPosition, 0, m_cycle->length - 1);
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
    if (m_counters->sampleEvery > 0) {
        m_logId = nextConnectionId();
        m_peer = target.toString();
    }
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
    if (m_cycle) {
        // Closed loop: `count` calls that expect a reply; open loop: `count` scheduled calls.
        const int items = sendMix(count, perCallNs == nullptr, sentAtNs, perCallNs);
        if (m_counters->recording && m_counters->series && !m_counters->openLoop)
            m_counters->series->addSent(sentAtNs, quint64(items));
        return;
    }
    int slot = (m_head + m_inFlight) % m_depth;
    for (int i = 0; i < count; ++i) {
        m_sentAt[size_t(slot)] = perCallNs ? perCallNs[i] : sentAtNs;
        slot = slot + 1 == m_depth ? 0 : slot + 1;
    }
    m_inFlight += count;
    m_counters->sent += quint64(count);
    if (m_counters->recording && m_counters->series && !m_counters->openLoop)
        m_counters->series->addSent(sentAtNs, quint64(count));
    if (m_counters->sampleEvery > 0) [[unlikely]]
        sampleSent(0, count, m_repliesSent);
    m_repliesSent += quint64(count);
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

// Sends the next calls of the cycle: until `count` calls that expect a reply went (closed
// loop, `countsReplies`) or `count` calls of any kind (open loop: one per scheduled time).
// The caller made sure `count` calls fit in flight. Returns the calls written.
int LoadConnection::sendMix(int count, bool countsReplies, qint64 sentAtNs, const qint64* perCallNs)
{
    const LoadCycle& cycle = *m_cycle;
    const bool recording = m_counters->recording;
    const int first = m_position;
    int position = first; // wraps at the cycle's length
    int items = 0;
    int replies = 0;
    int slot = (m_head + m_inFlight) % m_depth;
    while (countsReplies ? replies < count : items < count) {
        const int call = cycle.callOf[size_t(position)];
        if (cycle.expectsReply[size_t(position)]) {
            m_sentAt[size_t(slot)] = perCallNs ? perCallNs[items] : sentAtNs;
            m_callOfSlot[size_t(slot)] = call;
            slot = slot + 1 == m_depth ? 0 : slot + 1;
            ++replies;
        }
        if (recording)
            ++m_counters->mixSent[size_t(call)];
        ++items;
        position = position + 1 == cycle.length ? 0 : position + 1;
    }
    m_position = position;
    m_inFlight += replies;
    m_counters->sent += quint64(items);
    if (m_counters->sampleEvery > 0) [[unlikely]]
        sampleSent(first, items, m_repliesSent);
    m_repliesSent += quint64(replies);
    // The bytes repeat the cycle, so the calls from `first` on are one slice.
    const qsizetype begin = cycle.offsets[size_t(first)];
    if (m_messages) {
        for (int i = first; i < first + items; ++i)
            m_channel->write(QByteArrayView(cycle.bytes.constData() + cycle.offsets[size_t(i)],
                                            cycle.offsets[size_t(i) + 1] - cycle.offsets[size_t(i)]));
    } else {
        m_channel->write(
            QByteArrayView(cycle.bytes.constData() + begin, cycle.offsets[size_t(first + items)] - begin));
    }
    return items;
}

// Publishes the sampled calls among the `items` just sent (the run's every Nth), starting at
// cycle position `firstPosition` (mix) whose first call expecting a reply is `firstOrdinal`.
void LoadConnection::sampleSent(int firstPosition, int items, quint64 firstOrdinal)
{
    LoadCounters& k = *m_counters;
    if (items < k.sampleCountdown) { // the common case: none of these
        k.sampleCountdown -= items;
        return;
    }
    const qint64 stampUs = nowUs();
    quint64 ordinal = firstOrdinal;
    int position = firstPosition;
    for (int i = 0; i < items; ++i) {
        const bool expectsReply = !m_cycle || m_cycle->expectsReply[size_t(position)];
        if (--k.sampleCountdown == 0) {
            k.sampleCountdown = k.sampleEvery;
            if (k.bus && k.bus->isEnabled()) {
                publish(Direction::Out,
                        m_cycle ? m_cycle->json.at(m_cycle->callOf[size_t(position)]) : m_json, stampUs, -1);
                ++k.loggedCalls;
                if (expectsReply)
                    m_samples.push_back(
                        {ordinal, stampUs, m_cycle && m_cycle->notification[size_t(position)]});
            }
        }
        if (expectsReply)
            ++ordinal;
        if (m_cycle)
            position = position + 1 == m_cycle->length ? 0 : position + 1;
    }
}

void LoadConnection::publish(Direction direction, const QByteArray& payload, qint64 timeUs, qint64 latencyUs)
{
    TrafficEvent ev;
    ev.timestampUs = timeUs;
    ev.connectionId = m_logId;
    ev.peer = m_peer;
    ev.side = Side::Client;
    ev.direction = direction;
    ev.transport = m_target.transport;
    ev.summary = summarizeMessage(payload);
    ev.raw = payload;
    ev.latencyUs = latencyUs;
    m_counters->bus->publish(std::move(ev));
}

// The next read copies the replies of the sampled calls (their place among the replies to come).
void LoadConnection::prepareCaptures()
{
    m_captures.clear();
    for (const Sample& s : m_samples)
        m_captures.push_back({int(s.ordinal - m_repliesMatched), QByteArray()});
}

// Publishes the replies of the sampled calls among the `matched` oldest calls in flight.
void LoadConnection::publishSampledReplies(int matched)
{
    const qint64 stampUs = nowUs();
    const quint64 end = m_repliesMatched + quint64(matched);
    size_t capture = 0;
    while (!m_samples.empty() && m_samples.front().ordinal < end) {
        const Sample s = m_samples.front();
        m_samples.pop_front();
        const int index = int(s.ordinal - m_repliesMatched);
        while (capture < m_captures.size() && m_captures[capture].index < index)
            ++capture;
        const QByteArray payload = capture < m_captures.size() && m_captures[capture].index == index
                                       ? m_captures[capture].payload
                                       : QByteArray();
        if (!s.notification && m_counters->bus->isEnabled()) {
            publish(Direction::In, payload, stampUs, stampUs - s.sentUs);
            ++m_counters->loggedReplies;
        }
    }
    m_captures.clear();
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
    return m_scanner.scan(m_buffer, found, m_captures.empty() ? nullptr : &m_captures);
}

// Message channels: every message is one reply.
void LoadConnection::readMessages(ReplyScanner::Result& found)
{
    size_t capture = 0;
    for (QByteArray message = m_channel->readMessage(); !message.isEmpty();
         message = m_channel->readMessage()) {
        ++found.replies;
        ReplyScanner::countIfError(found, message.constData(), message.size());
        while (capture < m_captures.size() && m_captures[capture].index < found.replies - 1)
            ++capture;
        if (capture < m_captures.size() && m_captures[capture].index == found.replies - 1)
            m_captures[capture++].payload = message;
    }
}

void LoadConnection::onReadyRead()
{
    if (m_handshake)
        return; // its replies are the handshake's
    ReplyScanner::Result found;
    if (!m_samples.empty()) [[unlikely]]
        prepareCaptures();
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
    if (!m_samples.empty()) [[unlikely]]
        publishSampledReplies(matched);
    if (m_cycle)
        recordMix(matched);
    record(matched, found, now);
    if (!m_counters->sending)
        return;
    if (m_counters->openLoop)
        emit capacityFreed();
    else
        send(matched, now);
}

// Retires the `matched` oldest calls in flight, recording their latency while measuring.
void LoadConnection::record(int matched, const ReplyScanner::Result& found, qint64 nowNs)
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
    m_repliesMatched += quint64(matched);
    if (recording) {
        m_counters->calls += quint64(matched);
        m_counters->errors += quint64(found.errors);
        for (const qint64 code : found.errorCodes) {
            ++m_counters->errorsByCode[code];
            if (series)
                series->addErrors(nowNs, 1, code);
        }
    }
}

// A mix: counts the replies of the `matched` oldest calls in flight per call (before record()
// retires them).
void LoadConnection::recordMix(int matched)
{
    if (!m_counters->recording)
        return;
    int slot = m_head;
    for (int i = 0; i < matched; ++i) {
        ++m_counters->mixAnswered[size_t(m_callOfSlot[size_t(slot)])];
        slot = slot + 1 == m_depth ? 0 : slot + 1;
    }
}

} // namespace rpcbench
