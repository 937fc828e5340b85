// The demo service and the introspection methods, called through the dispatcher, plus the
// OpenRPC document (shape, defaults, round trip back into MethodInfo).

#include "DispatchHarness.h"
#include "dispatch/DemoService.h"
#include "dispatch/OpenRpcDocument.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using namespace rpcbench;
using namespace rpcbench::test;

class TestDemoService : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void calls_data();
    void calls();
    void nowIsCurrentUtc();
    void blobHasExactSize_data();
    void blobHasExactSize();
    void sleepRangeChecked();
    void everyMethodIsDocumented();
    void listMethods();
    void methodSignatureAndHelp();
    void discoverDocument();
    void openRpcRoundTrip();

private:
    QJsonValue result(const QByteArray& method, const QByteArray& params = "[]");
    QJsonObject error(const QByteArray& method, const QByteArray& params);

    std::unique_ptr<DispatchHarness> m_harness;
};

void TestDemoService::init()
{
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    m_harness = std::make_unique<DispatchHarness>(registry);
}

QJsonValue TestDemoService::result(const QByteArray& method, const QByteArray& params)
{
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params +
                                     R"(,"id":1})");
    if (!QTest::qWaitFor([&] { return out->calls == 1; }))
        return QJsonValue::Undefined;
    const QJsonObject reply = parsed(out->reply.bytes).object();
    if (reply.contains("error"))
        qWarning("%s", out->reply.bytes.constData());
    return reply.value("result");
}

QJsonObject TestDemoService::error(const QByteArray& method, const QByteArray& params)
{
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params +
                                     R"(,"id":1})");
    if (!QTest::qWaitFor([&] { return out->calls == 1; }))
        return {};
    return parsed(out->reply.bytes).object().value("error").toObject();
}

void TestDemoService::calls_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QByteArray>("expected"); // {"result": ...} or {"error": {...}}
    auto row = [](const char* tag, const char* method, const char* params, const char* expected) {
        QTest::newRow(tag) << QByteArray(method) << QByteArray(params) << QByteArray(expected);
    };
    row("add default", "add", "[1,2]", R"({"result":13})");
    row("add three", "add", "[1,2,3]", R"({"result":6})");
    row("add by name", "add", R"({"a":0.5,"b":0.25,"c":0})", R"({"result":0.75})");
    row("echo object", "echo", R"([{"a":[1,"x",null,true]}])", R"({"result":{"a":[1,"x",null,true]}})");
    row("echo null", "echo", "[null]", R"({"result":null})");
    row("echo string", "echo", R"({"value":"h\u00e9 \"q\""})", R"({"result":"h\u00e9 \"q\""})");
    row("echo missing", "echo", "[]",
        R"({"error":{"code":-32602,"message":"missing required parameter 'value'"}})");
    row("sleep", "sleep", "[1]", R"({"result":1})");
    row("sleep zero", "sleep", R"({"ms":0})", R"({"result":0})");
    row("fail with data", "fail", R"([-32099,"custom",[1,2]])",
        R"({"error":{"code":-32099,"message":"custom","data":[1,2]}})");
    row("fail null data", "fail", R"([-1,"m",null])", R"({"error":{"code":-1,"message":"m","data":null}})");
    row("fail without data", "fail", R"({"code":-32000,"message":"plain"})",
        R"({"error":{"code":-32000,"message":"plain"}})");
    row("fail code too big", "fail", R"([4294967296,"m"])",
        R"({"error":{"code":-32602,"message":"parameter 'code' is out of range for a 32-bit integer"}})");
    row("blob too big", "blob", "[67108865]",
        R"({"error":{"code":-32602,"message":"parameter 'size' must be between 0 and 67108864 (64 MiB), got 67108865"}})");
    row("blob negative", "blob", "[-1]",
        R"({"error":{"code":-32602,"message":"parameter 'size' must be between 0 and 67108864 (64 MiB), got -1"}})");
    row("subtract", "subtract", "[42,23]", R"({"result":19})");
    row("subtract by name", "subtract", R"({"subtrahend":23,"minuend":42})", R"({"result":19})");
    row("sum", "sum", "[1,2,4]", R"({"result":7})");
    row("sum none", "sum", "[]", R"({"result":0})");
    row("sum fractions", "sum", "[0.5,0.25]", R"({"result":0.75})");
    row("notify_sum", "notify_sum", "[1,2,4]", R"({"result":7})");
    row("update", "update", "[1,2,3,4,5]", R"({"result":null})");
    row("notify_hello", "notify_hello", "[7]", R"({"result":null})");
    row("get_data", "get_data", "[]", R"({"result":["hello",5]})");
    row("get_data extra", "get_data", "[1]",
        R"({"error":{"code":-32602,"message":"too many positional parameters: get_data takes at most 0, got 1"}})");
}

void TestDemoService::calls()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, params);
    QFETCH(QByteArray, expected);
    const auto out = m_harness->send(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params +
                                     R"(,"id":1})");
    QTRY_COMPARE(out->calls, 1);
    QJsonObject reply = parsed(out->reply.bytes).object();
    reply.remove("jsonrpc");
    reply.remove("id");
    QCOMPARE(QJsonDocument(reply), parsed(expected));
}

void TestDemoService::nowIsCurrentUtc()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QString now = result("now").toString();
    const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1);
    static const QRegularExpression iso(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
    QVERIFY2(iso.match(now).hasMatch(), qPrintable(now));
    const QDateTime parsedNow = QDateTime::fromString(now, Qt::ISODateWithMs);
    QVERIFY(parsedNow >= before && parsedNow <= after);
}

void TestDemoService::blobHasExactSize_data()
{
    QTest::addColumn<int>("size");
    for (int size : {0, 1, 35, 36, 37, 1000, 1 << 20})
        QTest::newRow(qPrintable(QString::number(size))) << size;
}

void TestDemoService::blobHasExactSize()
{
    QFETCH(int, size);
    const auto out = m_harness->send(
        QString(R"({"jsonrpc":"2.0","method":"blob","params":[%1],"id":1})").arg(size).toUtf8());
    QCOMPARE(out->calls, 1);
    const QString blob = parsed(out->reply.bytes).object().value("result").toString();
    QCOMPARE(blob.toUtf8().size(), size);
    if (size > 36)
        QCOMPARE(blob.left(37), QString("0123456789abcdefghijklmnopqrstuvwxyz0"));
}

void TestDemoService::sleepRangeChecked()
{
    QCOMPARE(error("sleep", "[600001]").value("code").toInt(), ErrorCode::InvalidParams);
    QCOMPARE(error("sleep", "[-5]").value("message").toString(),
             QString("parameter 'ms' must be between 0 and 600000 ms, got -5"));
    QCOMPARE(error("sleep", "[1.5]").value("message").toString(),
             QString("parameter 'ms' must be an integer, got number"));
}

void TestDemoService::everyMethodIsDocumented()
{
    const QList<MethodInfo> methods = m_harness->registry().methods();
    QVERIFY(methods.size() >= 16);
    for (const MethodInfo& m : methods) {
        QVERIFY2(!m.description.isEmpty(), qPrintable(m.name));
        for (const ParamInfo& p : m.params)
            QVERIFY2(!p.description.isEmpty(), qPrintable(m.name + "." + p.name));
    }
}

void TestDemoService::listMethods()
{
    QStringList names;
    for (const QJsonValue& v : result("system.listMethods").toArray())
        names << v.toString();
    const QStringList expected{"add",
                               "blob",
                               "echo",
                               "fail",
                               "get_data",
                               "notify_hello",
                               "notify_sum",
                               "now",
                               "rpc.discover",
                               "sleep",
                               "subtract",
                               "sum",
                               "system.listMethods",
                               "system.methodHelp",
                               "system.methodSignature",
                               "update"};
    QCOMPARE(names, expected);
    m_harness->registry().setEnabled("blob", false);
    QVERIFY(!result("system.listMethods").toArray().contains(QJsonValue("blob")));
}

void TestDemoService::methodSignatureAndHelp()
{
    QCOMPARE(result("system.methodSignature", R"(["add"])"),
             QJsonValue(QJsonArray{QJsonArray{"number", "number", "number", "number"}}));
    QCOMPARE(result("system.methodSignature", R"({"method_name":"now"})"),
             QJsonValue(QJsonArray{QJsonArray{"string"}}));
    QCOMPARE(result("system.methodHelp", R"(["add"])"), QJsonValue("Adds three numbers: a + b + c."));
    QCOMPARE(error("system.methodHelp", R"(["nope"])").value("message").toString(),
             QString("unknown method 'nope'"));
    QCOMPARE(error("system.methodSignature", "[]").value("code").toInt(), ErrorCode::InvalidParams);
}

void TestDemoService::discoverDocument()
{
    const QJsonObject doc = result("rpc.discover").toObject();
    QCOMPARE(doc, m_harness->dispatcher().openRpcDocument());
    QCOMPARE(doc.value("openrpc").toString(), QString("1.2.6"));
    QCOMPARE(doc.value("info").toObject().value("title").toString(), QString("rpcbench"));
    QVERIFY(!doc.value("info").toObject().value("version").toString().isEmpty());

    QJsonObject add, sum, fail;
    QStringList names;
    for (const QJsonValue& v : doc.value("methods").toArray()) {
        const QJsonObject m = v.toObject();
        names << m.value("name").toString();
        // A variadic method takes its array by name only (by position the items are spread).
        const bool variadic =
            QStringList{"sum", "notify_sum", "update", "notify_hello"}.contains(names.last());
        QCOMPARE(m.value("paramStructure").toString(), QString(variadic ? "by-name" : "either"));
        QVERIFY(m.contains("result") && m.contains("params") && m.contains("description") &&
                m.contains("summary"));
        if (names.last() == "add")
            add = m;
        else if (names.last() == "sum")
            sum = m;
        else if (names.last() == "fail")
            fail = m;
    }
    QVERIFY(!names.contains("rpc.discover")); // implied by the OpenRPC specification
    QVERIFY(names.contains("system.listMethods"));

    const QJsonArray addParams = add.value("params").toArray();
    QCOMPARE(addParams.size(), 3);
    const QJsonObject c = addParams.at(2).toObject();
    QCOMPARE(c.value("name").toString(), QString("c"));
    QCOMPARE(c.value("required").toBool(true), false);
    QCOMPARE(c.value("schema").toObject(), QJsonObject({{"type", "number"}, {"default", 10}}));
    QCOMPARE(c.value("description").toString(), QString("Third addend"));
    QCOMPARE(addParams.at(0).toObject().value("required").toBool(), true);
    QCOMPARE(add.value("result").toObject().value("schema").toObject(), QJsonObject({{"type", "number"}}));
    QCOMPARE(add.value("result").toObject().value("name").toString(), QString("result"));

    const QJsonObject numbers = sum.value("params").toArray().at(0).toObject();
    QCOMPARE(numbers.value("schema").toObject().value("type").toString(), QString("array"));
    QVERIFY(numbers.value("x-variadic").toBool());

    const QJsonObject data = fail.value("params").toArray().at(2).toObject();
    QCOMPARE(data.value("required").toBool(true), false);
    QVERIFY(!data.value("schema").toObject().contains("default")); // optional, no default
}

void TestDemoService::openRpcRoundTrip()
{
    const QList<MethodInfo> methods = m_harness->registry().methods();
    QString problem;
    const QList<MethodInfo> back = OpenRpcDocument::parse(OpenRpcDocument::build(methods), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(back.size(), methods.size() - 1); // without rpc.discover
    for (const MethodInfo& b : back) {
        const auto original = std::find_if(methods.begin(), methods.end(),
                                           [&](const MethodInfo& m) { return m.name == b.name; });
        QVERIFY(original != methods.end());
        QCOMPARE(b.signature(), original->signature());
        QCOMPARE(b.description, original->description);
        QCOMPARE(b.resultDescription, original->resultDescription);
        for (qsizetype i = 0; i < b.params.size(); ++i) {
            QCOMPARE(b.params[i].description, original->params[i].description);
            QCOMPARE(b.params[i].isRequired(), original->params[i].isRequired());
        }
    }
    QVERIFY(OpenRpcDocument::parse(QJsonObject{{"nothing", 1}}, &problem).isEmpty());
    QVERIFY(!problem.isEmpty());
    QVERIFY(!OpenRpcDocument::methodFromJson(QJsonObject{{"params", QJsonArray()}}, &problem));
}

QTEST_GUILESS_MAIN(TestDemoService)
#include "tst_demoservice.moc"
