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
    void carriers();
    void connectOptionsHeaders();
};

void tst_Endpoint::carriers()
{
    QVERIFY(Endpoint::parse("https://h")->carrier == Carrier::Tcp);
    QVERIFY(Endpoint::parse("https://h")->tls);
    QVERIFY(!Endpoint::parse("http://h")->tls);
    QVERIFY(Endpoint::parse("wss://h")->carrier == Carrier::WebSocket);
    QVERIFY(Endpoint::parse("wss://h")->tls);
    const auto local = Endpoint::parse("unix+lsp:/tmp/x.sock");
    QVERIFY(local->carrier == Carrier::Unix);
    QVERIFY(local->transport == Transport::Lsp);
    QCOMPARE(local->socketPath, QStringLiteral("/tmp/x.sock"));
    QVERIFY(local->isValid());
    const auto exec = Endpoint::forCommand("clangd-14 --log=error", Transport::Lsp);
    QVERIFY(exec->carrier == Carrier::Process);
    QCOMPARE(exec->process.program, QStringLiteral("clangd-14"));
    QCOMPARE(exec->process.arguments, QStringList{"--log=error"});
    QCOMPARE(exec->toString(), QStringLiteral("exec+lsp:clangd-14 --log=error"));
}

void tst_Endpoint::connectOptionsHeaders()
{
    ConnectOptions o;
    QPair<QByteArray, QByteArray> h;
    QString error;
    QVERIFY(ConnectOptions::parseHeader("X-Trace:  abc ", &h, &error));
    QCOMPARE(h.first, QByteArray("X-Trace"));
    QCOMPARE(h.second, QByteArray("abc"));
    QVERIFY(!ConnectOptions::parseHeader("no colon", &h, &error));
    QVERIFY(error.contains("Name: value"));
    QVERIFY(!ConnectOptions::parseHeader("Bad Name: x", &h, &error));
    o.headers.append({QByteArray("X-Trace"), QByteArray("abc")});
    o.bearerToken = "s3cret";
    HttpHeaderList all = o.requestHeaders();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.last().second, QByteArray("Bearer s3cret"));
    QVERIFY(o.hasSecrets());
    // A user-set Authorization wins over --bearer.
    o.headers.append({QByteArray("authorization"), QByteArray("Token mine")});
    all = o.requestHeaders();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.last().second, QByteArray("Token mine"));
    QVERIFY(!ConnectOptions::headerText({"Authorization", "Bearer s3cret"}).contains("s3cret"));
    QVERIFY(ConnectOptions::headerText({"Authorization", "Bearer s3cret"}, true).contains("s3cret"));
    QVERIFY(ConnectOptions::headerText({"X-Api-Key", "k"}).contains("••••"));
    QCOMPARE(ConnectOptions::headerText({"X-Trace", "abc"}), QStringLiteral("X-Trace: abc"));
    ConnectOptions basic;
    basic.basicUser = "alice:pw";
    QCOMPARE(basic.requestHeaders().first().second, "Basic " + QByteArray("alice:pw").toBase64());
}

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
    const int ws = int(Transport::WebSocket);
    QTest::newRow("https") << "https://api.example.test/v1" << http << "api.example.test" << 443 << "/v1";
    QTest::newRow("https port") << "https://h:8443" << http << "h" << 8443 << "/";
    QTest::newRow("tcp+tls") << "tcp+tls://h:7000" << json << "h" << 7000 << "/";
    QTest::newRow("tcp+lsp+tls") << "tcp+lsp+tls://h:7001" << lsp << "h" << 7001 << "/";
    QTest::newRow("ws") << "ws://h/socket" << ws << "h" << 80 << "/socket";
    QTest::newRow("wss") << "wss://h:9443/?k=v" << ws << "h" << 9443 << "/?k=v";
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
    QTest::newRow("ftp") << "ftp://h:21/"
                         << "unsupported scheme 'ftp'";
    QTest::newRow("unix without path") << "unix:"
                                       << "missing socket path";
    QTest::newRow("exec without command") << "exec:  "
                                          << "missing command";
    QTest::newRow("unknown opaque scheme") << "unix+http:/x"
                                           << "unsupported scheme 'unix+http'";
    QTest::newRow("tls with path") << "tcp+tls://h:1/x"
                                   << "take no path";
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
    QTest::newRow("https default port") << "https://h/rpc"
                                        << "https://h:443/rpc";
    QTest::newRow("tcp+lsp+tls") << "tcp+lsp+tls://h:5"
                                 << "tcp+lsp+tls://h:5";
    QTest::newRow("wss") << "wss://h:6"
                         << "wss://h:6/";
    QTest::newRow("unix") << "unix:/run/app.sock"
                          << "unix:/run/app.sock";
    QTest::newRow("unix three slashes") << "unix:///run/app.sock"
                                        << "unix:/run/app.sock";
    QTest::newRow("unix+lsp") << "unix+lsp:/tmp/s"
                              << "unix+lsp:/tmp/s";
    QTest::newRow("exec") << "exec:npx -y server-everything stdio"
                          << "exec:npx -y server-everything stdio";
    QTest::newRow("exec quoting") << "exec+lsp:'/opt/my server/bin' --arg='a b'"
                                  << "exec+lsp:'/opt/my server/bin' '--arg=a b'";
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
