// TLS end to end: RpcClient (TlsChannel) against RpcServer's https:// and tcp+tls:// listeners
// (QSslServer), with a throw-away PKI made by openssl at test time (TestCerts). Every failure
// is one line naming the TLS step and the reason.

#include "ListenFixture.h"
#include "TestCerts.h"

#include "wire/TlsChannel.h"
#include "wire/TlsConfig.h"

#include <QElapsedTimer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpSocket>
#include <QTest>

using namespace rpcbench;

class tst_TlsChannel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void verificationFailures_data();
    void verificationFailures();
    void plainPeerOnTlsUrl_data();
    void plainPeerOnTlsUrl();
    void insecureAcceptsSelfSigned();
    void clientCertificateLoads();
    void badFilesGiveOneLine_data();
    void badFilesGiveOneLine();
    void serverCountsFailedHandshakes();
    void serverDropsBadHandshakes_data();
    void serverDropsBadHandshakes();

private:
    std::unique_ptr<TestCerts> m_certs;
};

void tst_TlsChannel::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    m_certs = std::make_unique<TestCerts>();
    QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
}

void tst_TlsChannel::roundTrip_data()
{
    QTest::addColumn<QString>("listenUrl");
    QTest::newRow("https") << "https://127.0.0.1:0";
    QTest::newRow("tcp+tls") << "tcp+tls://127.0.0.1:0";
    QTest::newRow("tcp+lsp+tls") << "tcp+lsp+tls://127.0.0.1:0";
    QTest::newRow("localhost name") << "tcp+tls://localhost:0";
}

void tst_TlsChannel::roundTrip()
{
    QFETCH(QString, listenUrl);
    ListenFixture f;
    QVERIFY2(f.start({ListenFixture::spec(listenUrl, m_certs->serverCert(), m_certs->serverKey())}),
             qPrintable(f.server->errorString()));
    Endpoint ep = f.endpoint();
    QVERIFY(ep.tls);
    QVERIFY(ep.port != 0);
    ep.options.caCertificates = {m_certs->caCert()};
    const CallResult r = callEcho(ep, QStringLiteral("over tls"));
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result.toString(), QStringLiteral("over tls"));
    QCOMPARE(f.server->tlsHandshakeFailures(), 0u);
}

void tst_TlsChannel::verificationFailures_data()
{
    QTest::addColumn<QString>("which");     // server certificate
    QTest::addColumn<bool>("trustCa");      // client adds the test CA
    QTest::addColumn<QStringList>("words"); // all must appear in the one-line error
    QTest::newRow("unknown CA") << "server" << false
                                << QStringList{"unknown CA", "CN=127.0.0.1", "rpcbench test CA"};
    QTest::newRow("self-signed") << "selfsigned" << true << QStringList{"self-signed", "issuer CN=127.0.0.1"};
    QTest::newRow("wrong host") << "wronghost" << true << QStringList{"host name mismatch", "wrong.example"};
    QTest::newRow("expired") << "expired" << true << QStringList{"expired"};
}

void tst_TlsChannel::verificationFailures()
{
    QFETCH(QString, which);
    QFETCH(bool, trustCa);
    QFETCH(QStringList, words);
    const QString cert = m_certs->dir() + u'/' + which + QStringLiteral(".pem");
    const QString key = m_certs->dir() + u'/' + which + QStringLiteral(".key");
    ListenFixture f;
    QVERIFY2(f.start({ListenFixture::spec(QStringLiteral("https://127.0.0.1:0"), cert, key)}),
             qPrintable(f.server->errorString()));
    Endpoint ep = f.endpoint();
    if (trustCa)
        ep.options.caCertificates = {m_certs->caCert()};
    const CallResult r = callEcho(ep);
    QVERIFY2(r.status == CallStatus::TransportError, qPrintable(r.describe()));
    const QString line = r.transportError;
    QVERIFY2(!line.contains(u'\n'), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("TLS handshake with 127.0.0.1:%1 failed").arg(ep.port)),
             qPrintable(line));
    for (const QString& word : words)
        QVERIFY2(line.contains(word, Qt::CaseInsensitive),
                 qPrintable(word + QStringLiteral(" not in: ") + line));
}

void tst_TlsChannel::plainPeerOnTlsUrl_data()
{
    QTest::addColumn<QString>("clientScheme");
    QTest::newRow("tcp+tls") << "tcp+tls";
    QTest::newRow("https") << "https";
}

// A server that speaks no TLS must not leave the client hanging in the handshake.
void tst_TlsChannel::plainPeerOnTlsUrl()
{
    QFETCH(QString, clientScheme);
    ListenFixture f;
    QVERIFY2(f.start({ListenFixture::spec(QStringLiteral("tcp://127.0.0.1:0"))}),
             qPrintable(f.server->errorString()));
    QString error;
    auto ep =
        Endpoint::parse(QStringLiteral("%1://127.0.0.1:%2").arg(clientScheme).arg(f.server->port()), &error);
    QVERIFY2(ep, qPrintable(error));
    ep->options.caCertificates = {m_certs->caCert()};
    QElapsedTimer timer;
    timer.start();
    const CallResult r = callEcho(*ep, QStringLiteral("hi"), 10000);
    QVERIFY2(r.status == CallStatus::TransportError, qPrintable(r.describe()));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(!r.transportError.contains(u'\n'), qPrintable(r.transportError));
    QVERIFY2(r.transportError.contains(
                 QStringLiteral("TLS handshake with 127.0.0.1:%1 failed: the peer does not speak TLS")
                     .arg(ep->port)),
             qPrintable(r.transportError));
}

void tst_TlsChannel::insecureAcceptsSelfSigned()
{
    ListenFixture f;
    QVERIFY(f.start({ListenFixture::spec(QStringLiteral("tcp+tls://127.0.0.1:0"), m_certs->selfSignedCert(),
                                         m_certs->selfSignedKey())}));
    Endpoint ep = f.endpoint();
    ep.options.insecure = true;
    const CallResult r = callEcho(ep);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
}

void tst_TlsChannel::clientCertificateLoads()
{
    ConnectOptions options;
    options.caCertificates = {m_certs->caCert()};
    options.clientCertificate = m_certs->clientCert();
    options.clientKey = m_certs->clientKey();
    QString error;
    const QSslConfiguration config = clientTlsConfiguration(options, &error);
    QVERIFY2(!config.isNull(), qPrintable(error));
    QCOMPARE(config.localCertificate().subjectInfo(QSslCertificate::CommonName).value(0),
             QStringLiteral("rpcbench test client"));
    QVERIFY(!config.privateKey().isNull());
    QVERIFY(config.caCertificates().contains(QSslCertificate::fromPath(m_certs->caCert()).value(0)));
    QVERIFY(config.caCertificates().size() >=
            QSslConfiguration::systemCaCertificates().size()); // and the system's

    // The server asks for (does not require) a certificate: a client sending one gets through.
    ListenFixture f;
    QVERIFY(f.start({ListenFixture::spec(QStringLiteral("tcp+tls://127.0.0.1:0"), m_certs->serverCert(),
                                         m_certs->serverKey())}));
    Endpoint ep = f.endpoint();
    ep.options = options;
    const CallResult r = callEcho(ep);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
}

void tst_TlsChannel::badFilesGiveOneLine_data()
{
    QTest::addColumn<QString>("field");   // which option gets the bad file
    QTest::addColumn<QString>("content"); // empty: the file does not exist
    QTest::addColumn<QString>("word");
    QTest::newRow("missing CA") << "ca"
                                << ""
                                << "cannot read CA certificate file";
    QTest::newRow("garbage CA") << "ca"
                                << "not a certificate"
                                << "no PEM certificate";
    QTest::newRow("missing cert") << "cert"
                                  << ""
                                  << "cannot read client certificate file";
    QTest::newRow("garbage key") << "key"
                                 << "-----BEGIN PRIVATE KEY-----\nxx\n"
                                 << "no unencrypted PEM private key";
}

void tst_TlsChannel::badFilesGiveOneLine()
{
    QFETCH(QString, field);
    QFETCH(QString, content);
    QFETCH(QString, word);
    const QString bad = content.isEmpty() ? m_certs->dir() + QStringLiteral("/nope.pem")
                                          : m_certs->writeFile(QStringLiteral("bad.pem"), content.toUtf8());
    ConnectOptions options;
    options.clientCertificate = m_certs->clientCert();
    options.clientKey = m_certs->clientKey();
    if (field == "ca")
        options.caCertificates = {bad};
    else if (field == "cert")
        options.clientCertificate = bad;
    else
        options.clientKey = bad;
    QString error;
    QVERIFY(clientTlsConfiguration(options, &error).isNull());
    QVERIFY2(error.contains(word) && error.contains(bad) && !error.contains(u'\n'), qPrintable(error));

    // Through the client: the call fails with the same line, no connection attempt hangs.
    Endpoint ep = *Endpoint::parse(QStringLiteral("tcp+tls://127.0.0.1:1"));
    ep.options = options;
    const CallResult r = callEcho(ep);
    QVERIFY2(r.status == CallStatus::TransportError, qPrintable(r.describe()));
    QVERIFY2(r.transportError.contains(bad), qPrintable(r.transportError));
}

void tst_TlsChannel::serverCountsFailedHandshakes()
{
    ListenFixture f;
    QVERIFY(f.start({ListenFixture::spec(QStringLiteral("https://127.0.0.1:0"), m_certs->serverCert(),
                                         m_certs->serverKey())}));
    QCOMPARE(f.server->tlsHandshakeFailures(), 0u);
    const CallResult r = callEcho(f.endpoint()); // no CA: the client rejects the certificate
    QVERIFY2(r.status == CallStatus::TransportError, qPrintable(r.describe()));
    QTRY_VERIFY(f.server->tlsHandshakeFailures() >= 1);
    // The server is still fine.
    Endpoint ep = f.endpoint();
    ep.options.caCertificates = {m_certs->caCert()};
    QVERIFY(callEcho(ep).ok());
}

void tst_TlsChannel::serverDropsBadHandshakes_data()
{
    QTest::addColumn<QByteArray>("send"); // what a non-TLS client sends to the TLS port
    QTest::newRow("silent (idle timeout)") << QByteArray();
    QTest::newRow("plain JSON") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1]})"
                                              "\n");
}

void tst_TlsChannel::serverDropsBadHandshakes()
{
    QFETCH(QByteArray, send);
    ServerLimits limits;
    limits.idleTimeoutMs = 300;
    ListenFixture f(limits);
    QVERIFY(f.start({ListenFixture::spec(QStringLiteral("tcp+tls://127.0.0.1:0"), m_certs->serverCert(),
                                         m_certs->serverKey())}));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, f.endpoint().port);
    QVERIFY(raw.waitForConnected(5000));
    raw.write(send);
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE(f.server->tlsHandshakeFailures(), 1u);
    Endpoint ep = f.endpoint();
    ep.options.caCertificates = {m_certs->caCert()};
    QVERIFY(callEcho(ep).ok()); // the server is still fine
}

QTEST_GUILESS_MAIN(tst_TlsChannel)
#include "tst_tlschannel.moc"
