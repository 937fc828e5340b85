// The editor's "Check" beyond syntax: sample arguments for each parameter, the sample calls
// (by name and by position), and the one-line report of running them on the script threads:
// a returned value, a mistake with its line, a deliberate error, the time limit.

#include "mock/ScriptTrial.h"
#include "openrpc/SchemaSampler.h"
#include "script/ScriptHost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace rpcbench;

Q_DECLARE_METATYPE(rpcbench::UserMethod)

namespace {

QJsonValue json(const QByteArray& text)
{
    return QJsonDocument::fromJson("[" + text + "]").array().at(0);
}

ParamInfo param(const QString& name, ParamType type = ParamType::Number)
{
    return ParamInfo{name, type, {}, std::nullopt, false};
}

UserMethod scripted(const QString& name, const QList<ParamInfo>& params, const QString& body)
{
    UserMethod m;
    m.name = name;
    m.params = params;
    m.kind = UserHandlerKind::Script;
    m.script = body;
    return m;
}

QJsonArray samplesFor(const UserMethod& m)
{
    QJsonArray samples;
    for (const ParamInfo& p : m.params)
        samples.append(SchemaSampler::sampleArgument(p));
    return samples;
}

} // namespace

class TestScriptTrial : public QObject
{
    Q_OBJECT
private slots:
    void sampleArgument_data();
    void sampleArgument();
    void sampleCalls_data();
    void sampleCalls();
    void reports_data();
    void reports();
    void runawayScriptHitsTheTimeLimit();
    void newTrialAbandonsTheRunningOne();
    void destroyedWhileRunning();

private:
    ScriptTrialReport runTrial(ScriptTrial& trial, const UserMethod& m);
};

ScriptTrialReport TestScriptTrial::runTrial(ScriptTrial& trial, const UserMethod& m)
{
    QSignalSpy finished(&trial, &ScriptTrial::finished);
    trial.start(m, samplesFor(m));
    if (!finished.wait(10000) || finished.size() != 1)
        return {false, -1, QStringLiteral("test: no report")};
    return finished.first().first().value<ScriptTrialReport>();
}

void TestScriptTrial::sampleArgument_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QJsonValue>("defaultValue"); // Undefined: optional without default; Null: none
    QTest::addColumn<QJsonValue>("expected");
    const QJsonValue none = QJsonValue::Null;
    QTest::newRow("integer") << int(ParamType::Integer) << none << QJsonValue(1);
    QTest::newRow("number") << int(ParamType::Number) << none << QJsonValue(1);
    QTest::newRow("string") << int(ParamType::String) << none << QJsonValue("text");
    QTest::newRow("boolean") << int(ParamType::Boolean) << none << QJsonValue(true);
    QTest::newRow("array") << int(ParamType::Array) << none << QJsonValue(QJsonArray{});
    QTest::newRow("object") << int(ParamType::Object) << none << QJsonValue(QJsonObject{});
    QTest::newRow("any") << int(ParamType::Any) << none << QJsonValue(1);
    QTest::newRow("default wins") << int(ParamType::Integer) << QJsonValue(10) << QJsonValue(10);
    QTest::newRow("string default") << int(ParamType::String) << QJsonValue("Ada") << QJsonValue("Ada");
    QTest::newRow("optional without default")
        << int(ParamType::String) << QJsonValue(QJsonValue::Undefined) << QJsonValue("text");
}

void TestScriptTrial::sampleArgument()
{
    QFETCH(int, type);
    QFETCH(QJsonValue, defaultValue);
    QFETCH(QJsonValue, expected);
    ParamInfo p = param("p", ParamType(type));
    if (!defaultValue.isNull())
        p.defaultValue = defaultValue;
    QCOMPARE(SchemaSampler::sampleArgument(p), expected);
}

void TestScriptTrial::sampleCalls_data()
{
    QTest::addColumn<UserMethod>("method");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("params"); // compact JSON; "" = absent
    QTest::addColumn<QStringList>("bound");
    QTest::newRow("two numbers") << scripted("add", {param("a"), param("b")}, "return a + b;")
                                 << QStringList{"add(a=1, b=1)", "add(1, 1)"}
                                 << QStringList{R"({"a":1,"b":1})", "[1,1]"} << QStringList{"[1,1]", "[1,1]"};
    QTest::newRow("no parameters") << scripted("ping", {}, "return 1;") << QStringList{"ping()"}
                                   << QStringList{""} << QStringList{"[]"};
    ParamInfo xs = param("xs", ParamType::Integer);
    xs.variadic = true;
    QTest::newRow("variadic") << scripted("sum", {param("s", ParamType::String), xs}, "return 1;")
                              << QStringList{R"(sum(s="text", xs=[1]))", R"(sum("text", 1))"}
                              << QStringList{R"({"s":"text","xs":[1]})", R"(["text",1])"}
                              << QStringList{R"(["text",[1]])", R"(["text",[1]])"};
}

void TestScriptTrial::sampleCalls()
{
    QFETCH(UserMethod, method);
    QFETCH(QStringList, labels);
    QFETCH(QStringList, params);
    QFETCH(QStringList, bound);
    const QList<ScriptTrialCall> calls = ScriptTrial::sampleCalls(method, samplesFor(method));
    QCOMPARE(calls.size(), labels.size());
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls[i].label, labels[i]);
        if (params[i].isEmpty())
            QVERIFY(calls[i].params.isUndefined());
        else
            QCOMPARE(calls[i].params, json(params[i].toUtf8()));
        QVERIFY(std::holds_alternative<QJsonArray>(calls[i].bound));
        QCOMPARE(QJsonValue(std::get<QJsonArray>(calls[i].bound)), json(bound[i].toUtf8()));
    }
}

void TestScriptTrial::reports_data()
{
    QTest::addColumn<UserMethod>("method");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("text");
    const QList<ParamInfo> ab{param("a"), param("b")};
    QTest::newRow("returns a sample result") << scripted("add", ab, "return {sum: a + b};") << true << 0
                                             << R"(returns {"sum":2} for add(a=1, b=1) and add(1, 1))";
    QTest::newRow("params as sent differ")
        << scripted("add", ab, "return params;") << true << 0
        << R"(returns {"a":1,"b":1} for add(a=1, b=1); returns [1,1] for add(1, 1))";
    QTest::newRow("undefined name with its line")
        << scripted("add", ab, "var x = a;\n\nreturn foo + x;") << false << 3
        << "ReferenceError: foo is not defined (line 3) for add(a=1, b=1) and add(1, 1)";
    QTest::newRow("params.a fails by position")
        << scripted("add", ab, "return params.a.toFixed(1);") << false << 1
        << R"(returns "1.0" for add(a=1, b=1); TypeError: )"
           R"(Cannot call method 'toFixed' of undefined (line 1) for add(1, 1))";
    QTest::newRow("deliberate error is no failure")
        << scripted("add", ab, "throw {code: -32010, message: 'nope'};") << true << 0
        << "throws error -32010: nope for add(a=1, b=1) and add(1, 1)";
    QTest::newRow("no parameters") << scripted("ping", {}, "return 'pong';") << true << 0
                                   << R"(returns "pong" for ping())";
}

void TestScriptTrial::reports()
{
    QFETCH(UserMethod, method);
    QFETCH(bool, ok);
    QFETCH(int, line);
    QFETCH(QString, text);
    ScriptTrial trial(std::make_shared<ScriptHost>(2));
    const ScriptTrialReport report = runTrial(trial, method);
    QCOMPARE(report.text, text);
    QCOMPARE(report.ok, ok);
    QCOMPARE(report.line, line);
    QVERIFY(!trial.isRunning());
}

void TestScriptTrial::runawayScriptHitsTheTimeLimit()
{
    ScriptTrial trial(std::make_shared<ScriptHost>(2, 200));
    const ScriptTrialReport report = runTrial(trial, scripted("spin", {param("a")}, "while (true) {}"));
    QVERIFY(!report.ok);
    QCOMPARE(report.text, QStringLiteral("script interrupted: it ran longer than its time limit of 200 ms "
                                         "for spin(a=1) and spin(1)"));
}

void TestScriptTrial::newTrialAbandonsTheRunningOne()
{
    // One script thread: the second trial runs after the first's time-limit answer came back.
    ScriptTrial trial(std::make_shared<ScriptHost>(1, 300));
    QSignalSpy finished(&trial, &ScriptTrial::finished);
    trial.start(scripted("m", {}, "while (true) {}"), {});
    QVERIFY(trial.isRunning());
    const UserMethod quick = scripted("m", {}, "return 'second';");
    trial.start(quick, {});
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.size(), 1);
    // The first trial's answer (the time limit) arrived first and was ignored.
    QCOMPARE(finished.first().first().value<ScriptTrialReport>().text,
             QStringLiteral(R"(returns "second" for m())"));
}

void TestScriptTrial::destroyedWhileRunning()
{
    auto host = std::make_shared<ScriptHost>(1, 300);
    auto trial = std::make_unique<ScriptTrial>(host);
    trial->start(scripted("m", {}, "while (true) {}"), {});
    trial.reset();          // the answer that comes later must find nobody, not a dangling object
    ScriptTrial next(host); // queued behind the runaway script on the only thread
    QCOMPARE(runTrial(next, scripted("m", {}, "return 2;")).text, QStringLiteral("returns 2 for m()"));
}

QTEST_GUILESS_MAIN(TestScriptTrial)
#include "tst_scripttrial.moc"
