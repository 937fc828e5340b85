// `rpcbench replay`: calls recorded from a live server's traffic log are sent again; against the
// same server every reply is the same (exit 0), against one whose echo answers differently the
// difference is shown (exit 1) unless --ignore names it, --method picks calls, an unreachable
// server is a transport failure (exit 2) and bad input a one-line usage error (exit 64).
#include "RpcbenchRun.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "server/RpcServer.h"
#include "traffic/TrafficEventCodec.h"

#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace rpcbench;

namespace {

QString tcpUrl(quint16 port)
{
    return QStringLiteral("tcp://127.0.0.1:%1").arg(port);
}

} // namespace

class tst_ReplayCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sameServerIsAllSame();
    void changedMethodDiffers();
    void ignoredPointerMakesItSame();
    void methodPatternPicksCalls();
    void unreachableServerIsATransportFailure();
    void badInputIsAUsageError_data();
    void badInputIsAUsageError();

private:
    void record(const QStringList& callArgs);
    QString idOf(const QString& method) const;

    QTemporaryDir m_dir;
    QString m_log;
    std::shared_ptr<TrafficBus> m_bus = std::make_shared<TrafficBus>();
    std::unique_ptr<RpcServer> m_server;  // the demo service, recorded
    std::unique_ptr<RpcServer> m_changed; // the same, but its echo adds a "stamp" member
    std::vector<TrafficEvent> m_events;
};

void tst_ReplayCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    m_bus->setEnabled(true);
    m_server = std::make_unique<RpcServer>(registry, m_bus);
    QVERIFY2(m_server->start(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));

    auto changed = std::make_shared<MethodRegistry>();
    registerDemoService(*changed);
    QVERIFY(changed->remove(QStringLiteral("echo")));
    changed->def(
        QStringLiteral("echo"),
        [stamp = 0](const QJsonValue& value) mutable {
            QJsonObject o = value.toObject();
            o.insert(QStringLiteral("stamp"), ++stamp);
            return o;
        },
        QStringLiteral("Echoes an object with a stamp added."), arg(QStringLiteral("value")));
    m_changed = std::make_unique<RpcServer>(changed, std::make_shared<TrafficBus>());
    QVERIFY2(m_changed->start(QHostAddress::LocalHost, 0), qPrintable(m_changed->errorString()));

    // The golden traffic: a result, a structured result and an error, as the server logged them.
    record({"echo", R"({"a":[1,2],"b":"x"})"});
    record({"add", "2", "3"});
    record({"fail", "-32042", "nope"});
    const auto replies = [&] {
        for (TrafficEvent& e : m_bus->drain())
            m_events.push_back(std::move(e));
        return int(std::ranges::count_if(
            m_events, [](const TrafficEvent& e) { return e.direction == Direction::Out; }));
    };
    QTRY_COMPARE(replies(), 3);
    m_log = m_dir.filePath(QStringLiteral("golden.jsonl"));
    QFile f(m_log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (const TrafficEvent& e : m_events)
        f.write(trafficEventToJsonLine(e));
}

void tst_ReplayCli::record(const QStringList& callArgs)
{
    const RpcbenchRun run = runRpcbench(QStringList{"call", "--url", tcpUrl(m_server->port())} + callArgs);
    QVERIFY(run.exitCode == 0 || run.exitCode == 1);
}

QString tst_ReplayCli::idOf(const QString& method) const
{
    for (const TrafficEvent& e : m_events)
        if (e.summary.method == method)
            return QString::fromUtf8(e.summary.idJson);
    return {};
}

void tst_ReplayCli::sameServerIsAllSame()
{
    const RpcbenchRun run = runRpcbench({"replay", m_log, "--url", tcpUrl(m_server->port())});
    QVERIFY2(run.exitCode == 0, run.out + run.err);
    const QList<QByteArray> expected{("same   echo (id " + idOf("echo") + ")").toUtf8(),
                                     ("same   add (id " + idOf("add") + ")").toUtf8(),
                                     ("same   fail (id " + idOf("fail") + ")").toUtf8(), "3 same, 0 differ"};
    QCOMPARE(run.outLines(), expected);
}

void tst_ReplayCli::changedMethodDiffers()
{
    const RpcbenchRun run = runRpcbench({"replay", m_log, "--url", tcpUrl(m_changed->port())});
    QVERIFY2(run.exitCode == 1, run.out + run.err);
    const QList<QByteArray> lines = run.outLines();
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.at(0), ("DIFFERS echo (id " + idOf("echo") + ")").toUtf8());
    QCOMPARE(lines.at(1), R"(  recorded: {"result":{"a":[1,2],"b":"x"}})");
    QCOMPARE(lines.at(2), R"(  now:      {"result":{"a":[1,2],"b":"x","stamp":1}})");
    QVERIFY(lines.at(3).startsWith("same   add"));
    QVERIFY(lines.at(4).startsWith("same   fail"));
    QCOMPARE(lines.at(5), "2 same, 1 differ");
}

void tst_ReplayCli::ignoredPointerMakesItSame()
{
    const RpcbenchRun run = runRpcbench(
        {"replay", m_log, "--url", tcpUrl(m_changed->port()), "--ignore", "/result/stamp", "--ignore", "/x"});
    QVERIFY2(run.exitCode == 0, run.out + run.err);
    QCOMPARE(run.outLines().constLast(), "3 same, 0 differ");
}

void tst_ReplayCli::methodPatternPicksCalls()
{
    const RpcbenchRun run =
        runRpcbench({"replay", m_log, "--url", tcpUrl(m_changed->port()), "--method", "[af]*"});
    QVERIFY2(run.exitCode == 0, run.out + run.err); // '[' is literal: nothing matches
    QCOMPARE(run.outLines(), QList<QByteArray>{"0 same, 0 differ"});
    const RpcbenchRun picked =
        runRpcbench({"replay", m_log, "--url", tcpUrl(m_changed->port()), "--method", "?dd"});
    QVERIFY2(picked.exitCode == 0, picked.out + picked.err);
    QCOMPARE(picked.outLines(),
             (QList<QByteArray>{("same   add (id " + idOf("add") + ")").toUtf8(), "1 same, 0 differ"}));
    const RpcbenchRun echo =
        runRpcbench({"replay", m_log, "--url", tcpUrl(m_changed->port()), "--method", "ec*"});
    QCOMPARE(echo.exitCode, 1);
    QCOMPARE(echo.outLines().constLast(), "0 same, 1 differ");
}

void tst_ReplayCli::unreachableServerIsATransportFailure()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    const RpcbenchRun run = runRpcbench({"replay", m_log, "--url", tcpUrl(port), "--timeout", "5000"});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("rpcbench replay: echo"), run.err.constData());
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY(!run.out.contains("same,"));
}

void tst_ReplayCli::badInputIsAUsageError_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no log") << QStringList{"--url", "tcp://127.0.0.1:1"} << "missing LOG";
    QTest::newRow("no url") << QStringList{"LOG"} << "--url";
    QTest::newRow("missing file") << QStringList{"NOFILE", "--url", "tcp://127.0.0.1:1"} << "cannot read";
    QTest::newRow("bad line") << QStringList{"BAD", "--url", "tcp://127.0.0.1:1"} << "line 2";
    QTest::newRow("bad pointer") << QStringList{"LOG", "--url", "tcp://127.0.0.1:1", "--ignore", "result"}
                                 << "--ignore";
    QTest::newRow("bad escape") << QStringList{"LOG", "--url", "tcp://127.0.0.1:1", "--ignore", "/a~x"}
                                << "~0";
    QTest::newRow("bad timeout") << QStringList{"LOG", "--url", "tcp://127.0.0.1:1", "--timeout", "soon"}
                                 << "--timeout";
}

void tst_ReplayCli::badInputIsAUsageError()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(trafficEventToJsonLine(m_events.front()) + "{not json\n");
    f.close();
    args.replaceInStrings(QRegularExpression("^LOG$"), m_log)
        .replaceInStrings(QRegularExpression("^BAD$"), bad)
        .replaceInStrings(QRegularExpression("^NOFILE$"), m_dir.filePath("none.jsonl"));
    const RpcbenchRun run = runRpcbench(QStringList{"replay"} + args);
    QCOMPARE(run.exitCode, 64);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ReplayCli)
#include "tst_replaycli.moc"
