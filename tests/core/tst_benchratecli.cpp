// `rpcbench bench --rate`: the open-loop report (--json openLoop and timeSeries), --csv, and the
// usage errors, against a real `rpcbench serve` over TCP and HTTP.
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestBenchRateCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_serve.start({"--log", "none"})); }

    void jsonHasTheOpenLoopReport_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("tcp") << "tcp";
        QTest::newRow("http") << "http";
    }
    void jsonHasTheOpenLoopReport()
    {
        QFETCH(QString, scheme);
        const QString url = QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_serve.port());
        const RpcbenchRun run = runRpcbench(
            {"bench", "--url", url, "--rate", "200", "--duration", "2", "--conns", "2", "--json"});
        QVERIFY2(run.exitCode == 0, run.err);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(report.value("loop").toString(), QStringLiteral("open"));
        const QJsonObject open = report.value("openLoop").toObject();
        QCOMPARE(open.value("rate").toDouble(), 200.0);
        // On schedule: 2 s at 200/s is 400 calls, sent or (a slow machine's last one or two, due
        // as the run ends) reported as not sent — never lost.
        const double sent = open.value("sent").toDouble();
        const double notSent = open.value("notSent").toDouble();
        QVERIFY2(sent + notSent >= 399 && sent + notSent <= 402 && notSent <= 2,
                 qPrintable(QStringLiteral("sent %1, not sent %2").arg(sent).arg(notSent)));
        QVERIFY(open.contains("late") && open.contains("latenessP99Us") && open.contains("latenessMaxUs"));
        QCOMPARE(report.value("errors").toDouble(), 0.0);
        // One point per second, their completions adding up to the run's calls.
        const QJsonArray series = report.value("timeSeries").toArray();
        QVERIFY2(series.size() >= 2 && series.size() <= 3, qPrintable(QString::number(series.size())));
        double completed = 0;
        for (const QJsonValue& point : series) {
            const QJsonObject p = point.toObject();
            for (const char* key :
                 {"second", "sent", "completed", "errors", "p50Us", "p90Us", "p99Us", "maxUs"})
                QVERIFY2(p.contains(QLatin1String(key)), key);
            QVERIFY(p.value("p50Us").toDouble() <= p.value("p99Us").toDouble());
            QVERIFY(p.value("p99Us").toDouble() <= p.value("maxUs").toDouble());
            completed += p.value("completed").toDouble();
        }
        QCOMPARE(completed, report.value("calls").toDouble());
    }

    void csvToStdout()
    {
        const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_serve.port());
        const RpcbenchRun run =
            runRpcbench({"bench", "--url", url, "--rate", "100", "--duration", "2", "--csv", "-"});
        QVERIFY2(run.exitCode == 0, run.err);
        const auto lines = run.outLines();
        QVERIFY(lines.size() >= 3);
        QCOMPARE(lines.first(), QByteArray("second,sent,completed,errors,p50_us,p90_us,p99_us,max_us"));
        QVERIFY(lines.at(1).startsWith("0,"));
        QCOMPARE(lines.at(1).split(',').size(), 8);
        QVERIFY2(run.err.contains("open loop: 100 calls/s"), run.err); // the text report goes to stderr
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("rate zero") << QStringList{"--rate", "0"};
        QTest::newRow("rate not a number") << QStringList{"--rate", "fast"};
        QTest::newRow("warmup with rate") << QStringList{"--rate", "10", "--warmup", "1"};
        QTest::newRow("csv with json") << QStringList{"--rate", "10", "--csv", "-", "--json"};
    }
    void usageErrors()
    {
        QFETCH(QStringList, extra);
        const RpcbenchRun run = runRpcbench(
            QStringList{"bench", "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(m_serve.port()),
                        "--duration", "1"} +
            extra);
        QCOMPARE(run.exitCode, 2); // bench's usage exit code (kExitBadUsage), as before --rate
        QVERIFY2(run.err.startsWith("rpcbench bench: "), run.err);
    }

private:
    ServeProcess m_serve;
};

QTEST_GUILESS_MAIN(TestBenchRateCli)
#include "tst_benchratecli.moc"
