// The proxy between TLS ends: https:// -> https://, wss:// -> wss://, tcp+tls:// -> tcp+tls://,
// with the upstream's CA given in the upstream Endpoint's options (what `rpcbench proxy
// --upstream https://... --cacert ca.pem` builds). A call gets the upstream's reply and the
// proxy logs exactly one row per message; without the CA the upstream is refused with a
// one-line error that the client receives. Certificates are made at test time (TestCerts).
#include "DemoServerFixture.h"
#include "TestCerts.h"

#include "client/RpcClient.h"
#include "proxy/Proxy.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

class tst_ProxyTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void callThroughTlsPair_data();
    void callThroughTlsPair();
    void upstreamCaIsRequired_data();
    void upstreamCaIsRequired();

private:
    ListenSpec tlsListen(const QString& scheme) const;
    Endpoint withCa(const QString& url) const;
    // Starts the upstream and the proxy for `scheme`; the proxy trusts the CA when `trustCa`.
    bool startPair(const QString& scheme, bool trustCa);
    CallResult callProxy(const QString& scheme);

    TestCerts m_certs;
    std::unique_ptr<DemoServerFixture> m_upstream;
    std::shared_ptr<TrafficBus> m_bus;
    std::unique_ptr<Proxy> m_proxy;
};

void tst_ProxyTls::initTestCase()
{
    if (!m_certs.ok())
        QSKIP(qPrintable(QStringLiteral("cannot make test certificates: ") + m_certs.error()));
}

ListenSpec tst_ProxyTls::tlsListen(const QString& scheme) const
{
    const QString path = scheme == u"tcp+tls" ? QString() : QStringLiteral("/");
    ListenSpec spec = *ListenSpec::parse(QStringLiteral("%1://127.0.0.1:0%2").arg(scheme, path));
    spec.tlsCertificate = m_certs.serverCert();
    spec.tlsKey = m_certs.serverKey();
    return spec;
}

Endpoint tst_ProxyTls::withCa(const QString& url) const
{
    Endpoint e = *Endpoint::parse(url);
    e.options.caCertificates = {m_certs.caCert()};
    return e;
}

bool tst_ProxyTls::startPair(const QString& scheme, bool trustCa)
{
    const QString path = scheme == u"tcp+tls" ? QString() : QStringLiteral("/");
    m_upstream = std::make_unique<DemoServerFixture>();
    if (!m_upstream->server->start(QList<ListenSpec>{tlsListen(scheme)})) {
        qWarning() << m_upstream->server->errorString();
        return false;
    }
    const quint16 port = m_upstream->server->listeningEndpoints().constFirst().port;
    const QString upstreamUrl = QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(port).arg(path);
    m_bus = std::make_shared<TrafficBus>();
    m_proxy = std::make_unique<Proxy>(m_bus);
    m_proxy->setUpstream(trustCa ? withCa(upstreamUrl) : *Endpoint::parse(upstreamUrl));
    if (!m_proxy->start({tlsListen(scheme)})) {
        qWarning() << m_proxy->errorString();
        return false;
    }
    return true;
}

CallResult tst_ProxyTls::callProxy(const QString& scheme)
{
    const QString path = scheme == u"tcp+tls" ? QString() : QStringLiteral("/");
    const quint16 port = m_proxy->listeningEndpoints().constFirst().port;
    RpcClient client(withCa(QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(port).arg(path)),
                     Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    CallRequest request{QStringLiteral("add"), QJsonArray{2, 3, 4}};
    request.timeoutMs = 10'000;
    client.call(request);
    if (!finished.wait(15'000))
        return {};
    return finished.takeFirst().at(1).value<CallResult>();
}

void tst_ProxyTls::callThroughTlsPair_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::newRow("https -> https") << "https";
    QTest::newRow("wss -> wss") << "wss";
    QTest::newRow("tcp+tls -> tcp+tls") << "tcp+tls";
}

void tst_ProxyTls::callThroughTlsPair()
{
    QFETCH(QString, scheme);
    QVERIFY(startPair(scheme, true));
    const CallResult result = callProxy(scheme);
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.result.toInt(), 9);

    std::vector<TrafficEvent> rows;
    QTRY_VERIFY([&] {
        for (TrafficEvent& e : m_bus->drain())
            rows.push_back(std::move(e));
        return rows.size() >= 2;
    }());
    QTest::qWait(50); // nothing more may come
    for (TrafficEvent& e : m_bus->drain())
        rows.push_back(std::move(e));
    QCOMPARE(int(rows.size()), 2);
    QVERIFY(rows[0].side == Side::Proxy && rows[1].side == Side::Proxy);
    QVERIFY(rows[0].direction == Direction::In);
    QCOMPARE(rows[0].summary.method, QStringLiteral("add"));
    QVERIFY(rows[1].direction == Direction::Out);
    QVERIFY(rows[1].summary.kind == MessageKind::Response);
    QCOMPARE(rows[1].summary.idJson, rows[0].summary.idJson);
    QCOMPARE(rows[1].connectionId, rows[0].connectionId);
    QVERIFY(rows[1].upstreamUs >= 0);
    QVERIFY(rows[1].latencyUs >= rows[1].upstreamUs);
}

void tst_ProxyTls::upstreamCaIsRequired_data()
{
    callThroughTlsPair_data();
}

// The upstream's certificate is signed by the test CA only: a proxy that was not given it
// cannot reach the upstream, and its client gets an error instead of hanging.
void tst_ProxyTls::upstreamCaIsRequired()
{
    QFETCH(QString, scheme);
    QVERIFY(startPair(scheme, false));
    const CallResult result = callProxy(scheme);
    QVERIFY2(!result.ok(), qPrintable(result.describe()));
    QVERIFY2(result.describe().contains(QLatin1String("unknown CA")), qPrintable(result.describe()));
    QVERIFY2(!result.describe().contains(QLatin1Char('\n')), qPrintable(result.describe()));
}

QTEST_GUILESS_MAIN(tst_ProxyTls)
#include "tst_proxytls.moc"
