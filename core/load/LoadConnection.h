#pragma once
// One connection of a load run: keeps `depth` calls in flight by writing one new request per
// reply received, and times each call from its write to its reply. Replies are matched in
// order (the requests are identical, so which reply answers which request does not matter
// for the figures). Reads and writes are batched: every reply found in one read is answered
// by one coalesced write.
//
// The bytes move over the ByteChannel the endpoint names (wire/ChannelFactory): TCP (whose
// write is the one-send() fast path, as before), TLS, Unix sockets, a child process's
// stdin/stdout, or WebSocket. On a message channel (WebSocket) every message is one reply and
// every request one write, so no ReplyScanner is needed there.
//
// With a handshake (setHandshake(), `bench --init`), the connection performs it first
// (LoadHandshake) and reports connected() only once it succeeded, so warm-up and measurement
// never include it.
//
// Open loop (LoadCounters::openLoop, `bench --rate`): the connection sends nothing by itself;
// the OpenLoopDriver hands it each scheduled call (sendScheduled()) while it has room (fewer
// than `depth` in flight), and the call is timed from its intended send time. Each reply
// batch emits capacityFreed() so calls waiting for room can go.

#include "load/LatencyHistogram.h"
#include "load/LoadHandshake.h"
#include "load/LoadTimeSeries.h"
#include "load/ReplyScanner.h"

#include "wire/Endpoint.h"

#include <QByteArray>
#include <QObject>

#include <vector>

namespace rpcbench {

class ByteChannel;

// Figures shared by every connection of one run (single-threaded: all live on one thread).
struct LoadCounters
{
    bool recording = false;           // true during the measured window only (not the warm-up)
    bool sending = true;              // false once the run is over
    bool openLoop = false;            // calls are sent by the OpenLoopDriver, not on each reply
    LoadTimeSeries* series = nullptr; // per-second figures while recording (optional)
    quint64 calls = 0;
    quint64 errors = 0;
    quint64 unexpectedReplies = 0; // replies beyond the calls in flight (server misbehaving)
    LatencyHistogram latency;
};

class LoadConnection : public QObject
{
    Q_OBJECT
public:
    // `request` is the complete framed bytes of one call. In Raw mode the peer is an echo
    // server and every request-sized chunk received counts as one reply.
    LoadConnection(const QByteArray& request, ReplyScanner::Mode mode, int depth, LoadCounters* counters,
                   QObject* parent = nullptr);
    ~LoadConnection() override;

    // Steps performed on the new connection before the load (call before open()).
    void setHandshake(QList<LoadInitStep> steps, LoadInitResolver resolver);
    // Opens a channel to `target` (once); connected() or failed() follows.
    void open(const Endpoint& target);
    // Closes the channel; no signal is emitted afterwards.
    void stop();

    // Open loop: true when the load started and fewer than `depth` calls are in flight.
    bool canSend() const { return m_loading && !m_stopped && m_inFlight < m_depth; }
    int inFlight() const { return m_inFlight; }
    int room() const { return canSend() ? m_depth - m_inFlight : 0; }
    // Open loop: sends `count` (≤ room()) calls now in one write, each timed from its
    // intended time (≤ nowNs when late).
    void sendScheduled(const qint64* intendedNs, int count, qint64 nowNs);

signals:
    void connected();
    void capacityFreed();              // open loop: replies arrived, so canSend() may have become true
    void failed(const QString& error); // connect failure, failed handshake, protocol error, or lost mid-run

private:
    void onConnected();
    void onHandshakeFinished(const QString& error);
    void startLoad();
    void onReadyRead();
    bool readStream(ReplyScanner::Result& found);
    void readMessages(ReplyScanner::Result& found);
    void fail(const QString& error);
    void send(int count, qint64 sentAtNs, const qint64* perCallNs = nullptr);
    void record(int matched, int errors, qint64 nowNs);

    ByteChannel* m_channel = nullptr; // child, made by open()
    bool m_messages = false;          // m_channel keeps message boundaries (WebSocket)
    LoadCounters* m_counters;
    QByteArray m_burst; // the request repeated `depth` times: any n ≤ depth requests is a prefix
    qsizetype m_requestSize;
    int m_depth;
    ReplyScanner m_scanner;
    QByteArray m_buffer;
    std::vector<qint64> m_sentAt; // ring of send times (ns) of the calls in flight
    int m_head = 0;
    int m_inFlight = 0;
    bool m_stopped = false;
    bool m_loading = false; // the handshake (if any) is done and load may be sent
    Endpoint m_target;
    QList<LoadInitStep> m_initSteps;
    LoadInitResolver m_initResolver;
    LoadHandshake* m_handshake = nullptr; // child while the handshake runs
};

// Monotonic clock in nanoseconds (vDSO, no syscall).
qint64 loadClockNs();

} // namespace rpcbench
