// LoadRequest: the load generator's URL parsing (Endpoint), reply scanner choice and the prebuilt
// request bytes per dialect and framing.

#include "load/LoadRequest.h"
#include "load/ReplyScanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace rpcbench;

class TestLoadRequest : public QObject
{
    Q_OBJECT

private slots:
    void parsesTargets_data();
    void parsesTargets();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void callShapePerDialect_data();
    void callShapePerDialect();
    void rejectsBadParams_data();
    void rejectsBadParams();
    void echoPayloadHasRequestedSize_data();
    void echoPayloadHasRequestedSize();
    void framing();
};

void TestLoadRequest::parsesTargets_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("transport");
    QTest::addColumn<quint16>("port");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("scanner");

    QTest::newRow("tcp") << "tcp://127.0.0.1:5000" << int(Transport::JsonStream) << quint16(5000)
                         << QByteArray("/") << int(ReplyScanner::Mode::JsonStream);
    QTest::newRow("lsp") << "tcp+lsp://127.0.0.1:7" << int(Transport::Lsp) << quint16(7) << QByteArray("/")
                         << int(ReplyScanner::Mode::Lsp);
    QTest::newRow("http-path") << "http://127.0.0.1:8080/rpc" << int(Transport::Http) << quint16(8080)
                               << QByteArray("/rpc") << int(ReplyScanner::Mode::Http);
    QTest::newRow("http-root") << "http://127.0.0.1:81" << int(Transport::Http) << quint16(81)
                               << QByteArray("/") << int(ReplyScanner::Mode::Http);
}

void TestLoadRequest::parsesTargets()
{
    QFETCH(QString, url);
    QFETCH(int, transport);
    QFETCH(quint16, port);
    QFETCH(QByteArray, path);
    QFETCH(int, scanner);
    QString error;
    const auto t = Endpoint::parse(url, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(int(t->transport), transport);
    QCOMPARE(t->host, QStringLiteral("127.0.0.1"));
    QCOMPARE(t->port, port);
    QCOMPARE(t->path, QString::fromUtf8(path));
    QCOMPARE(int(ReplyScanner::modeFor(t->transport)), scanner);
}

void TestLoadRequest::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("scheme") << "udp://127.0.0.1:5000";
    QTest::newRow("no-port") << "tcp://127.0.0.1";
    QTest::newRow("bad-port") << "tcp://127.0.0.1:99999";
    QTest::newRow("empty") << "";
}

void TestLoadRequest::rejectsBadUrls()
{
    QFETCH(QString, url);
    QString error;
    QVERIFY(!Endpoint::parse(url, &error));
    QVERIFY(!error.isEmpty());
}

void TestLoadRequest::callShapePerDialect_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QJsonObject>("expected");

    QTest::newRow("2.0-array") << int(Dialect::JsonRpc2) << QByteArray("[1, 2]")
                               << QJsonObject{{"jsonrpc", "2.0"},
                                              {"method", "add"},
                                              {"params", QJsonArray{1, 2}},
                                              {"id", 1}};
    QTest::newRow("2.0-none") << int(Dialect::JsonRpc2) << QByteArray()
                              << QJsonObject{{"jsonrpc", "2.0"}, {"method", "add"}, {"id", 1}};
    QTest::newRow("1.0") << int(Dialect::JsonRpc1) << QByteArray("[1]")
                         << QJsonObject{{"method", "add"}, {"params", QJsonArray{1}}, {"id", 1}};
    QTest::newRow("1.0-none") << int(Dialect::JsonRpc1) << QByteArray()
                              << QJsonObject{{"method", "add"}, {"params", QJsonArray{}}, {"id", 1}};
    QTest::newRow("classic-args") << int(Dialect::Classic) << QByteArray("[1,2]")
                                  << QJsonObject{{"method_name", "add"}, {"method_args", QJsonArray{1, 2}}};
    QTest::newRow("classic-kwargs") << int(Dialect::Classic) << QByteArray(R"({"a":1})")
                                    << QJsonObject{{"method_name", "add"},
                                                   {"method_kwargs", QJsonObject{{"a", 1}}}};
}

void TestLoadRequest::callShapePerDialect()
{
    QFETCH(int, dialect);
    QFETCH(QByteArray, params);
    QFETCH(QJsonObject, expected);
    QString error;
    const QByteArray json = LoadRequest::buildCall(QStringLiteral("add"), params, Dialect(dialect), &error);
    QVERIFY2(!json.isEmpty(), qPrintable(error));
    QVERIFY(!json.contains('\n')); // compact: the newline framing depends on it
    QCOMPARE(QJsonDocument::fromJson(json).object(), expected);
}

void TestLoadRequest::rejectsBadParams_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("params");
    QTest::newRow("not-json") << "add" << QByteArray("[1,");
    QTest::newRow("scalar") << "add" << QByteArray("42");
    QTest::newRow("no-method") << "" << QByteArray("[]");
}

void TestLoadRequest::rejectsBadParams()
{
    QFETCH(QString, method);
    QFETCH(QByteArray, params);
    QString error;
    QVERIFY(LoadRequest::buildCall(method, params, Dialect::JsonRpc2, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

void TestLoadRequest::echoPayloadHasRequestedSize_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("dialect");
    QTest::newRow("0") << 0 << int(Dialect::JsonRpc2);
    QTest::newRow("16") << 16 << int(Dialect::JsonRpc2);
    QTest::newRow("64KiB") << 65536 << int(Dialect::JsonRpc2);
    QTest::newRow("classic") << 100 << int(Dialect::Classic);
}

void TestLoadRequest::echoPayloadHasRequestedSize()
{
    QFETCH(int, bytes);
    QFETCH(int, dialect);
    const QJsonObject o = QJsonDocument::fromJson(LoadRequest::buildEcho(bytes, Dialect(dialect))).object();
    const bool classic = Dialect(dialect) == Dialect::Classic;
    QCOMPARE(o.value(classic ? "method_name" : "method").toString(), QStringLiteral("echo"));
    const QJsonArray args = o.value(classic ? "method_args" : "params").toArray();
    QCOMPARE(args.size(), 1);
    QCOMPARE(args.at(0).toString().size(), bytes);
}

void TestLoadRequest::framing()
{
    const QByteArray json = R"({"jsonrpc":"2.0","method":"x","id":1})";
    QCOMPARE(LoadRequest::frame(*Endpoint::parse("tcp://127.0.0.1:1", nullptr), json), json + '\n');
    QCOMPARE(LoadRequest::frame(*Endpoint::parse("tcp+lsp://127.0.0.1:1", nullptr), json),
             "Content-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json);
    const QByteArray post = LoadRequest::frame(*Endpoint::parse("http://127.0.0.1:8080/rpc", nullptr), json);
    QVERIFY(post.startsWith("POST /rpc HTTP/1.1\r\n"));
    QVERIFY(post.contains("\r\nHost: 127.0.0.1:8080\r\n"));
    QVERIFY(post.contains("\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n"));
    QVERIFY(post.endsWith("\r\n\r\n" + json));
    // The endpoint's headers and auth go with every POST.
    Endpoint https = *Endpoint::parse("https://127.0.0.1:8443/", nullptr);
    https.options.bearerToken = QStringLiteral("t0k");
    https.options.headers = {{"X-Trace", "1"}};
    const QByteArray authed = LoadRequest::frame(https, json);
    QVERIFY2(authed.contains("\r\nAuthorization: Bearer t0k\r\n"), authed.constData());
    QVERIFY2(authed.contains("\r\nX-Trace: 1\r\n"), authed.constData());
    // A WebSocket text message is the JSON alone; Unix sockets and processes frame as streams.
    QCOMPARE(LoadRequest::frame(*Endpoint::parse("ws://127.0.0.1:1/", nullptr), json), json);
    QCOMPARE(LoadRequest::frame(*Endpoint::parse("unix:/tmp/x.sock", nullptr), json), json + '\n');
    QCOMPARE(LoadRequest::frame(*Endpoint::forCommand("cat", Transport::Lsp), json),
             "Content-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json);
}

QTEST_GUILESS_MAIN(TestLoadRequest)
#include "tst_loadrequest.moc"
