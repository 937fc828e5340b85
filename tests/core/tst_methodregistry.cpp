// MethodRegistry: def()/defAsync() type mapping and conversions, exception mapping,
// add/replace/remove/enable, change notifications, and concurrent use.

#include "dispatch/MethodRegistry.h"

#include <QSignalSpy>
#include <QTest>

#include <QDeadlineTimer>
#include <stdexcept>
#include <thread>

using namespace rpcbench;

// QCOMPARE cannot print rpcbench enums (ADL finds rpcbench::toString, which returns QString),
// so enums are compared by name.
#define COMPARE_TYPE(a, b) QCOMPARE(rpcbench::toString(a), rpcbench::toString(b))

namespace {

// Runs a method's handler synchronously (all handlers here answer before returning).
RpcResult callNow(const MethodRegistry& registry, const QString& name, const QJsonArray& args)
{
    auto method = registry.find(name);
    if (!method)
        return RpcResult::failure(ErrorCode::MethodNotFound, QStringLiteral("absent"));
    std::optional<RpcResult> out;
    method->handler(args, [&out](RpcResult r) { out = std::move(r); });
    return out.value_or(RpcResult::failure(0, QStringLiteral("no answer")));
}

} // namespace

class TestMethodRegistry : public QObject
{
    Q_OBJECT
private slots:
    void defMapsTypes();
    void defKeepsDeclarations();
    void defConverts_data();
    void defConverts();
    void exceptionsBecomeErrors_data();
    void exceptionsBecomeErrors();
    void defAsyncAnswersLater();
    void defAsyncThrowBeforeAnswer();
    void addReplaceRemove();
    void setEnabledKeepsHandlerAndStats();
    void updateInfo();
    void concurrentFindAndAdd();
};

void TestMethodRegistry::defMapsTypes()
{
    MethodRegistry r;
    r.def(
        "typed",
        [](qint64, int, double, const QString&, bool, QJsonArray, const QJsonObject&, QJsonValue) {
            return 1.5;
        },
        "doc", arg("i64"), arg("i"), arg("d"), arg("s"), arg("b"), arg("arr"), arg("obj"), arg("any"));
    const MethodInfo info = r.find("typed")->info;
    const QList<ParamType> expected{ParamType::Integer, ParamType::Integer, ParamType::Number,
                                    ParamType::String,  ParamType::Boolean, ParamType::Array,
                                    ParamType::Object,  ParamType::Any};
    QCOMPARE(info.params.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        COMPARE_TYPE(info.params[i].type, expected[i]);
    COMPARE_TYPE(info.resultType, ParamType::Number);

    r.def(
        "s", [] { return QString(); }, "doc");
    COMPARE_TYPE(r.find("s")->info.resultType, ParamType::String);
    r.def(
        "v", [] {}, "doc");
    COMPARE_TYPE(r.find("v")->info.resultType, ParamType::Any);
    r.def(
        "o", [] { return QJsonObject(); }, "doc");
    COMPARE_TYPE(r.find("o")->info.resultType, ParamType::Object);
    QVERIFY(r.find("o")->syncHandler); // def() methods take the synchronous fast path
}

int plainFunction(int a, int b)
{
    return a * b;
}

void TestMethodRegistry::defKeepsDeclarations()
{
    MethodRegistry r;
    r.def(
        "add", [](double a, double b, double c) { return a + b + c; }, "Adds three numbers",
        arg("a").doc("first"), arg("b"), arg("c") = 10);
    const MethodInfo info = r.find("add")->info;
    QCOMPARE(info.name, QString("add"));
    QCOMPARE(info.description, QString("Adds three numbers"));
    QCOMPARE(info.params[0].name, QString("a"));
    QCOMPARE(info.params[0].description, QString("first"));
    QVERIFY(info.params[0].isRequired());
    QVERIFY(!info.params[2].isRequired());
    QCOMPARE(*info.params[2].defaultValue, QJsonValue(10));
    QCOMPARE(info.signature(), QString("add(a: number, b: number, c: number = 10) -> number"));

    r.def("mul", &plainFunction, "function pointer", arg("a"), arg("b"));
    QCOMPARE(callNow(r, "mul", {6, 7}).value, QJsonValue(42));
}

void TestMethodRegistry::defConverts_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonArray>("args");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("qint64 big") << "i64" << QJsonArray{qint64(9007199254740993LL)}
                                << QJsonValue(qint64(9007199254740994LL));
    QTest::newRow("int from 3.0") << "int" << QJsonArray{3.0} << QJsonValue(6);
    QTest::newRow("double") << "double" << QJsonArray{1.25} << QJsonValue(2.5);
    QTest::newRow("string") << "string" << QJsonArray{"ab"} << QJsonValue("abab");
    QTest::newRow("bool") << "bool" << QJsonArray{true} << QJsonValue(false);
    QTest::newRow("array") << "array" << QJsonArray{QJsonArray{1, 2}} << QJsonValue(2);
    QTest::newRow("object") << "object" << QJsonArray{QJsonObject{{"k", 1}}} << QJsonValue(QJsonArray{"k"});
    QTest::newRow("void") << "void" << QJsonArray{} << QJsonValue(QJsonValue::Null);
    QTest::newRow("absent optional") << "optional" << QJsonArray{} << QJsonValue("undefined");
    QTest::newRow("given optional") << "optional" << QJsonArray{QJsonValue::Null} << QJsonValue("null");
}

void TestMethodRegistry::defConverts()
{
    QFETCH(QString, method);
    QFETCH(QJsonArray, args);
    QFETCH(QJsonValue, expected);
    MethodRegistry r;
    r.def(
        "i64", [](qint64 v) { return v + 1; }, "", arg("v"));
    r.def(
        "int", [](int v) { return v * 2; }, "", arg("v"));
    r.def(
        "double", [](double v) { return v * 2; }, "", arg("v"));
    r.def(
        "string", [](QString v) { return v + v; }, "", arg("v"));
    r.def(
        "bool", [](bool v) { return !v; }, "", arg("v"));
    r.def(
        "array", [](const QJsonArray& v) { return qint64(v.size()); }, "", arg("v"));
    r.def(
        "object", [](const QJsonObject& v) { return QJsonArray::fromStringList(v.keys()); }, "", arg("v"));
    r.def(
        "void", [] {}, "");
    r.def(
        "optional",
        [](const QJsonValue& v) { return v.isUndefined() ? QString("undefined") : QString("null"); }, "",
        arg("v") = QJsonValue(QJsonValue::Undefined));
    const RpcResult result = callNow(r, method, args);
    QVERIFY2(result.ok, qPrintable(result.error.message));
    QCOMPARE(result.value, expected);
    if (method == "i64")
        QCOMPARE(result.value.toInteger(), Q_INT64_C(9007199254740994));
}

void TestMethodRegistry::exceptionsBecomeErrors_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonArray>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QJsonValue>("data");
    QTest::newRow("RpcException") << "rpc" << QJsonArray{} << -32050 << "custom" << QJsonValue(QJsonArray{1});
    QTest::newRow("std::exception") << "std" << QJsonArray{} << ErrorCode::InternalError << "it broke"
                                    << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("unknown") << "other" << QJsonArray{} << ErrorCode::InternalError
                             << "unknown exception in handler" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("int out of range")
        << "int" << QJsonArray{qint64(1) << 40} << ErrorCode::InvalidParams
        << "parameter 'n' is out of range for a 32-bit integer" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("RpcResult failure")
        << "result" << QJsonArray{} << 7 << "seven" << QJsonValue(QJsonValue::Undefined);
}

void TestMethodRegistry::exceptionsBecomeErrors()
{
    QFETCH(QString, method);
    QFETCH(QJsonArray, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QJsonValue, data);
    MethodRegistry r;
    r.def(
        "rpc", []() -> int { throw RpcException(-32050, "custom", QJsonArray{1}); }, "");
    r.def(
        "std", []() -> int { throw std::runtime_error("it broke"); }, "");
    r.def(
        "other", []() -> int { throw 42; }, "");
    r.def(
        "int", [](int n) { return n; }, "", arg("n"));
    r.def(
        "result", [] { return RpcResult::failure(7, "seven"); }, "");
    const RpcResult result = callNow(r, method, args);
    QVERIFY(!result.ok);
    QCOMPARE(result.error.code, code);
    QCOMPARE(result.error.message, message);
    QCOMPARE(result.error.data, data);
}

void TestMethodRegistry::defAsyncAnswersLater()
{
    MethodRegistry r;
    Responder kept;
    r.defAsync(
        "later",
        [&kept](qint64 n, Responder done) {
            kept = [done, n](RpcResult) { done(RpcResult::success(n * 2)); };
        },
        "doc", arg("n"));
    const auto method = r.find("later");
    QVERIFY(!method->syncHandler);
    QCOMPARE(method->info.params.size(), 1);
    COMPARE_TYPE(method->info.params[0].type, ParamType::Integer);
    std::optional<RpcResult> out;
    method->handler({21}, [&out](RpcResult res) { out = std::move(res); });
    QVERIFY(!out);
    kept(RpcResult());
    QVERIFY(out);
    QCOMPARE(out->value, QJsonValue(42));
}

void TestMethodRegistry::defAsyncThrowBeforeAnswer()
{
    MethodRegistry r;
    r.defAsync(
        "boom", [](Responder) { throw RpcException(-32011, "nope"); }, "doc");
    const RpcResult result = callNow(r, "boom", {});
    QVERIFY(!result.ok);
    QCOMPARE(result.error.code, -32011);
}

void TestMethodRegistry::addReplaceRemove()
{
    MethodRegistry r;
    QSignalSpy changed(&r, &MethodRegistry::methodsChanged);
    r.def(
        "b", [] { return 1; }, "one");
    r.def(
        "a", [] { return 2; }, "two");
    QCOMPARE(changed.count(), 2);
    QCOMPARE(r.names(), QStringList({"a", "b"}));
    QCOMPARE(r.methods().first().name, QString("a"));

    auto stats = r.find("b")->stats;
    stats->calls = 5;
    r.def(
        "b", [] { return 3; }, "replaced");
    QCOMPARE(changed.count(), 3);
    QCOMPARE(r.find("b")->info.description, QString("replaced"));
    QCOMPARE(callNow(r, "b", {}).value, QJsonValue(3));
    QCOMPARE(r.find("b")->stats->calls.load(), 5u); // figures survive a replacement

    QVERIFY(r.remove("b"));
    QVERIFY(!r.remove("b"));
    QCOMPARE(changed.count(), 4);
    QVERIFY(!r.find("b"));
    QCOMPARE(r.names(), QStringList({"a"}));
}

void TestMethodRegistry::setEnabledKeepsHandlerAndStats()
{
    MethodRegistry r;
    r.def(
        "m", [] { return 1; }, "doc");
    const auto before = r.find("m");
    QSignalSpy changed(&r, &MethodRegistry::methodsChanged);
    QVERIFY(r.setEnabled("m", false));
    QVERIFY(!r.setEnabled("absent", false));
    QCOMPARE(changed.count(), 1);
    const auto after = r.find("m");
    QVERIFY(!after->info.enabled);
    QVERIFY(before->info.enabled); // published methods are never mutated
    QCOMPARE(after->stats, before->stats);
    QVERIFY(after->syncHandler);
    QVERIFY(r.setEnabled("m", true));
    QVERIFY(r.find("m")->info.enabled);
}

void TestMethodRegistry::updateInfo()
{
    MethodRegistry r;
    r.def(
        "m", [] { return 1; }, "doc");
    QVERIFY(r.setResultDescription("m", "one"));
    QVERIFY(r.updateInfo("m", [](MethodInfo& info) { info.builtin = false; }));
    QCOMPARE(r.find("m")->info.resultDescription, QString("one"));
    QVERIFY(!r.find("m")->info.builtin);
    QCOMPARE(callNow(r, "m", {}).value, QJsonValue(1));
}

void TestMethodRegistry::concurrentFindAndAdd()
{
    MethodRegistry r;
    r.def(
        "stable", [] { return 1; }, "doc");
    std::atomic<bool> stop{false};
    std::atomic<int> lookups{0};
    std::atomic<int> found{0};
    std::thread reader([&] {
        while (!stop.load()) {
            if (r.find("stable"))
                ++found;
            ++lookups;
        }
    });
    // Start writing only once the reader runs, and keep writing until it has
    // done plenty of lookups, so the two really overlap on a slow machine.
    QDeadlineTimer deadline(10000);
    while (lookups.load() == 0 && !deadline.hasExpired())
        std::this_thread::yield();
    for (int i = 0; i < 2000 || (lookups.load() < 20000 && !deadline.hasExpired()); ++i) {
        r.def(
            QString("m%1").arg(i % 50), [] { return 1; }, "doc");
        r.setEnabled("stable", i % 2 == 0);
    }
    r.setEnabled("stable", true);
    const int before = found.load();
    while (found.load() == before && !deadline.hasExpired())
        std::this_thread::yield();
    stop = true;
    reader.join();
    QVERIFY2(found.load() > before, "reader never saw the re-enabled method");
    QVERIFY(lookups.load() >= 20000);
    QCOMPARE(r.names().size(), 51);
}

QTEST_GUILESS_MAIN(TestMethodRegistry)
#include "tst_methodregistry.moc"
