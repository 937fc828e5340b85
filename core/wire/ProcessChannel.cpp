#include "wire/ProcessChannel.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <cstring>
#include <utility>

namespace rpcbench {

namespace {

constexpr std::chrono::milliseconds DefaultGrace{2000};
constexpr int SummaryLines = 3;         // stderr lines quoted in the exit reason
constexpr qsizetype SummaryChars = 400; // and at most this much of them

QString signalName(int sig)
{
    const char* abbrev = sigabbrev_np(sig); // glibc >= 2.32: "KILL", nullptr when unknown
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString();
}

QProcessEnvironment environmentFor(const ProcessSpec& spec)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& entry : spec.environment) {
        const qsizetype eq = entry.indexOf(u'=');
        if (eq > 0)
            env.insert(entry.left(eq), entry.mid(eq + 1));
        else if (eq < 0 && !entry.isEmpty())
            env.insert(entry, QString());
    }
    return env;
}

} // namespace

ProcessChannel::ProcessChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_endpoint(endpoint)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setReadChannel(QProcess::StandardOutput);
    m_graceTimer.setSingleShot(true);
    m_graceTimer.setInterval(DefaultGrace);
    connect(&m_graceTimer, &QTimer::timeout, this, &ProcessChannel::onGraceTimeout);
    connect(&m_process, &QProcess::started, this, &ByteChannel::connected);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ByteChannel::readyRead);
    connect(&m_process, &QProcess::readyReadStandardError, this, &ProcessChannel::onStderr);
    connect(&m_process, &QProcess::bytesWritten, this, &ByteChannel::bytesWritten);
    connect(&m_process, &QProcess::finished, this, &ProcessChannel::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &ProcessChannel::onProcessError);
}

ProcessChannel::~ProcessChannel()
{
    // Nothing of the child's end reaches a half-destroyed channel or its owner.
    QObject::disconnect(&m_process, nullptr, this, nullptr);
    if (m_process.state() != QProcess::NotRunning) {
        // Reap the killed child here: ~QProcess would do the same wait, with a warning. A
        // SIGKILLed process is gone within milliseconds; the bound only guards a stuck kernel.
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

// Checked before start() so that each failure is one line naming the cause; QProcess alone
// says "execve: No such file or directory" for a missing program and a missing directory alike.
QString ProcessChannel::startProblem() const
{
    const ProcessSpec& spec = m_endpoint.process;
    if (spec.program.isEmpty())
        return QStringLiteral("missing command to launch");
    if (!spec.workingDirectory.isEmpty() && !QFileInfo(spec.workingDirectory).isDir())
        return QStringLiteral("working directory '%1' does not exist").arg(spec.workingDirectory);
    QString path = spec.program;
    if (!path.contains(u'/')) {
        path = QStandardPaths::findExecutable(spec.program);
        if (path.isEmpty())
            return QStringLiteral("program not found");
    } else if (QFileInfo(path).isRelative() && !spec.workingDirectory.isEmpty()) {
        path = QDir(spec.workingDirectory).filePath(path); // the child resolves it there
    }
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("program not found");
    if (info.isDir() || !info.isExecutable())
        return QStringLiteral("'%1' is not executable").arg(path);
    return {};
}

void ProcessChannel::open()
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    m_closing = false;
    m_closeReported = false;
    m_graceStage = 0;
    m_stderrPartial.clear();
    m_tail.clear();
    m_tailBytes = 0;
    const ProcessSpec& spec = m_endpoint.process;
    if (const QString problem = startProblem(); !problem.isEmpty()) {
        // From the event loop, like every other outcome of open(): callers set up their
        // bookkeeping after open() returns (RpcClient does).
        const QString reason = QStringLiteral("cannot start '%1': %2").arg(spec.program, problem);
        QMetaObject::invokeMethod(
            this,
            [this, reason] {
                if (m_closeReported)
                    return;
                emit errorOccurred(reason);
                emitClosed(reason);
            },
            Qt::QueuedConnection);
        return;
    }
    m_process.setWorkingDirectory(spec.workingDirectory);
    m_process.setProcessEnvironment(environmentFor(spec));
    m_process.start(spec.program, spec.arguments);
}

bool ProcessChannel::isOpen() const
{
    return !m_closeReported && m_process.state() == QProcess::Running;
}

qint64 ProcessChannel::bytesAvailable() const
{
    return m_process.bytesAvailable();
}

qint64 ProcessChannel::read(char* data, qint64 maxSize)
{
    return m_process.read(data, maxSize);
}

qint64 ProcessChannel::skip(qint64 maxSize)
{
    return m_process.skip(maxSize);
}

// QProcess has no read buffer cap (it drains the pipe whenever it is readable), so there is
// nothing to push back on the child with: a no-op (see the header).
void ProcessChannel::setReadBufferSize(qint64) {}

void ProcessChannel::write(QByteArrayView bytes)
{
    // While Starting, QProcess queues the bytes for the child's stdin (it is open then).
    if (m_process.state() != QProcess::NotRunning && !m_closing && !bytes.isEmpty())
        m_process.write(bytes.data(), bytes.size());
}

qint64 ProcessChannel::bytesToWrite() const
{
    return m_process.bytesToWrite();
}

void ProcessChannel::closeWrite()
{
    m_process.closeWriteChannel(); // after what is still queued has been written
}

void ProcessChannel::close()
{
    if (m_process.state() == QProcess::NotRunning) {
        emitClosed(QStringLiteral("closed"));
        return;
    }
    if (std::exchange(m_closing, true))
        return;
    // Many servers exit on their own when stdin ends (LSP and MCP servers do); the others get
    // SIGTERM, then SIGKILL.
    m_process.closeWriteChannel();
    m_graceStage = 0;
    m_graceTimer.start();
}

void ProcessChannel::onGraceTimeout()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    if (m_graceStage++ == 0) {
        m_process.terminate();
        m_graceTimer.start();
    } else {
        m_process.kill();
    }
}

void ProcessChannel::abort()
{
    m_closing = true;
    m_graceTimer.stop();
    if (m_process.state() == QProcess::NotRunning) {
        emitClosed(QStringLiteral("closed"));
        return;
    }
    // The child is reaped by finished() later (or by the destructor); the channel ends now.
    m_process.kill();
    emitClosed(
        QStringLiteral("process '%1' was killed (connection aborted)").arg(m_endpoint.process.program));
}

QString ProcessChannel::peerDescription() const
{
    return QStringLiteral("exec:") + m_endpoint.process.commandLine();
}

void ProcessChannel::setGracePeriod(std::chrono::milliseconds grace)
{
    m_graceTimer.setInterval(grace);
}

QList<QByteArray> ProcessChannel::stderrTail() const
{
    return QList<QByteArray>(m_tail.begin(), m_tail.end());
}

qint64 ProcessChannel::processId() const
{
    return m_process.processId();
}

void ProcessChannel::onStderr()
{
    m_stderrPartial += m_process.readAllStandardError();
    qsizetype start = 0;
    for (qsizetype nl; (nl = m_stderrPartial.indexOf('\n', start)) >= 0; start = nl + 1)
        takeStderrLine(m_stderrPartial.mid(start, nl - start));
    m_stderrPartial.remove(0, start);
    while (m_stderrPartial.size() > MaxLineBytes) {
        takeStderrLine(m_stderrPartial.left(MaxLineBytes));
        m_stderrPartial.remove(0, MaxLineBytes);
    }
}

void ProcessChannel::takeStderrLine(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    m_tail.push_back(line.left(TailBytes));
    m_tailBytes += m_tail.back().size();
    while (m_tail.size() > 1 && (m_tail.size() > size_t(TailLines) || m_tailBytes > TailBytes)) {
        m_tailBytes -= m_tail.front().size();
        m_tail.pop_front();
    }
    emit stderrLine(line);
}

void ProcessChannel::flushStderr()
{
    onStderr();
    if (!m_stderrPartial.isEmpty())
        takeStderrLine(std::exchange(m_stderrPartial, {}));
}

void ProcessChannel::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_graceTimer.stop();
    flushStderr();
    if (m_closeReported)
        return; // aborted: already reported
    const bool failure = !m_closing && (status == QProcess::CrashExit || exitCode != 0);
    const QString reason = exitReason(exitCode, status);
    if (failure)
        emit errorOccurred(reason);
    emitClosed(reason);
}

// Only a start failure has no finished() to follow; crashes are reported from onFinished with
// the exit status and the stderr tail.
void ProcessChannel::onProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || m_closeReported)
        return;
    const QString reason = QStringLiteral("cannot start '%1': %2")
                               .arg(m_endpoint.process.program, m_process.errorString().toLower());
    emit errorOccurred(reason);
    emitClosed(reason);
}

QString ProcessChannel::exitReason(int exitCode, QProcess::ExitStatus status) const
{
    QString reason = QStringLiteral("process '%1' ").arg(m_endpoint.process.program);
    if (status == QProcess::NormalExit) {
        reason += QStringLiteral("exited with code %1").arg(exitCode);
    } else {
        // On Unix, QProcess reports the terminating signal as the exit code of a crash.
        const QString name = signalName(exitCode);
        reason += exitCode > 0 && !name.isEmpty()
                      ? QStringLiteral("was killed by signal %1 (%2)").arg(exitCode).arg(name)
                      : QStringLiteral("crashed");
    }
    const QString tail = tailSummary();
    return tail.isEmpty() ? reason : reason + QStringLiteral(": ") + tail;
}

// The last few non-empty stderr lines, trimmed and joined, short enough for one line.
QString ProcessChannel::tailSummary() const
{
    QStringList lines;
    for (auto it = m_tail.rbegin(); it != m_tail.rend() && lines.size() < SummaryLines; ++it) {
        const QString line = QString::fromUtf8(*it).trimmed();
        if (!line.isEmpty())
            lines.prepend(line);
    }
    QString text = lines.join(QStringLiteral(" | "));
    if (text.size() > SummaryChars)
        text = QStringLiteral("…") + text.right(SummaryChars);
    return text;
}

void ProcessChannel::emitClosed(const QString& reason)
{
    if (std::exchange(m_closeReported, true))
        return;
    emit closed(reason);
}

} // namespace rpcbench
