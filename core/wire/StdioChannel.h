#pragma once
// The server side of stdio: a ByteChannel on this process's own stdin (read) and stdout
// (write), for `rpcbench serve --stdio` run by an editor (language server) or an agent (MCP
// server).
//
// - Both descriptors are made non-blocking (O_NONBLOCK; on a terminal or a shared pipe this is
//   visible to whoever shares the file description). Reads come from a QSocketNotifier on the
//   read descriptor; writes go out at once as far as the pipe takes them, the rest is queued
//   and sent when a write notifier says the pipe has room: write() never blocks and never
//   drops.
// - End of stdin is closed("stdin closed"), after what is still queued for stdout has gone.
// - While the channel is in use NOTHING else may write to stdout (no printf, no qInfo to
//   stdout, no std::cout): stray bytes would corrupt the peer's framing. Logs go to stderr.
// - A peer that closes its end makes the next write fail with "cannot write stdout: broken
//   pipe", never a SIGPIPE death (blocked around each write; no process-wide change).
// - The channel owns the descriptors: closing it closes them (0, 1 and 2 are pointed at
//   /dev/null instead, so that the numbers are never reused by a later open()).

#include "wire/ByteChannel.h"

#include <QByteArray>

class QSocketNotifier;

namespace rpcbench {

class StdioChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Reads standard input, writes standard output.
    explicit StdioChannel(QObject* parent = nullptr);
    // Any pair of descriptors (tests use pipes).
    StdioChannel(int readFd, int writeFd, QObject* parent);
    ~StdioChannel() override;

    bool isOpen() const override { return !m_closed; }
    qint64 bytesAvailable() const override;
    qint64 read(char* data, qint64 maxSize) override;
    QByteArray readAll() override;
    qint64 skip(qint64 maxSize) override;
    void setReadBufferSize(qint64 size) override;
    void write(QByteArrayView bytes) override;
    qint64 bytesToWrite() const override;
    void closeWrite() override;
    void close() override;
    void abort() override;
    QString peerDescription() const override; // "stdio"

private:
    void onReadable();
    void onWritable();
    // Writes from the queue until the pipe is full; false after a write error (reported).
    bool flushQueue();
    void updateReadNotifier();
    void consumed(qint64 count);
    void closeWriteFd();
    void closeReadFd();
    void finishIfDone();
    void failWith(const QString& reason);
    void emitClosed(const QString& reason);

    int m_readFd = -1;
    int m_writeFd = -1;
    QSocketNotifier* m_readNotifier = nullptr;  // child
    QSocketNotifier* m_writeNotifier = nullptr; // child
    QByteArray m_in;                            // received, not read yet, from m_inPos on
    qsizetype m_inPos = 0;
    QByteArray m_out; // queued for the write descriptor, from m_outPos on
    qsizetype m_outPos = 0;
    qint64 m_readBufferSize = 0;
    bool m_eof = false;              // stdin ended
    bool m_closeWriteWanted = false; // closeWrite()/close() once the queue is empty
    bool m_closing = false;          // close(): closed() once the queue is empty
    bool m_closed = false;
};

} // namespace rpcbench
