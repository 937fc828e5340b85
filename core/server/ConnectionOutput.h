#pragma once
// The outgoing half of one server connection, and its orderly end.
//
// - Coalescing: replies produced while one read is handled (between beginBatch() and
//   endBatch()) leave in one write, up to kCoalesceLimit.
// - Direct send: writes go to the channel, whose TCP fast path sends from our buffer.
// - Slow-write fault injection (trickle): a reply written in ~20 timed pieces; later replies
//   wait behind it so replies never interleave.
// - Lingering close: send everything, shut our side down, discard what the peer still sends,
//   close when it hangs up or after a grace period. Closing a socket with unread input makes
//   the kernel send a reset that can destroy our last reply before the peer reads it.
// - pendingBytes() for the connection's back-pressure.

#include "wire/ByteChannel.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>
#include <utility>

namespace rpcbench {

class ConnectionOutput : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionOutput(ByteChannel& channel, QObject* parent = nullptr);

    // One read batch: replies written until endBatch() are coalesced; endBatch() sends them and
    // goes on with a close that was asked for during the batch.
    void beginBatch() { m_batching = true; }
    void endBatch();
    bool batching() const { return m_batching; }

    // Writes bytes in order; with trickleMs > 0 they are spread over that many milliseconds.
    void write(const QByteArray& bytes, int trickleMs = 0);
    // A JSON-stream reply and its newline, without building a framed copy when it can be
    // appended to the batch.
    void writeJsonLine(const QByteArray& json);

    // Output accepted but not taken by the transport yet (back-pressure).
    qsizetype pendingBytes() const { return m_out.size() + m_channel.bytesToWrite(); }
    // Bytes are still queued in the channel, or a trickled reply is under way.
    bool busy() const { return m_channel.bytesToWrite() > 0 || m_trickle.isActive(); }

    bool isClosing() const { return m_state != State::Open; }
    bool isLingering() const { return m_state == State::Lingering; }
    // No more input is handled from now on (server stopping, connection dropped).
    void markClosing();
    // Closes once everything is written (lingering close, see above). Emits closeStarted().
    void closeAfterFlush();
    // Fault injection: the peer sees the connection reset on the next event-loop pass.
    void dropSoon();
    // Throws away what the peer sent (while lingering).
    void discardInput();

signals:
    void closeStarted(); // closeAfterFlush() was called: the connection's timers can stop
    void writable();     // the channel took queued bytes: back-pressure may have eased
    void finished();     // the connection is over (linger ended, dropped); the owner deletes it

private:
    // One lifecycle instead of three flags; each state implies the ones before it.
    enum class State : quint8 {
        Open,
        Closing,             // no new input is handled; accepted output still goes out
        ShutdownWhenWritten, // waiting for the channel (and any trickle) to drain, then linger
        Lingering,           // our side is shut down; input is discarded until the peer hangs up
    };

    void onBytesWritten();
    void beginLingeringClose();
    void finishPendingShutdown();
    void sendBatchIfLarge();
    void startNextTrickle();
    void onTrickleTick();

    ByteChannel& m_channel;
    State m_state = State::Open;
    bool m_batching = false; // inside a read batch: coalesce
    QByteArray m_out;        // the coalesced batch
    QTimer m_lingerTimer;
    QTimer m_trickle;
    std::deque<std::pair<QByteArray, int>> m_trickleQueue; // waiting behind the trickled reply
    QByteArray m_tricklePending;                           // what is left of the trickled reply
    qsizetype m_trickleChunk = 1;
};

} // namespace rpcbench
