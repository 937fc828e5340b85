#include "server/ConnectionOutput.h"

#include "wire/JsonStreamFramer.h"

#include <algorithm>

namespace rpcbench {

namespace {
// How long a closing connection waits for the peer to hang up after our last reply.
constexpr int kLingerMs = 2000;
// Replies produced while handling one read are written together up to this size.
constexpr qsizetype kCoalesceLimit = 256 * 1024;
} // namespace

ConnectionOutput::ConnectionOutput(ByteChannel& channel, QObject* parent)
    : QObject(parent), m_channel(channel)
{
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        m_channel.abort();
        emit finished();
    });
    m_trickle.setTimerType(Qt::PreciseTimer); // the trickle's duration is what the user measures
    connect(&m_trickle, &QTimer::timeout, this, &ConnectionOutput::onTrickleTick);
    connect(&m_channel, &ByteChannel::bytesWritten, this, &ConnectionOutput::onBytesWritten);
}

void ConnectionOutput::endBatch()
{
    m_batching = false;
    if (!m_out.isEmpty() && m_channel.isOpen())
        m_channel.write(m_out); // sent now, not on the next event-loop pass
    m_out.clear();
    if (isClosing())
        beginLingeringClose();
}

void ConnectionOutput::write(const QByteArray& bytes, int trickleMs)
{
    if (!m_channel.isOpen())
        return;
    if (m_trickle.isActive() || trickleMs > 0) {
        // Everything after a trickled reply waits for it, so replies never interleave.
        m_trickleQueue.push_back({bytes, trickleMs});
        if (!m_trickle.isActive())
            startNextTrickle();
        return;
    }
    if (m_batching && bytes.size() < kCoalesceLimit) {
        m_out.append(bytes); // one channel write per read batch
        sendBatchIfLarge();
        return;
    }
    if (!m_out.isEmpty()) { // keep the order; large replies skip the coalescing copy
        m_channel.write(m_out);
        m_out.clear();
    }
    m_channel.write(bytes);
}

void ConnectionOutput::writeJsonLine(const QByteArray& json)
{
    if (m_batching && json.size() < kCoalesceLimit && !m_trickle.isActive() && m_channel.isOpen()) {
        m_out.append(json).append('\n');
        sendBatchIfLarge();
        return;
    }
    // Outside a batch: small replies are framed (one write), large ones are written as they
    // are with the delimiter after them.
    if (json.size() < kCoalesceLimit) {
        write(JsonStreamFramer::frame(json));
        return;
    }
    write(json);
    write(QByteArrayLiteral("\n"));
}

// The batch is written early once it grows large.
void ConnectionOutput::sendBatchIfLarge()
{
    if (m_out.size() >= kCoalesceLimit) {
        m_channel.write(m_out);
        m_out.clear();
    }
}

void ConnectionOutput::markClosing()
{
    if (m_state == State::Open)
        m_state = State::Closing;
}

void ConnectionOutput::closeAfterFlush()
{
    markClosing();
    emit closeStarted();
    if (!m_batching) // inside a batch, endBatch() comes back here once the batch is written
        beginLingeringClose();
}

void ConnectionOutput::dropSoon()
{
    markClosing();
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_channel.abort();
            emit finished();
        },
        Qt::QueuedConnection);
}

void ConnectionOutput::beginLingeringClose()
{
    if (m_state == State::Lingering || !m_channel.isOpen())
        return;
    if (busy()) {
        m_state = State::ShutdownWhenWritten; // onBytesWritten or the trickle's end come back
        return;
    }
    m_state = State::Lingering;
    m_channel.closeWrite();
    m_lingerTimer.start(kLingerMs);
    discardInput();
}

void ConnectionOutput::finishPendingShutdown()
{
    if (m_state != State::ShutdownWhenWritten || busy())
        return;
    m_state = State::Closing;
    beginLingeringClose();
}

void ConnectionOutput::discardInput()
{
    while (m_channel.bytesAvailable() > 0)
        m_channel.skip(m_channel.bytesAvailable());
}

void ConnectionOutput::onBytesWritten()
{
    if (m_state == State::ShutdownWhenWritten && !busy()) {
        finishPendingShutdown();
        return;
    }
    emit writable();
}

void ConnectionOutput::startNextTrickle()
{
    if (m_trickleQueue.empty()) {
        m_trickle.stop();
        // The last piece may have left at once (no bytesWritten follows): a close that waited
        // for the trickle goes on here.
        finishPendingShutdown();
        return;
    }
    auto [bytes, ms] = std::move(m_trickleQueue.front());
    m_trickleQueue.pop_front();
    if (ms <= 0) {
        m_channel.write(bytes);
        startNextTrickle();
        return;
    }
    // About 20 pieces spread evenly over the requested time.
    m_tricklePending = bytes;
    m_trickleChunk = std::max<qsizetype>(1, (bytes.size() + 19) / 20);
    const qsizetype pieces = (bytes.size() + m_trickleChunk - 1) / m_trickleChunk;
    m_trickle.start(std::max(1, int(ms / std::max<qsizetype>(1, pieces))));
}

void ConnectionOutput::onTrickleTick()
{
    m_channel.write(m_tricklePending.left(m_trickleChunk));
    m_tricklePending.remove(0, m_trickleChunk);
    if (m_tricklePending.isEmpty())
        startNextTrickle();
}

} // namespace rpcbench
