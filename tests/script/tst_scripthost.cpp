// The JavaScript bridge of user-defined methods: values both ways, thrown errors, syntax
// errors with their line, the time limit, isolation from files/network, and threading.

#include "script/ScriptHost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace rpcbench;

namespace {

// Collects one answer from a script thread.
struct Answer
{
    QMutex mutex;
    std::optional<RpcResult> result;
    QThread* thread = nullptr;

    Responder responder()
    {
        return [this](RpcResult r) {
            QMutexLocker lock(&mutex);
            result = std::move(r);
            thread = QThread::currentThread();
        };
    }
    bool arrived()
    {
        QMutexLocker lock(&mutex);
        return result.has_value();
    }
};

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

ScriptFunction fn(const QString& body, const QStringList& params = {},
                  const QString& name = QStringLiteral("m"))
{
    return ScriptFunction{name, params, body};
}

} // namespace

class TestScriptHost : public QObject
{
    Q_OBJECT
private slots:
    void valuesBothWays_data();
    void valuesBothWays();
    void thrownErrors_data();
    void thrownErrors();
    void syntaxErrorsNameTheLine_data();
    void syntaxErrorsNameTheLine();
    void syntaxErrorAtCallTime();
    void checkRunsNothing();
    void runawayScriptIsInterrupted();
    void noFileProcessOrNetworkApis();
    void dynamicImportIsRejected();
    void slowScriptDoesNotBlockOthers();
    void runsOffTheCallingThread();
    void overwrittenGlobalsDoNotBreakLaterCalls();
    void editedBodyIsRecompiled();
    void paramsAsSent_data();
    void paramsAsSent();

private:
    RpcResult call(ScriptHost& host, const ScriptFunction& f, const QJsonArray& args = {},
                   int timeoutMs = 5000);
    RpcResult call(ScriptHost& host, const ScriptFunction& f, const QJsonArray& args,
                   const QJsonValue& params);
};

RpcResult TestScriptHost::call(ScriptHost& host, const ScriptFunction& f, const QJsonArray& args,
                               int timeoutMs)
{
    Answer answer;
    host.run(f, args, answer.responder());
    if (!QTest::qWaitFor([&] { return answer.arrived(); }, timeoutMs))
        return RpcResult::failure(0, QStringLiteral("test: no answer"));
    return *answer.result;
}

RpcResult TestScriptHost::call(ScriptHost& host, const ScriptFunction& f, const QJsonArray& args,
                               const QJsonValue& params)
{
    Answer answer;
    host.run(f, args, params, answer.responder());
    if (!QTest::qWaitFor([&] { return answer.arrived(); }, 5000))
        return RpcResult::failure(0, QStringLiteral("test: no answer"));
    return *answer.result;
}

void TestScriptHost::valuesBothWays_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("integer") << "return a * 2;"
                             << "[21]"
                             << "42";
    QTest::newRow("fraction") << "return a / 4;"
                              << "[1]"
                              << "0.25";
    QTest::newRow("negative") << "return -a;"
                              << "[7]"
                              << "-7";
    QTest::newRow("string unicode") << "return a + '!';"
                                    << R"(["h\u00e9llo \u2603"])"
                                    << R"("h\u00e9llo \u2603!")";
    QTest::newRow("boolean") << "return !a;"
                             << "[false]"
                             << "true";
    QTest::newRow("null in") << "return a === null;"
                             << "[null]"
                             << "true";
    QTest::newRow("array in") << "return Array.isArray(a) && a.length;"
                              << "[[1,2,3]]"
                              << "3";
    QTest::newRow("object in") << "return a.x.y[1];"
                               << R"([{"x":{"y":[5,6]}}])"
                               << "6";
    QTest::newRow("typeof each") << "return [typeof a, typeof b, typeof c, typeof d];"
                                 << R"([1, "s", true, {}])"
                                 << R"(["number","string","boolean","object"])";
    QTest::newRow("missing is undefined") << "return b === undefined;"
                                          << "[1]"
                                          << "true";
    QTest::newRow("object out") << "return {sum: a + b, list: [a, b], nested: {ok: true}};"
                                << "[1, 2]"
                                << R"({"sum":3,"list":[1,2],"nested":{"ok":true}})";
    QTest::newRow("undefined out is null") << "return undefined;"
                                           << "[]"
                                           << "null";
    QTest::newRow("no return is null") << "var x = 1;"
                                       << "[]"
                                       << "null";
    QTest::newRow("NaN out is null") << "return NaN;"
                                     << "[]"
                                     << "null";
    QTest::newRow("date out is ISO") << "return new Date(0);"
                                     << "[]"
                                     << R"("1970-01-01T00:00:00.000Z")";
    QTest::newRow("function out is null") << "return function () {};"
                                          << "[]"
                                          << "null";
    QTest::newRow("arguments") << "return arguments.length;"
                               << "[1, 2, 3]"
                               << "3";
}

void TestScriptHost::valuesBothWays()
{
    QFETCH(QString, body);
    QFETCH(QString, args);
    QFETCH(QString, expected);
    ScriptHost host;
    const RpcResult r =
        call(host, fn(body, {"a", "b", "c", "d"}), QJsonDocument::fromJson(args.toUtf8()).array());
    QVERIFY2(r.ok, qPrintable(r.error.message));
    QCOMPARE(r.value, json(expected.toUtf8()));
}

void TestScriptHost::thrownErrors_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("messageContains");
    QTest::addColumn<QString>("data"); // empty = no data member
    QTest::newRow("object with code/message/data")
        << "throw {code: -32010, message: 'no such user', data: {id: 7}};" << -32010 << "no such user"
        << R"({"id":7})";
    QTest::newRow("object without data") << "throw {code: 42, message: 'x'};" << 42 << "x"
                                         << "";
    QTest::newRow("code without message") << "throw {code: -32011};" << -32011 << "script error"
                                          << "";
    QTest::newRow("Error keeps a code")
        << "var e = new Error('teapot'); e.code = 418; throw e;" << 418 << "teapot"
        << "";
    QTest::newRow("plain Error names its line")
        << "var a = 1;\nthrow new Error('boom');" << -32603 << "Error: boom (script line 2)"
        << R"({"line":2})";
    QTest::newRow("TypeError names its line")
        << "var x = null;\n\nreturn x.foo;" << -32603
        << "TypeError: Cannot read property 'foo' of null (script line 3)"
        << R"({"line":3})";
    QTest::newRow("ReferenceError") << "return notDefined + 1;" << -32603 << "ReferenceError"
                                    << R"({"line":1})";
    QTest::newRow("thrown string") << "throw 'plain text';" << -32603 << "plain text"
                                   << "";
    QTest::newRow("stack overflow") << "function f() { return f() + 1; }\nreturn f();" << -32603
                                    << "RangeError"
                                    << "";
}

void TestScriptHost::thrownErrors()
{
    QFETCH(QString, body);
    QFETCH(int, code);
    QFETCH(QString, messageContains);
    QFETCH(QString, data);
    ScriptHost host;
    const RpcResult r = call(host, fn(body));
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, code);
    QVERIFY2(r.error.message.contains(messageContains), qPrintable(r.error.message));
    if (!data.isEmpty())
        QCOMPARE(r.error.data, json(data.toUtf8()));
    else if (QTest::currentDataTag() != QByteArray("stack overflow"))
        QVERIFY(r.error.data.isUndefined());
}

void TestScriptHost::syntaxErrorsNameTheLine_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("line"); // 0 = compiles
    QTest::newRow("valid") << "var x = a + 1;\nreturn x;" << 0;
    QTest::newRow("bad operator line 2") << "var x = 1;\nreturn a +* b;" << 2;
    QTest::newRow("bad token line 4") << "var x = 1;\n\n\nif (a { return 1; }" << 4;
    QTest::newRow("unclosed brace") << "if (a) {\n  return 1;" << 1;
    QTest::newRow("stray closing brace") << "return a;\n}\n" << 2;
    QTest::newRow("closes the function early") << "return 1; }); while (true) {} (function () {" << 1;
    QTest::newRow("module import") << "import x from 'y';" << 1;
}

void TestScriptHost::syntaxErrorsNameTheLine()
{
    QFETCH(QString, body);
    QFETCH(int, line);
    ScriptHost host;
    const auto problem = host.check(fn(body, {"a", "b"}));
    if (line == 0) {
        QVERIFY2(!problem, problem ? qPrintable(problem->toString()) : "");
        return;
    }
    QVERIFY(problem);
    QCOMPARE(problem->line, line);
    QVERIFY2(problem->toString().startsWith(QStringLiteral("line %1: ").arg(line)),
             qPrintable(problem->toString()));
    QVERIFY2(problem->message.contains("SyntaxError"), qPrintable(problem->message));
}

void TestScriptHost::syntaxErrorAtCallTime()
{
    ScriptHost host;
    const RpcResult r = call(host, fn("var x = 1;\nreturn a +* b;", {"a", "b"}), {1, 2});
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, -32603);
    QVERIFY2(r.error.message.contains("line 2"), qPrintable(r.error.message));
}

void TestScriptHost::checkRunsNothing()
{
    // A body that would loop forever if any of it ran; the check must come back at once.
    ScriptHost host;
    const auto problem = host.check(fn("}); while (true) {} (function () {"));
    QVERIFY(problem);
    QVERIFY(!host.check(fn("while (true) {}"))); // valid, and still not run
}

void TestScriptHost::runawayScriptIsInterrupted()
{
    ScriptHost host(1, 200);
    QCOMPARE(host.timeLimitMs(), 200);
    const RpcResult r = call(host, fn("while (true) {}"));
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, int(ErrorCode::ScriptTimeLimit));
    QVERIFY2(r.error.message.contains("200 ms"), qPrintable(r.error.message));
    // The same (only) thread and engine serve the next call normally.
    const RpcResult next = call(host, fn("return a + 1;", {"a"}), {1});
    QVERIFY2(next.ok, qPrintable(next.error.message));
    QCOMPARE(next.value.toInt(), 2);
}

void TestScriptHost::noFileProcessOrNetworkApis()
{
    ScriptHost host;
    const QStringList names = {"require",   "XMLHttpRequest", "fetch",    "Qt",      "console",
                               "print",     "load",           "readFile", "process", "importScripts",
                               "WebSocket", "QFile",          "gc"};
    QString body = "return [";
    for (const QString& n : names)
        body += QStringLiteral("typeof %1, ").arg(n);
    body += "];";
    const RpcResult r = call(host, fn(body));
    QVERIFY2(r.ok, qPrintable(r.error.message));
    const QJsonArray types = r.value.toArray();
    QCOMPARE(types.size(), names.size());
    for (int i = 0; i < names.size(); ++i)
        QVERIFY2(types.at(i).toString() == "undefined",
                 qPrintable(names.at(i) + " is " + types.at(i).toString()));
    // Qt.openUrlExternally and friends need the Qt object, which is absent.
    const RpcResult qt = call(host, fn("return Qt.openUrlExternally('file:///etc/passwd');"));
    QVERIFY(!qt.ok);
    QVERIFY2(qt.error.message.contains("ReferenceError"), qPrintable(qt.error.message));
}

void TestScriptHost::dynamicImportIsRejected()
{
    ScriptHost host;
    QVERIFY(host.check(fn("return import('/etc/passwd');")));
    const RpcResult r = call(host, fn("return import('/etc/passwd');"));
    QVERIFY(!r.ok);
    QVERIFY2(r.error.message.contains("does not compile"), qPrintable(r.error.message));
}

void TestScriptHost::slowScriptDoesNotBlockOthers()
{
    ScriptHost host(2, 20'000);
    // The slow script spins until the test says stop, so no timing is assumed.
    Answer slow;
    host.run(fn("var end = Date.now() + 15000; while (Date.now() < end) {} return 'slow';"), {},
             slow.responder());
    Answer fast;
    host.run(fn("return 'fast';"), {}, fast.responder());
    QTRY_VERIFY_WITH_TIMEOUT(fast.arrived(), 10000);
    QVERIFY(!slow.arrived());
    QCOMPARE(fast.result->value.toString(), QString("fast"));
    // Leaving the scope destroys the host: the slow script is interrupted, not waited for.
}

void TestScriptHost::runsOffTheCallingThread()
{
    ScriptHost host;
    Answer a;
    host.run(fn("return 1;"), {}, a.responder());
    QTRY_VERIFY(a.arrived());
    QVERIFY(a.thread != nullptr);
    QVERIFY(a.thread != QThread::currentThread());
}

void TestScriptHost::overwrittenGlobalsDoNotBreakLaterCalls()
{
    ScriptHost host(1);
    QVERIFY(call(host, fn("JSON = null; Reflect = null; Function = null; Error = null; return 1;")).ok);
    const RpcResult r = call(host, fn("return {a: [a]};", {"a"}), {5});
    QVERIFY2(r.ok, qPrintable(r.error.message));
    QCOMPARE(r.value, json(R"({"a":[5]})"));
    const RpcResult e = call(host, fn("throw {code: 7, message: 'still works'};"));
    QCOMPARE(e.error.code, 7);
}

void TestScriptHost::editedBodyIsRecompiled()
{
    ScriptHost host(1);
    QCOMPARE(call(host, fn("return 1;", {}, "same")).value.toInt(), 1);
    QCOMPARE(call(host, fn("return 2;", {}, "same")).value.toInt(), 2);
    QCOMPARE(call(host, fn("return a;", {"a"}, "same"), {3}).value.toInt(), 3);
}

// `params` is the whole params value as sent, next to the parameters as variables; a parameter
// or a declaration called params hides it, and `arguments` is still the bound arguments.
void TestScriptHost::paramsAsSent_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("args");   // bound, as the binder makes them
    QTest::addColumn<QString>("params"); // as sent; empty = absent
    QTest::addColumn<QString>("expected");
    const QStringList ab{"a", "b"};
    QTest::newRow("by name") << ab << "return params.a + params.b;"
                             << "[1, 2]"
                             << R"({"b": 2, "a": 1})"
                             << "3";
    QTest::newRow("by position") << ab << "return [Array.isArray(params), params[0], params.length];"
                                 << "[5, 6]"
                                 << "[5, 6]"
                                 << "[true, 5, 2]";
    QTest::newRow("absent") << QStringList{} << "return [typeof params, params === undefined];"
                            << "[]"
                            << ""
                            << R"(["undefined", true])";
    QTest::newRow("null") << QStringList{} << "return params;"
                          << "[]"
                          << "null"
                          << "null";
    QTest::newRow("named variables too") << ab << "return {sum: a + b, sent: params};"
                                         << "[1, 2]"
                                         << R"({"a": 1, "b": 2})"
                                         << R"({"sum": 3, "sent": {"a": 1, "b": 2}})";
    QTest::newRow("defaults bound, params as sent") << ab << "return [b, params.b === undefined];"
                                                    << "[1, 10]"
                                                    << R"({"a": 1})"
                                                    << "[10, true]";
    QTest::newRow("parameter called params") << QStringList{"params"} << "return params;"
                                             << "[7]"
                                             << "[7]"
                                             << "7";
    QTest::newRow("own let params") << ab << "let params = 'mine';\nreturn params + a;"
                                    << "[1, 2]"
                                    << "[1, 2]"
                                    << R"("mine1")";
    QTest::newRow("arguments unchanged") << ab << "return arguments.length;"
                                         << "[1]"
                                         << R"({"a": 1})"
                                         << "1";
    QTest::newRow("line of a mistake") << ab << "var x = 1;\nreturn params.a.b.c;"
                                       << "[1, 2]"
                                       << "[1, 2]"
                                       << "line 2";
}

void TestScriptHost::paramsAsSent()
{
    QFETCH(QStringList, names);
    QFETCH(QString, body);
    QFETCH(QString, args);
    QFETCH(QString, params);
    QFETCH(QString, expected);
    ScriptHost host(1);
    const QJsonValue sent = params.isEmpty() ? QJsonValue(QJsonValue::Undefined) : json(params.toUtf8());
    const RpcResult r = call(host, fn(body, names), json(args.toUtf8()).toArray(), sent);
    if (expected.startsWith("line ")) {
        QVERIFY(!r.ok);
        QVERIFY2(r.error.message.startsWith("TypeError") &&
                     r.error.message.endsWith(QStringLiteral("(script %1)").arg(expected)),
                 qPrintable(r.error.message));
        return;
    }
    QVERIFY2(r.ok, qPrintable(r.error.message));
    QCOMPARE(r.value, json(expected.toUtf8()));
}

QTEST_GUILESS_MAIN(TestScriptHost)
#include "tst_scripthost.moc"
