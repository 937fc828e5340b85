// Binding rules (Python-style) and the parameter type checks they rely on.

#include "dispatch/Binder.h"

#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

namespace {

ParamInfo param(const QString& name, ParamType type, std::optional<QJsonValue> def = std::nullopt,
                bool variadic = false)
{
    return ParamInfo{name, type, QString(), std::move(def), variadic};
}

MethodInfo method(const QString& name)
{
    MethodInfo m;
    m.name = name;
    if (name == QLatin1String("add")) {
        m.params = {param("a", ParamType::Number), param("b", ParamType::Number),
                    param("c", ParamType::Number, 10)};
    } else if (name == QLatin1String("sum")) {
        m.params = {param("numbers", ParamType::Number, std::nullopt, true)};
    } else if (name == QLatin1String("fail")) {
        m.params = {param("code", ParamType::Integer), param("message", ParamType::String),
                    param("data", ParamType::Any, QJsonValue(QJsonValue::Undefined))};
    } else if (name == QLatin1String("typed")) {
        m.params = {param("s", ParamType::String, ""), param("b", ParamType::Boolean, false),
                    param("arr", ParamType::Array, QJsonArray()),
                    param("obj", ParamType::Object, QJsonObject()),
                    param("any", ParamType::Any, QJsonValue::Null)};
    } else if (name == QLatin1String("prefix")) {
        m.params = {param("first", ParamType::String), param("rest", ParamType::Any, std::nullopt, true)};
    } else if (name == QLatin1String("mock")) {
        m.builtin = false; // a user method declaring no parameters
    }
    return m;
}

QJsonArray array(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).array();
}

QJsonObject object(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestBinder : public QObject
{
    Q_OBJECT
private slots:
    void bind_data();
    void bind();
    void bigIntegerStaysExact();
    void fastPathSharesArray();
    void checkListsEveryProblem_data();
    void checkListsEveryProblem();
    void valueMatches_data();
    void valueMatches();
    void signature_data();
    void signature();
};

void TestBinder::bind_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("positional");
    QTest::addColumn<QByteArray>("named");
    QTest::addColumn<QByteArray>("expectedArgs"); // empty when an error is expected
    QTest::addColumn<QString>("expectedError");

    auto ok = [](const char* tag, const char* m, const char* pos, const char* named, const char* args) {
        QTest::newRow(tag) << QString::fromLatin1(m) << QByteArray(pos) << QByteArray(named)
                           << QByteArray(args) << QString();
    };
    auto bad = [](const char* tag, const char* m, const char* pos, const char* named, const char* error) {
        QTest::newRow(tag) << QString::fromLatin1(m) << QByteArray(pos) << QByteArray(named) << QByteArray()
                           << QString::fromUtf8(error);
    };

    ok("all positional", "add", "[1,2,3]", "{}", "[1,2,3]");
    ok("default fills", "add", "[1,2]", "{}", "[1,2,10]");
    ok("by name", "add", "[]", R"({"b":2,"a":1})", "[1,2,10]");
    ok("by name overrides default", "add", "[]", R"({"c":0,"b":2,"a":1})", "[1,2,0]");
    ok("positional then named", "add", "[1]", R"({"c":3,"b":2})", "[1,2,3]");
    bad("missing one", "add", "[1]", "{}", "missing required parameter 'b'");
    bad("missing two", "add", "[]", "{}", "missing required parameters 'a' and 'b'");
    bad("missing by name", "add", "[]", R"({"a":1})", "missing required parameter 'b'");
    bad("unexpected name", "add", "[]", R"({"a":1,"b":2,"x":3})", "unexpected parameter 'x'");
    bad("given twice", "add", "[1,2]", R"({"a":5})", "parameter 'a' given twice (by position and by name)");
    bad("too many positional", "add", "[1,2,3,4]", "{}",
        "too many positional parameters: add takes at most 3, got 4");
    bad("string for number", "add", R"(["1",2])", "{}", "parameter 'a' must be a number, got string");
    bad("bool by name", "add", "[]", R"({"a":1,"b":true})", "parameter 'b' must be a number, got boolean");
    bad("null for number", "add", "[null,2]", "{}", "parameter 'a' must be a number, got null");
    bad("default slot wrong type", "add", "[1,2,[3]]", "{}", "parameter 'c' must be a number, got array");

    ok("integer accepts 3.0", "fail", R"([3.0,"m"])", "{}", R"([3,"m"])");
    bad("integer rejects 3.5", "fail", R"([3.5,"m"])", "{}",
        "parameter 'code' must be an integer, got number");
    bad("integer rejects 1e300", "fail", R"([1e300,"m"])", "{}",
        "parameter 'code' must be an integer, got number");
    ok("absent optional left out", "fail", R"([1,"m"])", "{}", R"([1,"m"])");
    ok("optional given", "fail", R"([1,"m",{"x":1}])", "{}", R"([1,"m",{"x":1}])");
    ok("optional given null", "fail", "[]", R"({"code":1,"message":"m","data":null})", R"([1,"m",null])");

    ok("variadic collects", "sum", "[1,2,4]", "{}", "[[1,2,4]]");
    ok("variadic empty", "sum", "[]", "{}", "[[]]");
    ok("variadic by name", "sum", "[]", R"({"numbers":[1,2]})", "[[1,2]]");
    bad("variadic item type", "sum", R"([1,"x"])", "{}",
        "parameter 'numbers[1]' must be a number, got string");
    bad("variadic by name not array", "sum", "[]", R"({"numbers":5})",
        "parameter 'numbers' must be an array, got integer");
    bad("variadic twice", "sum", "[1]", R"({"numbers":[2]})",
        "parameter 'numbers' given twice (by position and by name)");
    ok("variadic after fixed", "prefix", R"(["a",1,"b",null])", "{}", R"(["a",[1,"b",null]])");
    ok("variadic after fixed, none", "prefix", R"(["a"])", "{}", R"(["a",[]])");

    ok("typed defaults", "typed", "[]", "{}", R"(["",false,[],{},null])");
    bad("string given number", "typed", "[1]", "{}", "parameter 's' must be a string, got integer");
    bad("boolean given string", "typed", R"(["", "true"])", "{}",
        "parameter 'b' must be a boolean, got string");
    bad("array given object", "typed", "[]", R"({"arr":{}})", "parameter 'arr' must be an array, got object");
    bad("object given array", "typed", "[]", R"({"obj":[]})", "parameter 'obj' must be an object, got array");
    ok("any takes anything", "typed", "[]", R"({"any":{"deep":[1,2]}})",
       R"(["",false,[],{},{"deep":[1,2]}])");
    // A built-in method without parameters takes none; a user method declaring none takes any.
    bad("built-in takes none", "nothing", "[1]", "{}",
        "too many positional parameters: nothing takes at most 0, got 1");
    bad("built-in takes no names", "nothing", "[]", R"({"items":[]})", "unexpected parameter 'items'");
    ok("user method declaring none takes names", "mock", "[]", R"({"items":[{"section":"x"}]})", "[]");
    ok("user method declaring none takes positions", "mock", "[1,2]", "{}", "[]");
}

void TestBinder::bind()
{
    QFETCH(QString, method);
    QFETCH(QByteArray, positional);
    QFETCH(QByteArray, named);
    QFETCH(QByteArray, expectedArgs);
    QFETCH(QString, expectedError);

    const auto result = Binder::bind(::method(method), array(positional), object(named));
    if (expectedArgs.isEmpty()) {
        QVERIFY2(std::holds_alternative<RpcError>(result), "expected a binding error");
        const RpcError& error = std::get<RpcError>(result);
        QCOMPARE(error.code, ErrorCode::InvalidParams);
        QCOMPARE(error.message, expectedError);
    } else {
        if (auto* error = std::get_if<RpcError>(&result))
            QFAIL(qPrintable(error->message));
        QCOMPARE(QJsonDocument(std::get<QJsonArray>(result)), QJsonDocument(array(expectedArgs)));
    }
}

void TestBinder::bigIntegerStaysExact()
{
    MethodInfo m;
    m.name = QStringLiteral("echo");
    m.params = {param("value", ParamType::Any), param("n", ParamType::Integer, 0)};
    const auto result = Binder::bind(m, array("[9007199254740993]"), object(R"({"n":9007199254740995})"));
    QVERIFY(std::holds_alternative<QJsonArray>(result));
    const QJsonArray args = std::get<QJsonArray>(result);
    QCOMPARE(args.at(0).toInteger(), Q_INT64_C(9007199254740993));
    QCOMPARE(args.at(1).toInteger(), Q_INT64_C(9007199254740995));
}

void TestBinder::fastPathSharesArray()
{
    // All-positional calls must not copy their arguments (hot path).
    const QJsonArray in = array("[1,2,3]");
    const auto result = Binder::bind(method("add"), in, {});
    QVERIFY(std::holds_alternative<QJsonArray>(result));
    QCOMPARE(std::get<QJsonArray>(result), in);
}

// check() goes on where bind() stops: every problem, in bind()'s order and words.
void TestBinder::checkListsEveryProblem_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("params"); // empty: absent
    QTest::addColumn<QStringList>("problems");
    QTest::newRow("fine by position") << "add" << QByteArray("[1,2]") << QStringList{};
    QTest::newRow("fine by name") << "add" << QByteArray(R"({"a":1,"b":2})") << QStringList{};
    QTest::newRow("variadic by name") << "sum" << QByteArray(R"({"numbers":[1,2]})") << QStringList{};
    QTest::newRow("absent") << "add" << QByteArray()
                            << QStringList{"missing required parameters 'a' and 'b'"};
    QTest::newRow("null") << "sum" << QByteArray("null") << QStringList{};
    QTest::newRow("two wrong types") << "add" << QByteArray(R"(["1",2,true])")
                                     << QStringList{"parameter 'a' must be a number, got string",
                                                    "parameter 'c' must be a number, got boolean"};
    QTest::newRow("too many and wrong type")
        << "add" << QByteArray(R"([1,"2",3,4])")
        << QStringList{"too many positional parameters: add takes at most 3, got 4",
                       "parameter 'b' must be a number, got string"};
    QTest::newRow("unknown, missing, wrong type")
        << "add" << QByteArray(R"({"a":"x","zz":1})")
        << QStringList{"unexpected parameter 'zz'", "missing required parameter 'b'",
                       "parameter 'a' must be a number, got string"};
    QTest::newRow("variadic items") << "sum" << QByteArray(R"([1,"x"])")
                                    << QStringList{"parameter 'numbers[1]' must be a number, got string"};
    QTest::newRow("scalar") << "add" << QByteArray("5")
                            << QStringList{"params must be an array (by position) or an object (by name)"};
}

void TestBinder::checkListsEveryProblem()
{
    QFETCH(QString, method);
    QFETCH(QByteArray, params);
    QFETCH(QStringList, problems);
    const QJsonValue value = params.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                              : QJsonDocument::fromJson("[" + params + "]").array().at(0);
    QCOMPARE(Binder::check(::method(method), value), problems);
    // bind() answers with the first of them.
    if (!problems.isEmpty() && (value.isArray() || value.isObject())) {
        const auto result = Binder::bind(::method(method), value.toArray(), value.toObject());
        QVERIFY(std::holds_alternative<RpcError>(result));
        QCOMPARE(std::get<RpcError>(result).message, problems.first());
    }
}

void TestBinder::valueMatches_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("value"); // one-element JSON array
    QTest::addColumn<bool>("matches");
    QTest::newRow("integer 3") << int(ParamType::Integer) << QByteArray("[3]") << true;
    QTest::newRow("integer 3.0") << int(ParamType::Integer) << QByteArray("[3.0]") << true;
    QTest::newRow("integer -0") << int(ParamType::Integer) << QByteArray("[-0]") << true;
    QTest::newRow("integer 3.5") << int(ParamType::Integer) << QByteArray("[3.5]") << false;
    QTest::newRow("integer max") << int(ParamType::Integer) << QByteArray("[9223372036854775807]") << true;
    QTest::newRow("integer 1e19") << int(ParamType::Integer) << QByteArray("[1e19]") << false;
    QTest::newRow("integer string") << int(ParamType::Integer) << QByteArray(R"(["3"])") << false;
    QTest::newRow("number 3.5") << int(ParamType::Number) << QByteArray("[3.5]") << true;
    QTest::newRow("number bool") << int(ParamType::Number) << QByteArray("[true]") << false;
    QTest::newRow("string") << int(ParamType::String) << QByteArray(R"([""])") << true;
    QTest::newRow("string null") << int(ParamType::String) << QByteArray("[null]") << false;
    QTest::newRow("boolean") << int(ParamType::Boolean) << QByteArray("[false]") << true;
    QTest::newRow("boolean 0") << int(ParamType::Boolean) << QByteArray("[0]") << false;
    QTest::newRow("array") << int(ParamType::Array) << QByteArray("[[]]") << true;
    QTest::newRow("object") << int(ParamType::Object) << QByteArray("[{}]") << true;
    QTest::newRow("object array") << int(ParamType::Object) << QByteArray("[[]]") << false;
    QTest::newRow("any null") << int(ParamType::Any) << QByteArray("[null]") << true;
}

void TestBinder::valueMatches()
{
    QFETCH(int, type);
    QFETCH(QByteArray, value);
    QFETCH(bool, matches);
    QCOMPARE(rpcbench::valueMatches(ParamType(type), array(value).at(0)), matches);
}

void TestBinder::signature_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("expected");
    QTest::newRow("add") << "add"
                         << "add(a: number, b: number, c: number = 10) -> any";
    QTest::newRow("sum") << "sum"
                         << "sum(...numbers: number) -> any";
    QTest::newRow("fail") << "fail"
                          << "fail(code: integer, message: string, data?: any) -> any";
    QTest::newRow("typed")
        << "typed"
        << R"(typed(s: string = "", b: boolean = false, arr: array = [], obj: object = {}, any: any = null) -> any)";
}

void TestBinder::signature()
{
    QFETCH(QString, method);
    QFETCH(QString, expected);
    QCOMPARE(::method(method).signature(), expected);
}

QTEST_GUILESS_MAIN(TestBinder)
#include "tst_binder.moc"
