// FastRequestParser must either decline a message or decode it exactly as the general path
// (QJsonDocument + RequestDecoder) does. Every row is checked against the general path.

#include "protocol/FastRequestParser.h"
#include "protocol/RequestDecoder.h"

#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

class TestFastRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void matchesGeneralPath_data();
    void matchesGeneralPath();
    void declines_data();
    void declines();
};

namespace {

std::optional<DecodedRequest> generalPath(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return RequestDecoder::decode(doc.object());
}

} // namespace

void TestFastRequestParser::matchesGeneralPath_data()
{
    QTest::addColumn<QByteArray>("json");
    auto row = [](const char* tag, const char* json) { QTest::newRow(tag) << QByteArray(json); };
    row("positional", R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1})");
    row("member order", R"({"id":"x","params":[1],"method":"echo","jsonrpc":"2.0"})");
    row("named", R"({"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2,"c":-3},"id":7})");
    row("notification", R"({"jsonrpc":"2.0","method":"ping"})");
    row("id null is a call", R"({"jsonrpc":"2.0","method":"ping","id":null})");
    row("no params", R"({"jsonrpc":"2.0","method":"ping","id":0})");
    row("empty params", R"({"jsonrpc":"2.0","method":"ping","params":[],"id":-12})");
    row("empty named params", R"({"jsonrpc":"2.0","method":"ping","params":{},"id":1})");
    row("whitespace everywhere",
        " \r\n{ \"jsonrpc\" : \"2.0\" ,\t\"method\":\"echo\" , \"params\" : [ \"a\" , 1 ] , \"id\" : 3 }\n");
    row("scalars",
        R"({"jsonrpc":"2.0","method":"m","params":[true,false,null,0,-0,1.5,-2.25e3,1E-2,123456789012345678],"id":1})");
    row("utf-8 string", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"h\xC3\xA9llo \xE2\x82\xAC "
                        "\xF0\x9F\x98\x80\"],\"id\":1}");
    row("long string", QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":[")" + QByteArray(70000, 'x') +
                                  R"("],"id":1})")
                           .constData());
    const QByteArray big(5000, 'y');
    QTest::newRow("large plain strings") << QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":[ ")" +
                                                       big + R"(" , "b",")" + big + R"("],"id":2})");
    QTest::newRow("large string with escape")
        << QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":[")" + big + R"(\n"],"id":2})");
    QTest::newRow("large utf-8 string")
        << QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":[")" + big + "\xC3\xA9" + R"("],"id":2})");
    QTest::newRow("large mixed array")
        << QByteArray(R"({"jsonrpc":"2.0","method":"echo","params":[")" + big + R"(",1,null],"id":2})");
    row("18-digit id", R"({"jsonrpc":"2.0","method":"m","id":123456789012345678})");
    row("string id", R"({"jsonrpc":"2.0","method":"m","id":"abc-1 2"})");
    // Params of any shape are parsed by Qt as one span.
    row("duplicate named param", R"({"jsonrpc":"2.0","method":"m","params":{"a":1,"a":2},"id":1})");
    row("nested params", R"({"jsonrpc":"2.0","method":"m","params":[[1]],"id":1})");
    row("object param", R"({"jsonrpc":"2.0","method":"m","params":[{"a":1}],"id":1})");
    row("escaped string", R"({"jsonrpc":"2.0","method":"m","params":["a\nb"],"id":1})");
    // Qt's parser is lenient with these; inside params the fast path agrees with it.
    row("dot without digits", R"({"jsonrpc":"2.0","method":"m","params":[1.],"id":1})");
    row("control char in string", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"a\x01\"],\"id\":1}");
    row("19-digit number", R"({"jsonrpc":"2.0","method":"m","params":[1234567890123456789],"id":1})");
}

void TestFastRequestParser::matchesGeneralPath()
{
    QFETCH(QByteArray, json);
    const auto fast = FastRequestParser::parse(json);
    QVERIFY2(fast, "the fast path should take this common message");
    const auto general = generalPath(json);
    QVERIFY(general);
    QCOMPARE(fast->valid, general->valid);
    QVERIFY(fast->dialect == general->dialect);
    QCOMPARE(fast->notification, general->notification);
    QCOMPARE(fast->hasId, general->hasId);
    QCOMPARE(fast->idJson, general->idJson);
    QCOMPARE(fast->method, general->method);
    QCOMPARE(fast->positional, general->positional);
    QCOMPARE(fast->named, general->named);
    // Same types too (QJsonValue equality compares numbers by value only).
    for (qsizetype i = 0; i < fast->positional.size(); ++i)
        QCOMPARE(fast->positional.at(i).toVariant().typeId(), general->positional.at(i).toVariant().typeId());
}

void TestFastRequestParser::declines_data()
{
    QTest::addColumn<QByteArray>("json");
    auto row = [](const char* tag, const char* json) { QTest::newRow(tag) << QByteArray(json); };
    // Not valid JSON: the general path must produce the parse error.
    row("truncated", R"({"jsonrpc":"2.0","method":"m","id":1)");
    row("trailing comma", R"({"jsonrpc":"2.0","method":"m","id":1,})");
    row("trailing garbage", R"({"jsonrpc":"2.0","method":"m","id":1} x)");
    row("leading zero", R"({"jsonrpc":"2.0","method":"m","params":[01],"id":1})");
    row("bare minus", R"({"jsonrpc":"2.0","method":"m","params":[-],"id":1})");
    row("invalid utf-8", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\xC3\x28\"],\"id\":1}");
    row("overlong utf-8", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\xC0\xAF\"],\"id\":1}");
    row("utf-8 surrogate", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"\xED\xA0\x80\"],\"id\":1}");
    row("bad literal", R"({"jsonrpc":"2.0","method":"m","params":[tru],"id":1})");
    // Valid, but outside the fast subset: the general path decides.
    row("batch", R"([{"jsonrpc":"2.0","method":"m","id":1}])");
    row("wrong version", R"({"jsonrpc":"1.0","method":"m","id":1})");
    row("no version (1.0)", R"({"method":"m","params":[],"id":1})");
    row("classic", R"({"method_name":"add","method_args":[1,2]})");
    row("no method", R"({"jsonrpc":"2.0","id":1})");
    row("extra member", R"({"jsonrpc":"2.0","method":"m","id":1,"x":2})");
    row("duplicate member", R"({"jsonrpc":"2.0","method":"m","method":"n","id":1})");
    row("escaped method", R"({"jsonrpc":"2.0","method":"\u0061dd","id":1})");
    row("escaped key", R"({"jsonrpc":"2.0","\u006dethod":"m","id":1})");
    row("fractional id", R"({"jsonrpc":"2.0","method":"m","id":1.5})");
    row("id minus zero", R"({"jsonrpc":"2.0","method":"m","id":-0})");
    row("huge exponent", R"({"jsonrpc":"2.0","method":"m","params":[1e400],"id":1})");
    row("object id", R"({"jsonrpc":"2.0","method":"m","id":{}})");
    row("params string", R"({"jsonrpc":"2.0","method":"m","params":"x","id":1})");
    row("non-ascii id", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\"\xC3\xA9\"}");
    QTest::newRow("large array, trailing comma") << QByteArray(
        R"({"jsonrpc":"2.0","method":"echo","params":[")" + QByteArray(5000, 'y') + R"(",],"id":2})");
    QTest::newRow("large array, missing comma") << QByteArray(
        R"({"jsonrpc":"2.0","method":"echo","params":[")" + QByteArray(5000, 'y') + R"(" "a"],"id":2})");
    row("scalar", "1");
    row("empty", "");
}

void TestFastRequestParser::declines()
{
    QFETCH(QByteArray, json);
    QVERIFY(!FastRequestParser::parse(json));
}

QTEST_GUILESS_MAIN(TestFastRequestParser)
#include "tst_fastrequestparser.moc"
