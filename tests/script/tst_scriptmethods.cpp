// Script methods on a running server: called over loopback like any method, thrown errors
// answered as JSON-RPC errors, a runaway script interrupted while other calls go on, and
// workspaces whose scripts do not compile refused with the line, changing nothing.

#include "DemoServerFixture.h"
#include "SocketProbe.h"

#include "mock/MockService.h"
#include "script/ScriptHost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace rpcbench;

namespace {

UserMethod script(const QString& name, const QStringList& params, const QString& body)
{
    UserMethod m;
    m.name = name;
    for (const QString& p : params)
        m.params.append(ParamInfo{p, ParamType::Any, "", std::nullopt, false});
    m.kind = UserHandlerKind::Script;
    m.script = body;
    return m;
}

QByteArray request(const QString& method, const QJsonValue& params, int id)
{
    const QJsonObject o{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", id}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n";
}

} // namespace

class TestScriptMethods : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void scriptedMethodAnswersOverLoopback();
    void thrownErrorBecomesJsonRpcError();
    void runawayScriptIsInterruptedWhileOthersAreServed();
    void scriptThatDoesNotCompileIsRefusedWithItsLine();
    void workspaceWithBrokenScriptChangesNothing();
    void exampleWorkspaceServesItsScripts();
    void paramsAsSentOverLoopback_data();
    void paramsAsSentOverLoopback();

private:
    QJsonObject call(const QString& method, const QJsonValue& params = QJsonArray{});
    std::unique_ptr<DemoServerFixture> m_server;
    std::shared_ptr<ScriptHost> m_scripts;
    std::unique_ptr<MockService> m_mocks;
};

void TestScriptMethods::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    m_scripts = std::make_shared<ScriptHost>(2, 300);
    m_mocks = std::make_unique<MockService>(m_server->registry, m_scripts);
    QVERIFY(m_server->start());
}

void TestScriptMethods::cleanup()
{
    m_server.reset();
    m_mocks.reset();
    m_scripts.reset();
}

QJsonObject TestScriptMethods::call(const QString& method, const QJsonValue& params)
{
    SocketProbe probe;
    if (!probe.connectTo(m_server->port()))
        return {};
    probe.send(request(method, params, 1));
    const auto replies = probe.waitForJsonLines(1);
    return replies.isEmpty() ? QJsonObject{} : replies.first().toObject();
}

void TestScriptMethods::scriptedMethodAnswersOverLoopback()
{
    QString error;
    QVERIFY2(m_mocks->addMethod(script("mul", {"a", "b"}, "return {product: a * b, args: [a, b]};"), &error),
             qPrintable(error));
    QCOMPARE(call("mul", QJsonArray{6, 7}).value("result"),
             QJsonValue(QJsonObject{{"product", 42}, {"args", QJsonArray{6, 7}}}));
    QCOMPARE(call("mul", QJsonObject{{"b", 2}, {"a", 3}}).value("result").toObject().value("product").toInt(),
             6);
}

void TestScriptMethods::thrownErrorBecomesJsonRpcError()
{
    QString error;
    QVERIFY(m_mocks->addMethod(script("check", {"n"},
                                      "if (n < 0)\n  throw {code: -32010, message: 'negative', "
                                      "data: {n: n}};\nreturn n.foo.bar;"),
                               &error));
    const QJsonObject thrown = call("check", QJsonArray{-1}).value("error").toObject();
    QCOMPARE(thrown.value("code").toInt(), -32010);
    QCOMPARE(thrown.value("message").toString(), QString("negative"));
    QCOMPARE(thrown.value("data"), QJsonValue(QJsonObject{{"n", -1}}));
    const QJsonObject bug = call("check", QJsonArray{1}).value("error").toObject();
    QCOMPARE(bug.value("code").toInt(), -32603);
    QVERIFY2(bug.value("message").toString().contains("TypeError") &&
                 bug.value("message").toString().contains("script line 3"),
             qPrintable(bug.value("message").toString()));
}

void TestScriptMethods::runawayScriptIsInterruptedWhileOthersAreServed()
{
    QString error;
    QVERIFY(m_mocks->addMethod(script("spin", {}, "while (true) {}"), &error));
    QVERIFY(m_mocks->addMethod(script("quick", {}, "return 'quick';"), &error));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(request("spin", QJsonArray{}, 1) + request("quick", QJsonArray{}, 2) +
               request("add", QJsonArray{1, 2}, 3));
    const auto replies = probe.waitForJsonLines(3);
    QCOMPARE(replies.size(), 3);
    // The runaway call answers last, with the time-limit error; the others were not held up.
    QCOMPARE(replies[2].toObject().value("id").toInt(), 1);
    QCOMPARE(replies[2].toObject().value("error").toObject().value("code").toInt(),
             int(ErrorCode::ScriptTimeLimit));
    QVERIFY(
        replies[2].toObject().value("error").toObject().value("message").toString().contains("time limit"));
}

void TestScriptMethods::scriptThatDoesNotCompileIsRefusedWithItsLine()
{
    QString error;
    QVERIFY(!m_mocks->addMethod(script("bad", {"a"}, "var x = a;\n\nreturn x +* 2;"), &error));
    QVERIFY2(error.startsWith("script line 3: SyntaxError"), qPrintable(error));
    QVERIFY(!m_server->registry->find("bad"));
    QCOMPARE(call("bad").value("error").toObject().value("code").toInt(), -32601);
}

void TestScriptMethods::workspaceWithBrokenScriptChangesNothing()
{
    QString error;
    QVERIFY(m_mocks->addMethod(script("keep", {}, "return 'kept';"), &error));
    Workspace w;
    w.methods = {script("fine", {}, "return 1;"), script("broken", {"a"}, "return a;\n}\n")};
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.rpcbench.json");
    QVERIFY(w.save(path, &error));
    QVERIFY(!m_mocks->readWorkspace(path, &error));
    QVERIFY2(error.contains("methods[1] 'broken': script line 2: SyntaxError"), qPrintable(error));
    QCOMPARE(m_mocks->methods().size(), 1);
    QCOMPARE(call("keep").value("result").toString(), QString("kept"));
    QCOMPARE(call("fine").value("error").toObject().value("code").toInt(), -32601);
}

void TestScriptMethods::exampleWorkspaceServesItsScripts()
{
    QString error;
    const auto w =
        m_mocks->readWorkspace(RPCBENCH_SOURCE_DIR "/resources/examples/mock-service.rpcbench.json", &error);
    QVERIFY2(w, qPrintable(error));
    m_mocks->apply(*w);
    QCOMPARE(call("greet", QJsonObject{{"name", "Ada"}}).value("result").toString(), QString("Hello, Ada!"));
    QCOMPARE(call("order.total", QJsonArray{QJsonArray{}}).value("error").toObject().value("code").toInt(),
             -32010);
}

// The dispatcher hands the params as sent to script methods: `params` next to the bound
// variables, for calls by name, by position and without params.
void TestScriptMethods::paramsAsSentOverLoopback_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QJsonValue>("expected");
    const auto sent = [](const char* params) {
        return QByteArray(R"({"jsonrpc":"2.0","method":"add2",)") + params + R"("id":1})" + "\n";
    };
    QTest::newRow("by name") << sent(R"("params":{"a":1,"b":2},)")
                             << QJsonValue(
                                    QJsonObject{{"viaParams", 3}, {"viaNames", 3}, {"kind", "object"}});
    QTest::newRow("by position") << sent(R"("params":[4,5],)")
                                 << QJsonValue(QJsonObject{{"viaNames", 9}, {"kind", "array"}});
    QTest::newRow("absent") << sent("") << QJsonValue(QJsonObject{{"viaNames", 0}, {"kind", "undefined"}});
}

void TestScriptMethods::paramsAsSentOverLoopback()
{
    QFETCH(QByteArray, message);
    QFETCH(QJsonValue, expected);
    UserMethod m = script("add2", {"a", "b"},
                          "var kind = Array.isArray(params) ? 'array' : typeof params;\n"
                          "var out = {viaNames: a + b, kind: kind};\n"
                          "if (kind === 'object') out.viaParams = params.a + params.b;\n"
                          "return out;");
    m.params[0].defaultValue = QJsonValue(0);
    m.params[1].defaultValue = QJsonValue(0);
    QString error;
    QVERIFY2(m_mocks->addMethod(m, &error), qPrintable(error));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(message);
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().toObject().value("result"), expected);
}

QTEST_GUILESS_MAIN(TestScriptMethods)
#include "tst_scriptmethods.moc"
