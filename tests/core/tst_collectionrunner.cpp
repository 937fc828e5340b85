// The collection runner against a real server on 127.0.0.1: assertions, captures, variables,
// batches, notifications, --bail, folders, unreachable targets and stop().
#include "DemoServerFixture.h"
#include "runner/CollectionRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace rpcbench;

Q_DECLARE_METATYPE(rpcbench::RunReport)
Q_DECLARE_METATYPE(rpcbench::CallReport)

namespace {

QJsonValue json(const QString& text)
{
    return QJsonDocument::fromJson(("[" + text + "]").toUtf8()).array().at(0);
}

Collection collectionOf(const QString& items)
{
    QString error;
    auto c = Collection::fromJson(
        QJsonObject{{QStringLiteral("name"), QStringLiteral("t")}, {QStringLiteral("items"), json(items)}},
        &error);
    if (!c)
        qFatal("bad test collection: %s", qPrintable(error));
    return *c;
}

// A port nothing listens on: bound, then closed.
quint16 deadPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestCollectionRunner : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qRegisterMetaType<RunReport>();
        qRegisterMetaType<CallReport>();
        QVERIFY(m_server.start());
        m_url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_server.port());
    }

    void runs_data()
    {
        QTest::addColumn<QString>("items");
        QTest::addColumn<QStringList>("verdicts"); // per call: "pass" or "fail: <part of why>"
        QTest::newRow("equals") << R"([{"method":"add","params":[1,2,0],"assert":[{"equals":3}]}])"
                                << QStringList{"pass"};
        QTest::newRow("equals wrong")
            << R"([{"method":"add","params":[1,2,0],"assert":[{"equals":4}]}])" << QStringList{"fail: 3"};
        QTest::newRow("no assertion: must be a result")
            << R"([{"method":"nope"}])" << QStringList{"fail: error"};
        QTest::newRow("error code")
            << R"([{"method":"fail","params":[-32042,"boom"],"assert":[{"error":-32042},{"of":"error","pointer":"/message","equals":"boom"}]}])"
            << QStringList{"pass"};
        QTest::newRow("named params and pointer")
            << R"([{"method":"subtract","params":{"minuend":5,"subtrahend":2},"assert":[{"pointer":"","type":"integer"}]}])"
            << QStringList{"pass"};
        QTest::newRow("method schema")
            << R"([{"method":"add","params":[1,2,0],"assert":[{"schema":true}]}])" << QStringList{"pass"};
        QTest::newRow("inline schema fails")
            << R"([{"method":"now","assert":[{"schema":{"type":"number"}}]}])"
            << QStringList{"fail: expected number"};
        QTest::newRow("capture then use")
            << R"([{"method":"echo","params":[{"session":"s-42"}],"capture":{"sid":"/session"}},{"method":"echo","params":["{{sid}}"],"assert":[{"equals":"s-42"}]}])"
            << QStringList{"pass", "pass"};
        QTest::newRow("capture finds nothing")
            << R"([{"method":"echo","params":[1],"capture":{"x":"/nope"}}])"
            << QStringList{"fail: capture 'x': nothing at '/nope'"};
        QTest::newRow("undefined variable") << R"([{"method":"echo","params":["{{missing}}"]}])"
                                            << QStringList{"fail: variable 'missing' is not defined"};
        QTest::newRow("notification")
            << R"([{"method":"update","params":[1],"notification":true}])" << QStringList{"pass"};
        QTest::newRow("batch")
            << R"([{"batch":[{"method":"add","params":[1,1,0]},{"method":"nope"},{"method":"update","notification":true}],"assert":[{"pointer":"/0/result","equals":2},{"pointer":"/1/error/code","equals":-32601}]}])"
            << QStringList{"pass"};
        QTest::newRow("timeout") << R"([{"method":"sleep","params":[2000],"timeoutMs":100}])"
                                 << QStringList{"fail: timed out"};
        QTest::newRow("latency") << R"([{"method":"sleep","params":[50],"assert":[{"latencyMs":10000}]}])"
                                 << QStringList{"pass"};
    }
    void runs()
    {
        QFETCH(QString, items);
        QFETCH(QStringList, verdicts);
        RunOptions options;
        options.defaultTarget = m_url;
        CollectionRunner runner(collectionOf(items), Variables(), options);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QSignalSpy each(&runner, &CollectionRunner::callFinished);
        QVERIFY(runner.start(QString()));
        QVERIFY(finished.wait(10'000));
        const RunReport report = finished.first().first().value<RunReport>();
        QCOMPARE(report.calls.size(), verdicts.size());
        QCOMPARE(each.size(), verdicts.size());
        for (qsizetype i = 0; i < verdicts.size(); ++i) {
            const CallReport& call = report.calls[i];
            QStringList why{call.problem};
            for (const AssertionReport& a : call.assertions)
                if (!a.result.passed)
                    why << QStringLiteral("%1: expected %2, got %3")
                               .arg(a.description, a.result.expected, a.result.actual);
            const QString text = why.join(QLatin1String(" | "));
            if (verdicts[i] == QLatin1String("pass")) {
                QVERIFY2(call.passed(), qPrintable(text));
            } else {
                QVERIFY2(!call.passed(), "expected a failure");
                QVERIFY2(text.contains(verdicts[i].mid(6)), qPrintable(text));
            }
        }
        QCOMPARE(report.exitCode(), verdicts.contains(QStringLiteral("pass")) &&
                                            verdicts.size() == verdicts.count(QStringLiteral("pass"))
                                        ? 0
                                        : 1);
    }

    void variablesFromEveryLayer()
    {
        Variables v;
        v.set(Variables::Layer::Environment, QStringLiteral("b"), 20);
        v.set(Variables::Layer::Override, QStringLiteral("c"), 300);
        Collection c = collectionOf(
            R"([{"target":"{{url}}","method":"sum","params":["{{a}}","{{b}}","{{c}}"],"assert":[{"equals":321}]}])");
        c.variables.insert(QStringLiteral("a"), 1);
        c.variables.insert(QStringLiteral("url"), m_url);
        CollectionRunner runner(c, v, RunOptions{});
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QVERIFY(runner.start(QString()));
        QVERIFY(finished.wait(10'000));
        const RunReport report = runner.report();
        QVERIFY2(report.calls[0].passed(), qPrintable(report.calls[0].problem));
        QCOMPARE(report.calls[0].target, m_url);
        QCOMPARE(report.summaryLine(), QStringLiteral("1 passed, 0 failed"));
    }

    void bailSkipsTheRest()
    {
        RunOptions options;
        options.defaultTarget = m_url;
        options.bail = true;
        CollectionRunner runner(
            collectionOf(
                R"([{"method":"add","params":[1,1]},{"method":"nope"},{"method":"add","params":[2,2]}])"),
            Variables(), options);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QVERIFY(runner.start(QString()));
        QVERIFY(finished.wait(10'000));
        const RunReport report = runner.report();
        QVERIFY(report.calls[0].passed());
        QVERIFY(!report.calls[1].passed() && !report.calls[1].skipped);
        QVERIFY(report.calls[2].skipped);
        QCOMPARE(report.summaryLine(), QStringLiteral("1 passed, 1 failed, 1 skipped"));
        QCOMPARE(report.exitCode(), 1);
    }

    void runsOneFolder()
    {
        RunOptions options;
        options.defaultTarget = m_url;
        CollectionRunner runner(
            collectionOf(
                R"([{"folder":"A","items":[{"name":"one","method":"add","params":[1,1]},{"folder":"B","items":[{"name":"two","method":"now"}]}]},{"name":"three","method":"now"}])"),
            Variables(), options);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QVERIFY(runner.start(QStringLiteral("A/B")));
        QVERIFY(finished.wait(10'000));
        QCOMPARE(runner.report().calls.size(), 1);
        QCOMPARE(runner.report().calls[0].path, QStringLiteral("A/B/two"));
        QVERIFY(runner.start(QStringLiteral("A")));
        QVERIFY(finished.wait(10'000));
        QCOMPARE(runner.report().calls.size(), 2);
        QString error;
        QVERIFY(!runner.start(QStringLiteral("C"), &error));
        QCOMPARE(error, QStringLiteral("nothing in the collection 't' is called 'C'"));
    }

    void unreachableTargetIsExitCode2()
    {
        RunOptions options;
        options.defaultTarget = QStringLiteral("tcp://127.0.0.1:%1").arg(deadPort());
        CollectionRunner runner(collectionOf(R"([{"method":"add","params":[1,1]}])"), Variables(), options);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QVERIFY(runner.start(QString()));
        QVERIFY(finished.wait(10'000));
        const RunReport report = runner.report();
        QVERIFY(report.calls[0].unreachable);
        QVERIFY2(report.calls[0].problem.startsWith(QStringLiteral("cannot reach tcp://127.0.0.1:")),
                 qPrintable(report.calls[0].problem));
        QCOMPARE(report.exitCode(), 2);
    }

    void stopEndsTheRun()
    {
        RunOptions options;
        options.defaultTarget = m_url;
        CollectionRunner runner(collectionOf(R"([{"method":"sleep","params":[5000]},{"method":"now"}])"),
                                Variables(), options);
        QSignalSpy started(&runner, &CollectionRunner::callStarted);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        QVERIFY(runner.start(QString()));
        QVERIFY(started.wait(5000));
        runner.stop();
        QVERIFY(finished.wait(5000));
        const RunReport report = runner.report();
        QVERIFY(report.stopped);
        QVERIFY(!report.calls[0].passed());
        QVERIFY(report.calls[1].skipped);
        QVERIFY(!runner.isRunning());
    }

private:
    DemoServerFixture m_server;
    QString m_url;
};

QTEST_GUILESS_MAIN(TestCollectionRunner)
#include "tst_collectionrunner.moc"
