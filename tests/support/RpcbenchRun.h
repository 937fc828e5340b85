#pragma once
// Test helper: runs the rpcbench executable (RPCBENCH_BIN) as a child process without blocking
// the test's event loop (servers living in the test keep working), either to completion
// (runRpcbench) or in the background while the test reads its output line by line
// (RpcbenchProcess, for `rpcbench listen` and `call --listen`).

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

struct RpcbenchRun
{
    int exitCode = -1; // -1: did not finish in time; -2: crashed
    QByteArray out;
    QByteArray err;

    QList<QByteArray> outLines() const { return out.split('\n').mid(0, out.count('\n')); }
    QList<QByteArray> errLines() const { return err.split('\n').mid(0, err.count('\n')); }
};

class RpcbenchProcess
{
public:
    ~RpcbenchProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void start(const QStringList& args, const QString& workingDirectory = {})
    {
        if (!workingDirectory.isEmpty())
            m_process.setWorkingDirectory(workingDirectory);
        m_process.start(QStringLiteral(RPCBENCH_BIN), args);
    }

    QByteArray out()
    {
        m_out += m_process.readAllStandardOutput();
        return m_out;
    }
    // Complete stdout lines so far.
    QList<QByteArray> lines()
    {
        const QByteArray text = out();
        return text.split('\n').mid(0, text.count('\n'));
    }
    QByteArray err()
    {
        m_err += m_process.readAllStandardError();
        return m_err;
    }
    bool waitForLines(qsizetype count, int timeoutMs)
    {
        return QTest::qWaitFor([&] { return lines().size() >= count || !running(); }, timeoutMs) &&
               lines().size() >= count;
    }
    bool waitForErr(const QByteArray& text, int timeoutMs)
    {
        return QTest::qWaitFor([&] { return err().contains(text) || !running(); }, timeoutMs) &&
               err().contains(text);
    }
    bool waitFinished(int timeoutMs)
    {
        return QTest::qWaitFor([&] { return !running(); }, timeoutMs);
    }
    void terminate() { ::kill(pid_t(m_process.processId()), SIGTERM); }
    bool running() const { return m_process.state() != QProcess::NotRunning; }
    int exitCode() const
    {
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

inline RpcbenchRun runRpcbench(const QStringList& args, int timeoutMs = 30000,
                               const QString& workingDirectory = {})
{
    RpcbenchProcess p;
    p.start(args, workingDirectory);
    RpcbenchRun r;
    const bool done = p.waitFinished(timeoutMs);
    r.out = p.out();
    r.err = p.err();
    if (done)
        r.exitCode = p.exitCode();
    return r;
}

// One JSON line as an object (empty when it is not one).
inline QJsonObject jsonLine(const QByteArray& line)
{
    return QJsonDocument::fromJson(line).object();
}

// The lines that are messages from the server (JSON objects with a "method").
inline QList<QJsonObject> serverMessages(const QList<QByteArray>& lines)
{
    QList<QJsonObject> out;
    for (const QByteArray& line : lines) {
        const QJsonObject o = jsonLine(line);
        if (o.contains(u"method"))
            out.append(o);
    }
    return out;
}

inline QStringList methodsOf(const QList<QJsonObject>& messages)
{
    QStringList out;
    for (const QJsonObject& m : messages)
        out << m.value(u"method").toString();
    return out;
}
