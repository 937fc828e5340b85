#pragma once
// Test helper: runs one of the python3 (stdlib only) servers of tests/support/ and reads the
// port it prints on its first stdout line. python3() is empty when python3 is not installed
// (tests then QSKIP).

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

class PythonServer
{
public:
    ~PythonServer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    static QString python3() { return QStandardPaths::findExecutable(QStringLiteral("python3")); }

    // Starts tests/support/<script>; true once it printed its port.
    bool start(const QString& script, int timeoutMs = 10000)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(python3(), {QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/") + script});
        QByteArray out;
        const bool ok = QTest::qWaitFor(
            [&] {
                out += m_process.readAllStandardOutput();
                return out.contains('\n') || m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        m_port = ok ? quint16(out.trimmed().toUInt()) : 0;
        return m_port != 0;
    }

    quint16 port() const { return m_port; }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};
