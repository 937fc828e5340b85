// RpcClient over https:// against an independent HTTPS JSON-RPC server (python3 stdlib,
// tests/support/https_bearer_server.py) that requires a bearer token; the certificates and the
// CA are made at test time (TestCerts). With --cacert and --bearer calls succeed; without the
// token, or with a wrong one, the call fails with one line naming HTTP 401.

#include "Peers.h"
#include "TestCerts.h"
#include "client/RpcClient.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

class tst_HttpsInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void calls_data();
    void calls();

private:
    TestCerts m_certs;
    QProcess m_server;
    quint16 m_port = 0;
};

void tst_HttpsInterop::initTestCase()
{
    const QString python = Peers::executable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 is not installed");
    if (!m_certs.ok())
        QSKIP(qPrintable(QStringLiteral("cannot make test certificates: ") + m_certs.error()));
    m_server.start(python, {QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/https_bearer_server.py"),
                            m_certs.serverCert(), m_certs.serverKey(), QStringLiteral("t0ken-123")});
    QByteArray out;
    QVERIFY(QTest::qWaitFor(
        [&] {
            out += m_server.readAllStandardOutput();
            return out.contains('\n') || m_server.state() == QProcess::NotRunning;
        },
        15000));
    m_port = quint16(out.trimmed().toUInt());
    QVERIFY2(m_port != 0, m_server.readAllStandardError().constData());
}

void tst_HttpsInterop::cleanupTestCase()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

void tst_HttpsInterop::calls_data()
{
    QTest::addColumn<QString>("bearer");
    QTest::addColumn<bool>("ok");
    QTest::newRow("with the token") << QStringLiteral("t0ken-123") << true;
    QTest::newRow("without a token") << QString() << false;
    QTest::newRow("wrong token") << QStringLiteral("nope") << false;
}

void tst_HttpsInterop::calls()
{
    QFETCH(QString, bearer);
    QFETCH(bool, ok);
    Endpoint endpoint = *Endpoint::parse(QStringLiteral("https://127.0.0.1:%1/rpc").arg(m_port));
    endpoint.options.caCertificates = {m_certs.caCert()};
    endpoint.options.bearerToken = bearer;
    RpcClient client(endpoint, Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    // Two calls: the second reuses the kept-alive TLS connection.
    for (int i = 0; i < 2; ++i) {
        CallRequest request{QStringLiteral("add"), QJsonArray{2, 3, i}};
        request.timeoutMs = 10000;
        client.call(request);
        QVERIFY(finished.wait(15000));
        const auto result = finished.takeFirst().at(1).value<CallResult>();
        if (ok) {
            QVERIFY2(result.ok(), qPrintable(result.describe()));
            QCOMPARE(result.result.toInt(), 5 + i);
        } else {
            QVERIFY(!result.ok());
            const QString line = result.describe();
            QVERIFY2(line.contains(QLatin1String("401")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("nope")), qPrintable(line)); // never the secret
        }
    }
}

QTEST_GUILESS_MAIN(tst_HttpsInterop)
#include "tst_httpsinterop.moc"
