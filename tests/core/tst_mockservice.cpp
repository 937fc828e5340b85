// MockService on a running server: user methods appear in discovery like built-ins and can be
// edited, renamed, disabled and removed while the server runs; bad definitions change nothing.

#include "DemoServerFixture.h"
#include "SocketProbe.h"

#include "mock/MockService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace rpcbench;

namespace {

UserMethod canned(const QString& name, const QJsonValue& result)
{
    UserMethod m;
    m.name = name;
    m.description = "A mock";
    m.params = {ParamInfo{"id", ParamType::Integer, "Record id", std::nullopt, false}};
    m.resultType = ParamType::Object;
    m.result = result;
    return m;
}

} // namespace

class TestMockService : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void userMethodAppearsInDiscovery();
    void editWhileServing();
    void renameKeepsFaults();
    void disableAnswersMethodNotFound();
    void removeWhileServing();
    void builtinAndDuplicateNamesAreRefused();
    void invalidDefinitionChangesNothing();
    void demoMethodsOffFreesTheirNames();
    void builtinMethodsCanBeDisabled();

private:
    QJsonObject call(const QString& method, const QJsonValue& params = QJsonArray{});
    std::unique_ptr<DemoServerFixture> m_server;
    std::unique_ptr<MockService> m_mocks;
};

void TestMockService::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    m_mocks = std::make_unique<MockService>(m_server->registry, nullptr);
    QVERIFY(m_server->start());
}

void TestMockService::cleanup()
{
    m_server.reset();
    m_mocks.reset();
}

QJsonObject TestMockService::call(const QString& method, const QJsonValue& params)
{
    SocketProbe probe;
    if (!probe.connectTo(m_server->port()))
        return {};
    const QJsonObject request{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", 1}};
    probe.send(QJsonDocument(request).toJson(QJsonDocument::Compact) + "\n");
    const auto replies = probe.waitForJsonLines(1);
    return replies.isEmpty() ? QJsonObject{} : replies.first().toObject();
}

void TestMockService::userMethodAppearsInDiscovery()
{
    QSignalSpy changed(m_mocks.get(), &MockService::methodsChanged);
    QString error;
    QVERIFY2(m_mocks->addMethod(canned("user.get", QJsonObject{{"name", "Ada"}}), &error), qPrintable(error));
    QCOMPARE(changed.count(), 1);

    QCOMPARE(call("user.get", QJsonArray{1}).value("result").toObject().value("name").toString(),
             QString("Ada"));
    QVERIFY(call("system.listMethods").value("result").toArray().contains(QJsonValue("user.get")));
    QCOMPARE(call("system.methodSignature", QJsonArray{"user.get"}).value("result"),
             QJsonValue(QJsonArray{QJsonArray{"object", "integer"}}));
    QCOMPARE(call("system.methodHelp", QJsonArray{"user.get"}).value("result").toString(), QString("A mock"));
    bool listed = false;
    for (const QJsonValue& m : call("rpc.discover").value("result").toObject().value("methods").toArray()) {
        if (m.toObject().value("name") == "user.get") {
            listed = true;
            QCOMPARE(m.toObject().value("params").toArray().at(0).toObject().value("name").toString(),
                     QString("id"));
        }
    }
    QVERIFY(listed);
}

void TestMockService::editWhileServing()
{
    QString error;
    QVERIFY(m_mocks->addMethod(canned("user.get", 1), &error));
    QCOMPARE(call("user.get", QJsonArray{1}).value("result").toInt(), 1);
    UserMethod edited = canned("user.get", 2);
    edited.kind = UserHandlerKind::Error;
    edited.error = RpcError{-32030, "gone"};
    QVERIFY(m_mocks->updateMethod("user.get", edited, &error));
    QCOMPARE(call("user.get", QJsonArray{1}).value("error").toObject().value("code").toInt(), -32030);
    QCOMPARE(m_mocks->methods().size(), 1);
    QVERIFY(m_mocks->method("user.get")->kind == UserHandlerKind::Error);
}

void TestMockService::renameKeepsFaults()
{
    QString error;
    QVERIFY(m_mocks->addMethod(canned("old", 1), &error));
    FaultSettings f;
    f.wrongId = true;
    m_mocks->faults().set("old", f);
    QVERIFY(m_mocks->updateMethod("old", canned("new", 1), &error));
    QCOMPARE(call("old", QJsonArray{1}).value("error").toObject().value("code").toInt(), -32601);
    QCOMPARE(call("new", QJsonArray{1}).value("id").toInt(), 2); // the fault moved along
    QVERIFY(!m_mocks->faults().find("old"));
}

void TestMockService::disableAnswersMethodNotFound()
{
    QString error;
    QVERIFY(m_mocks->addMethod(canned("user.get", 1), &error));
    QVERIFY(m_mocks->setMethodEnabled("user.get", false));
    QVERIFY(!m_mocks->method("user.get")->enabled);
    QCOMPARE(call("user.get", QJsonArray{1}).value("error").toObject().value("code").toInt(), -32601);
    QVERIFY(!call("system.listMethods").value("result").toArray().contains(QJsonValue("user.get")));
    QVERIFY(m_mocks->setMethodEnabled("user.get", true));
    QCOMPARE(call("user.get", QJsonArray{1}).value("result").toInt(), 1);
}

void TestMockService::removeWhileServing()
{
    QString error;
    QVERIFY(m_mocks->addMethod(canned("user.get", 1), &error));
    m_mocks->faults().set("user.get", FaultSettings{});
    QVERIFY(m_mocks->removeMethod("user.get"));
    QVERIFY(!m_mocks->removeMethod("user.get"));
    QCOMPARE(call("user.get", QJsonArray{1}).value("error").toObject().value("code").toInt(), -32601);
    QVERIFY(m_mocks->methods().isEmpty());
    QVERIFY(!m_mocks->faults().find("user.get"));
}

void TestMockService::builtinAndDuplicateNamesAreRefused()
{
    QString error;
    QVERIFY(!m_mocks->addMethod(canned("add", 1), &error));
    QVERIFY2(error.contains("built-in") && error.contains("demo methods off"), qPrintable(error));
    QVERIFY(!m_mocks->addMethod(canned("system.listMethods", 1), &error));
    QVERIFY(m_mocks->addMethod(canned("a", 1), &error));
    QVERIFY(m_mocks->addMethod(canned("b", 1), &error));
    QVERIFY(!m_mocks->updateMethod("b", canned("a", 2), &error)); // renaming onto another mock
    QVERIFY2(error.contains("exists already"), qPrintable(error));
    QCOMPARE(call("add", QJsonArray{1, 2}).value("result").toInt(), 13); // untouched
}

void TestMockService::invalidDefinitionChangesNothing()
{
    QString error;
    QVERIFY(m_mocks->addMethod(canned("user.get", 1), &error));
    QSignalSpy changed(m_mocks.get(), &MockService::methodsChanged);
    UserMethod bad = canned("user.get", 2);
    bad.params.append(bad.params.first()); // duplicate parameter
    QVERIFY(!m_mocks->updateMethod("user.get", bad, &error));
    QVERIFY2(error.contains("declared twice"), qPrintable(error));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(call("user.get", QJsonArray{1}).value("result").toInt(), 1);
}

void TestMockService::demoMethodsOffFreesTheirNames()
{
    QVERIFY(m_mocks->demoMethods());
    m_mocks->setDemoMethods(false);
    QCOMPARE(call("add", QJsonArray{1, 2}).value("error").toObject().value("code").toInt(), -32601);
    QVERIFY(call("system.listMethods").value("result").toArray().contains(QJsonValue("rpc.discover")));
    QString error;
    QVERIFY2(m_mocks->addMethod(canned("add", 99), &error), qPrintable(error));
    m_mocks->setDemoMethods(true);
    QCOMPARE(call("add", QJsonArray{1}).value("result").toInt(), 99); // the mock keeps the name
    QCOMPARE(call("echo", QJsonArray{"back"}).value("result").toString(), QString("back"));
}

void TestMockService::builtinMethodsCanBeDisabled()
{
    QVERIFY(m_mocks->setMethodEnabled("echo", false));
    QCOMPARE(m_mocks->disabledBuiltins(), QStringList{"echo"});
    QCOMPARE(call("echo", QJsonArray{1}).value("error").toObject().value("code").toInt(), -32601);
    QVERIFY(!m_mocks->setMethodEnabled("nope", false));
}

QTEST_GUILESS_MAIN(TestMockService)
#include "tst_mockservice.moc"
