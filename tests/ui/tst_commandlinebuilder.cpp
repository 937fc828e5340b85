// "Copy as command": the rpcbench, curl and netcat lines for a composed call, per dialect,
// with shell quoting that survives quotes in the payload.

#include "client/CommandLineBuilder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace rpcbench;

namespace {
CallRequest call(const QString& method, const QJsonValue& params, bool notification = false)
{
    CallRequest r;
    r.method = method;
    r.params = params;
    r.notification = notification;
    return r;
}
} // namespace

class TestCommandLineBuilder : public QObject
{
    Q_OBJECT
private slots:
    void shellQuote_data();
    void shellQuote();
    void requestBody_data();
    void requestBody();
    void rpcbenchCall();
    void curlAndNetcat();
};

void TestCommandLineBuilder::shellQuote_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << "add"
                           << "add";
    QTest::newRow("url") << "tcp://127.0.0.1:5000"
                         << "tcp://127.0.0.1:5000";
    QTest::newRow("json") << "[1,2]"
                          << "'[1,2]'";
    QTest::newRow("single quote") << "it's"
                                  << "'it'\\''s'";
    QTest::newRow("empty") << ""
                           << "''";
}

void TestCommandLineBuilder::shellQuote()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(CommandLineBuilder::shellQuote(in), out);
}

void TestCommandLineBuilder::requestBody_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<bool>("notification");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("2.0") << int(Dialect::JsonRpc2) << false
                         << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})");
    QTest::newRow("2.0 notification")
        << int(Dialect::JsonRpc2) << true << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2]})");
    QTest::newRow("1.0") << int(Dialect::JsonRpc1) << false
                         << QByteArray(R"({"method":"add","params":[1,2],"id":1})");
    QTest::newRow("1.0 notification")
        << int(Dialect::JsonRpc1) << true << QByteArray(R"({"method":"add","params":[1,2],"id":null})");
    QTest::newRow("classic") << int(Dialect::Classic) << false
                             << QByteArray(R"({"method_name":"add","method_args":[1,2]})");
}

void TestCommandLineBuilder::requestBody()
{
    QFETCH(int, dialect);
    QFETCH(bool, notification);
    QFETCH(QByteArray, body);
    QCOMPARE(CommandLineBuilder::requestBody(Dialect(dialect),
                                             call(QStringLiteral("add"), QJsonArray{1, 2}, notification)),
             body);
}

void TestCommandLineBuilder::rpcbenchCall()
{
    const QString url = QStringLiteral("tcp://127.0.0.1:5000");
    QCOMPARE(CommandLineBuilder::rpcbenchCall(url, Dialect::JsonRpc2,
                                              call(QStringLiteral("add"), QJsonArray{1, 2, 3})),
             QStringLiteral("rpcbench call --url tcp://127.0.0.1:5000 --params '[1,2,3]' add"));
    QCOMPARE(CommandLineBuilder::rpcbenchCall(
                 url, Dialect::Classic,
                 call(QStringLiteral("echo"), QJsonObject{{QStringLiteral("value"), QStringLiteral("it's")}},
                      true)),
             QStringLiteral("rpcbench call --url tcp://127.0.0.1:5000 --dialect classic --notify --params "
                            "'{\"value\":\"it'\\''s\"}' echo"));
    QCOMPARE(CommandLineBuilder::rpcbenchCall(url, Dialect::JsonRpc2,
                                              call(QStringLiteral("now"), QJsonValue::Undefined)),
             QStringLiteral("rpcbench call --url tcp://127.0.0.1:5000 now"));
}

void TestCommandLineBuilder::curlAndNetcat()
{
    const CallRequest add = call(QStringLiteral("add"), QJsonArray{1, 2});
    QCOMPARE(CommandLineBuilder::curl(QStringLiteral("http://127.0.0.1:8080/rpc"), Dialect::JsonRpc2, add),
             QStringLiteral("curl -s http://127.0.0.1:8080/rpc -H 'Content-Type: application/json' -d "
                            "'{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}'"));
    // rpcbench serves HTTP on its TCP port: a tcp:// target gets an http:// curl line.
    QVERIFY(CommandLineBuilder::curl(QStringLiteral("tcp://127.0.0.1:5000"), Dialect::JsonRpc2, add)
                .startsWith(QStringLiteral("curl -s http://127.0.0.1:5000/ ")));
    QCOMPARE(CommandLineBuilder::curl(QStringLiteral("tcp+lsp://127.0.0.1:5000"), Dialect::JsonRpc2, add),
             QString());
    QCOMPARE(
        CommandLineBuilder::netcat(QStringLiteral("tcp://127.0.0.1:5000"), Dialect::JsonRpc2, add),
        QStringLiteral("printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}' "
                       "| nc 127.0.0.1 5000"));
    QCOMPARE(CommandLineBuilder::netcat(QStringLiteral("http://127.0.0.1:5000/"), Dialect::JsonRpc2, add),
             QString());
}

QTEST_MAIN(TestCommandLineBuilder)
#include "tst_commandlinebuilder.moc"
