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
//
// With a mix (LoadOptions::mix), the connection sends the calls of a shared LoadCycle in its
// order instead of one request, still as slices of prebuilt bytes, and remembers which call
// each one in flight is, so replies (matched in order) are counted per call. A notification of
// the mix is written and counted as sent but never waits for a reply: the closed loop sends it
// on the way to the next call that expects one; in the open loop it uses a scheduled slot.
//
// Sampled traffic logging (LoadCounters::sampleEvery > 0): every Nth call sent by the run (all
// connections counted together) is published on the bus as a client-side request, and its
// reply, found by its place in the reply order, with the measured latency. Off, it costs one
// branch per write and one per read.

#include "load/LatencyHistogram.h"
#include "load/LoadHandshake.h"
#include "load/LoadTimeSeries.h"
#include "load/ReplyScanner.h"
#include "protocol/RpcTypes.h"

#include "wire/Endpoint.h"

#include <QByteArray>
#include <QObject>

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace rpcbench {

class ByteChannel;
class TrafficBus;
struct LoadCycle;

// Figures shared by every connection of one run (single-threaded: all live on one thread).
struct LoadCounters
{
    bool recording = false;           // true during the measured window only (not the warm-up)
    bool sending = true;              // false once the run is over
    bool openLoop = false;            // calls are sent by the OpenLoopDriver, not on each reply
    LoadTimeSeries* series = nullptr; // per-second figures while recording (optional)
    quint64 calls = 0;
    quint64 errors = 0;
    std::map<qint64, quint64> errorsByCode; // ReplyScanner's keys
    quint64 unexpectedReplies = 0;          // replies beyond the calls in flight (server misbehaving)
    quint64 sent = 0;                       // calls written in the whole run (warm-up and notifications too)
    LatencyHistogram latency;
    // With a mix, per call of the mix while recording: calls sent, replies received.
    std::vector<quint64> mixSent;
    std::vector<quint64> mixAnswered;
    // Sampled traffic logging: every `sampleEvery`th call sent (0 = off) goes to `bus`.
    TrafficBus* bus = nullptr;
    int sampleEvery = 0;
    int sampleCountdown = 0; // calls until the next sampled one
    quint64 loggedCalls = 0;
    quint64 loggedReplies = 0;
};

class LoadConnection : public QObject
{
    Q_OBJECT
public:
    // `request` is the complete framed bytes of one call. In Raw mode the peer is an echo
    // server and every request-sized chunk received counts as one reply.
    LoadConnection(const QByteArray& request, ReplyScanner::Mode mode, int depth, LoadCounters* counters,
                   QObject* parent = nullptr);
    // A mix: the calls of `cycle` in its order, this connection starting at `startPosition`
    // (connections start at different places, so the run as a whole is close to the mix at
    // every moment, not only over whole cycles).
    LoadConnection(std::shared_ptr<const LoadCycle> cycle, int startPosition, ReplyScanner::Mode mode,
                   int depth, LoadCounters* counters, QObject* parent = nullptr);
    ~LoadConnection() override;

    // Steps performed on the new connection before the load (call before open()).
    void setHandshake(QList<LoadInitStep> steps, LoadInitResolver resolver);
    // Sampled logging of the single-request path: the JSON of the request (without framing).
    void setRequestJson(const QByteArray& json) { m_json = json; }
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
    int sendMix(int count, bool countsReplies, qint64 sentAtNs, const qint64* perCallNs);
    void record(int matched, const ReplyScanner::Result& found, qint64 nowNs);
    void recordMix(int matched);
    void sampleSent(int firstPosition, int items, quint64 firstOrdinal);
    void prepareCaptures();
    void publishSampledReplies(int matched);
    void publish(Direction direction, const QByteArray& payload, qint64 timeUs, qint64 latencyUs);

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
    // A mix: the shared cycle, where this connection is in it, and the call of each slot of
    // m_sentAt (the same ring).
    std::shared_ptr<const LoadCycle> m_cycle;
    int m_position = 0;
    std::vector<int> m_callOfSlot;
    // Sampled logging: calls expecting a reply sent and replies matched so far (a reply's place
    // in that order finds its call), the sampled calls waiting for their reply, and the
    // replies the next read should copy.
    struct Sample
    {
        quint64 ordinal;
        qint64 sentUs;
        bool notification; // over HTTP: its empty response is not published
    };
    QByteArray m_json;
    quint64 m_repliesSent = 0;
    quint64 m_repliesMatched = 0;
    std::deque<Sample> m_samples;
    std::vector<ReplyScanner::Capture> m_captures;
    quint64 m_logId = 0;
    QString m_peer;
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
