#pragma once
// A ByteChannel over a child process's stdin/stdout (QProcess, separate channels): language
// servers (Content-Length framing) and MCP servers (one JSON message per line).
//
// - open() starts the child; connected() comes on started(). A child that cannot start fails
//   (from the event loop, never inside open()) with one line: "cannot start 'clangdx': program not found" /
//   "... is not executable" /
//   "... working directory '/x' does not exist".
// - Standard output is the byte stream (read(), bytesAvailable(), skip()); standard error is
//   never framed: it is split into lines, each emitted as stderrLine() (a last line without
//   newline is flushed when the child exits), and the last lines are kept as a tail for the
//   exit reason.
// - The end is closed("process 'clangd' exited with code 1: <last stderr lines>") or "... was
//   killed by signal 9 (SIGKILL)" / "... crashed". A non-zero exit or a crash is a failure
//   (errorOccurred() first); exit code 0, or any end after our own close(), is orderly.
// - close() closes the child's stdin, terminate()s it after a grace period, kill()s it after a
//   second one (timers, nothing waits). abort() kills at once.
// - QProcess reads the child's output greedily, so setReadBufferSize() cannot push back on the
//   child: back-pressure stops at QProcess's buffer (it is a no-op here).

#include "wire/ByteChannel.h"
#include "wire/Endpoint.h"

#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <deque>

namespace rpcbench {

class ProcessChannel final : public ByteChannel
{
    Q_OBJECT
public:
    // Client side: launches endpoint.process on open().
    ProcessChannel(const Endpoint& endpoint, QObject* parent = nullptr);
    // Kills a child still running (no zombie: QProcess reaps it, a short bounded wait).
    ~ProcessChannel() override;

    void open() override;
    bool isOpen() const override;
    qint64 bytesAvailable() const override;
    qint64 read(char* data, qint64 maxSize) override;
    qint64 skip(qint64 maxSize) override;
    void setReadBufferSize(qint64 size) override;
    void write(QByteArrayView bytes) override;
    qint64 bytesToWrite() const override;
    void closeWrite() override;
    void close() override;
    void abort() override;
    QString peerDescription() const override; // "exec:<command line>"

    // How long close() waits after closing stdin before terminate(), and again before kill().
    void setGracePeriod(std::chrono::milliseconds grace);
    // The last lines of standard error (at most ~20 lines / 4 KiB), oldest first.
    QList<QByteArray> stderrTail() const;
    qint64 processId() const;

    static constexpr int TailLines = 20;
    static constexpr qsizetype TailBytes = 4096;
    // A stderr "line" longer than this is emitted in pieces (a child writing without newlines
    // must not grow our buffer without bound).
    static constexpr qsizetype MaxLineBytes = 64 * 1024;

private:
    QString startProblem() const;
    void onStderr();
    void takeStderrLine(QByteArray line);
    void flushStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void onGraceTimeout();
    QString exitReason(int exitCode, QProcess::ExitStatus status) const;
    QString tailSummary() const;
    void emitClosed(const QString& reason);

    Endpoint m_endpoint;
    QProcess m_process;
    QTimer m_graceTimer;
    int m_graceStage = 0;   // 0: stdin closed, waiting; 1: terminated, waiting; 2: killed
    bool m_closing = false; // close() or abort() was called: the end is ours, not a failure
    bool m_closeReported = false;
    QByteArray m_stderrPartial;    // stderr bytes after the last newline
    std::deque<QByteArray> m_tail; // last stderr lines
    qsizetype m_tailBytes = 0;
};

} // namespace rpcbench
