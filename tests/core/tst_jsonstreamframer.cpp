// JsonStreamFramer: every input is fed whole, byte by byte and in random chunks (several
// seeds); all deliveries must frame exactly the same messages.

#include "wire/JsonStreamFramer.h"

#include "ChunkSplitter.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::kChunkSeeds;

namespace {

struct Outcome
{
    QList<QByteArray> messages;
    JsonStreamFramer::Status status = JsonStreamFramer::Status::Ok;
    bool partial = false;
};

Outcome frameAll(const QByteArray& input, qsizetype max, int mode, quint32 seed)
{
    JsonStreamFramer framer(max);
    Outcome outcome;
    for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
        outcome.status = framer.feed(chunk, outcome.messages);
        if (outcome.status != JsonStreamFramer::Status::Ok)
            return outcome;
    }
    outcome.partial = framer.hasPartial();
    return outcome;
}

using Messages = QList<QByteArray>;

} // namespace

class TestJsonStreamFramer : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void tooLargeStopsAtTheLimit();
    void resetAfterTooLarge();
    void hugeStringByteByByteIsLinear();
    void frameAppendsNewline();
};

void TestJsonStreamFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("max");
    QTest::addColumn<Messages>("expected");
    QTest::addColumn<bool>("tooLarge");
    QTest::addColumn<bool>("partial");

    const qsizetype big = 1024 * 1024;
    auto row = [&](const char* name, const QByteArray& input, const Messages& expected,
                   bool partial = false) {
        QTest::newRow(name) << input << big << expected << false << partial;
    };

    // JSON-RPC 2.0 specification, section 7
    const QByteArray subtract = R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})";
    const QByteArray named =
        R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})";
    const QByteArray batch = R"([
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ])";
    const QByteArray invalidJson = R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])";
    const QByteArray invalidBatch =
        R"([{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method")";
    row("spec positional", subtract, {subtract});
    row("spec named + newline", named + "\n", {named});
    row("spec batch", batch, {batch});
    row("spec invalid json (unbalanced quote)", invalidJson + "\n", {invalidJson});
    row("spec invalid batch (truncated)", invalidBatch, {}, true);
    row("spec empty array", "[]", {"[]"});
    row("spec [1,2,3]", "[1,2,3]\n", {"[1,2,3]"});
    row("spec sequence", subtract + "\n" + named + "\n", {subtract, named});

    // Strings that look like structure
    row("braces in string", R"({"a":"}{]["}{"b":"{"})", {R"({"a":"}{]["})", R"({"b":"{"})"});
    row("escaped quote", R"({"a":"\"}"}[0])", {R"({"a":"\"}"})", "[0]"});
    row("escaped backslash before quote", R"({"a":"\\"}{"b":"c\\\\"})",
        {R"({"a":"\\"})", R"({"b":"c\\\\"})"});
    row("backslash + escaped quote", R"(["\\\"]"] )", {R"(["\\\"]"])"});
    row("unicode escapes and raw utf-8", QByteArray(R"({"ü":"日本語 \u00e9 🎉 \"}\""})"),
        {QByteArray(R"({"ü":"日本語 \u00e9 🎉 \"}\""})")});
    row("invalid utf-8 passes through", QByteArray("{\"a\":\"\xff\xfe\"}"),
        {QByteArray("{\"a\":\"\xff\xfe\"}")});

    // Delimiters between values
    row("no whitespace {}{}", "{}{}", {"{}", "{}"});
    row("object then array", R"({"a":1}[1])", {R"({"a":1})", "[1]"});
    row("CRLF", "{\"a\":1}\r\n{\"b\":2}\r\n", {"{\"a\":1}", "{\"b\":2}"});
    row("tabs and spaces", " \t {\"a\":1} \t\n [2]\t", {"{\"a\":1}", "[2]"});
    row("whitespace inside kept", "{ \"a\" :\r\n 1 }", {"{ \"a\" :\r\n 1 }"});
    row("nested", "[[[{\"a\":[{}]}]]][]", {"[[[{\"a\":[{}]}]]]", "[]"});

    // Top-level scalars
    row("number + space", "42 ", {"42"});
    row("literal + newline", "true\n", {"true"});
    row("string", R"("str")", {R"("str")"});
    row("string with escapes", R"("a\"b\\" "{")", {R"("a\"b\\")", R"("{")"});
    row("scalars in a row", "1 -2.5e3\tnull\r\nfalse ", {"1", "-2.5e3", "null", "false"});
    row("number ends at {", R"(42{"a":1})", {"42", R"({"a":1})"});
    row("number ends at [ and quote", R"(7[8]9"x")", {"7", "[8]", "9", R"("x")"});
    row("string then object", R"("x"{})", {R"("x")", "{}"});
    row("unterminated number", "42", {}, true);

    // Garbage
    row("words", "hello world\n", {"hello", "world"});
    row("garbage before object", R"(foo{"a":1})", {"foo", R"({"a":1})"});
    row("stray closer", "}{\"a\":1}", {"}", "{\"a\":1}"});
    row("stray closers", "]] }", {"]", "]", "}"});
    row("mismatched closer ends value", "{]", {"{]"});
    row("control bytes", QByteArray("\x01\x02 {}"), {QByteArray("\x01\x02"), "{}"});

    // Partial state
    row("empty", "", {});
    row("only whitespace", " \r\n\t ", {}, false);
    row("trailing whitespace", "{} \n", {"{}"}, false);
    row("incomplete object", R"({"a":)", {}, true);
    row("incomplete string", R"({"a":"x\)", {}, true);
    row("incomplete top-level string", R"("abc)", {}, true);

    // Limits (max = 10 bytes)
    auto limited = [&](const char* name, const QByteArray& input, const Messages& expected, bool tooLarge,
                       bool partial = false) {
        QTest::newRow(name) << input << qsizetype(10) << expected << tooLarge << partial;
    };
    limited("exactly at limit", R"({"a":"12"})", {R"({"a":"12"})"}, false);
    limited("one over limit", R"({"a":"123"})", {}, true);
    limited("scalar at limit", "1234567890\n", {"1234567890"}, false);
    limited("scalar over limit", "12345678901\n", {}, true);
    limited("endless brackets", QByteArray(1000, '['), {}, true);
    limited("endless string", "\"" + QByteArray(1000, 'x'), {}, true);
    limited("messages before the big one", R"({}[1]{"aaaaaaaaaa":1}{})", {"{}", "[1]"}, true);
    limited("limit is per message", "[1,2,3,4]\n[5,6,7,8]\n{\"a\":\"b\"}",
            {"[1,2,3,4]", "[5,6,7,8]", "{\"a\":\"b\"}"}, false);
}

void TestJsonStreamFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, max);
    QFETCH(Messages, expected);
    QFETCH(bool, tooLarge);
    QFETCH(bool, partial);

    const auto expectedStatus = tooLarge ? JsonStreamFramer::Status::TooLarge : JsonStreamFramer::Status::Ok;
    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const Outcome outcome = frameAll(input, max, mode, seed);
            const QByteArray where =
                QByteArray("mode ") + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            QVERIFY2(outcome.messages == expected, where.constData());
            QVERIFY2(outcome.status == expectedStatus, where.constData());
            if (!tooLarge)
                QVERIFY2(outcome.partial == partial, where.constData());
            if (mode != 2)
                break; // only random chunking depends on the seed
        }
    }
}

void TestJsonStreamFramer::tooLargeStopsAtTheLimit()
{
    const qsizetype max = 1024 * 1024;
    // One 64 MiB read of '[': refused without buffering it.
    {
        JsonStreamFramer framer(max);
        QList<QByteArray> out;
        const QByteArray flood(64 * 1024 * 1024, '[');
        QCOMPARE(framer.feed(flood, out), JsonStreamFramer::Status::TooLarge);
        QVERIFY(out.isEmpty());
        QCOMPARE(framer.bufferedBytes(), 0);
        QCOMPARE(framer.feed("{}", out), JsonStreamFramer::Status::TooLarge); // stays failed
    }
    // The same flood in 64 KiB reads: the buffer never exceeds the limit and the error comes
    // with the first read that crosses it.
    {
        JsonStreamFramer framer(max);
        QList<QByteArray> out;
        const QByteArray chunk(64 * 1024, '[');
        qsizetype fed = 0;
        JsonStreamFramer::Status status = JsonStreamFramer::Status::Ok;
        while (status == JsonStreamFramer::Status::Ok && fed < 64 * max) {
            status = framer.feed(chunk, out);
            fed += chunk.size();
            if (status == JsonStreamFramer::Status::Ok) {
                QVERIFY(framer.bufferedBytes() <= max);
                QVERIFY(framer.hasPartial());
            }
        }
        QCOMPARE(status, JsonStreamFramer::Status::TooLarge);
        QVERIFY(fed > max);
        QVERIFY(fed <= max + chunk.size());
    }
}

void TestJsonStreamFramer::resetAfterTooLarge()
{
    JsonStreamFramer framer(8);
    QList<QByteArray> out;
    QCOMPARE(framer.feed(R"({"toolong":1})", out), JsonStreamFramer::Status::TooLarge);
    framer.reset();
    QVERIFY(!framer.hasPartial());
    QCOMPARE(framer.feed("{\"a\":", out), JsonStreamFramer::Status::Ok);
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.bufferedBytes(), 5);
    QCOMPARE(framer.feed("1}", out), JsonStreamFramer::Status::Ok);
    QCOMPARE(out, Messages({"{\"a\":1}"}));
    QVERIFY(!framer.hasPartial());
}

void TestJsonStreamFramer::hugeStringByteByByteIsLinear()
{
    // 1 MiB string value with escapes sprinkled in, delivered one byte per read. A framer that
    // re-scans its buffer on every read would need ~10^12 steps here and never finish.
    QByteArray value;
    value.reserve(1024 * 1024 + 64);
    for (int i = 0; value.size() < 1024 * 1024; ++i)
        value += (i % 100 == 0) ? QByteArray(R"(\"{}[]\\)") : QByteArray("abcdefgh");
    const QByteArray message = R"({"s":")" + value + R"("})";

    JsonStreamFramer framer;
    QList<QByteArray> out;
    for (qsizetype i = 0; i < message.size(); ++i)
        QCOMPARE(framer.feed(QByteArrayView(message).sliced(i, 1), out), JsonStreamFramer::Status::Ok);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first(), message);

    // The same in one read, plus a string made only of escapes (worst case for the escape skip).
    const QByteArray escapes = "[\"" + QByteArray(1024 * 1024, '\\') + "\"]";
    out.clear();
    QCOMPARE(framer.feed(message + escapes, out), JsonStreamFramer::Status::Ok);
    QCOMPARE(out, Messages({message, escapes}));
    QVERIFY(!framer.hasPartial());
}

void TestJsonStreamFramer::frameAppendsNewline()
{
    QCOMPARE(JsonStreamFramer::frame(R"({"a":1})"), QByteArray("{\"a\":1}\n"));
    // What frame() produces is framed back to the same message.
    JsonStreamFramer framer;
    QList<QByteArray> out;
    framer.feed(JsonStreamFramer::frame("[1]") + JsonStreamFramer::frame("2"), out);
    QCOMPARE(out, Messages({"[1]", "2"}));
}

QTEST_GUILESS_MAIN(TestJsonStreamFramer)
#include "tst_jsonstreamframer.moc"
