#pragma once
// Test helper: tests/support/https_bearer_server.py (an independent HTTPS JSON-RPC server,
// python3 stdlib) that requires "Authorization: Bearer TOKEN", started on a free port with
// certificates made at test time (TestCerts). A test skips, naming why(), when !canRun()
// (python3 or openssl missing), and fails when start() does not get a port.

#include "Peers.h"
#include "TestCerts.h"

#include <QProcess>
#include <QTest>

class HttpsBearerServer
{
public:
    bool canRun()
    {
        if (Peers::executable(QStringLiteral("python3")).isEmpty())
            m_why = QStringLiteral("python3 is not installed");
        else if (!m_certs.ok())
            m_why = QStringLiteral("cannot make test certificates: ") + m_certs.error();
        return m_why.isEmpty();
    }

    // Starts the server: true when it listens (port()), else why() has its error output.
    bool start(const QString& token)
    {
        m_process.start(Peers::executable(QStringLiteral("python3")),
                        {QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/https_bearer_server.py"),
                         m_certs.serverCert(), m_certs.serverKey(), token});
        QByteArray out;
        QTest::qWaitFor(
            [&] {
                out += m_process.readAllStandardOutput();
                return out.contains('\n') || m_process.state() == QProcess::NotRunning;
            },
            15000);
        m_port = quint16(out.trimmed().toUInt());
        if (m_port == 0)
            m_why = QStringLiteral("the HTTPS peer did not start: ") +
                    QString::fromLocal8Bit(m_process.readAllStandardError());
        return m_port != 0;
    }

    ~HttpsBearerServer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    quint16 port() const { return m_port; }
    QString why() const { return m_why; }
    const TestCerts& certs() const { return m_certs; }

private:
    TestCerts m_certs;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_why;
};
