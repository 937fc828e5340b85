// `rpcbench bench --from-collection`: a mix of saved calls against a real `rpcbench serve`,
// the per-call counts of --json and of the text report, the target and variable rules, and the
// usage errors (exit 2, as every bench usage error).
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

namespace {

const char* const kCollection = R"({
    "format": "rpcbench-collection",
    "version": 1,
    "name": "Load mix",
    "variables": {"word": "hi"},
    "items": [
        {"folder": "Math", "items": [
            {"name": "add", "method": "add", "params": [1, 2, 3]},
            {"name": "subtract", "method": "subtract", "params": {"minuend": 10, "subtrahend": 4}}
        ]},
        {"name": "echo", "method": "echo", "params": ["{{word}}"]},
        {"name": "secret", "method": "echo", "params": ["{{token}}"]},
        {"name": "ping", "method": "update", "params": [1], "notification": true}
    ]
}
)";

} // namespace

class TestBenchMixCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(QStringLiteral("mix.rpcbench-collection.json"));
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kCollection);
        f.close();
        QVERIFY(m_serve.start({"--log", "none"}));
        m_url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_serve.port());
    }

    void jsonCountsEveryCall()
    {
        const RpcbenchRun run =
            runRpcbench({"bench", "--url", m_url, "--from-collection", m_file, "--var", "token=abc",
                         "--duration", "1", "--warmup", "0.1", "--conns", "2", "--depth", "2", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report.value("call").toString(), QStringLiteral("mix of 5 calls"));
        QCOMPARE(report.value("errors").toDouble(), 0.0);
        const QJsonArray mix = report.value("mix").toArray();
        QCOMPARE(mix.size(), 5);
        const QStringList names{"Math/add", "Math/subtract", "echo", "secret", "ping"};
        double answered = 0;
        double least = -1;
        double most = 0;
        for (int i = 0; i < mix.size(); ++i) {
            const QJsonObject c = mix.at(i).toObject();
            QCOMPARE(c.value("name").toString(), names.at(i));
            QCOMPARE(c.value("weight").toDouble(), 1.0);
            const double sent = c.value("sent").toDouble();
            QVERIFY2(sent > 0, qPrintable(names.at(i)));
            least = least < 0 ? sent : std::min(least, sent);
            most = std::max(most, sent);
            answered += c.value("answered").toDouble();
        }
        // Equal weights: the counts differ by the calls of a partial cycle per connection.
        QVERIFY2(most - least <= 2 * (2 + 5), qPrintable(run.out));
        QCOMPARE(mix.at(4).toObject().value("notification").toBool(), true);
        QCOMPARE(mix.at(4).toObject().value("answered").toDouble(), 0.0);
        QCOMPARE(mix.at(0).toObject().value("method").toString(), QStringLiteral("add"));
        QCOMPARE(answered, report.value("calls").toDouble());
    }

    // Saved calls weighing 3 and 1: the cycle is add add echo add, and each connection sends a
    // contiguous stretch of it in the measured window. In any stretch of L = 4k + r calls echo
    // appears k or k + 1 times, so add - 3 * echo is r (0..3) or r - 4 (-3..-1): within 3 per
    // connection, exactly, however long the run.
    void weightsSetTheProportions()
    {
        const QString file = m_dir.filePath(QStringLiteral("weighted.rpcbench-collection.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QJsonArray items{
            QJsonObject{{"name", "add"}, {"method", "add"}, {"params", QJsonArray{1, 2}}, {"weight", 3}},
            QJsonObject{{"name", "echo"}, {"method", "echo"}, {"params", QJsonArray{"x"}}}};
        f.write(QJsonDocument(
                    QJsonObject{
                        {"format", "rpcbench-collection"}, {"version", 1}, {"name", "W"}, {"items", items}})
                    .toJson());
        f.close();
        const int conns = 2;
        const RpcbenchRun run =
            runRpcbench({"bench", "--url", m_url, "--from-collection", file, "--duration", "0.5", "--warmup",
                         "0.1", "--conns", QString::number(conns), "--depth", "3", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report.value("errors").toDouble(), 0.0);
        const QJsonArray mix = report.value("mix").toArray();
        QCOMPARE(mix.size(), 2);
        const QJsonObject add = mix.at(0).toObject();
        const QJsonObject echo = mix.at(1).toObject();
        QCOMPARE(add.value("name").toString(), QStringLiteral("add"));
        QCOMPARE(add.value("weight").toDouble(), 3.0);
        QCOMPARE(echo.value("weight").toDouble(), 1.0);
        const qint64 sentAdd = add.value("sent").toInteger();
        const qint64 sentEcho = echo.value("sent").toInteger();
        QVERIFY2(sentEcho > 0, run.out);
        QVERIFY2(std::abs(sentAdd - 3 * sentEcho) <= 3 * conns,
                 qPrintable(QStringLiteral("add %1, echo %2").arg(sentAdd).arg(sentEcho)));
    }

    void textReportAndFolder()
    {
        const RpcbenchRun run = runRpcbench(
            {"bench", "--url", m_url, "--from-collection", m_file, "--folder", "Math", "--duration", "0.5"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains("mix of 2 calls"), run.out);
        QVERIFY2(out.contains("per call:"), run.out);
        QVERIFY2(out.contains("Math/add") && out.contains("Math/subtract") && !out.contains("echo"), run.out);
    }

    // The demo collection shipped in resources/examples, its Arithmetic folder, against serve;
    // the target comes from --url (the workspace's own client URL is port 5000).
    void demoExample()
    {
        const QString demo =
            QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/demo-tests.rpcbench.json");
        const RpcbenchRun run =
            runRpcbench({"bench", "--url", m_url, "--from-collection", demo, "--folder", "Arithmetic",
                         "--environment", "ci", "--duration", "0.5", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QJsonArray mix = QJsonDocument::fromJson(run.out).object().value("mix").toArray();
        QCOMPARE(mix.size(), 3);
        QCOMPARE(mix.at(0).toObject().value("name").toString(),
                 QStringLiteral("Arithmetic/add three numbers"));
        for (const QJsonValue& c : mix)
            QVERIFY(c.toObject().value("answered").toDouble() > 0);
    }

    // Without --url, the calls' own target (here through a variable) is the bench target.
    void targetFromTheCollection()
    {
        const QString file = m_dir.filePath(QStringLiteral("targeted.rpcbench-collection.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(
                    QJsonObject{{"format", "rpcbench-collection"},
                                {"version", 1},
                                {"name", "T"},
                                {"items", QJsonArray{QJsonObject{
                                              {"name", "now"}, {"method", "now"}, {"target", "{{url}}"}}}}})
                    .toJson());
        f.close();
        const RpcbenchRun run =
            runRpcbench({"bench", "--from-collection", file, "--var", QStringLiteral("url=%1").arg(m_url),
                         "--duration", "0.3", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value("url").toString(), m_url);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing file") << QStringList{"--from-collection", "/nonexistent/x.json"} << "x.json";
        QTest::newRow("no such collection")
            << QStringList{"--from-collection", "FILE", "--collection", "Nope"}
            << "has no collection called 'Nope'";
        QTest::newRow("undefined variable")
            << QStringList{"--from-collection", "FILE"} << "call 'secret': variable 'token' is not defined";
        QTest::newRow("no such folder")
            << QStringList{"--from-collection", "FILE", "--folder", "Nope", "--var", "token=1"}
            << "no folder or call 'Nope'";
        QTest::newRow("no such environment")
            << QStringList{"--from-collection", "FILE", "--environment", "prod"} << "no environment 'prod'";
        QTest::newRow("bad var") << QStringList{"--from-collection", "FILE", "--var", "token"}
                                 << "expected NAME=VALUE";
        QTest::newRow("with method") << QStringList{"--from-collection", "FILE", "--method", "add"}
                                     << "--method does not apply to --from-collection";
        QTest::newRow("with dialect")
            << QStringList{"--from-collection", "FILE", "--dialect", "1.0"} << "--dialect does not apply";
        QTest::newRow("folder alone")
            << QStringList{"--folder", "Math"} << "--folder needs --from-collection";
        QTest::newRow("var alone") << QStringList{"--var", "a=1"} << "--var needs --from-collection";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        args.replaceInStrings(QStringLiteral("FILE"), m_file);
        const RpcbenchRun run = runRpcbench(QStringList{"bench", "--url", m_url, "--duration", "0.3"} + args);
        QCOMPARE(run.exitCode, 2); // bench's usage exit code (kExitBadUsage)
        QVERIFY2(run.err.startsWith("rpcbench bench: "), run.err);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err);
        QVERIFY(run.out.isEmpty());
    }

    void workspaceWithSeveralCollectionsNeedsOne()
    {
        const QString file = m_dir.filePath(QStringLiteral("two.rpcbench.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QJsonObject one{{"name", "One"}, {"items", QJsonArray{QJsonObject{{"method", "now"}}}}};
        const QJsonObject two{
            {"name", "Two"},
            {"items", QJsonArray{QJsonObject{{"method", "echo"}, {"params", QJsonArray{1}}}}}};
        f.write(QJsonDocument(QJsonObject{{"format", "rpcbench-workspace"},
                                          {"version", 1},
                                          {"collections", QJsonArray{one, two}}})
                    .toJson());
        f.close();
        RpcbenchRun run =
            runRpcbench({"bench", "--url", m_url, "--from-collection", file, "--duration", "0.3"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("has 2 collections ('One', 'Two'): choose one with --collection"), run.err);
        run = runRpcbench({"bench", "--url", m_url, "--from-collection", file, "--collection", "Two",
                           "--duration", "0.3", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QJsonArray mix = QJsonDocument::fromJson(run.out).object().value("mix").toArray();
        QCOMPARE(mix.size(), 1);
        QCOMPARE(mix.at(0).toObject().value("method").toString(), QStringLiteral("echo"));
    }

private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_url;
    ServeProcess m_serve;
};

QTEST_GUILESS_MAIN(TestBenchMixCli)
#include "tst_benchmixcli.moc"
