// Discovery: OpenRPC and system.* parsing, and RpcClient::discover() against a fake server
// that speaks rpc.discover, only the Python xmlrpc-style system.* methods, or neither.

#include "FakeRpcServer.h"
#include "client/MethodDiscovery.h"
#include "client/RpcClient.h"

#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

using Message = FakeRpcServer::Message;

class tst_MethodDiscovery : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void typeNames_data();
    void typeNames();
    void fromSignature_data();
    void fromSignature();
    void rejectsNonOpenRpc();
    void discoversWithOpenRpc();
    void discoversWithSystemMethods();
    void discoveryUnsupported();
    void discoveryTimesOut();

private:
    std::unique_ptr<FakeRpcServer> m_server;
    std::unique_ptr<RpcClient> m_client;
};

void tst_MethodDiscovery::init()
{
    m_server = std::make_unique<FakeRpcServer>();
    QVERIFY(m_server->listen());
    m_client = std::make_unique<RpcClient>(*Endpoint::parse(m_server->url()), Dialect::JsonRpc2);
}

void tst_MethodDiscovery::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void tst_MethodDiscovery::typeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("type");
    const QList<QPair<const char*, ParamType>> cases{
        {"integer", ParamType::Integer}, {"int", ParamType::Integer},   {"i4", ParamType::Integer},
        {"number", ParamType::Number},   {"double", ParamType::Number}, {"float", ParamType::Number},
        {"string", ParamType::String},   {"str", ParamType::String},    {"boolean", ParamType::Boolean},
        {"bool", ParamType::Boolean},    {"array", ParamType::Array},   {"list", ParamType::Array},
        {"object", ParamType::Object},   {"struct", ParamType::Object}, {"dict", ParamType::Object},
        {"any", ParamType::Any},         {"base64", ParamType::Any},    {"", ParamType::Any},
    };
    for (const auto& [name, type] : cases)
        QTest::newRow(*name ? name : "empty") << QString::fromLatin1(name) << int(type);
}

void tst_MethodDiscovery::typeNames()
{
    QFETCH(QString, name);
    QFETCH(int, type);
    QCOMPARE(int(MethodDiscovery::typeFromName(name)), type);
    QCOMPARE(int(MethodDiscovery::typeFromName(name.toUpper())), type);
}

void tst_MethodDiscovery::fromSignature_data()
{
    QTest::addColumn<QJsonValue>("signature");
    QTest::addColumn<QJsonValue>("help");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("description");
    QTest::newRow("list of signatures") << QJsonValue(QJsonArray{QJsonArray{"int", "int", "string"}})
                                        << QJsonValue("Doc") << "f(arg1: integer, arg2: string) -> integer"
                                        << "Doc";
    QTest::newRow("single signature")
        << QJsonValue(QJsonArray{"boolean"}) << QJsonValue(QJsonValue::Undefined) << "f() -> boolean"
        << "";
    QTest::newRow("named entries") << QJsonValue(QJsonArray{QJsonArray{
                                          "number", QJsonObject{{"name", "x"}, {"type", "double"}}}})
                                   << QJsonValue(QJsonValue::Null) << "f(x: number) -> number"
                                   << "";
    QTest::newRow("not supported") << QJsonValue("signatures not supported") << QJsonValue("Doc")
                                   << "f(...args: any) -> any"
                                   << "Doc";
    QTest::newRow("call failed") << QJsonValue(QJsonValue::Undefined) << QJsonValue(QJsonValue::Undefined)
                                 << "f(...args: any) -> any"
                                 << "";
}

void tst_MethodDiscovery::fromSignature()
{
    QFETCH(QJsonValue, signature);
    QFETCH(QJsonValue, help);
    QFETCH(QString, expected);
    QFETCH(QString, description);
    const MethodInfo m = MethodDiscovery::fromSignature("f", signature, help);
    QCOMPARE(m.signature(), expected);
    QCOMPARE(m.description, description);
}

void tst_MethodDiscovery::rejectsNonOpenRpc()
{
    QString error;
    QVERIFY(!MethodDiscovery::fromOpenRpc(QJsonValue(QJsonArray{1}), &error));
    QVERIFY(error.contains("OpenRPC"));
    QVERIFY(!MethodDiscovery::fromOpenRpc(QJsonObject{{"methods", "x"}}, &error));
    const auto empty = MethodDiscovery::fromOpenRpc(QJsonObject{{"methods", QJsonArray()}}, &error);
    QVERIFY(empty && empty->isEmpty());
}

void tst_MethodDiscovery::discoversWithOpenRpc()
{
    const QJsonObject doc{
        {"openrpc", "1.2.6"},
        {"methods",
         QJsonArray{QJsonObject{
                        {"name", "zeta"},
                        {"description", "Last one"},
                        {"params", QJsonArray{QJsonObject{{"name", "a"},
                                                          {"required", true},
                                                          {"schema", QJsonObject{{"type", "integer"}}}},
                                              QJsonObject{{"name", "b"},
                                                          {"required", false},
                                                          {"schema", QJsonObject{{"type", "number"},
                                                                                 {"default", 10}}}}}},
                        {"result", QJsonObject{{"name", "r"}, {"schema", QJsonObject{{"type", "number"}}}}},
                    },
                    QJsonObject{{"name", "alpha"}, {"params", QJsonArray()}}}},
    };
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server, doc](const Message& m) {
        server->reply(m, QJsonObject{{"jsonrpc", "2.0"}, {"id", m.object()["id"]}, {"result", doc}});
    };
    QSignalSpy spy(m_client.get(), &RpcClient::discovered);
    const quint64 id = m_client->discover();
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.first().at(0).toULongLong(), id);
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(d.source, QStringLiteral("rpc.discover"));
    QCOMPARE(d.methods.size(), 2);
    QCOMPARE(d.methods[0].name, QStringLiteral("alpha"));
    QCOMPARE(d.methods[1].signature(), QStringLiteral("zeta(a: integer, b: number = 10) -> number"));
    QCOMPARE(d.methods[1].description, QStringLiteral("Last one"));
    QCOMPARE(m_server->received.size(), 1);
}

void tst_MethodDiscovery::discoversWithSystemMethods()
{
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        const QJsonObject req = m.object();
        const QString method = req["method"].toString();
        const QString target = req["params"][0].toString();
        QJsonObject reply{{"jsonrpc", "2.0"}, {"id", req["id"]}};
        if (method == "system.listMethods")
            reply["result"] = QJsonArray{"mul", "hello"};
        else if (method == "system.methodSignature" && target == "mul")
            reply["result"] = QJsonArray{QJsonArray{"double", "int", "double"}};
        else if (method == "system.methodSignature")
            reply["result"] = "signatures not supported";
        else if (method == "system.methodHelp")
            reply["result"] = "Help for " + target;
        else
            reply["error"] = QJsonObject{{"code", -32601}, {"message", "Method not found"}};
        server->reply(m, reply);
    };
    QSignalSpy spy(m_client.get(), &RpcClient::discovered);
    m_client->discover();
    QVERIFY(spy.wait(5000));
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(d.source, QStringLiteral("system.listMethods"));
    QCOMPARE(d.methods.size(), 2);
    QCOMPARE(d.methods[0].name, QStringLiteral("hello"));
    QVERIFY(d.methods[0].params.first().variadic); // unknown signature: anything goes
    QCOMPARE(d.methods[1].signature(), QStringLiteral("mul(arg1: integer, arg2: number) -> number"));
    QCOMPARE(d.methods[1].description, QStringLiteral("Help for mul"));
    QCOMPARE(m_server->received.size(), 2 + 2 * 2); // discover, list, then signature+help each
}

void tst_MethodDiscovery::discoveryUnsupported()
{
    FakeRpcServer* server = m_server.get();
    server->onMessage = [server](const Message& m) {
        server->reply(m,
                      QJsonObject{{"jsonrpc", "2.0"},
                                  {"id", m.object()["id"]},
                                  {"error", QJsonObject{{"code", -32601}, {"message", "Method not found"}}}});
    };
    QSignalSpy spy(m_client.get(), &RpcClient::discovered);
    m_client->discover();
    QVERIFY(spy.wait(5000));
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY(!d.ok());
    QVERIFY(!d.transportFailure);
    QVERIFY2(d.error.contains("rpc.discover: error -32601") && d.error.contains("system.listMethods"),
             qPrintable(d.error));
    QCOMPARE(m_client->pendingCount(), 0);
}

void tst_MethodDiscovery::discoveryTimesOut()
{
    m_server->onMessage = nullptr; // never answers
    QSignalSpy spy(m_client.get(), &RpcClient::discovered);
    m_client->discover(100);
    QVERIFY(spy.wait(5000));
    const DiscoveryResult d = spy.first().at(1).value<DiscoveryResult>();
    QVERIFY(!d.ok());
    QVERIFY(d.transportFailure);
    QVERIFY2(d.error.contains("timed out after 100 ms"), qPrintable(d.error));
    QCOMPARE(m_server->received.size(), 1); // no second wait for the fallback
}

QTEST_GUILESS_MAIN(tst_MethodDiscovery)
#include "tst_methoddiscovery.moc"
