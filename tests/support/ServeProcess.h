#pragma once
// Test helper: runs `rpcbench serve` as a child process on a free port and reads the
// address it prints, so tests can talk to the real binary.

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

class ServeProcess
{
public:
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Starts the server with extra arguments; returns true once it printed its address.
    bool start(const QStringList& extraArgs = {}, int timeoutMs = 10000)
    {
        m_process.start(QStringLiteral(RPCBENCH_BIN), QStringList{"serve", "--port", "0"} + extraArgs);
        const QRegularExpression re(QStringLiteral("listening on ([0-9.]+):(\\d+)"));
        return QTest::qWaitFor(
                   [&] {
                       m_stdout += m_process.readAllStandardOutput();
                       const auto m = re.match(QString::fromUtf8(m_stdout));
                       if (m.hasMatch())
                           m_port = quint16(m.captured(2).toUInt());
                       return m_port != 0 || m_process.state() == QProcess::NotRunning;
                   },
                   timeoutMs) &&
               m_port != 0;
    }

    bool terminate(int timeoutMs = 10000)
    {
        ::kill(pid_t(m_process.processId()), SIGTERM);
        return QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    }

    QByteArray readStdout()
    {
        m_stdout += m_process.readAllStandardOutput();
        return m_stdout;
    }

    quint16 port() const { return m_port; }
    QProcess& process() { return m_process; }

    // Resident set size of the server in KiB (Linux), -1 when unknown.
    qint64 rssKiB() const
    {
        QFile f(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray& line : f.readAll().split('\n'))
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        return -1;
    }

private:
    QProcess m_process;
    QByteArray m_stdout;
    quint16 m_port = 0;
};
