// LspFramer: every input is fed whole, byte by byte and in random chunks (several seeds);
// all deliveries must give the same payloads and the same status.

#include "wire/LspFramer.h"

#include "ChunkSplitter.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::kChunkSeeds;

namespace {

constexpr qsizetype kMiB = 1024 * 1024;
using Messages = QList<QByteArray>;

QByteArray lsp(const QByteArray& payload)
{
    return "Content-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" + payload;
}

} // namespace

class TestLspFramer : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void tooLargeWithoutWaitingForTheBody();
    void resetAfterError();
    void frameRoundTrip();
};

void TestLspFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxMessage");
    QTest::addColumn<qsizetype>("maxHeader");
    QTest::addColumn<Messages>("expected");
    QTest::addColumn<LspFramer::Status>("status");
    QTest::addColumn<bool>("partial");

    auto ok = [&](const char* name, const QByteArray& input, const Messages& expected, bool partial = false) {
        QTest::newRow(name) << input << kMiB << qsizetype(1024) << expected << LspFramer::Status::Ok
                            << partial;
    };
    auto bad = [&](const char* name, const QByteArray& input, const Messages& expected,
                   LspFramer::Status status, qsizetype maxMessage = kMiB, qsizetype maxHeader = 1024) {
        QTest::newRow(name) << input << maxMessage << maxHeader << expected << status << false;
    };

    const QByteArray call = R"({"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1})";
    const QByteArray note = R"({"jsonrpc":"2.0","method":"update","params":[1,2,3,4,5]})";
    ok("single", lsp(call), {call});
    ok("two back to back", lsp(call) + lsp(note), {call, note});
    ok("lower-case name", "content-length: 2\r\n\r\n{}", {"{}"});
    ok("mixed-case name, no space", "CONTENT-length:2\r\n\r\n[]", {"[]"});
    ok("with Content-Type",
       "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", {"{}"});
    ok("Content-Type first", "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n[1]", {"[1]"});
    ok("LF line endings", "Content-Length: 2\n\n{}Content-Length: 1\n\n7", {"{}", "7"});
    ok("body looks like headers", lsp("\r\n\r\nContent-Length: 5\r\n\r\n"),
       {"\r\n\r\nContent-Length: 5\r\n\r\n"});
    ok("utf-8 length in bytes", lsp("{\"s\":\"日本語🎉\"}"), {"{\"s\":\"日本語🎉\"}"});
    ok("binary body", lsp(QByteArray("\0\xff\r\n", 4)), {QByteArray("\0\xff\r\n", 4)});
    ok("zero length", "Content-Length: 0\r\n\r\n" + lsp("{}"), {"", "{}"});
    ok("identical duplicate", "Content-Length: 2\r\ncontent-length: 2\r\n\r\n{}", {"{}"});
    ok("blank lines between messages", lsp("{}") + "\r\n" + lsp("[]") + "\n", {"{}", "[]"});
    ok("value with spaces", "Content-Length:   2  \r\n\r\n{}", {"{}"});
    ok("many messages", lsp("1") + lsp("22") + lsp("333") + lsp("4444") + lsp("55555"),
       {"1", "22", "333", "4444", "55555"});
    ok("partial header", "Content-Len", {}, true);
    ok("partial body", lsp(call) + "Content-Length: 10\r\n\r\n{\"a\"", {call}, true);
    ok("empty", "", {});

    bad("missing Content-Length", "Content-Type: application/json\r\n\r\n{}", {},
        LspFramer::Status::BadHeader);
    bad("non-numeric", "Content-Length: abc\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("negative", "Content-Length: -5\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("plus sign", "Content-Length: +5\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("empty value", "Content-Length:\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("hex", "Content-Length: 0x10\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("conflicting duplicates", "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", {},
        LspFramer::Status::BadHeader);
    bad("garbage line", "hello there\r\n\r\n", {}, LspFramer::Status::BadHeader);
    bad("after a good message", lsp("{}") + "Content-Length: x\r\n\r\n", {"{}"},
        LspFramer::Status::BadHeader);
    bad("header block too long", "Content-Length: 2\r\nX-Pad: " + QByteArray(200, 'a'), {},
        LspFramer::Status::BadHeader, kMiB, 64);
    bad("endless header line", QByteArray(5000, 'C'), {}, LspFramer::Status::BadHeader, kMiB, 1024);
    bad("header block too long, blank line after the limit",
        "Content-Length: 2\r\nX-Pad: " + QByteArray(100, 'a') + "\r\n\r\n{}", {},
        LspFramer::Status::BadHeader, kMiB, 64);
    bad("body over limit", "Content-Length: 11\r\n\r\n{\"a\":12345}", {}, LspFramer::Status::TooLarge, 10);
    bad("huge number", "Content-Length: 99999999999999999999999999\r\n\r\n", {}, LspFramer::Status::TooLarge);
    bad("at limit then over", lsp("0123456789") + lsp("0123456789a"), {"0123456789"},
        LspFramer::Status::TooLarge, 10);
}

void TestLspFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxMessage);
    QFETCH(qsizetype, maxHeader);
    QFETCH(Messages, expected);
    QFETCH(LspFramer::Status, status);
    QFETCH(bool, partial);

    QString firstError; // the error text must not depend on how the input was split (fuzzing found it did)
    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const QByteArray where =
                QByteArray("mode ") + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            LspFramer framer(maxMessage, maxHeader);
            Messages out;
            LspFramer::Status got = LspFramer::Status::Ok;
            for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
                got = framer.feed(chunk, out);
                if (got != LspFramer::Status::Ok)
                    break;
            }
            QVERIFY2(out == expected, where.constData());
            QVERIFY2(got == status, where.constData());
            if (status == LspFramer::Status::Ok) {
                QVERIFY2(framer.hasPartial() == partial, where.constData());
                QVERIFY(framer.errorString().isEmpty());
            } else {
                QVERIFY2(!framer.errorString().isEmpty(), where.constData());
                if (firstError.isEmpty())
                    firstError = framer.errorString();
                QCOMPARE(framer.errorString(), firstError);
                QCOMPARE(framer.feed(lsp("{}"), out), status); // stays failed until reset()
            }
            if (mode != 2)
                break;
        }
    }
}

void TestLspFramer::tooLargeWithoutWaitingForTheBody()
{
    LspFramer framer(1000);
    Messages out;
    QCOMPARE(framer.feed("Content-Length: 1001\r\n\r\n", out), LspFramer::Status::TooLarge);
    QVERIFY(framer.errorString().contains("1000"));
    QCOMPARE(framer.bufferedBytes(), 0);
}

void TestLspFramer::resetAfterError()
{
    LspFramer framer;
    Messages out;
    QCOMPARE(framer.feed("Content-Length: nope\r\n\r\n", out), LspFramer::Status::BadHeader);
    QVERIFY(framer.errorString().contains("Content-Length"));
    framer.reset();
    QVERIFY(framer.errorString().isEmpty());
    QCOMPARE(framer.feed("Content-Length: 2\r\n\r\n{", out), LspFramer::Status::Ok);
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.feed("}", out), LspFramer::Status::Ok);
    QCOMPARE(out, Messages({"{}"}));
    QVERIFY(!framer.hasPartial());
}

void TestLspFramer::frameRoundTrip()
{
    QCOMPARE(LspFramer::frame("{}"), QByteArray("Content-Length: 2\r\n\r\n{}"));
    const QByteArray payload = "{\"s\":\"é\"}";
    LspFramer framer;
    Messages out;
    QCOMPARE(framer.feed(LspFramer::frame(payload) + LspFramer::frame(""), out), LspFramer::Status::Ok);
    QCOMPARE(out, Messages({payload, ""}));
}

QTEST_GUILESS_MAIN(TestLspFramer)
#include "tst_lspframer.moc"
