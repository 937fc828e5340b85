// The headers of the client's HTTP POSTs, as a raw server receives them: the user's -H
// headers once each and in order, then Authorization from --bearer/--user unless the user set
// one, then rpcbench's own headers only for names the user did not set; Content-Length is
// always ours. Also the writer on its own (GET/DELETE, unsafe headers left out).

#include "RawHttpServer.h"
#include "client/RpcClient.h"
#include "wire/HttpWriter.h"

#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

class tst_HttpHeaders : public QObject
{
    Q_OBJECT
private slots:
    void postHeaders_data();
    void postHeaders();
    void writerLeavesOutUnsafeHeaders();
    void writerBodylessRequests();
};

void tst_HttpHeaders::postHeaders_data()
{
    QTest::addColumn<HeaderList>("userHeaders");
    QTest::addColumn<QString>("bearer");
    QTest::addColumn<QString>("basicUser");
    // Every header line but Content-Length, in order; "{host}" is 127.0.0.1:<port>.
    QTest::addColumn<QStringList>("expected");

    const QString accept = QStringLiteral("Accept: application/json, text/event-stream");
    const QString type = QStringLiteral("Content-Type: application/json");
    const QString keepAlive = QStringLiteral("Connection: keep-alive");
    QTest::newRow("defaults") << HeaderList{} << QString() << QString()
                              << QStringList{"Host: {host}", accept, type, keepAlive};
    QTest::newRow("user headers once, in order")
        << HeaderList{{"X-B", "2"}, {"X-A", "1"}, {"X-B", "3"}} << QString() << QString()
        << QStringList{"X-B: 2", "X-A: 1", "X-B: 3", "Host: {host}", accept, type, keepAlive};
    QTest::newRow("user's own headers win")
        << HeaderList{{"host", "example.org"},
                      {"Accept", "application/json"},
                      {"Content-Type", "application/json-rpc"},
                      {"Connection", "close"}}
        << QString() << QString()
        << QStringList{"host: example.org", "Accept: application/json", "Content-Type: application/json-rpc",
                       "Connection: close"};
    QTest::newRow("user Content-Length is not sent")
        << HeaderList{{"Content-Length", "3"}, {"X-A", "1"}} << QString() << QString()
        << QStringList{"X-A: 1", "Host: {host}", accept, type, keepAlive};
    QTest::newRow("bearer") << HeaderList{{"X-A", "1"}} << QStringLiteral("s3cret") << QString()
                            << QStringList{"X-A: 1",       "Authorization: Bearer s3cret",
                                           "Host: {host}", accept,
                                           type,           keepAlive};
    QTest::newRow("basic") << HeaderList{} << QString() << QStringLiteral("ann:pa:ss")
                           << QStringList{"Authorization: Basic " +
                                              QString::fromLatin1(QByteArray("ann:pa:ss").toBase64()),
                                          "Host: {host}", accept, type, keepAlive};
    QTest::newRow("user Authorization beats bearer")
        << HeaderList{{"authorization", "Token abc"}} << QStringLiteral("s3cret") << QStringLiteral("a:b")
        << QStringList{"authorization: Token abc", "Host: {host}", accept, type, keepAlive};
}

void tst_HttpHeaders::postHeaders()
{
    QFETCH(HeaderList, userHeaders);
    QFETCH(QString, bearer);
    QFETCH(QString, basicUser);
    QFETCH(QStringList, expected);

    RawHttpServer server;
    QVERIFY(server.listen());
    Endpoint endpoint = *Endpoint::parse(server.url());
    endpoint.options.headers = userHeaders;
    endpoint.options.bearerToken = bearer;
    endpoint.options.basicUser = basicUser;
    RpcClient client(endpoint, Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    // Two calls: every POST carries the headers, not just the first.
    for (int i = 0; i < 2; ++i) {
        client.call(CallRequest{QStringLiteral("ping")});
        QVERIFY(finished.wait(10000));
        const auto result = finished.takeFirst().at(1).value<CallResult>();
        QVERIFY2(result.ok(), qPrintable(result.describe()));
    }
    QCOMPARE(server.requests.size(), 2);
    const QString host = QStringLiteral("127.0.0.1:%1").arg(server.port());
    for (QString& line : expected)
        line.replace(QLatin1String("{host}"), host);
    for (const RawHttpServer::Request& r : std::as_const(server.requests)) {
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.target, QByteArray("/rpc"));
        QStringList actual;
        for (const auto& [name, value] : r.headers)
            if (name.compare("Content-Length", Qt::CaseInsensitive) != 0)
                actual << QString::fromLatin1(name + ": " + value);
        QCOMPARE(actual, expected);
        QCOMPARE(r.values("Content-Length"), QList<QByteArray>{QByteArray::number(r.body.size())});
    }
}

void tst_HttpHeaders::writerLeavesOutUnsafeHeaders()
{
    const QByteArray out = buildHttpPost("h:1", "/", "{}",
                                         HttpHeaders{{"X-Bad", "a\r\nX-Injected: 1"},
                                                     {"X-Nul", QByteArray("a\0b", 3)},
                                                     {"Bad Name", "v"},
                                                     {"", "v"},
                                                     {"X-Ok", "fine"}});
    QVERIFY(!out.contains("X-Injected"));
    QVERIFY(!out.contains("X-Bad"));
    QVERIFY(!out.contains("X-Nul"));
    QVERIFY(!out.contains("Bad Name"));
    QVERIFY(out.contains("\r\nX-Ok: fine\r\n"));
    QVERIFY(out.endsWith("\r\n\r\n{}"));
}

void tst_HttpHeaders::writerBodylessRequests()
{
    const QByteArray get = buildHttpRequest("GET", "h:1", "/mcp", HttpHeaders{{"Mcp-Session-Id", "s1"}}, {},
                                            "text/event-stream");
    QCOMPARE(get, QByteArray(
                      "GET /mcp HTTP/1.1\r\nMcp-Session-Id: s1\r\nHost: h:1\r\nAccept: text/event-stream\r\n"
                      "Connection: keep-alive\r\n\r\n"));
    const QByteArray del = buildHttpRequest("DELETE", "h:1", "", {}, {}, {});
    QCOMPARE(del, QByteArray("DELETE / HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\n\r\n"));
}

QTEST_GUILESS_MAIN(tst_HttpHeaders)
#include "tst_httpheaders.moc"
