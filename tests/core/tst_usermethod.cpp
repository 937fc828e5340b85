// UserMethod: the definition of a mock method, its JSON form and its validation, and how it
// behaves once registered (canned result, canned error, script without an engine).

#include "DispatchHarness.h"

#include "dispatch/OpenRpcDocument.h"
#include "mock/UserMethod.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace rpcbench;

namespace {

UserMethod fullMethod()
{
    UserMethod m;
    m.name = "orders.find";
    m.description = "Finds orders";
    m.params = {ParamInfo{"customer", ParamType::String, "Customer id", std::nullopt, false},
                ParamInfo{"limit", ParamType::Integer, "At most", QJsonValue(10), false},
                ParamInfo{"since", ParamType::String, "ISO date", QJsonValue(QJsonValue::Undefined), false},
                ParamInfo{"tags", ParamType::String, "", std::nullopt, true}};
    m.resultType = ParamType::Array;
    m.resultDescription = "Matching orders";
    m.kind = UserHandlerKind::Result;
    m.result = QJsonArray{QJsonObject{{"id", 1}}};
    return m;
}

QJsonValue parse(const QByteArray& text)
{
    return QJsonDocument::fromJson("[" + text + "]").array().at(0);
}

} // namespace

class TestUserMethod : public QObject
{
    Q_OBJECT
private slots:
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void badDefinitions_data();
    void badDefinitions();
    void registeredMethodLooksLikeABuiltinInDiscovery();
    void cannedResultAndError();
    void scriptWithoutEngineAnswersAnError();
};

void TestUserMethod::jsonRoundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("result") << int(UserHandlerKind::Result);
    QTest::newRow("error") << int(UserHandlerKind::Error);
    QTest::newRow("script") << int(UserHandlerKind::Script);
}

void TestUserMethod::jsonRoundTrip()
{
    QFETCH(int, kind);
    UserMethod m = fullMethod();
    m.kind = UserHandlerKind(kind);
    // Only the chosen handler is saved, so only it is set.
    if (m.kind != UserHandlerKind::Result)
        m.result = QJsonValue::Null;
    if (m.kind == UserHandlerKind::Error)
        m.error = RpcError{-32042, "nope", QJsonObject{{"why", "because"}}};
    if (m.kind == UserHandlerKind::Script)
        m.script = "return customer + limit;\n// two lines";
    m.enabled = false;
    QString error;
    const auto back = UserMethod::fromJson(m.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == m);
    QCOMPARE(back->toJson(), m.toJson());
}

void TestUserMethod::badDefinitions_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    const QByteArray h = R"("handler":{"kind":"result","value":1})";
    QTest::newRow("not an object") << QByteArray("[]") << "must be an object";
    QTest::newRow("no name") << QByteArray("{" + h + "}") << "'name' must be a string";
    QTest::newRow("empty name") << QByteArray(R"({"name":"",)" + h + "}") << "needs a name";
    QTest::newRow("space in name") << QByteArray(R"({"name":"a b",)" + h + "}") << "spaces";
    QTest::newRow("rpc. reserved") << QByteArray(R"({"name":"rpc.x",)" + h + "}") << "reserved";
    QTest::newRow("params not array")
        << QByteArray(R"({"name":"m","params":{},)" + h + "}") << "'params' must be an array";
    QTest::newRow("unknown type") << QByteArray(R"({"name":"m","params":[{"name":"a","type":"float"}],)" + h +
                                                "}")
                                  << "params[0]: 'type': unknown type 'float'";
    QTest::newRow("param without name")
        << QByteArray(R"({"name":"m","params":[{"type":"string"}],)" + h + "}")
        << "params[0]: 'name' must be a string";
    QTest::newRow("duplicate param") << QByteArray(R"({"name":"m","params":[{"name":"a"},{"name":"a"}],)" +
                                                   h + "}")
                                     << "'a' is declared twice";
    QTest::newRow("default of wrong type")
        << QByteArray(R"({"name":"m","params":[{"name":"a","type":"integer","default":"x"}],)" + h + "}")
        << "default must be an integer";
    QTest::newRow("variadic not last")
        << QByteArray(R"({"name":"m","params":[{"name":"a","variadic":true},{"name":"b"}],)" + h + "}")
        << "only the last parameter may be variadic";
    QTest::newRow("no handler") << QByteArray(R"({"name":"m"})") << "'handler' must be an object";
    QTest::newRow("unknown kind") << QByteArray(R"({"name":"m","handler":{"kind":"lua"}})") << "got 'lua'";
    QTest::newRow("error code not integer")
        << QByteArray(R"({"name":"m","handler":{"kind":"error","code":1.5,"message":"x"}})")
        << "integer error code";
    QTest::newRow("error without message")
        << QByteArray(R"({"name":"m","handler":{"kind":"error","code":1}})") << "'message' must be a string";
    QTest::newRow("script without source")
        << QByteArray(R"({"name":"m","handler":{"kind":"script"}})") << "'source' must be a string";
    QTest::newRow("empty script") << QByteArray(R"({"name":"m","handler":{"kind":"script","source":"  "}})")
                                  << "the script is empty";
    QTest::newRow("script param not identifier")
        << QByteArray(
               R"({"name":"m","params":[{"name":"first-name"}],"handler":{"kind":"script","source":"1"}})")
        << "not a JavaScript identifier";
    QTest::newRow("bad result type") << QByteArray(R"({"name":"m","result":{"type":"text"},)" + h + "}")
                                     << "result: 'type'";
}

void TestUserMethod::badDefinitions()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!UserMethod::fromJson(parse(json), &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestUserMethod::registeredMethodLooksLikeABuiltinInDiscovery()
{
    MethodRegistry registry;
    const UserMethod m = fullMethod();
    m.registerInto(registry, nullptr);
    const auto found = registry.find(m.name);
    QVERIFY(found);
    QVERIFY(!found->info.builtin);
    QCOMPARE(
        found->info.signature(),
        QString(
            "orders.find(customer: string, limit: integer = 10, since?: string, ...tags: string) -> array"));
    const QJsonObject doc = OpenRpcDocument::build(registry.methods());
    const QJsonObject method = doc.value("methods").toArray().at(0).toObject();
    QCOMPARE(method.value("name").toString(), m.name);
    QCOMPARE(method.value("params").toArray().size(), 4);
    QCOMPARE(method.value("result").toObject().value("description").toString(), QString("Matching orders"));
}

void TestUserMethod::cannedResultAndError()
{
    auto registry = std::make_shared<MethodRegistry>();
    UserMethod ok = fullMethod();
    ok.registerInto(*registry, nullptr);
    UserMethod bad;
    bad.name = "bad";
    bad.kind = UserHandlerKind::Error;
    bad.error = RpcError{-32077, "mock says no", QJsonArray{1}};
    bad.registerInto(*registry, nullptr);

    test::DispatchHarness harness(registry);
    auto r1 = harness.send(R"({"jsonrpc":"2.0","method":"orders.find","params":["c1"],"id":1})");
    QCOMPARE(QJsonDocument::fromJson(r1->reply.bytes).object().value("result"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}}}));
    auto r2 = harness.send(R"({"jsonrpc":"2.0","method":"bad","id":2})");
    const QJsonObject error = QJsonDocument::fromJson(r2->reply.bytes).object().value("error").toObject();
    QCOMPARE(error.value("code").toInt(), -32077);
    QCOMPARE(error.value("message").toString(), QString("mock says no"));
    QCOMPARE(error.value("data"), QJsonValue(QJsonArray{1}));
    // Parameters are bound like any method's: a missing required one is -32602.
    auto r3 = harness.send(R"({"jsonrpc":"2.0","method":"orders.find","params":[],"id":3})");
    QCOMPARE(
        QJsonDocument::fromJson(r3->reply.bytes).object().value("error").toObject().value("code").toInt(),
        -32602);
}

void TestUserMethod::scriptWithoutEngineAnswersAnError()
{
    auto registry = std::make_shared<MethodRegistry>();
    UserMethod m;
    m.name = "s";
    m.kind = UserHandlerKind::Script;
    m.script = "return 1;";
    m.registerInto(*registry, nullptr);
    test::DispatchHarness harness(registry);
    auto r = harness.send(R"({"jsonrpc":"2.0","method":"s","id":1})");
    QTRY_COMPARE(r->calls, 1);
    QVERIFY(r->reply.bytes.contains("scripting is not available"));
}

QTEST_GUILESS_MAIN(TestUserMethod)
#include "tst_usermethod.moc"
