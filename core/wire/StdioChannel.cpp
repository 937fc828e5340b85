#include "wire/StdioChannel.h"

#include <QSocketNotifier>

#include <utility>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace rpcbench {

namespace {

constexpr qint64 ReadChunk = 64 * 1024;

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// write() on a pipe whose reader has gone raises SIGPIPE, which kills the process (or reaches
// whatever handler is installed) unless ignored. Pipes have no MSG_NOSIGNAL: SIGPIPE is blocked
// for this thread during the write, and a SIGPIPE it raised is taken before unblocking, so the
// failure is just EPIPE. Nothing process-wide changes. (Three system calls a write: stdio is
// not the hot path.)
ssize_t writeWithoutSigpipe(int fd, const char* data, size_t size)
{
    sigset_t pipeSet;
    sigset_t old;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    const ssize_t n = ::write(fd, data, size);
    const int error = errno;
    if (n < 0 && error == EPIPE) {
        const timespec noWait{};
        ::sigtimedwait(&pipeSet, nullptr, &noWait);
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = error;
    return n;
}

// 0, 1 and 2 are pointed at /dev/null rather than closed: a later open() would otherwise get
// the number, and a stray write to "stdout" would land in someone's file.
void releaseFd(int fd)
{
    if (fd < 0)
        return;
    if (fd <= 2) {
        const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, fd);
            ::close(null);
            return;
        }
    }
    ::close(fd);
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error)).toLower();
}

} // namespace

StdioChannel::StdioChannel(QObject* parent) : StdioChannel(STDIN_FILENO, STDOUT_FILENO, parent) {}

StdioChannel::StdioChannel(int readFd, int writeFd, QObject* parent)
    : ByteChannel(parent), m_readFd(readFd), m_writeFd(writeFd)
{
    setNonBlocking(m_readFd);
    setNonBlocking(m_writeFd);
    m_readNotifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_writeFd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false); // only while bytes are queued
    connect(m_readNotifier, &QSocketNotifier::activated, this, &StdioChannel::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &StdioChannel::onWritable);
}

StdioChannel::~StdioChannel()
{
    delete m_readNotifier; // before the descriptors they watch
    delete m_writeNotifier;
    m_readNotifier = m_writeNotifier = nullptr;
    closeReadFd();
    closeWriteFd();
}

qint64 StdioChannel::bytesAvailable() const
{
    return m_in.size() - m_inPos;
}

qint64 StdioChannel::read(char* data, qint64 maxSize)
{
    const qint64 n = std::min(maxSize, bytesAvailable());
    if (n > 0)
        std::memcpy(data, m_in.constData() + m_inPos, size_t(n));
    consumed(std::max<qint64>(n, 0));
    return std::max<qint64>(n, 0);
}

QByteArray StdioChannel::readAll()
{
    QByteArray all = m_inPos == 0 ? std::exchange(m_in, {}) : m_in.mid(m_inPos);
    m_in.clear();
    m_inPos = 0;
    updateReadNotifier();
    return all;
}

qint64 StdioChannel::skip(qint64 maxSize)
{
    const qint64 n = std::max<qint64>(0, std::min(maxSize, bytesAvailable()));
    consumed(n);
    return n;
}

// Drops what was read; the buffer is compacted only once half of it is dead, so reading in
// small pieces costs no quadratic copying.
void StdioChannel::consumed(qint64 count)
{
    m_inPos += count;
    if (m_inPos == m_in.size()) {
        m_in.clear();
        m_inPos = 0;
    } else if (m_inPos > m_in.size() / 2) {
        m_in.remove(0, m_inPos);
        m_inPos = 0;
    }
    updateReadNotifier();
}

void StdioChannel::setReadBufferSize(qint64 size)
{
    m_readBufferSize = std::max<qint64>(0, size);
    updateReadNotifier();
}

// Past the read buffer cap we stop reading: the pipe fills and holds the peer back.
void StdioChannel::updateReadNotifier()
{
    if (m_readNotifier)
        m_readNotifier->setEnabled(!m_eof && !m_closed &&
                                   (m_readBufferSize == 0 || bytesAvailable() < m_readBufferSize));
}

void StdioChannel::onReadable()
{
    const qint64 before = bytesAvailable();
    while (!m_eof && (m_readBufferSize == 0 || bytesAvailable() < m_readBufferSize)) {
        const qsizetype old = m_in.size();
        m_in.resize(old + ReadChunk);
        const ssize_t n = ::read(m_readFd, m_in.data() + old, size_t(ReadChunk));
        m_in.resize(old + std::max<qsizetype>(n, 0));
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0) {
            const int error = errno;
            m_eof = true;
            updateReadNotifier();
            if (bytesAvailable() > before)
                emit readyRead();
            failWith(QStringLiteral("cannot read stdin: ") + errnoText(error));
            return;
        }
        m_eof = true; // n == 0
    }
    updateReadNotifier();
    if (bytesAvailable() > before)
        emit readyRead();
    if (m_eof)
        finishIfDone();
}

void StdioChannel::write(QByteArrayView bytes)
{
    if (m_closed || m_writeFd < 0 || m_closeWriteWanted || bytes.isEmpty())
        return;
    if (m_out.size() > m_outPos) { // keep the order: behind what is queued
        m_out.append(bytes.data(), bytes.size());
        return;
    }
    // The fast path: straight from the caller's bytes, no copy unless the pipe is full.
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = writeWithoutSigpipe(m_writeFd, bytes.data() + done, size_t(bytes.size() - done));
        if (n > 0) {
            done += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            // Reported from the event loop: write() emits nothing (the contract).
            const int error = errno;
            const QString reason = QStringLiteral("cannot write stdout: ") + errnoText(error);
            QMetaObject::invokeMethod(
                this, [this, reason] { failWith(reason); }, Qt::QueuedConnection);
            return;
        }
    }
    if (done < bytes.size()) {
        m_out = QByteArray(bytes.data() + done, bytes.size() - done);
        m_outPos = 0;
        m_writeNotifier->setEnabled(true);
    }
}

qint64 StdioChannel::bytesToWrite() const
{
    return m_out.size() - m_outPos;
}

void StdioChannel::onWritable()
{
    const qint64 before = bytesToWrite();
    if (!flushQueue())
        return;
    const qint64 sent = before - bytesToWrite();
    if (bytesToWrite() == 0) {
        m_writeNotifier->setEnabled(false);
        m_out.clear();
        m_outPos = 0;
    }
    if (sent > 0)
        emit bytesWritten(sent);
    if (bytesToWrite() == 0 && !m_closed)
        finishIfDone();
}

bool StdioChannel::flushQueue()
{
    while (bytesToWrite() > 0) {
        const ssize_t n =
            writeWithoutSigpipe(m_writeFd, m_out.constData() + m_outPos, size_t(bytesToWrite()));
        if (n > 0) {
            m_outPos += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            const int error = errno;
            failWith(QStringLiteral("cannot write stdout: ") + errnoText(error));
            return false;
        }
    }
    if (m_outPos > (1 << 20) && m_outPos > m_out.size() / 2) { // drop what has gone
        m_out.remove(0, m_outPos);
        m_outPos = 0;
    }
    return true;
}

void StdioChannel::closeWrite()
{
    m_closeWriteWanted = true;
    finishIfDone();
}

void StdioChannel::close()
{
    if (m_closed)
        return;
    m_closing = true;
    m_closeWriteWanted = true;
    finishIfDone();
}

void StdioChannel::abort()
{
    if (m_closed)
        return;
    m_out.clear();
    m_outPos = 0;
    emitClosed(QStringLiteral("aborted"));
}

QString StdioChannel::peerDescription() const
{
    return QStringLiteral("stdio");
}

// What waits for the write queue to drain: the half-close, close(), and the report of the end
// of stdin (the peer gets every reply to what it sent before hanging up).
void StdioChannel::finishIfDone()
{
    if (m_closed || bytesToWrite() > 0)
        return;
    if (m_closeWriteWanted)
        closeWriteFd();
    if (m_closing)
        emitClosed(QStringLiteral("closed"));
    else if (m_eof)
        emitClosed(QStringLiteral("stdin closed"));
}

void StdioChannel::closeWriteFd()
{
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    const int fd = std::exchange(m_writeFd, -1);
    if (fd != m_readFd) // one descriptor both ways (a socket): closed with the read side
        releaseFd(fd);
}

void StdioChannel::closeReadFd()
{
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    const int fd = std::exchange(m_readFd, -1);
    if (fd != m_writeFd)
        releaseFd(fd);
}

void StdioChannel::failWith(const QString& reason)
{
    if (m_closed)
        return;
    m_out.clear();
    m_outPos = 0;
    emit errorOccurred(reason);
    emitClosed(reason);
}

void StdioChannel::emitClosed(const QString& reason)
{
    if (std::exchange(m_closed, true))
        return;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    emit closed(reason);
}

} // namespace rpcbench
