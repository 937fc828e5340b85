// JsonStreamFramer: every input is fed whole, byte by byte, in random chunks (several seeds)
// and split in two at every byte; all deliveries must frame exactly the same messages with the
// same syntax errors (and skip the rest of a broken message the same way).

#include "wire/JsonStreamFramer.h"

#include "ChunkSplitter.h"
#include "FrameCollector.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::FrameCollector;
using rpcbench::test::kChunkSeeds;

namespace {

using Messages = QList<QByteArray>;

// The reasons the framer gives in Frame::syntaxError.
const QByteArray kStray = "closing bracket outside any array or object";
const QByteArray kMismatch = "closing bracket does not match the opening one";
const QByteArray kTrailingComma = "trailing comma";
const QByteArray kKeyNotString = "object key must be a string";
const QByteArray kMissingColon = "missing ':' after an object key";
const QByteArray kMissingValue = "missing value";
const QByteArray kBadValue = "not a JSON value";
const QByteArray kMissingComma = "missing ',' or closing bracket after a value";

const QByteArray kCall = R"({"jsonrpc":"2.0","method":"add","params":[1,[2,{"x":"]"}]],"id":1})";

struct Outcome
{
    Messages messages;
    Messages errors; // per message: its syntax error, empty if well-formed
    bool tooLarge = false;
    bool partial = false;
};

Outcome frameChunks(const QList<QByteArrayView>& chunks, qsizetype max, int maxCheckedDepth)
{
    JsonStreamFramer framer(max, maxCheckedDepth);
    FrameCollector frames;
    Outcome outcome;
    for (QByteArrayView chunk : chunks) {
        if (!framer.feed(chunk, frames)) {
            outcome.tooLarge = framer.error().kind == FrameError::Kind::TooLarge;
            break;
        }
    }
    outcome.messages = frames.payloads;
    outcome.errors = frames.syntaxErrors;
    outcome.partial = framer.hasPartial();
    return outcome;
}

// Every way a socket may hand over `input`, with a name for failure messages: whole, byte by
// byte, random chunks, and split in two at every byte.
QList<std::pair<QByteArray, QList<QByteArrayView>>> deliveries(const QByteArray& input)
{
    QList<std::pair<QByteArray, QList<QByteArrayView>>> all;
    all.append({"whole", chunksOf(input, 0, 0)});
    all.append({"byte by byte", chunksOf(input, 1, 0)});
    for (quint32 seed : kChunkSeeds)
        all.append({"random chunks, seed " + QByteArray::number(seed), chunksOf(input, 2, seed)});
    const QByteArrayView view(input);
    for (qsizetype i = 1; i < input.size(); ++i)
        all.append({"split at " + QByteArray::number(i), {view.first(i), view.sliced(i)}});
    return all;
}

// Fails the current test unless every delivery of `input` gives `expected`.
void verifyFraming(const QByteArray& input, qsizetype max, int maxCheckedDepth, const Outcome& expected)
{
    for (const auto& [name, chunks] : deliveries(input)) {
        const Outcome got = frameChunks(chunks, max, maxCheckedDepth);
        const QByteArray where =
            name + ": got [" + got.messages.join("] [") + "] errors [" + got.errors.join("] [") + "]";
        QVERIFY2(got.messages == expected.messages, where.constData());
        QVERIFY2(got.errors == expected.errors, where.constData());
        QVERIFY2(got.tooLarge == expected.tooLarge, where.constData());
        if (!expected.tooLarge)
            QVERIFY2(got.partial == expected.partial, where.constData());
    }
}

// `n` levels, arrays and objects taking turns from the outside in, around the number 1.
QByteArray nested(int n, QByteArray* closers)
{
    QByteArray opens;
    closers->clear();
    for (int level = 1; level <= n; ++level) {
        const bool object = level % 2 == 0;
        opens += object ? "{\"k\":" : "[";
        closers->prepend(object ? '}' : ']');
    }
    return opens + '1';
}

} // namespace

class TestJsonStreamFramer : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void syntaxErrors_data();
    void syntaxErrors();
    void checkedDepth_data();
    void checkedDepth();
    void payloadIsAViewOfTheFedBytes();
    void finishReportsATruncatedMessage();
    void skippingIsPartialButNotBuffered();
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
    QTest::addColumn<Messages>("errors"); // empty: every message well-formed
    QTest::addColumn<bool>("tooLarge");
    QTest::addColumn<bool>("partial");

    const qsizetype big = 1024 * 1024;
    auto row = [&](const char* name, const QByteArray& input, const Messages& expected, bool partial = false,
                   const Messages& errors = {}) {
        QTest::newRow(name) << input << big << expected << errors << false << partial;
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
    // The message stops being JSON at the `p` after the string "foobar, ": that prefix is the
    // one (flagged) message; the rest is skipped up to the `]` that closes the `{` by count.
    row("spec invalid json (unbalanced quote)", invalidJson + "\n" + subtract + "\n",
        {R"({"jsonrpc": "2.0", "method": "foobar, "p)", subtract}, false, {kMissingComma, ""});
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
    row("brackets and colons in keys", R"({"]}:,":{"[{\"":[]}})", {R"({"]}:,":{"[{\"":[]}})"});

    // Valid documents of every shape
    const QByteArray shapes = R"({"a":{"b":[1,{"c":[]},"x",true,false,null,-1.5e+3]},"d":{},"e":[[],[[]]]})";
    row("every container shape", shapes, {shapes});
    row("every scalar in an array", R"([0,-0,1e5,2E-3,-12.5e+7,true,false,null,"",""])",
        {R"([0,-0,1e5,2E-3,-12.5e+7,true,false,null,"",""])"});
    row("scalars right before closers", R"({"a":1}[2]{"b":true}[null])",
        {R"({"a":1})", "[2]", R"({"b":true})", "[null]"});
    row("empty key and value", R"({"":""})", {R"({"":""})"});
    row("whitespace around every token", " [ 1 , { \"a\" : [ ] , \"b\" :\tnull } ]\r\n",
        {"[ 1 , { \"a\" : [ ] , \"b\" :\tnull } ]"});
    row("nested", "[[[{\"a\":[{}]}]]][]", {"[[[{\"a\":[{}]}]]]", "[]"});

    // Delimiters between values
    row("no whitespace {}{}", "{}{}", {"{}", "{}"});
    row("object then array", R"({"a":1}[1])", {R"({"a":1})", "[1]"});
    row("CRLF", "{\"a\":1}\r\n{\"b\":2}\r\n", {"{\"a\":1}", "{\"b\":2}"});
    row("tabs and spaces", " \t {\"a\":1} \t\n [2]\t", {"{\"a\":1}", "[2]"});
    row("whitespace inside kept", "{ \"a\" :\r\n 1 }", {"{ \"a\" :\r\n 1 }"});

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
    row("stray closer", "}{\"a\":1}", {"}", "{\"a\":1}"}, false, {kStray, ""});
    row("stray closers", "]] }", {"]", "]", "}"}, false, {kStray, kStray, kStray});
    row("mismatched closer ends value", "{]", {"{]"}, false, {kMismatch});
    row("control bytes", QByteArray("\x01\x02 {}"), {QByteArray("\x01\x02"), "{}"});

    // Recovery: the rest of a broken message is skipped (brackets counted from the depth at the
    // error, strings respected) up to depth 0 or the first newline outside a string.
    row("missing colon, rest skipped to its closer", R"({"a" 1}{"b":2})", {R"({"a" 1)", R"({"b":2})"}, false,
        {kMissingColon, ""});
    row("spec invalid batch on one line, then a call",
        R"([{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"])"
        "\n" +
            subtract,
        {R"([{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"])",
         subtract},
        false, {kMismatch, ""});
    row("garbage up to the newline", "[1 @#$ {{ \"]}\" , :\n{\"b\":2}\n", {"[1 @", "{\"b\":2}"}, false,
        {kMissingComma, ""});
    row("skip counts nested brackets", R"({"a" [1,{"x":"]"}], "b": 2}  [3])", {R"({"a" [)", "[3]"}, false,
        {kMissingColon, ""});
    row("skip respects escapes", R"({"a" "x\"}" }[1])", {R"({"a" ")", "[1]"}, false, {kMissingColon, ""});
    // JSON strings hold no raw newline, so it ends the skip inside a (mistaken) string too.
    row("newline inside a skipped string", "{\"a\" \"x ] \\\"\n[1]\n\"y\"", {"{\"a\" \"", "[1]", "\"y\""},
        false, {kMissingColon, "", ""});
    row("newline right after a backslash in a skipped string", "[1 \"\\\n[2]", {"[1 \"", "[2]"}, false,
        {kMissingComma, ""});
    row("valid messages after the error on the same line are skipped", "[1 2, {\"a\":1}, [3]\n[4]",
        {"[1 2", "[4]"}, false, {kMissingComma, ""});
    row("skip ends at the newline even with brackets open", "[[[x\n[4]", {"[[[x", "[4]"}, false,
        {kBadValue, ""});
    row("still skipping at the end is partial", R"({"a" 1, "b": [2)", {R"({"a" 1)"}, true, {kMissingColon});
    row("mismatch at depth 1 skips nothing", "{\"a\":1]]{}", {"{\"a\":1]", "]", "{}"}, false,
        {kMismatch, kStray, ""});

    // Partial state
    row("empty", "", {});
    row("only whitespace", " \r\n\t ", {}, false);
    row("trailing whitespace", "{} \n", {"{}"}, false);
    row("incomplete object", R"({"a":)", {}, true);
    row("incomplete string", R"({"a":"x\)", {}, true);
    row("incomplete top-level string", R"("abc)", {}, true);
    row("incomplete number in array", "[12", {}, true);

    // Limits (max = 10 bytes)
    auto limited = [&](const char* name, const QByteArray& input, const Messages& expected, bool tooLarge,
                       const Messages& errors = {}) {
        QTest::newRow(name) << input << qsizetype(10) << expected << errors << tooLarge << false;
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
    limited("syntax error at limit", R"({"a":1234])", {R"({"a":1234])"}, false, {kMismatch});
    limited("syntax error over limit", R"({"a":12345])", {}, true);
    // The skipped rest counts with the flagged prefix (6 bytes here); the newline does not.
    limited("skip up to the limit", "{\"a\" 1234}\n[1]", {"{\"a\" 1", "[1]"}, false, {kMissingColon, ""});
    limited("skip one over the limit", "{\"a\" 12345}\n[1]", {"{\"a\" 1"}, true, {kMissingColon});
    limited("newline right after the limit", "{\"a\" 12345\n[1]", {"{\"a\" 1", "[1]"}, false,
            {kMissingColon, ""});
    limited("endless skip", "[x" + QByteArray(1000, 'y'), {"[x"}, true, {kBadValue});
    limited("endless skipped string", "[1 \"" + QByteArray(1000, '{'), {"[1 \""}, true, {kMissingComma});
}

void TestJsonStreamFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, max);
    QFETCH(Messages, expected);
    QFETCH(Messages, errors);
    QFETCH(bool, tooLarge);
    QFETCH(bool, partial);
    if (errors.isEmpty())
        errors = Messages(expected.size());
    verifyFraming(input, max, 512, Outcome{expected, errors, tooLarge, partial});
}

// Each row is a message cut right after the byte where it stops being JSON. It must be framed
// exactly to that byte, with the reason; the rest of the broken value is skipped up to the
// newline or the closer that completes it, and the next message is framed as usual. A message
// straight after the offending byte is part of the skipped rest unless that byte ended the value.
void TestJsonStreamFramer::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QByteArray>("reason");
    // What completes the broken value: the skip ends right after it. Empty when the offending
    // byte itself closes the outermost bracket (or is a stray closer).
    QTest::addColumn<QByteArray>("rest");
    auto row = [](const char* name, const QByteArray& bad, const QByteArray& reason, const QByteArray& rest) {
        QTest::newRow(name) << bad << reason << rest;
    };

    row("] closes {", R"({"a":1])", kMismatch, "");
    row("} closes [", "[1,2}", kMismatch, "");
    row("] right after {", "{]", kMismatch, "");
    row("} right after [", "[}", kMismatch, "");
    row("nested } closes [", R"({"a":[1})", kMismatch, "}");
    row("] closes inner {", R"([{"a":{}])", kMismatch, "]");
    row("mismatch five levels down", R"([[[[{"a":1])", kMismatch, "]]]]");
    row("spec invalid batch on one line",
        R"([{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"])",
        kMismatch, "]");

    row("number as key", "{1", kKeyNotString, "}");
    row("number as key after comma", R"({"a":1,2)", kKeyNotString, "}");
    row("comma instead of key", "{,", kKeyNotString, "}");
    row("object as key", "{{", kKeyNotString, "}}");
    row("array as key", "{[", kKeyNotString, "]}");
    row("double comma in object", R"({"a":1,,)", kKeyNotString, "}");
    row("bare word key", "{a", kKeyNotString, "}");

    row("key then }", R"({"a"})", kMissingColon, "");
    row("key then value", R"({"a" 1)", kMissingColon, "}");
    row("key then comma", R"({"a",)", kMissingColon, "}");
    row("key then string", R"({"a" ")", kMissingColon, R"("})");
    row("brackets in strings before the error", R"({"a":"]}","b" 1)", kMissingColon, "}");

    row("two numbers", "[1 2", kMissingComma, "]");
    row("two strings", R"(["a" ")", kMissingComma, R"("])");
    row("two members", R"({"a":1 ")", kMissingComma, R"("})");
    row("colon in array", "[1:", kMissingComma, "]");
    row("second colon", R"({"a":1:)", kMissingComma, "}");
    row("array then object", "[[] {", kMissingComma, "}]");
    row("two literals", "[true f", kMissingComma, "]");
    row("word after string", R"(["a"x)", kMissingComma, "]");
    row("quote right after number", R"([1")", kMissingComma, R"("])");
    row("escaped quote before the error", R"(["\"]" 2)", kMissingComma, "]");

    row("comma first in array", "[,", kMissingValue, "]");
    row("double comma in array", "[1,,", kMissingValue, "]");
    row("comma after colon", R"({"a":,)", kMissingValue, "}");
    row("double colon", R"({"a"::)", kMissingValue, "}");
    row("colon in empty array", "[:", kMissingValue, "]");
    row("} after colon", R"({"a":})", kMissingValue, "");

    row("trailing comma in array", "[1,]", kTrailingComma, "");
    row("trailing comma in object", R"({"a":1,})", kTrailingComma, "");
    row("trailing comma nested", "[[1,]", kTrailingComma, "]");

    row("bare word value", "[x", kBadValue, "]");
    row("plus sign", "[+", kBadValue, "]");
    row("leading dot", R"({"a":.)", kBadValue, "}");
    row("capitalised literal", "[T", kBadValue, "]");
    row("single quotes", "['", kBadValue, "]");
    row("control byte", "[\x01", kBadValue, "]");
    row("non-ascii byte", "[\xff", kBadValue, "]");

    row("stray }", "}", kStray, "");
    row("stray ]", "]", kStray, "");
}

void TestJsonStreamFramer::syntaxErrors()
{
    QFETCH(QByteArray, bad);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, rest);
    QByteArray input = bad + "\n" + kCall + bad + rest + kCall;
    Outcome expected{{bad, kCall, bad, kCall}, {reason, "", reason, ""}, false, false};
    // A call straight after the broken value is skipped with it (up to the newline), unless the
    // offending byte ended the value. Not tried when the skip is inside a string: the call's
    // quotes would pair the other way round and frame something else.
    if (!rest.startsWith('"')) {
        input += bad + kCall + "\n" + kCall;
        expected.messages << bad;
        expected.errors << reason;
        if (rest.isEmpty()) {
            expected.messages << kCall;
            expected.errors << "";
        }
        expected.messages << kCall;
        expected.errors << "";
    }
    verifyFraming(input, 1024, 512, expected);
}

// Bracket kinds are remembered for maxCheckedDepth levels (one bit each, across word
// boundaries); deeper levels are only counted, and checking resumes on the way back up.
void TestJsonStreamFramer::checkedDepth_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxCheckedDepth");
    QTest::addColumn<Messages>("expected");
    QTest::addColumn<Messages>("errors");

    QByteArray closers;
    // A wrong closer at `level` (1 = outermost) of an n-level document.
    auto wrongAt = [&](int n, int level, int maxCheckedDepth) {
        const QByteArray opens = nested(n, &closers);
        QByteArray swapped = closers;
        char& c = swapped[n - level];
        c = c == ']' ? '}' : ']';
        const QByteArray input = opens + swapped + "\n" + kCall;
        const QByteArray name = QByteArray::number(n) + " levels, checked " +
                                QByteArray::number(maxCheckedDepth) + ", wrong closer at level " +
                                QByteArray::number(level);
        if (level > maxCheckedDepth) { // not seen: framed by count, the codec refuses it
            QTest::newRow(name.constData())
                << input << maxCheckedDepth << Messages{opens + swapped, kCall} << Messages(2);
            return;
        }
        // Seen at that byte; the closers after it complete the broken value by count, so they
        // are skipped and the skip ends right before the newline.
        QTest::newRow(name.constData())
            << input << maxCheckedDepth << Messages{opens + swapped.left(n - level + 1), kCall}
            << Messages{kMismatch, ""};
    };
    for (int level : {1, 2, 63, 64, 65, 66, 128, 129, 200})
        wrongAt(200, level, 512);
    for (int level : {1, 2, 3, 5, 10})
        wrongAt(10, level, 2);
    for (int level : {1, 500, 512, 513, 550, 600})
        wrongAt(600, level, 512);
    wrongAt(1, 1, 0);

    const QByteArray deep = nested(600, &closers) + closers;
    QTest::newRow("600 levels, valid") << deep << 512 << Messages{deep} << Messages(1);
    QTest::newRow("grammar unchecked below the checked depth")
        << QByteArray("[[[1 2 : ,]]]") << 1 << Messages{"[[[1 2 : ,]]]"} << Messages(1);
    QTest::newRow("stray closer with nothing checked")
        << QByteArray("}[}") << 0 << Messages{"}", "[}"} << Messages{kStray, ""};
}

void TestJsonStreamFramer::checkedDepth()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxCheckedDepth);
    QFETCH(Messages, expected);
    QFETCH(Messages, errors);
    verifyFraming(input, 1024 * 1024, maxCheckedDepth, Outcome{expected, errors, false, false});
}

// The hot path copies nothing: a message complete within one read is delivered as a view of
// the bytes read, syntax errors included.
void TestJsonStreamFramer::payloadIsAViewOfTheFedBytes()
{
    struct Sink final : FrameSink
    {
        QByteArrayView fed;
        QList<bool> inside;
        void onFrame(const Frame& frame) override
        {
            inside << (frame.payload.data() >= fed.data() &&
                       frame.payload.data() + frame.payload.size() <= fed.data() + fed.size());
        }
    } sink;
    JsonStreamFramer framer;
    const QByteArray input = R"({"a":[1,2]} [3] "s" 4 ] [1}  {"b":)";
    sink.fed = input;
    QVERIFY(framer.feed(input, sink));
    QCOMPARE(sink.inside, QList<bool>(6, true));
    // The rest of a message that spanned reads comes from the framer's buffer.
    const QByteArray rest = "2}";
    sink.fed = rest;
    QVERIFY(framer.feed(rest, sink));
    QCOMPARE(sink.inside.size(), 7);
    QVERIFY(!sink.inside.last());
}

void TestJsonStreamFramer::finishReportsATruncatedMessage()
{
    JsonStreamFramer framer;
    FrameCollector frames;
    QVERIFY(framer.feed("{} [1", frames));
    QVERIFY(!framer.finish(frames));
    QCOMPARE(framer.error().kind, FrameError::Kind::Truncated);
    QVERIFY(!framer.feed("{}", frames)); // nothing more after an error
    QCOMPARE(frames.payloads, Messages({"{}"}));
    framer.reset();
    QVERIFY(!framer.error().isError());
    QVERIFY(framer.feed("[2] ", frames));
    QVERIFY(framer.finish(frames));
    QCOMPARE(frames.payloads, Messages({"{}", "[2]"}));
}

// While the rest of a broken message is skipped nothing is buffered, but the message is still
// under way (the server's idle timeout keeps running); closing then is not a truncation, the
// message has been delivered already.
void TestJsonStreamFramer::skippingIsPartialButNotBuffered()
{
    JsonStreamFramer framer;
    FrameCollector frames;
    QVERIFY(framer.feed(R"({"a" 1, "b": [2, )", frames));
    QCOMPARE(frames.payloads, Messages({R"({"a" 1)"}));
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.bufferedBytes(), 0);
    QVERIFY(framer.feed(QByteArray(100000, ' '), frames)); // still skipping, still nothing buffered
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.bufferedBytes(), 0);
    QVERIFY(framer.feed("3]}", frames));
    QVERIFY(!framer.hasPartial());
    QVERIFY(framer.feed("[x\n", frames)); // a newline ends the skip
    QVERIFY(!framer.hasPartial());
    QVERIFY(framer.feed("[1 2 ", frames));
    QVERIFY(framer.hasPartial());
    QVERIFY(framer.finish(frames));
    QCOMPARE(frames.payloads, Messages({R"({"a" 1)", "[x", "[1 2"}));
    // A message buffered after the skip ended is truncated as usual.
    framer.reset();
    QVERIFY(framer.feed("[1 2]\n[3", frames));
    QVERIFY(!framer.finish(frames));
    QCOMPARE(framer.error().kind, FrameError::Kind::Truncated);
    // reset() leaves the skip.
    framer.reset();
    QVERIFY(framer.feed("{\"a\" 1", frames));
    QVERIFY(framer.hasPartial());
    framer.reset();
    QVERIFY(!framer.hasPartial());
    QVERIFY(framer.feed("[4]", frames));
    QCOMPARE(frames.payloads.last(), QByteArray("[4]"));
}

void TestJsonStreamFramer::tooLargeStopsAtTheLimit()
{
    const qsizetype max = 1024 * 1024;
    // One 64 MiB read of '[': refused without buffering it.
    {
        JsonStreamFramer framer(max);
        FrameCollector out;
        const QByteArray flood(64 * 1024 * 1024, '[');
        QVERIFY(!framer.feed(flood, out));
        QCOMPARE(framer.error().kind, FrameError::Kind::TooLarge);
        QCOMPARE(framer.error().reason, QStringLiteral("message larger than 1048576 bytes"));
        QVERIFY(out.payloads.isEmpty());
        QCOMPARE(framer.bufferedBytes(), 0);
        QVERIFY(!framer.feed("{}", out)); // stays failed
        QVERIFY(out.payloads.isEmpty());
    }
    // The same flood in 64 KiB reads: the buffer never exceeds the limit and the error comes
    // with the first read that crosses it.
    {
        JsonStreamFramer framer(max);
        FrameCollector out;
        const QByteArray chunk(64 * 1024, '[');
        qsizetype fed = 0;
        bool ok = true;
        while (ok && fed < 64 * max) {
            ok = framer.feed(chunk, out);
            fed += chunk.size();
            if (ok) {
                QVERIFY(framer.bufferedBytes() <= max);
                QVERIFY(framer.hasPartial());
            }
        }
        QVERIFY(!ok);
        QCOMPARE(framer.error().kind, FrameError::Kind::TooLarge);
        QVERIFY(fed > max);
        QVERIFY(fed <= max + chunk.size());
    }
}

void TestJsonStreamFramer::resetAfterTooLarge()
{
    JsonStreamFramer framer(8);
    FrameCollector out;
    QVERIFY(!framer.feed(R"({"toolong":1})", out));
    framer.reset();
    QVERIFY(!framer.error().isError());
    QVERIFY(!framer.hasPartial());
    QVERIFY(framer.feed("{\"a\":", out));
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.bufferedBytes(), 5);
    QVERIFY(framer.feed("1}", out));
    QCOMPARE(out.payloads, Messages({"{\"a\":1}"}));
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
    FrameCollector out;
    for (qsizetype i = 0; i < message.size(); ++i)
        QVERIFY(framer.feed(QByteArrayView(message).sliced(i, 1), out));
    QCOMPARE(out.payloads.size(), 1);
    QCOMPARE(out.payloads.first(), message);

    // The same in one read, plus a string made only of escapes (worst case for the escape skip).
    const QByteArray escapes = "[\"" + QByteArray(1024 * 1024, '\\') + "\"]";
    out = FrameCollector();
    QVERIFY(framer.feed(message + escapes, out));
    QCOMPARE(out.payloads, Messages({message, escapes}));
    QCOMPARE(out.syntaxErrors, Messages(2));
    QVERIFY(!framer.hasPartial());
}

void TestJsonStreamFramer::frameAppendsNewline()
{
    QCOMPARE(JsonStreamFramer::frame(R"({"a":1})"), QByteArray("{\"a\":1}\n"));
    // What frame() produces is framed back to the same message.
    JsonStreamFramer framer;
    FrameCollector out;
    QVERIFY(framer.feed(JsonStreamFramer::frame("[1]") + JsonStreamFramer::frame("2"), out));
    QCOMPARE(out.payloads, Messages({"[1]", "2"}));
}

QTEST_GUILESS_MAIN(TestJsonStreamFramer)
#include "tst_jsonstreamframer.moc"
