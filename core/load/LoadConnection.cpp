#include "load/LoadConnection.h"

#include "wire/SocketWriter.h"

#include <QTcpSocket>

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
    : QObject(parent), m_socket(new QTcpSocket(this)), m_counters(counters), m_requestSize(request.size()),
      m_depth(std::max(1, depth)), m_scanner(mode, request.size()), m_sentAt(size_t(m_depth), 0)
{
    m_burst.reserve(m_requestSize * m_depth);
    for (int i = 0; i < m_depth; ++i)
        m_burst.append(request);
    connect(m_socket, &QTcpSocket::connected, this, &LoadConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &LoadConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &LoadConnection::onClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &LoadConnection::onClosed);
}

LoadConnection::~LoadConnection()
{
    stop();
}

void LoadConnection::open(const QString& host, quint16 port)
{
    m_socket->connectToHost(host, port);
}

void LoadConnection::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_socket->disconnect(this);
    m_socket->abort();
}

void LoadConnection::fail(const QString& error)
{
    if (m_stopped)
        return;
    stop();
    emit failed(error);
}

void LoadConnection::onClosed()
{
    fail(m_socket->errorString());
}

void LoadConnection::onConnected()
{
    // Small requests must leave at once, not wait for Nagle.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    emit connected();
    if (m_counters->sending)
        send(m_depth, loadClockNs());
}

void LoadConnection::send(int count, qint64 nowNs)
{
    count = std::min(count, m_depth - m_inFlight);
    if (count <= 0)
        return;
    int slot = (m_head + m_inFlight) % m_depth;
    for (int i = 0; i < count; ++i) {
        m_sentAt[size_t(slot)] = nowNs;
        slot = slot + 1 == m_depth ? 0 : slot + 1;
    }
    m_inFlight += count;
    // Sent now with one send() (no copy into Qt's buffer, no extra event-loop pass), so the
    // generator spends as little CPU per call as possible and is not the bottleneck.
    SocketWriter::write(m_socket, QByteArrayView(m_burst.constData(), m_requestSize * count));
}

void LoadConnection::onReadyRead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    ReplyScanner::Result found;
    if (m_scanner.mode() == ReplyScanner::Mode::Raw) {
        // The echo baseline looks at sizes only.
        m_scanner.scanRaw(m_socket->skip(available), found);
    } else {
        const qsizetype old = m_buffer.size();
        m_buffer.resize(old + available);
        const qint64 got = m_socket->read(m_buffer.data() + old, available);
        m_buffer.resize(old + std::max<qint64>(got, 0));
        if (!m_scanner.scan(m_buffer, found)) {
            fail(m_scanner.errorString());
            return;
        }
    }
    if (found.replies == 0)
        return;

    const qint64 now = loadClockNs();
    const int matched = std::min(found.replies, m_inFlight);
    const bool recording = m_counters->recording;
    for (int i = 0; i < matched; ++i) {
        if (recording)
            m_counters->latency.record(quint64((now - m_sentAt[size_t(m_head)] + 500) / 1000));
        m_head = m_head + 1 == m_depth ? 0 : m_head + 1;
    }
    m_inFlight -= matched;
    if (recording) {
        m_counters->calls += quint64(matched);
        m_counters->errors += quint64(found.errors);
        m_counters->unexpectedReplies += quint64(found.replies - matched);
    }
    if (m_counters->sending)
        send(matched, now);
}

} // namespace rpcbench
