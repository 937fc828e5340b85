#pragma once
// One connection of a load run: keeps `depth` calls in flight by writing one new request per
// reply received, and times each call from its write to its reply. Replies are matched in
// order (the requests are identical, so which reply answers which request does not matter
// for the figures). Reads and writes are batched: every reply found in one read is answered
// by one coalesced write.

#include "load/LatencyHistogram.h"
#include "load/ReplyScanner.h"

#include <QByteArray>
#include <QObject>

#include <vector>

class QTcpSocket;

namespace rpcbench {

// Figures shared by every connection of one run (single-threaded: all live on one thread).
struct LoadCounters
{
    bool recording = false; // true during the measured window only (not the warm-up)
    bool sending = true;    // false once the run is over
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

    void open(const QString& host, quint16 port);
    // Closes the socket; no signal is emitted afterwards.
    void stop();

signals:
    void connected();
    void failed(const QString& error); // connect failure, protocol error, or lost mid-run

private:
    void onConnected();
    void onReadyRead();
    void onClosed();
    void fail(const QString& error);
    void send(int count, qint64 nowNs);

    QTcpSocket* m_socket;
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
};

// Monotonic clock in nanoseconds (vDSO, no syscall).
qint64 loadClockNs();

} // namespace rpcbench
