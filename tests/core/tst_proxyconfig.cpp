// ProxyConfig: a proxy's settings as a workspace stores them, read strictly.

#include "proxy/ProxyConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

namespace {

std::optional<ProxyConfig> read(const QByteArray& json, QString* error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return ProxyConfig::fromJson(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), error);
}

ProxyConfig fullConfig()
{
    ProxyConfig c;
    c.listen = QStringLiteral("tcp://127.0.0.1:9001");
    c.upstream = QStringLiteral("ws://127.0.0.1:9000/rpc");
    FaultSettings slow;
    slow.latencyMinMs = slow.latencyMaxMs = 200;
    c.faults.insert(QStringLiteral("slowMethod"), slow);
    c.intercept = {InterceptRule{QStringLiteral("eth_*"), InterceptRule::Direction::Both, false},
                   InterceptRule{}};
    c.interceptTimeoutMs = 5000;
    return c;
}

} // namespace

class tst_ProxyConfig : public QObject
{
    Q_OBJECT
private slots:
    void roundTrips_data();
    void roundTrips();
    void readsTheDocumentedExample();
    void leavesDefaultsOut();
    void errorsNameTheKey_data();
    void errorsNameTheKey();
};

void tst_ProxyConfig::roundTrips_data()
{
    QTest::addColumn<ProxyConfig>("config");
    ProxyConfig minimal;
    minimal.listen = QStringLiteral("tcp://127.0.0.1:0");
    minimal.upstream = QStringLiteral("unix:/tmp/upstream.sock");
    QTest::newRow("minimal") << minimal;
    QTest::newRow("full") << fullConfig();
}

void tst_ProxyConfig::roundTrips()
{
    QFETCH(ProxyConfig, config);
    QString error;
    const auto back = ProxyConfig::fromJson(config.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == config);
    QCOMPARE(back->toJson(), config.toJson());
}

void tst_ProxyConfig::readsTheDocumentedExample()
{
    QString error;
    const auto c = read(R"({"listen": "tcp://127.0.0.1:9001", "upstream": "tcp://127.0.0.1:9000",
                            "faults": {"slowMethod": {"latencyMs": 200}}, "intercept": [{"method": "eth_*"}],
                            "interceptTimeoutMs": 60000})",
                        &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->listen, QStringLiteral("tcp://127.0.0.1:9001"));
    QCOMPARE(c->upstream, QStringLiteral("tcp://127.0.0.1:9000"));
    QCOMPARE(c->faults.value(QStringLiteral("slowMethod")).latencyMinMs, 200);
    QCOMPARE(c->intercept.size(), 1);
    QCOMPARE(c->intercept.at(0).pattern, QStringLiteral("eth_*"));
    QCOMPARE(c->intercept.at(0).direction, InterceptRule::Direction::ToServer);
    QCOMPARE(c->interceptTimeoutMs, 60000);
}

void tst_ProxyConfig::leavesDefaultsOut()
{
    ProxyConfig c;
    c.listen = QStringLiteral("tcp://127.0.0.1:0");
    c.upstream = QStringLiteral("tcp://127.0.0.1:1");
    QCOMPARE(c.toJson().keys(), (QStringList{"listen", "upstream"}));
    QCOMPARE(fullConfig().toJson().keys(),
             (QStringList{"faults", "intercept", "interceptTimeoutMs", "listen", "upstream"}));
}

void tst_ProxyConfig::errorsNameTheKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("names");

    const QByteArray ok = R"("listen":"tcp://127.0.0.1:0","upstream":"tcp://127.0.0.1:1")";
    QTest::newRow("not an object") << QByteArray("[]") << "object";
    QTest::newRow("unknown key") << "{" + ok + R"(,"upstreams":[]})"
                                 << "'upstreams'";
    QTest::newRow("listen missing") << QByteArray(R"({"upstream":"tcp://127.0.0.1:1"})") << "'listen'";
    QTest::newRow("listen not a string")
        << QByteArray(R"({"listen":1,"upstream":"tcp://127.0.0.1:1"})") << "'listen'";
    QTest::newRow("listen on a process")
        << QByteArray(R"({"listen":"exec:cat","upstream":"tcp://127.0.0.1:1"})") << "'listen'";
    QTest::newRow("listen bad url") << QByteArray(R"({"listen":"nope://x","upstream":"tcp://127.0.0.1:1"})")
                                    << "'listen'";
    QTest::newRow("upstream missing") << QByteArray(R"({"listen":"tcp://127.0.0.1:0"})") << "'upstream'";
    QTest::newRow("upstream bad url")
        << QByteArray(R"({"listen":"tcp://127.0.0.1:0","upstream":"tcp://h:99999"})") << "'upstream'";
    QTest::newRow("faults not an object") << "{" + ok + R"(,"faults":[]})"
                                          << "'faults'";
    QTest::newRow("fault bad") << "{" + ok + R"(,"faults":{"slow":{"latencyMs":"x"}}})"
                               << "faults.slow: ";
    QTest::newRow("fault unknown key") << "{" + ok + R"(,"faults":{"slow":{"lag":1}}})"
                                       << "faults.slow: ";
    QTest::newRow("intercept not an array") << "{" + ok + R"(,"intercept":{}})"
                                            << "'intercept'";
    QTest::newRow("intercept rule bad") << "{" + ok + R"(,"intercept":[{"method":"a"},{"method":""}]})"
                                        << "intercept[1]: ";
    QTest::newRow("intercept rule direction")
        << "{" + ok + R"(,"intercept":[{"method":"a","direction":"x"}]})"
        << "intercept[0]: ";
    QTest::newRow("timeout zero") << "{" + ok + R"(,"interceptTimeoutMs":0})"
                                  << "'interceptTimeoutMs'";
    QTest::newRow("timeout too big") << "{" + ok + R"(,"interceptTimeoutMs":3600001})"
                                     << "'interceptTimeoutMs'";
    QTest::newRow("timeout fraction") << "{" + ok + R"(,"interceptTimeoutMs":1.5})"
                                      << "'interceptTimeoutMs'";
    QTest::newRow("timeout string") << "{" + ok + R"(,"interceptTimeoutMs":"5"})"
                                    << "'interceptTimeoutMs'";
}

void tst_ProxyConfig::errorsNameTheKey()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, names);
    QString error;
    QVERIFY(!read(json, &error));
    QVERIFY2(error.contains(names), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error)); // one line
}

QTEST_GUILESS_MAIN(tst_ProxyConfig)
#include "tst_proxyconfig.moc"
