// LspFramer: every input is fed whole, byte by byte and in random chunks (several seeds);
// all deliveries must give the same payloads and the same error kind and text.

#include "wire/LspFramer.h"

#include "ChunkSplitter.h"
#include "FrameCollector.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::FrameCollector;
using rpcbench::test::kChunkSeeds;

namespace {

constexpr qsizetype kMiB = 1024 * 1024;
using Messages = QList<QByteArray>;
using Kind = FrameError::Kind;

// Feeds `data` in one call; the payloads delivered so far.
Messages feedAll(LspFramer& framer, QByteArrayView data, bool* ok = nullptr)
{
    FrameCollector frames;
    const bool fed = framer.feed(data, frames);
    if (ok)
        *ok = fed;
    return frames.payloads;
}

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
    void finishInsideAMessage();
    void payloadViewsTheFedBytes();
};

void TestLspFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxMessage");
    QTest::addColumn<qsizetype>("maxHeader");
    QTest::addColumn<Messages>("expected");
    QTest::addColumn<Kind>("kind"); // None = no error
    QTest::addColumn<bool>("partial");

    auto ok = [&](const char* name, const QByteArray& input, const Messages& expected, bool partial = false) {
        QTest::newRow(name) << input << kMiB << qsizetype(1024) << expected << Kind::None << partial;
    };
    auto bad = [&](const char* name, const QByteArray& input, const Messages& expected, Kind kind,
                   qsizetype maxMessage = kMiB, qsizetype maxHeader = 1024) {
        QTest::newRow(name) << input << maxMessage << maxHeader << expected << kind << false;
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

    bad("missing Content-Length", "Content-Type: application/json\r\n\r\n{}", {}, Kind::BadHeader);
    bad("non-numeric", "Content-Length: abc\r\n\r\n", {}, Kind::BadHeader);
    bad("negative", "Content-Length: -5\r\n\r\n", {}, Kind::BadHeader);
    bad("plus sign", "Content-Length: +5\r\n\r\n", {}, Kind::BadHeader);
    bad("empty value", "Content-Length:\r\n\r\n", {}, Kind::BadHeader);
    bad("hex", "Content-Length: 0x10\r\n\r\n", {}, Kind::BadHeader);
    bad("conflicting duplicates", "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", {}, Kind::BadHeader);
    bad("garbage line", "hello there\r\n\r\n", {}, Kind::BadHeader);
    bad("after a good message", lsp("{}") + "Content-Length: x\r\n\r\n", {"{}"}, Kind::BadHeader);
    bad("header block too long", "Content-Length: 2\r\nX-Pad: " + QByteArray(200, 'a'), {}, Kind::BadHeader,
        kMiB, 64);
    bad("endless header line", QByteArray(5000, 'C'), {}, Kind::BadHeader, kMiB, 1024);
    bad("header block too long, blank line after the limit",
        "Content-Length: 2\r\nX-Pad: " + QByteArray(100, 'a') + "\r\n\r\n{}", {}, Kind::BadHeader, kMiB, 64);
    bad("body over limit", "Content-Length: 11\r\n\r\n{\"a\":12345}", {}, Kind::TooLarge, 10);
    bad("huge number", "Content-Length: 99999999999999999999999999\r\n\r\n", {}, Kind::TooLarge);
    bad("at limit then over", lsp("0123456789") + lsp("0123456789a"), {"0123456789"}, Kind::TooLarge, 10);
}

void TestLspFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxMessage);
    QFETCH(qsizetype, maxHeader);
    QFETCH(Messages, expected);
    QFETCH(Kind, kind);
    QFETCH(bool, partial);

    QString firstError; // the error text must not depend on how the input was split (fuzzing found it did)
    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const QByteArray where =
                QByteArray("mode ") + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            LspFramer framer(maxMessage, maxHeader);
            FrameCollector frames;
            bool ok = true;
            for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
                ok = framer.feed(chunk, frames);
                if (!ok)
                    break;
            }
            QVERIFY2(frames.payloads == expected, where.constData());
            QVERIFY2(framer.error().kind == kind, where.constData());
            QCOMPARE(ok, kind == Kind::None);
            if (kind == Kind::None) {
                QVERIFY2(framer.hasPartial() == partial, where.constData());
                QVERIFY(framer.error().reason.isEmpty());
            } else {
                QVERIFY2(!framer.error().reason.isEmpty(), where.constData());
                if (firstError.isEmpty())
                    firstError = framer.error().reason;
                QCOMPARE(framer.error().reason, firstError);
                bool again = true;
                QVERIFY(feedAll(framer, lsp("{}"), &again).isEmpty()); // stays failed until reset()
                QVERIFY(!again);
                QCOMPARE(framer.error().kind, kind);
            }
            if (mode != 2)
                break;
        }
    }
}

void TestLspFramer::tooLargeWithoutWaitingForTheBody()
{
    LspFramer framer(1000);
    bool ok = true;
    QVERIFY(feedAll(framer, "Content-Length: 1001\r\n\r\n", &ok).isEmpty());
    QVERIFY(!ok);
    QCOMPARE(framer.error().kind, Kind::TooLarge);
    QVERIFY(framer.error().reason.contains("1000"));
    QCOMPARE(framer.bufferedBytes(), 0);
}

void TestLspFramer::resetAfterError()
{
    LspFramer framer;
    bool ok = true;
    feedAll(framer, "Content-Length: nope\r\n\r\n", &ok);
    QVERIFY(!ok);
    QCOMPARE(framer.error().kind, Kind::BadHeader);
    QVERIFY(framer.error().reason.contains("Content-Length"));
    framer.reset();
    QVERIFY(!framer.error().isError());
    QVERIFY(framer.error().reason.isEmpty());
    QCOMPARE(feedAll(framer, "Content-Length: 2\r\n\r\n{", &ok), Messages());
    QVERIFY(ok);
    QVERIFY(framer.hasPartial());
    QCOMPARE(feedAll(framer, "}", &ok), Messages({"{}"}));
    QVERIFY(ok);
    QVERIFY(!framer.hasPartial());
}

void TestLspFramer::frameRoundTrip()
{
    QCOMPARE(LspFramer::frame("{}"), QByteArray("Content-Length: 2\r\n\r\n{}"));
    const QByteArray payload = "{\"s\":\"é\"}";
    LspFramer framer;
    bool ok = false;
    QCOMPARE(feedAll(framer, LspFramer::frame(payload) + LspFramer::frame(""), &ok), Messages({payload, ""}));
    QVERIFY(ok);
}

void TestLspFramer::finishInsideAMessage()
{
    // The Framer contract: a close between messages is clean, one inside a message is Truncated.
    LspFramer framer;
    FrameCollector frames;
    QVERIFY(framer.feed(lsp("{}"), frames));
    QVERIFY(framer.finish(frames));
    QVERIFY(framer.feed("Content-Length: 5\r\n\r\n{}", frames));
    QVERIFY(!framer.finish(frames));
    QCOMPARE(framer.error().kind, Kind::Truncated);
    QCOMPARE(frames.payloads, Messages({"{}"}));
}

void TestLspFramer::payloadViewsTheFedBytes()
{
    // A message that arrives in one read is delivered without a copy: the view points into
    // the caller's bytes (the server hot path relies on it).
    struct Probe final : FrameSink
    {
        QByteArrayView data;
        bool inside = false;
        void onFrame(const Frame& frame) override
        {
            inside = frame.payload.data() >= data.data() && frame.payload.data() < data.data() + data.size();
        }
    } probe;
    const QByteArray bytes = lsp("[1,2,3]");
    probe.data = bytes;
    LspFramer framer;
    QVERIFY(framer.feed(bytes, probe));
    QVERIFY(probe.inside);
}

QTEST_GUILESS_MAIN(TestLspFramer)
#include "tst_lspframer.moc"
