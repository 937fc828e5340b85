// The proxy (core/proxy): every listen/upstream transport pair forwards calls unchanged, the log
// has one row per message with the time spent upstream, ids that collide across client
// connections stay apart, batches, notifications and the server's own messages pass both ways,
// faults apply to proxied methods, an unreachable upstream is a clear error, and a real language
// server wrapped with `rpcbench proxy --stdio` answers a scripted LSP client.
#include "Peers.h"
#include "RpcbenchRun.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "proxy/Proxy.h"
#include "server/RpcServer.h"
#include "traffic/TrafficEventCodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

QString withPort(const QString& scheme, quint16 port, const QString& path = {})
{
    return QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(port).arg(path);
}

QJsonValue callResult(const RpcbenchRun& run)
{
    return QJsonDocument::fromJson("[" + run.out.trimmed() + "]").array().at(0);
}

// Reads JSON lines from a stream socket until `count` are in.
QList<QJsonObject> readLines(QTcpSocket& socket, QByteArray& buffer, int count)
{
    QList<QJsonObject> out;
    QTest::qWaitFor(
        [&] {
            buffer += socket.readAll();
            while (buffer.contains('\n')) {
                const qsizetype nl = buffer.indexOf('\n');
                const QByteArray line = buffer.left(nl);
                buffer.remove(0, nl + 1);
                const QJsonDocument doc = QJsonDocument::fromJson(line);
                out << (doc.isArray() ? QJsonObject{{"batch", doc.array()}} : doc.object());
            }
            return out.size() >= count;
        },
        10000);
    return out;
}

} // namespace

class tst_Proxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void transportPairs_data();
    void transportPairs();
    void oneLogRowPerMessage();
    void idsCollideAcrossConnections();
    void replyAfterClientClosedIsLogged();
    void batchesAndNotifications();
    void serverMessagesReachTheClient();
    void faultsApplyToProxiedMethods();
    void unreachableUpstreamIsAnError();
    void languageServerOverStdio();

private:
    bool startProxy(const QString& listen, const QString& upstream);
    std::vector<TrafficEvent> proxyRows();

    QTemporaryDir m_dir;
    std::shared_ptr<TrafficBus> m_upstreamBus = std::make_shared<TrafficBus>();
    std::unique_ptr<RpcServer> m_upstream;
    std::shared_ptr<TrafficBus> m_bus;
    std::unique_ptr<Proxy> m_proxy;
};

void tst_Proxy::initTestCase()
{
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    m_upstream = std::make_unique<RpcServer>(registry, m_upstreamBus);
    QVERIFY2(m_upstream->start(QHostAddress::LocalHost, 0), qPrintable(m_upstream->errorString()));
}

void tst_Proxy::cleanup()
{
    m_proxy.reset();
}

bool tst_Proxy::startProxy(const QString& listen, const QString& upstream)
{
    m_bus = std::make_shared<TrafficBus>();
    m_proxy = std::make_unique<Proxy>(m_bus);
    QString error;
    const auto up = Endpoint::parse(upstream, &error);
    const auto spec = ListenSpec::parse(listen, &error);
    if (!up || !spec) {
        qWarning() << error;
        return false;
    }
    m_proxy->setUpstream(*up);
    if (!m_proxy->start({*spec})) {
        qWarning() << m_proxy->errorString();
        return false;
    }
    return true;
}

std::vector<TrafficEvent> tst_Proxy::proxyRows()
{
    return m_bus->drain();
}

void tst_Proxy::transportPairs_data()
{
    QTest::addColumn<QString>("listenScheme");
    QTest::addColumn<QString>("upstreamScheme");
    const QStringList listens{"tcp", "http", "ws", "tcp+lsp", "unix"};
    const QStringList upstreams{"tcp", "http", "ws", "tcp+lsp"};
    for (const QString& l : listens)
        for (const QString& u : upstreams)
            QTest::addRow("%s->%s", qPrintable(l), qPrintable(u)) << l << u;
}

void tst_Proxy::transportPairs()
{
    QFETCH(QString, listenScheme);
    QFETCH(QString, upstreamScheme);
    const QString upstream =
        withPort(upstreamScheme, m_upstream->port(), upstreamScheme.startsWith("tcp") ? "" : "/");
    const QString socketPath = m_dir.filePath(QStringLiteral("proxy-%1.sock").arg(upstreamScheme.size()));
    const QString listen = listenScheme == "unix" ? "unix:" + socketPath : withPort(listenScheme, 0);
    QVERIFY(startProxy(listen, upstream));
    const Endpoint bound = m_proxy->listeningEndpoints().constFirst();
    QString target = bound.toString();
    if (listenScheme == "http" || listenScheme == "ws")
        target = withPort(listenScheme, bound.port, "/");

    const RpcbenchRun direct = runRpcbench({"call", "--url", upstream, "echo", R"({"n":[1,2,"x"]})"});
    const RpcbenchRun proxied = runRpcbench({"call", "--url", target, "echo", R"({"n":[1,2,"x"]})"});
    QCOMPARE(direct.exitCode, 0);
    QVERIFY2(proxied.exitCode == 0, proxied.err.constData());
    QCOMPARE(callResult(proxied), callResult(direct));
    QCOMPARE(callResult(proxied).toObject().value("n").toArray().size(), 3);
}

void tst_Proxy::oneLogRowPerMessage()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    const QString target = m_proxy->listeningEndpoints().constFirst().toString();
    const RpcbenchRun run = runRpcbench({"call", "--url", target, "add", "2", "3"});
    QCOMPARE(run.exitCode, 0);
    std::vector<TrafficEvent> rows;
    const auto collect = [&] {
        for (TrafficEvent& e : proxyRows())
            rows.push_back(std::move(e));
        return rows.size();
    };
    QTRY_VERIFY(collect() >= 2);
    QTest::qWait(50); // nothing more may come
    QCOMPARE(int(collect()), 2);
    QVERIFY(rows[0].side == Side::Proxy);
    QVERIFY(rows[0].direction == Direction::In);
    QCOMPARE(rows[0].summary.method, QStringLiteral("add"));
    QVERIFY(rows[1].direction == Direction::Out);
    QVERIFY(rows[1].summary.kind == MessageKind::Response);
    QCOMPARE(rows[1].connectionId, rows[0].connectionId);
    QVERIFY(rows[1].upstreamUs >= 0);
    QVERIFY(rows[1].latencyUs >= rows[1].upstreamUs);
    // The reply's bytes are the upstream's own.
    QCOMPARE(QJsonDocument::fromJson(rows[1].raw).object().value("result"), callResult(run));
    // And the JSON Lines form keeps the upstream time.
    QString error;
    const auto back = trafficEventFromJson(trafficEventToJson(rows[1]), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->upstreamUs, rows[1].upstreamUs);
    QVERIFY(back->side == Side::Proxy);
}

// Nothing lost in the log: a client that closes with a call in flight gets no reply, but the
// upstream's reply still comes back through the proxy and is its Out row, paired with the In row.
void tst_Proxy::replyAfterClientClosedIsLogged()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    QSignalSpy notices(m_proxy.get(), &Proxy::notice);
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_proxy->listeningEndpoints().constFirst().port);
        QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState);
        client.write(R"({"jsonrpc":"2.0","id":7,"method":"sleep","params":[200]})"
                     "\n");
        QTRY_VERIFY(client.bytesToWrite() == 0);
        client.disconnectFromHost(); // at once: the call is still upstream
    }
    std::vector<TrafficEvent> rows;
    const auto collect = [&] {
        for (TrafficEvent& e : proxyRows())
            rows.push_back(std::move(e));
        return rows.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(collect() >= 2, 10'000);
    QTest::qWait(50); // nothing more may come
    QCOMPARE(int(collect()), 2);
    QVERIFY(rows[0].direction == Direction::In);
    QCOMPARE(rows[0].summary.method, QStringLiteral("sleep"));
    QVERIFY(rows[1].side == Side::Proxy);
    QVERIFY(rows[1].direction == Direction::Out);
    QVERIFY(rows[1].summary.kind == MessageKind::Response);
    QCOMPARE(rows[1].summary.idJson, QByteArray("7"));
    QCOMPARE(rows[1].connectionId, rows[0].connectionId);
    QVERIFY2(rows[1].upstreamUs >= 150'000, qPrintable(QString::number(rows[1].upstreamUs)));
    QVERIFY(rows[1].latencyUs >= rows[1].upstreamUs);
    QCOMPARE(QJsonDocument::fromJson(rows[1].raw).object().value("id").toInt(), 7);
    // The user is told it could not be delivered.
    QTRY_VERIFY(!notices.isEmpty());
    QVERIFY2(notices.last().at(0).toString().contains(QStringLiteral("not delivered")),
             qPrintable(notices.last().at(0).toString()));
}

void tst_Proxy::idsCollideAcrossConnections()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    const quint16 port = m_proxy->listeningEndpoints().constFirst().port;
    QTcpSocket a, b;
    a.connectToHost(QHostAddress::LocalHost, port);
    b.connectToHost(QHostAddress::LocalHost, port);
    QTRY_VERIFY(a.state() == QAbstractSocket::ConnectedState && b.state() == QAbstractSocket::ConnectedState);
    // Same id on both connections, and out of order on one: the slow call is answered last.
    a.write(R"({"jsonrpc":"2.0","id":1,"method":"sleep","params":[200]})"
            "\n"
            R"({"jsonrpc":"2.0","id":2,"method":"echo","params":["a2"]})"
            "\n");
    b.write(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["b1"]})"
            "\n");
    QByteArray bufA, bufB;
    const QList<QJsonObject> fromB = readLines(b, bufB, 1);
    QCOMPARE(fromB.size(), 1);
    QCOMPARE(fromB[0].value("id").toInt(), 1);
    QCOMPARE(fromB[0].value("result").toString(), QStringLiteral("b1"));
    const QList<QJsonObject> fromA = readLines(a, bufA, 2);
    QCOMPARE(fromA.size(), 2);
    QCOMPARE(fromA[0].value("id").toInt(), 2);
    QCOMPARE(fromA[0].value("result").toString(), QStringLiteral("a2"));
    QCOMPARE(fromA[1].value("id").toInt(), 1);
}

void tst_Proxy::batchesAndNotifications()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_proxy->listeningEndpoints().constFirst().port);
    QVERIFY(s.waitForConnected(5000));
    s.write(R"({"jsonrpc":"2.0","method":"echo","params":["just a notification"]})"
            "\n"
            R"([{"jsonrpc":"2.0","id":"x","method":"add","params":[1,2]},)"
            R"({"jsonrpc":"2.0","method":"echo","params":["n"]},)"
            R"({"jsonrpc":"2.0","id":"y","method":"echo","params":["y"]}])"
            "\n"
            R"({"jsonrpc":"2.0","id":9,"method":"echo","params":["after"]})"
            "\n");
    QByteArray buf;
    const QList<QJsonObject> replies = readLines(s, buf, 2);
    QCOMPARE(replies.size(), 2);
    QJsonArray batch;
    QJsonObject single;
    for (const QJsonObject& r : replies)
        (r.contains("batch") ? batch = r.value("batch").toArray() : (single = r, batch));
    QCOMPARE(batch.size(), 2); // the notification in the batch has no answer
    QCOMPARE(single.value("id").toInt(), 9);
    QCOMPARE(single.value("result").toString(), QStringLiteral("after"));
    // Nothing else comes: the lone notification was not answered.
    QTest::qWait(100);
    QVERIFY(s.readAll().trimmed().isEmpty());
}

void tst_Proxy::serverMessagesReachTheClient()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_proxy->listeningEndpoints().constFirst().port);
    QVERIFY(s.waitForConnected(5000));
    s.write(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["hello"]})"
            "\n");
    QByteArray buf;
    QCOMPARE(readLines(s, buf, 1).size(), 1);
    // The upstream sees one connection (the proxy's) and talks to it first.
    quint64 upstreamConnection = 0;
    QTRY_VERIFY([&] {
        for (const ConnectionInfo& c : m_upstream->connections())
            if (c.canPush)
                upstreamConnection = c.id;
        return upstreamConnection != 0;
    }());
    QCOMPARE(m_upstream->notifyClient(upstreamConnection, "status/changed", QJsonObject{{"ok", true}}), 1);
    QSignalSpy finished(m_upstream.get(), &RpcServer::clientRequestFinished);
    m_upstream->requestClient(upstreamConnection, "workspace/configuration", QJsonArray{1}, 5000);
    const QList<QJsonObject> pushed = readLines(s, buf, 2);
    QCOMPARE(pushed.size(), 2);
    QCOMPARE(pushed[0].value("method").toString(), QStringLiteral("status/changed"));
    QCOMPARE(pushed[1].value("method").toString(), QStringLiteral("workspace/configuration"));
    // The client answers the server's request through the proxy.
    QJsonObject answer{{"jsonrpc", "2.0"}, {"id", pushed[1].value("id")}, {"result", QJsonArray{"cfg"}}};
    s.write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + "\n");
    QVERIFY(finished.wait(5000));
    const CallResult result = finished.at(0).at(1).value<CallResult>();
    QVERIFY(result.status == CallStatus::Ok);
    QCOMPARE(result.result, QJsonValue(QJsonArray{"cfg"}));
}

void tst_Proxy::faultsApplyToProxiedMethods()
{
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", m_upstream->port())));
    const QString target = m_proxy->listeningEndpoints().constFirst().toString();
    FaultSettings fail;
    fail.errorRatePercent = 100;
    fail.errorCode = -32042;
    fail.errorMessage = QStringLiteral("proxy says no");
    m_proxy->faults()->set(QStringLiteral("add"), fail);
    const RpcbenchRun failed = runRpcbench({"call", "--url", target, "add", "1", "2"});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains("-32042") || failed.out.contains("-32042"), failed.err.constData());
    // Other methods pass untouched.
    QCOMPARE(runRpcbench({"call", "--url", target, "echo", "1"}).exitCode, 0);
    FaultSettings wrong;
    wrong.wrongId = true;
    m_proxy->faults()->set(QStringLiteral("add"), wrong);
    const RpcbenchRun wrongId = runRpcbench({"call", "--url", target, "--timeout", "1000", "add", "1", "2"});
    QVERIFY(wrongId.exitCode != 0); // the reply never matches the call
    std::vector<TrafficEvent> rows = proxyRows();
    QVERIFY(std::any_of(rows.begin(), rows.end(), [](const TrafficEvent& e) {
        return e.direction == Direction::Out && e.summary.faulted;
    }));
}

void tst_Proxy::unreachableUpstreamIsAnError()
{
    const quint16 closed = Peers::freeLoopbackPort();
    QVERIFY(startProxy("tcp://127.0.0.1:0", withPort("tcp", closed)));
    QSignalSpy notices(m_proxy.get(), &Proxy::notice);
    const RpcbenchRun run = runRpcbench(
        {"call", "--url", m_proxy->listeningEndpoints().constFirst().toString(), "add", "1", "2"});
    QVERIFY(run.exitCode != 0);
    QVERIFY2(run.err.contains("cannot reach the upstream"), run.err.constData());
    QTRY_VERIFY(!notices.isEmpty());
    QVERIFY(notices.at(0).at(0).toString().contains(QStringLiteral("connection refused")));
}

// A scripted LSP client talks to pylsp through `rpcbench proxy --stdio`, as an editor would.
void tst_Proxy::languageServerOverStdio()
{
    const QString pylsp = Peers::executable(QStringLiteral("pylsp"));
    if (pylsp.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("pylsp (python3-pylsp)")));
    const QString log = m_dir.filePath(QStringLiteral("lsp.jsonl"));
    RpcbenchProcess proxy;
    proxy.start({"proxy", "--stdio", "--framing", "lsp", "--log", "jsonl", log, "--", pylsp});
    auto send = [&](const QJsonObject& message) {
        const QByteArray body = QJsonDocument(message).toJson(QJsonDocument::Compact);
        proxy.process().write("Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };
    auto replyCount = [&] { return proxy.out().count("Content-Length:"); };
    send({{"jsonrpc", "2.0"},
          {"id", 1},
          {"method", "initialize"},
          {"params", QJsonObject{{"processId", QJsonValue::Null},
                                 {"rootUri", QJsonValue::Null},
                                 {"capabilities", QJsonObject{}}}}});
    QTRY_VERIFY_WITH_TIMEOUT(replyCount() >= 1, 20000);
    QVERIFY(proxy.out().contains("\"capabilities\""));
    send({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", QJsonObject{}}});
    send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}});
    QTRY_VERIFY_WITH_TIMEOUT(replyCount() >= 2, 20000);
    send({{"jsonrpc", "2.0"}, {"method", "exit"}});
    proxy.process().closeWriteChannel();
    QVERIFY(proxy.waitFinished(20000));
    QCOMPARE(proxy.exitCode(), 0);
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList rows;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.value("side").toString(), QStringLiteral("proxy"));
        rows << o.value("dir").toString() + ":" + o.value("kind").toString() + ":" +
                    o.value("method").toString();
    }
    // Every message once, in order, both ways (pylsp may add its own notifications).
    QVERIFY2(rows.contains("in:request:initialize") && rows.contains("out:response:") &&
                 rows.contains("in:notification:initialized") && rows.contains("in:request:shutdown") &&
                 rows.contains("in:notification:exit"),
             qPrintable(rows.join(' ')));
    QCOMPARE(rows.count("in:request:initialize"), 1);
    QCOMPARE(rows.count("out:response:"), 2);
}

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
