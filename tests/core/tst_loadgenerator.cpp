// LoadGenerator: short real runs over loopback against the raw EchoServer and an in-process
// RpcServer (every framing and dialect), error counting, unreachable and vanishing servers.
// Counts are checked, never speed.

#include "DemoServerFixture.h"

#include "load/EchoServer.h"
#include "load/LoadGenerator.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace rpcbench;

namespace {

LoadOptions shortRun(const QString& url)
{
    LoadOptions o;
    o.url = url;
    o.seconds = 0.2;
    o.warmupSeconds = 0.02;
    o.connectTimeoutMs = 3000;
    return o;
}

// Runs the generator to completion on this thread's event loop.
bool runToEnd(LoadGenerator& generator)
{
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    return finished.wait(15'000) && finished.count() == 1;
}

QString describe(const LoadResult& r)
{
    return QStringLiteral("ok=%1 error='%2' calls=%3 errors=%4 lost=%5")
        .arg(r.ok)
        .arg(r.error)
        .arg(r.calls)
        .arg(r.errors)
        .arg(r.connectionErrors);
}

} // namespace

class TestLoadGenerator : public QObject
{
    Q_OBJECT

private slots:
    void rejectsBadOptions_data();
    void rejectsBadOptions();
    void rawEchoCountsCalls_data();
    void rawEchoCountsCalls();
    void jsonStreamAgainstEchoServer();
    void rpcServerAllFramingsAndDialects_data();
    void rpcServerAllFramingsAndDialects();
    void errorsCountedOnFailingMethod_data();
    void errorsCountedOnFailingMethod();
    void unreachableServerFails();
    void anyTransport_data();
    void anyTransport();
    void rawEchoNeedsByteStream();
    void processThatCannotStartFails();
    void serverClosingConnectionsEndsRun();
    void stopEndsRunEarly();
};

void TestLoadGenerator::rejectsBadOptions_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expectedWord");
    QTest::newRow("url") << "url"
                         << "scheme";
    QTest::newRow("conns") << "conns"
                           << "connections";
    QTest::newRow("depth") << "depth"
                           << "depth";
    QTest::newRow("seconds") << "seconds"
                             << "seconds";
    QTest::newRow("payload") << "payload"
                             << "payload";
    QTest::newRow("params-without-method") << "params"
                                           << "method";
    QTest::newRow("bad-params-json") << "badjson"
                                     << "JSON";
}

void TestLoadGenerator::rejectsBadOptions()
{
    QFETCH(QString, field);
    QFETCH(QString, expectedWord);
    LoadOptions o = shortRun(QStringLiteral("tcp://127.0.0.1:1"));
    if (field == u"url")
        o.url = QStringLiteral("ftp://127.0.0.1:1");
    else if (field == u"conns")
        o.connections = 0;
    else if (field == u"depth")
        o.depth = -1;
    else if (field == u"seconds")
        o.seconds = 0;
    else if (field == u"payload")
        o.payloadBytes = -5;
    else if (field == u"params")
        o.params = "[1]";
    else if (field == u"badjson") {
        o.method = QStringLiteral("add");
        o.params = "[1,";
    }
    QString error;
    QVERIFY(LoadGenerator::buildRequest(o, &error).isEmpty());
    QVERIFY2(error.contains(expectedWord, Qt::CaseInsensitive), qPrintable(error));

    // start() reports the same problem through finished(), without touching the network.
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    QVERIFY(!generator.result().ok);
    QCOMPARE(generator.result().error, error);
}

void TestLoadGenerator::rawEchoCountsCalls_data()
{
    QTest::addColumn<int>("conns");
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("payload");
    QTest::newRow("1x1") << 1 << 1 << 16;
    QTest::newRow("3x8") << 3 << 8 << 16;
    QTest::newRow("1x1-64KiB") << 1 << 1 << 65536;
}

void TestLoadGenerator::rawEchoCountsCalls()
{
    QFETCH(int, conns);
    QFETCH(int, depth);
    QFETCH(int, payload);
    EchoServer echo;
    QVERIFY2(echo.listen(QHostAddress::LocalHost, 0), qPrintable(echo.errorString()));
    LoadOptions o = shortRun(QStringLiteral("tcp://127.0.0.1:%1").arg(echo.port()));
    o.rawEcho = true;
    o.connections = conns;
    o.depth = depth;
    o.payloadBytes = payload;
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok, qPrintable(describe(r)));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, quint64(0));
    QCOMPARE(r.connectionErrors, quint64(0));
    QCOMPARE(r.latency.count(), r.calls); // one latency sample per counted call
    QVERIFY(r.requestBytes > payload);    // the JSON request around the payload
    QVERIFY(r.elapsedSeconds > 0);
    QVERIFY(echo.bytesEchoed() >= r.calls * quint64(r.requestBytes));
    QTRY_COMPARE(echo.connectionCount(), 0); // the generator closed its connections
}

void TestLoadGenerator::jsonStreamAgainstEchoServer()
{
    // The echoed request is a valid newline-framed JSON value without "error": every call
    // counts, none as an error — exercising the JSON-stream scanner without a server.
    EchoServer echo;
    QVERIFY(echo.listen(QHostAddress::LocalHost, 0));
    LoadOptions o = shortRun(QStringLiteral("tcp://127.0.0.1:%1").arg(echo.port()));
    o.connections = 2;
    o.depth = 4;
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok, qPrintable(describe(r)));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, quint64(0));
    QCOMPARE(r.unexpectedReplies, quint64(0));
}

void TestLoadGenerator::rpcServerAllFramingsAndDialects_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<int>("depth");
    for (const char* scheme : {"tcp", "tcp+lsp", "http"}) {
        QTest::addRow("%s-2.0", scheme) << scheme << int(Dialect::JsonRpc2) << 4;
        QTest::addRow("%s-1.0", scheme) << scheme << int(Dialect::JsonRpc1) << 1;
        QTest::addRow("%s-classic", scheme) << scheme << int(Dialect::Classic) << 1;
    }
}

void TestLoadGenerator::rpcServerAllFramingsAndDialects()
{
    QFETCH(QString, scheme);
    QFETCH(int, dialect);
    QFETCH(int, depth);
    DemoServerFixture server;
    server.bus->setEnabled(false);
    QVERIFY2(server.start(), qPrintable(server.server->errorString()));
    LoadOptions o = shortRun(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(server.port()));
    o.connections = 2;
    o.depth = depth;
    o.dialect = Dialect(dialect);
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok, qPrintable(describe(r)));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, quint64(0));
    QCOMPARE(r.unexpectedReplies, quint64(0));
    QVERIFY(server.server->stats().messagesIn >= r.calls);
}

void TestLoadGenerator::errorsCountedOnFailingMethod_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("params");
    QTest::newRow("fail-tcp") << "tcp"
                              << "fail" << QByteArray(R"({"code":-32042,"message":"planned"})");
    QTest::newRow("fail-http") << "http"
                               << "fail" << QByteArray(R"([-32042,"planned"])");
    QTest::newRow("unknown-method-lsp") << "tcp+lsp"
                                        << "no_such_method" << QByteArray("[]");
    QTest::newRow("bad-params-tcp") << "tcp"
                                    << "add" << QByteArray(R"(["x"])");
}

void TestLoadGenerator::errorsCountedOnFailingMethod()
{
    QFETCH(QString, scheme);
    QFETCH(QString, method);
    QFETCH(QByteArray, params);
    DemoServerFixture server;
    server.bus->setEnabled(false);
    QVERIFY(server.start());
    LoadOptions o = shortRun(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(server.port()));
    o.method = method;
    o.params = params;
    o.depth = 2;
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok, qPrintable(describe(r))); // error replies are results, not a failed run
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, r.calls);
}

void TestLoadGenerator::unreachableServerFails()
{
    // A port that was just free: nobody listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    LoadGenerator generator(shortRun(QStringLiteral("tcp://127.0.0.1:%1").arg(port)));
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("cannot connect")), qPrintable(r.error));
    QCOMPARE(r.calls, quint64(0));
}

// LoadOptions::endpoint (filled by the command line) wins over url: Unix sockets, WebSocket
// messages, TLS-free HTTP with headers.
void TestLoadGenerator::anyTransport_data()
{
    QTest::addColumn<QString>("listen"); // "" = the fixture's TCP port
    QTest::addColumn<QString>("target");
    QTest::newRow("unix") << "unix:SOCK"
                          << "unix:SOCK";
    QTest::newRow("unix+lsp") << "unix+lsp:SOCK"
                              << "unix+lsp:SOCK";
    QTest::newRow("ws") << ""
                        << "ws://127.0.0.1:PORT/";
    QTest::newRow("http with headers") << ""
                                       << "http://127.0.0.1:PORT/";
}

void TestLoadGenerator::anyTransport()
{
    QFETCH(QString, listen);
    QFETCH(QString, target);
    QTemporaryDir dir;
    const QString sock = dir.filePath(QStringLiteral("s"));
    DemoServerFixture server;
    server.bus->setEnabled(false);
    if (listen.isEmpty()) {
        QVERIFY2(server.start(), qPrintable(server.server->errorString()));
    } else {
        const auto spec = ListenSpec::parse(listen.replace(QLatin1String("SOCK"), sock));
        QVERIFY(spec);
        QVERIFY2(server.server->start(QList<ListenSpec>{*spec}), qPrintable(server.server->errorString()));
    }
    target.replace(QLatin1String("SOCK"), sock)
        .replace(QLatin1String("PORT"), QString::number(server.port()));
    LoadOptions o = shortRun(QStringLiteral("ftp://ignored:1"));
    o.endpoint = *Endpoint::parse(target);
    if (o.endpoint.transport == Transport::Http)
        o.endpoint.options.bearerToken = QStringLiteral("t");
    o.connections = 2;
    o.depth = 4;
    LoadGenerator generator(o);
    QVERIFY(runToEnd(generator));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok, qPrintable(describe(r)));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, quint64(0));
    QCOMPARE(r.unexpectedReplies, quint64(0));
}

void TestLoadGenerator::rawEchoNeedsByteStream()
{
    LoadOptions o = shortRun(QStringLiteral("ws://127.0.0.1:1/"));
    o.rawEcho = true;
    QString error;
    QVERIFY(LoadGenerator::buildRequest(o, &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("byte stream")), qPrintable(error));
}

// A failure inside open() still ends the run once, from the event loop.
void TestLoadGenerator::processThatCannotStartFails()
{
    LoadOptions o = shortRun({});
    o.endpoint = *Endpoint::forCommand(QStringLiteral("/nonexistent/server"), Transport::JsonStream);
    o.connections = 3;
    LoadGenerator generator(o);
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QCOMPARE(finished.count(), 0); // never from inside start()
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!generator.result().ok);
    QVERIFY2(generator.result().error.contains(QStringLiteral("cannot connect to exec:/nonexistent/server")),
             qPrintable(generator.result().error));
}

void TestLoadGenerator::serverClosingConnectionsEndsRun()
{
    // A server that accepts, then hangs up on every connection after the warm-up.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket*> accepted;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket* s = server.nextPendingConnection())
            accepted << s;
    });
    LoadOptions o = shortRun(QStringLiteral("tcp://127.0.0.1:%1").arg(server.serverPort()));
    o.connections = 2;
    o.seconds = 30; // would run long: the hang-up must end it
    LoadGenerator generator(o);
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QTRY_COMPARE(accepted.size(), 2);
    // A request on both sockets means both connections are up and the run is past connecting.
    QTRY_VERIFY(accepted[0]->bytesAvailable() > 0 && accepted[1]->bytesAvailable() > 0);
    for (QTcpSocket* s : accepted)
        s->close();
    QTRY_COMPARE(finished.count(), 1);
    const LoadResult& r = generator.result();
    QVERIFY(!r.ok);
    QCOMPARE(r.connectionErrors, quint64(2));
    QVERIFY2(r.error.contains(QStringLiteral("lost")), qPrintable(r.error));
}

void TestLoadGenerator::stopEndsRunEarly()
{
    EchoServer echo;
    QVERIFY(echo.listen(QHostAddress::LocalHost, 0));
    LoadOptions o = shortRun(QStringLiteral("tcp://127.0.0.1:%1").arg(echo.port()));
    o.rawEcho = true;
    o.seconds = 60;
    o.warmupSeconds = 0;
    LoadGenerator generator(o);
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QTRY_VERIFY(echo.bytesEchoed() > 0); // calls are flowing
    generator.stop();
    QCOMPARE(finished.count(), 1);
    QVERIFY(!generator.isRunning());
    QVERIFY2(generator.result().ok, qPrintable(describe(generator.result())));
    QVERIFY(generator.result().elapsedSeconds < 30);
    generator.stop(); // a second stop is harmless
    QCOMPARE(finished.count(), 1);
}

QTEST_GUILESS_MAIN(TestLoadGenerator)
#include "tst_loadgenerator.moc"
