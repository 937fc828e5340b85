// Endpoint: target URLs for the client.

#include "wire/Endpoint.h"

#include <QTest>

using namespace rpcbench;

class tst_Endpoint : public QObject
{
    Q_OBJECT
private slots:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void toStringRoundTrips_data();
    void toStringRoundTrips();
};

void tst_Endpoint::parsesValidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("transport");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");

    const int json = int(Transport::JsonStream), lsp = int(Transport::Lsp), http = int(Transport::Http);
    QTest::newRow("tcp") << "tcp://127.0.0.1:5000" << json << "127.0.0.1" << 5000 << "/";
    QTest::newRow("tcp hostname") << "tcp://localhost:1" << json << "localhost" << 1 << "/";
    QTest::newRow("tcp trailing slash") << "tcp://127.0.0.1:5000/" << json << "127.0.0.1" << 5000 << "/";
    QTest::newRow("no scheme = tcp") << "127.0.0.1:6000" << json << "127.0.0.1" << 6000 << "/";
    QTest::newRow("surrounding spaces") << "  tcp://h:7 " << json << "h" << 7 << "/";
    QTest::newRow("scheme case") << "TCP://h:7" << json << "h" << 7 << "/";
    QTest::newRow("lsp") << "tcp+lsp://127.0.0.1:5001" << lsp << "127.0.0.1" << 5001 << "/";
    QTest::newRow("http default path") << "http://127.0.0.1:8080" << http << "127.0.0.1" << 8080 << "/";
    QTest::newRow("http path") << "http://127.0.0.1:8080/rpc/v1" << http << "127.0.0.1" << 8080 << "/rpc/v1";
    QTest::newRow("http query") << "http://h:1/rpc?x=1" << http << "h" << 1 << "/rpc?x=1";
    QTest::newRow("http default port") << "http://example.test/rpc" << http << "example.test" << 80 << "/rpc";
    QTest::newRow("ipv6") << "tcp://[::1]:5000" << json << "::1" << 5000 << "/";
    QTest::newRow("max port") << "tcp://h:65535" << json << "h" << 65535 << "/";
}

void tst_Endpoint::parsesValidUrls()
{
    QFETCH(QString, url);
    QFETCH(int, transport);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, path);
    QString error;
    const auto ep = Endpoint::parse(url, &error);
    QVERIFY2(ep.has_value(), qPrintable(error));
    QCOMPARE(int(ep->transport), transport);
    QCOMPARE(ep->host, host);
    QCOMPARE(int(ep->port), port);
    QCOMPARE(ep->path, path);
    QVERIFY(ep->isValid());
}

void tst_Endpoint::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("empty") << ""
                           << "empty URL";
    QTest::newRow("blank") << "   "
                           << "empty URL";
    QTest::newRow("unknown scheme") << "udp://h:1"
                                    << "unsupported scheme 'udp'";
    QTest::newRow("https") << "https://h:443/"
                           << "https is not supported";
    QTest::newRow("missing port") << "tcp://127.0.0.1"
                                  << "missing port";
    QTest::newRow("empty port") << "tcp://127.0.0.1:"
                                << "missing port";
    QTest::newRow("http empty port") << "http://127.0.0.1:/x"
                                     << "missing port";
    QTest::newRow("port zero") << "tcp://h:0"
                               << "invalid port '0'";
    QTest::newRow("port too big") << "tcp://h:65536"
                                  << "invalid port '65536'";
    QTest::newRow("port not a number") << "tcp://h:abc"
                                       << "invalid port 'abc'";
    QTest::newRow("negative port") << "tcp://h:-1"
                                   << "invalid port '-1'";
    QTest::newRow("missing host") << "tcp://:5000"
                                  << "missing host";
    QTest::newRow("tcp with path") << "tcp://h:1/rpc"
                                   << "take no path";
    QTest::newRow("lsp with path") << "tcp+lsp://h:1/x"
                                   << "take no path";
    QTest::newRow("bare ipv6") << "tcp://::1:5000"
                               << "in brackets";
    QTest::newRow("bad ipv6") << "tcp://[zz]:5000"
                              << "invalid IPv6";
    QTest::newRow("unterminated ipv6") << "tcp://[::1:5000"
                                       << "unterminated";
    QTest::newRow("user info") << "http://u:p@h:1/"
                               << "user information";
}

void tst_Endpoint::rejectsBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, errorPart);
    QString error;
    QVERIFY(!Endpoint::parse(url, &error).has_value());
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void tst_Endpoint::toStringRoundTrips_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("tcp") << "tcp://127.0.0.1:5000"
                         << "tcp://127.0.0.1:5000";
    QTest::newRow("no scheme") << "h:1"
                               << "tcp://h:1";
    QTest::newRow("lsp") << "tcp+lsp://h:2"
                         << "tcp+lsp://h:2";
    QTest::newRow("http") << "http://h:3"
                          << "http://h:3/";
    QTest::newRow("http path") << "http://h:3/rpc"
                               << "http://h:3/rpc";
    QTest::newRow("ipv6") << "http://[::1]:4/x"
                          << "http://[::1]:4/x";
}

void tst_Endpoint::toStringRoundTrips()
{
    QFETCH(QString, url);
    QFETCH(QString, canonical);
    const auto ep = Endpoint::parse(url);
    QVERIFY(ep);
    QCOMPARE(ep->toString(), canonical);
    const auto again = Endpoint::parse(ep->toString());
    QVERIFY(again);
    QCOMPARE(*again, *ep);
}

QTEST_GUILESS_MAIN(tst_Endpoint)
#include "tst_endpoint.moc"
