// Dispatcher, protocol side: every example of JSON-RPC 2.0 section 7 verbatim, the 1.0 and
// classic dialects, malformed input, big integers, deep nesting and message summaries.
// Asynchronous behaviour is in tst_dispatcherasync.cpp.

#include "DispatchHarness.h"
#include "dispatch/DemoService.h"
#include "traffic/SummarizeMessage.h"

#include <QTest>

using namespace rpcbench;
using namespace rpcbench::test;

#define COMPARE_NAME(a, b) QCOMPARE(rpcbench::toString(a), rpcbench::toString(b))

class TestDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void specExamples_data();
    void specExamples();
    void replies_data();
    void replies();
    void repliesAreCompactAndSynchronous();
    void bigIntegers_data();
    void bigIntegers();
    void deepNesting_data();
    void deepNesting();
    void disabledMethodIsNotFound();
    void errorReply_data();
    void errorReply();
    void summaries_data();
    void summaries();
    void summarizeMessage_data();
    void summarizeMessage();

private:
    std::unique_ptr<DispatchHarness> m_harness;
};

void TestDispatcher::init()
{
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    m_harness = std::make_unique<DispatchHarness>(registry);
}

// Checks that `request` is answered exactly once with `expected` (empty: no reply).
static void expectReply(DispatchHarness& harness, const QByteArray& request, const QByteArray& expected)
{
    const auto out = harness.send(request);
    QTRY_COMPARE(out->calls, 1);
    if (expected.isEmpty()) {
        QVERIFY2(out->reply.bytes.isEmpty(), out->reply.bytes.constData());
        return;
    }
    QCOMPARE(parsed(out->reply.bytes), parsed(expected));
}

void TestDispatcher::specExamples_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expected"); // empty = the server must not reply

    // https://www.jsonrpc.org/specification, section 7, verbatim.
    QTest::newRow("positional 1")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})")
        << QByteArray(R"({"jsonrpc": "2.0", "result": 19, "id": 1})");
    QTest::newRow("positional 2")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2})")
        << QByteArray(R"({"jsonrpc": "2.0", "result": -19, "id": 2})");
    QTest::newRow("named 1")
        << QByteArray(
               R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})")
        << QByteArray(R"({"jsonrpc": "2.0", "result": 19, "id": 3})");
    QTest::newRow("named 2")
        << QByteArray(
               R"({"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4})")
        << QByteArray(R"({"jsonrpc": "2.0", "result": 19, "id": 4})");
    QTest::newRow("notification update")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]})") << QByteArray();
    QTest::newRow("notification foobar")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar"})") << QByteArray();
    QTest::newRow("non-existent method")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar", "id": "1"})")
        << QByteArray(
               R"({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"})");
    QTest::newRow("invalid JSON")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])")
        << QByteArray(
               R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})");
    QTest::newRow("invalid Request object")
        << QByteArray(R"({"jsonrpc": "2.0", "method": 1, "params": "bar"})")
        << QByteArray(
               R"({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null})");
    QTest::newRow("batch, invalid JSON")
        << QByteArray(
               "[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
               "  {\"jsonrpc\": \"2.0\", \"method\"\n]")
        << QByteArray(
               R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})");
    QTest::newRow("empty array")
        << QByteArray("[]")
        << QByteArray(
               R"({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null})");
    QTest::newRow("invalid batch, not empty")
        << QByteArray("[1]")
        << QByteArray(
               R"([{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}])");
    QTest::newRow("invalid batch") << QByteArray("[1,2,3]") << QByteArray(R"([
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
])");
    QTest::newRow("batch") << QByteArray(R"([
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"} 
    ])") << QByteArray(R"([
        {"jsonrpc": "2.0", "result": 7, "id": "1"},
        {"jsonrpc": "2.0", "result": 19, "id": "2"},
        {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
        {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
        {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ])");
    QTest::newRow("batch, all notifications") << QByteArray(R"([
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ])") << QByteArray();
}

void TestDispatcher::specExamples()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expected);
    expectReply(*m_harness, request, expected);
}

void TestDispatcher::replies_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expected"); // empty = no reply

    const QByteArray invalidNull =
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null})";
    const QByteArray parseError =
        R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null})";
    auto row = [](const char* tag, const QByteArray& request, const QByteArray& expected) {
        QTest::newRow(tag) << request << expected;
    };

    // JSON-RPC 2.0 details.
    row("id null is a call", R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":null})",
        R"({"jsonrpc":"2.0","result":1,"id":null})");
    row("fractional id echoed", R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":1.5})",
        R"({"jsonrpc":"2.0","result":1,"id":1.5})");
    row("object id", R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":{"a":1}})", invalidNull);
    row("array id", R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":[1]})", invalidNull);
    row("bool id", R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":true})", invalidNull);
    row("lone surrogates echoed", R"({"jsonrpc":"2.0","method":"echo","params":["a\ud800b"],"id":"\udc00"})",
        R"({"jsonrpc":"2.0","result":"a\ud800b","id":"\udc00"})");
    row("surrogate pair and control chars",
        R"({"jsonrpc":"2.0","method":"echo","params":["\ud83d\ude00\u0001\ud800"],"id":1})",
        "{\"jsonrpc\":\"2.0\",\"result\":\"\xF0\x9F\x98\x80\\u0001\\ud800\",\"id\":1}");
    row("wrong version", R"({"jsonrpc":"1.0","method":"echo","params":[1],"id":7})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":7})");
    row("numeric version", R"({"jsonrpc":2.0,"method":"echo","id":7})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":7})");
    row("params string", R"({"jsonrpc":"2.0","method":"echo","params":"bar","id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":1})");
    row("params null", R"({"jsonrpc":"2.0","method":"echo","params":null,"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":1})");
    row("no method", R"({"jsonrpc":"2.0","id":"x"})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":"x"})");
    row("a response sent to the server", R"({"jsonrpc":"2.0","result":1,"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":1})");
    row("unknown object", R"({"foo":"boo"})", invalidNull);
    row("missing parameter", R"({"jsonrpc":"2.0","method":"add","params":[1],"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"missing required parameter 'b'"},"id":1})");
    row("unexpected parameter", R"({"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2,"x":3},"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"unexpected parameter 'x'"},"id":1})");
    row("too many", R"({"jsonrpc":"2.0","method":"add","params":[1,2,3,4],"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"too many positional parameters: add takes at most 3, got 4"},"id":1})");
    row("wrong type", R"({"jsonrpc":"2.0","method":"add","params":["1",2],"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"parameter 'a' must be a number, got string"},"id":1})");
    row("handler error with data",
        R"({"jsonrpc":"2.0","method":"fail","params":[-32000,"boom",{"x":1}],"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"boom","data":{"x":1}},"id":1})");
    row("handler error without data",
        R"({"jsonrpc":"2.0","method":"fail","params":{"code":5,"message":"m"},"id":1})",
        R"({"jsonrpc":"2.0","error":{"code":5,"message":"m"},"id":1})");
    row("failing notification", R"({"jsonrpc":"2.0","method":"fail","params":[1,"x"]})", QByteArray());
    row("bad params notification", R"({"jsonrpc":"2.0","method":"add","params":["x"]})", QByteArray());
    row("whitespace around", " \r\n\t{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}\n\n",
        R"({"jsonrpc":"2.0","result":["hello",5],"id":1})");
    row("batch of calls with null id", R"([{"jsonrpc":"2.0","method":"echo","params":["a"],"id":null}])",
        R"([{"jsonrpc":"2.0","result":"a","id":null}])");
    row("batch elements are 2.0", R"([{"method":"echo","params":["a"],"id":1}])",
        R"([{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":1}])");

    // Not a request at all.
    row("scalar number", "1", invalidNull);
    row("scalar string", R"("x")", invalidNull);
    row("scalar null", "null", invalidNull);
    row("scalar true", " true ", invalidNull);
    row("empty message", "", parseError);
    row("only whitespace", "  \n", parseError);
    row("garbage after", R"({"jsonrpc":"2.0","method":"echo","id":1} x)", parseError);
    row("two values", "[1] [2]", parseError);
    row("truncated", R"({"jsonrpc":"2.0","method":)", parseError);
    row("invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\xff\xfe\"],\"id\":1}",
        parseError);

    // JSON-RPC 1.0.
    row("1.0 result", R"({"method":"add","params":[1,2],"id":1})", R"({"result":13,"error":null,"id":1})");
    row("1.0 no params", R"({"method":"get_data","id":2})", R"({"result":["hello",5],"error":null,"id":2})");
    row("1.0 any id", R"({"method":"echo","params":[5],"id":{"a":1}})",
        R"({"result":5,"error":null,"id":{"a":1}})");
    row("1.0 error", R"({"method":"nope","params":[],"id":"x"})",
        R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":"x"})");
    row("1.0 binding error", R"({"method":"add","params":["x",1],"id":3})",
        R"({"result":null,"error":{"code":-32602,"message":"parameter 'a' must be a number, got string"},"id":3})");
    row("1.0 params object", R"({"method":"add","params":{"a":1,"b":2},"id":1})",
        R"({"result":null,"error":{"code":-32600,"message":"Invalid Request"},"id":1})");
    row("1.0 missing id", R"({"method":"add","params":[1,2]})",
        R"({"result":null,"error":{"code":-32600,"message":"Invalid Request"},"id":null})");
    row("1.0 notification", R"({"method":"add","params":[1,2],"id":null})", QByteArray());
    row("1.0 failing notification", R"({"method":"nope","params":[],"id":null})", QByteArray());

    // Classic.
    row("classic args and kwargs", R"({"method_name":"add","method_args":[1,2],"method_kwargs":{"c":3}})",
        R"({"res":6})");
    row("classic kwargs only", R"({"method_name":"subtract","method_kwargs":{"subtrahend":2,"minuend":5}})",
        R"({"res":3})");
    row("classic no args", R"({"method_name":"get_data"})", R"({"res":["hello",5]})");
    row("classic given twice", R"({"method_name":"add","method_args":[1,2],"method_kwargs":{"a":3}})",
        R"j({"error":{"code":-32602,"message":"parameter 'a' given twice (by position and by name)"}})j");
    row("classic not found", R"({"method_name":"nope"})",
        R"({"error":{"code":-32601,"message":"Method not found"}})");
    row("classic args not array", R"({"method_name":"add","method_args":{"a":1}})",
        R"({"error":{"code":-32600,"message":"Invalid Request"}})");
    row("classic kwargs not object", R"({"method_name":"add","method_kwargs":[1]})",
        R"({"error":{"code":-32600,"message":"Invalid Request"}})");
    row("classic name not string", R"({"method_name":5})",
        R"({"error":{"code":-32600,"message":"Invalid Request"}})");
    row("classic error data", R"({"method_name":"fail","method_args":[-32000,"x",[1]]})",
        R"({"error":{"code":-32000,"message":"x","data":[1]}})");
}

void TestDispatcher::replies()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expected);
    expectReply(*m_harness, request, expected);
}

void TestDispatcher::repliesAreCompactAndSynchronous()
{
    const auto out = m_harness->send(R"({"jsonrpc": "2.0", "method": "get_data", "id": 1})");
    QCOMPARE(out->calls, 1);
    QVERIFY(out->synchronous); // the fast path: no queued hop for synchronous handlers
    QCOMPARE(out->reply.bytes, QByteArray(R"({"jsonrpc":"2.0","result":["hello",5],"id":1})"));
}

void TestDispatcher::bigIntegers_data()
{
    QTest::addColumn<QByteArray>("number");
    QTest::newRow("2^53 + 1") << QByteArray("9007199254740993");
    QTest::newRow("-(2^53 + 1)") << QByteArray("-9007199254740993");
    QTest::newRow("int64 max") << QByteArray("9223372036854775807");
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808");
}

void TestDispatcher::bigIntegers()
{
    QFETCH(QByteArray, number);
    for (const char* format : {R"({"jsonrpc":"2.0","method":"echo","params":[%1],"id":%1})",
                               R"({"method":"echo","params":[%1],"id":%1})",
                               R"({"method_name":"echo","method_kwargs":{"value":%1}})"}) {
        const auto out = m_harness->send(QByteArray(format).replace("%1", number));
        QCOMPARE(out->calls, 1);
        QVERIFY2(out->reply.bytes.contains(":" + number + ",") ||
                     out->reply.bytes.contains(":" + number + "}"),
                 out->reply.bytes.constData());
        QVERIFY2(!out->reply.bytes.contains("error\":{"), out->reply.bytes.constData());
    }
}

void TestDispatcher::deepNesting_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("code"); // 0 = success
    const auto nested = [](int depth) {
        return R"({"jsonrpc":"2.0","method":"echo","params":[)" + QByteArray(depth, '[') +
               QByteArray(depth, ']') + R"(],"id":1})";
    };
    QTest::newRow("100000 [") << QByteArray(100000, '[') << ErrorCode::ParseError;
    QTest::newRow("100000 balanced") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                     << ErrorCode::ParseError;
    QTest::newRow("510 levels") << nested(510) << 0; // + object + params = 512
    QTest::newRow("511 levels") << nested(511) << ErrorCode::ParseError;
    QTest::newRow("brackets in a string")
        << R"({"jsonrpc":"2.0","method":"echo","params":[")" + QByteArray(5000, '[') + R"(\"[{"],"id":1})"
        << 0;
}

void TestDispatcher::deepNesting()
{
    QFETCH(QByteArray, request);
    QFETCH(int, code);
    const auto out = m_harness->send(request);
    QCOMPARE(out->calls, 1);
    const QJsonObject reply = parsed(out->reply.bytes).object();
    QCOMPARE(reply.value("error").toObject().value("code").toInt(), code);
    if (code)
        QCOMPARE(reply.value("id"), QJsonValue(QJsonValue::Null));
}

void TestDispatcher::disabledMethodIsNotFound()
{
    const QByteArray call = R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})";
    QVERIFY(m_harness->registry().setEnabled("add", false));
    expectReply(*m_harness, call,
                R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1})");
    QVERIFY(m_harness->registry().setEnabled("add", true));
    expectReply(*m_harness, call, R"({"jsonrpc":"2.0","result":13,"id":1})");
    // Methods added after the dispatcher was made are callable at once.
    m_harness->registry().def(
        "late", [] { return 1; }, "doc");
    expectReply(*m_harness, R"({"jsonrpc":"2.0","method":"late","id":2})",
                R"({"jsonrpc":"2.0","result":1,"id":2})");
}

void TestDispatcher::errorReply_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("2.0") << int(Dialect::JsonRpc2)
                         << QByteArray(
                                R"({"jsonrpc":"2.0","error":{"code":-32001,"message":"too big"},"id":null})");
    QTest::newRow("1.0") << int(Dialect::JsonRpc1)
                         << QByteArray(
                                R"({"result":null,"error":{"code":-32001,"message":"too big"},"id":null})");
    QTest::newRow("classic") << int(Dialect::Classic)
                             << QByteArray(R"({"error":{"code":-32001,"message":"too big"}})");
}

void TestDispatcher::errorReply()
{
    QFETCH(int, dialect);
    QFETCH(QByteArray, expected);
    const DispatchReply reply =
        Dispatcher::errorReply(Dialect(dialect), ErrorCode::MessageTooLarge, "too big");
    QCOMPARE(parsed(reply.bytes), parsed(expected));
    COMPARE_NAME(reply.summary.kind, MessageKind::Error);
    QCOMPARE(reply.summary.errorCode, ErrorCode::MessageTooLarge);
}

void TestDispatcher::summaries_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("idJson");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("replyKind");
    QTest::addColumn<int>("replyErrorCode");
    QTest::addColumn<int>("replyBatchSize");
    const int request = int(MessageKind::Request), notification = int(MessageKind::Notification);
    const int batch = int(MessageKind::Batch), invalid = int(MessageKind::Invalid);
    const int response = int(MessageKind::Response), error = int(MessageKind::Error);
    const int v2 = int(Dialect::JsonRpc2), v1 = int(Dialect::JsonRpc1), classic = int(Dialect::Classic);

    QTest::newRow("2.0 call") << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":"a"})")
                              << request << v2 << "add" << QByteArray(R"("a")") << 0 << response << 0 << 0;
    QTest::newRow("2.0 error") << QByteArray(R"({"jsonrpc":"2.0","method":"nope","id":7})") << request << v2
                               << "nope" << QByteArray("7") << 0 << error << ErrorCode::MethodNotFound << 0;
    QTest::newRow("notification") << QByteArray(R"({"jsonrpc":"2.0","method":"update"})") << notification
                                  << v2 << "update" << QByteArray() << 0 << notification << 0 << 0;
    QTest::newRow("1.0 call") << QByteArray(R"({"method":"echo","params":[1],"id":3})") << request << v1
                              << "echo" << QByteArray("3") << 0 << response << 0 << 0;
    QTest::newRow("classic") << QByteArray(R"({"method_name":"echo","method_args":[1]})") << request
                             << classic << "echo" << QByteArray() << 0 << response << 0 << 0;
    QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","method":"sum","params":[1],"id":1},
                                            {"jsonrpc":"2.0","method":"update"},
                                            {"jsonrpc":"2.0","method":"nope","id":2}])")
                           << batch << v2 << "sum" << QByteArray() << 3 << batch << ErrorCode::MethodNotFound
                           << 2;
    QTest::newRow("parse error") << QByteArray("{") << invalid << v2 << "" << QByteArray() << 0 << error
                                 << ErrorCode::ParseError << 0;
    QTest::newRow("invalid") << QByteArray(R"({"jsonrpc":"2.0","method":1,"id":4})") << invalid << v2 << ""
                             << QByteArray("4") << 0 << error << ErrorCode::InvalidRequest << 0;
    // `[]` is an invalid request, not a batch, for the dispatcher and summarizeMessage alike.
    QTest::newRow("empty batch") << QByteArray("[]") << invalid << v2 << "" << QByteArray() << 0 << error
                                 << ErrorCode::InvalidRequest << 0;
}

void TestDispatcher::summaries()
{
    QFETCH(QByteArray, request);
    QFETCH(int, kind);
    QFETCH(int, dialect);
    QFETCH(QString, method);
    QFETCH(QByteArray, idJson);
    QFETCH(int, batchSize);
    QFETCH(int, replyKind);
    QFETCH(int, replyErrorCode);
    QFETCH(int, replyBatchSize);
    const auto out = m_harness->send(request);
    QCOMPARE(out->calls, 1);
    COMPARE_NAME(out->request.kind, MessageKind(kind));
    COMPARE_NAME(out->request.dialect, Dialect(dialect));
    QCOMPARE(out->request.method, method);
    QCOMPARE(out->request.idJson, idJson);
    QCOMPARE(out->request.batchSize, batchSize);
    COMPARE_NAME(out->reply.summary.kind, MessageKind(replyKind));
    QCOMPARE(out->reply.summary.errorCode, replyErrorCode);
    QCOMPARE(out->reply.summary.batchSize, replyBatchSize);
    if (MessageKind(replyKind) != MessageKind::Batch && MessageKind(kind) == MessageKind::Request &&
        Dialect(dialect) != Dialect::Classic)
        QCOMPARE(out->reply.summary.idJson, idJson);
    // The client-side summariser agrees with the dispatcher on both messages.
    const MessageSummary again = rpcbench::summarizeMessage(request);
    COMPARE_NAME(again.kind, MessageKind(kind));
    if (!out->reply.bytes.isEmpty())
        COMPARE_NAME(rpcbench::summarizeMessage(out->reply.bytes).kind, MessageKind(replyKind));
}

void TestDispatcher::summarizeMessage_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("idJson");
    QTest::addColumn<int>("errorCode");
    QTest::addColumn<int>("batchSize");
    const auto K = [](MessageKind k) { return int(k); };
    const auto D = [](Dialect d) { return int(d); };
    QTest::newRow("2.0 response") << QByteArray(R"({"jsonrpc":"2.0","result":19,"id":1})")
                                  << K(MessageKind::Response) << D(Dialect::JsonRpc2) << "" << QByteArray("1")
                                  << 0 << 0;
    QTest::newRow("2.0 error") << QByteArray(
                                      R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"m"},"id":"1"})")
                               << K(MessageKind::Error) << D(Dialect::JsonRpc2) << "" << QByteArray(R"("1")")
                               << -32601 << 0;
    QTest::newRow("1.0 response") << QByteArray(R"({"result":1,"error":null,"id":2})")
                                  << K(MessageKind::Response) << D(Dialect::JsonRpc1) << "" << QByteArray("2")
                                  << 0 << 0;
    QTest::newRow("1.0 error") << QByteArray(
                                      R"({"result":null,"error":{"code":-32000,"message":"m"},"id":2})")
                               << K(MessageKind::Error) << D(Dialect::JsonRpc1) << "" << QByteArray("2")
                               << -32000 << 0;
    QTest::newRow("classic response") << QByteArray(R"({"res":6})") << K(MessageKind::Response)
                                      << D(Dialect::Classic) << "" << QByteArray() << 0 << 0;
    QTest::newRow("classic error") << QByteArray(R"({"error":{"code":-32602,"message":"m"}})")
                                   << K(MessageKind::Error) << D(Dialect::Classic) << "" << QByteArray()
                                   << -32602 << 0;
    QTest::newRow("request") << QByteArray(R"({"jsonrpc":"2.0","method":"add","id":null})")
                             << K(MessageKind::Request) << D(Dialect::JsonRpc2) << "add" << QByteArray("null")
                             << 0 << 0;
    QTest::newRow("1.0 notification")
        << QByteArray(R"({"method":"tick","params":[],"id":null})") << K(MessageKind::Notification)
        << D(Dialect::JsonRpc1) << "tick" << QByteArray("null") << 0 << 0;
    QTest::newRow("reply batch") << QByteArray(R"([{"jsonrpc":"2.0","result":1,"id":1},
                                     {"jsonrpc":"2.0","error":{"code":-32600,"message":"m"},"id":null}])")
                                 << K(MessageKind::Batch) << D(Dialect::JsonRpc2) << "" << QByteArray()
                                 << -32600 << 2;
    QTest::newRow("garbage") << QByteArray("not json") << K(MessageKind::Invalid) << D(Dialect::Unknown) << ""
                             << QByteArray() << 0 << 0;
    QTest::newRow("deep") << QByteArray(100000, '[') << K(MessageKind::Invalid) << D(Dialect::Unknown) << ""
                          << QByteArray() << 0 << 0;
}

void TestDispatcher::summarizeMessage()
{
    QFETCH(QByteArray, message);
    QFETCH(int, kind);
    QFETCH(int, dialect);
    QFETCH(QString, method);
    QFETCH(QByteArray, idJson);
    QFETCH(int, errorCode);
    QFETCH(int, batchSize);
    const MessageSummary s = rpcbench::summarizeMessage(message);
    COMPARE_NAME(s.kind, MessageKind(kind));
    COMPARE_NAME(s.dialect, Dialect(dialect));
    QCOMPARE(s.method, method);
    QCOMPARE(s.idJson, idJson);
    QCOMPARE(s.errorCode, errorCode);
    QCOMPARE(s.batchSize, batchSize);
}

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
