// RpcClient over https:// against an independent HTTPS JSON-RPC server (python3 stdlib,
// tests/support/https_bearer_server.py) that requires a bearer token; the certificates and the
// CA are made at test time (TestCerts). With --cacert and --bearer calls succeed; without the
// token, or with a wrong one, the call fails with one line naming HTTP 401.

#include "HttpsBearerServer.h"
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
    void calls_data();
    void calls();

private:
    HttpsBearerServer m_server;
};

void tst_HttpsInterop::initTestCase()
{
    if (!m_server.canRun())
        QSKIP(qPrintable(m_server.why()));
    QVERIFY2(m_server.start(QStringLiteral("t0ken-123")), qPrintable(m_server.why()));
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
    Endpoint endpoint = *Endpoint::parse(QStringLiteral("https://127.0.0.1:%1/rpc").arg(m_server.port()));
    endpoint.options.caCertificates = {m_server.certs().caCert()};
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
