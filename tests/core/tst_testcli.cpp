// `rpcbench test`: exit codes 0/1/2/64, the summary line, --junit, --tap, --bail, --env, --var,
// --serve, --folder, --collection, collection files, bad files.
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

const QString Example = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/demo-tests.rpcbench.json");

QString lastLine(const RpcbenchRun& run)
{
    const auto lines = run.outLines();
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last());
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

quint16 deadPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

const QByteArray TwoCalls = R"({"format":"rpcbench-collection","version":1,"name":"two",
"items":[{"name":"first","method":"add","params":[1,1,0],"assert":[{"equals":2}]},
{"name":"second","method":"echo","params":["{{who}}"],"assert":[{"equals":"ann"}]}]})";

} // namespace

class TestTestCli : public QObject
{
    Q_OBJECT
private slots:
    void exampleCollectionPasses()
    {
        const RpcbenchRun run = runRpcbench({"test", Example, "--serve"});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QCOMPARE(lastLine(run), QStringLiteral("13 passed, 0 failed"));
        QVERIFY(run.out.contains("PASS  Values/echo the captured user"));
    }

    void aFailingAssertionIsExit1()
    {
        const RpcbenchRun run = runRpcbench({"test", Example, "--serve", "--var", "greeting=42"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(lastLine(run), QStringLiteral("12 passed, 1 failed"));
        QVERIFY(run.out.contains("FAIL  Values/greeting from the environment"));
        QVERIFY(run.out.contains("result is a string: expected string, got integer 42"));
    }

    void bailStopsAtTheFirstFailure()
    {
        const RpcbenchRun run =
            runRpcbench({"test", Example, "--serve", "--var", "greeting=42", "--bail", "--folder", "Values"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(lastLine(run), QStringLiteral("2 passed, 1 failed, 2 skipped"));
    }

    void environmentsAndOverrides()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "two.rpcbench-collection.json", TwoCalls);
        // A variable nobody defined fails the call that uses it, naming it.
        ServeProcess serve;
        QVERIFY(serve.start());
        const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(serve.port());
        RpcbenchRun run = runRpcbench({"test", file, "--url", url});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("variable 'who' is not defined"), run.out);
        run = runRpcbench({"test", file, "--url", url, "--var", "who=ann"});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QCOMPARE(lastLine(run), QStringLiteral("2 passed, 0 failed"));
    }

    void unreachableTargetIsExit2()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "two.rpcbench-collection.json", TwoCalls);
        const RpcbenchRun run =
            runRpcbench({"test", file, "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(deadPort()), "--var",
                         "who=ann"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.out.contains("cannot reach tcp://127.0.0.1:"), run.out);
        QCOMPARE(lastLine(run), QStringLiteral("0 passed, 2 failed"));
    }

    void junitIsWritten()
    {
        QTemporaryDir dir;
        const QString xmlPath = dir.filePath("results.xml");
        const RpcbenchRun run =
            runRpcbench({"test", Example, "--serve", "--var", "greeting=42", "--junit", xmlPath});
        QCOMPARE(run.exitCode, 1);
        QFile f(xmlPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        int cases = 0;
        int failures = 0;
        QString suiteTests;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("testsuite"))
                suiteTests = xml.attributes().value("tests").toString();
            cases += xml.name() == QLatin1String("testcase");
            failures += xml.name() == QLatin1String("failure");
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(cases, 13);
        QCOMPARE(failures, 1);
        QCOMPARE(suiteTests, QStringLiteral("13"));
    }

    void tapOutput()
    {
        const RpcbenchRun run = runRpcbench({"test", Example, "--serve", "--tap", "--folder", "Errors"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("TAP version 13\n1..3\n"));
        QVERIFY(run.out.contains("ok 2 - Errors/unknown method"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("no file") << QStringList{"test"} << "missing FILE";
        QTest::newRow("missing file") << QStringList{"test", "/nonexistent/x.rpcbench.json"} << "cannot open";
        QTest::newRow("bad --var") << QStringList{"test", Example, "--var", "novalue"}
                                   << "expected NAME=VALUE";
        QTest::newRow("unknown env") << QStringList{"test", Example, "--env", "prod"}
                                     << "no environment 'prod' (the file has: ci, local)";
        QTest::newRow("unknown collection")
            << QStringList{"test", Example, "--collection", "Nope"} << "has no collection called 'Nope'";
        QTest::newRow("unknown folder") << QStringList{"test", Example, "--serve", "--folder", "Nope"}
                                        << "nothing in the collection 'Demo service' is called 'Nope'";
        QTest::newRow("bad url") << QStringList{"test", Example, "--url", "nope://x"} << "invalid --url";
        QTest::newRow("bad timeout") << QStringList{"test", Example, "--timeout", "0"} << "--timeout";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const RpcbenchRun run = runRpcbench(args);
        QCOMPARE(run.exitCode, 64);
        QVERIFY2(run.err.contains(error.toUtf8()), run.err);
    }

    void malformedCollectionFileNamesTheLine()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "bad.rpcbench-collection.json",
                                       "{\n  \"format\": \"rpcbench-collection\",\n  \"version\": 1,\n  "
                                       "\"name\": \"x\"\n  \"items\": []\n}\n");
        const RpcbenchRun run = runRpcbench({"test", file, "--url", "tcp://127.0.0.1:1"});
        QCOMPARE(run.exitCode, 64);
        QVERIFY2(run.err.contains("bad.rpcbench-collection.json: not valid JSON: line 5"), run.err);
    }
};

QTEST_GUILESS_MAIN(TestTestCli)
#include "tst_testcli.moc"
