// The HTTP parser core shared by HttpRequestParser and HttpResponseParser (HttpParser): every
// row whose rule is the same on both sides runs through both — the same framing headers and
// body bytes behind a request line and behind a status line must give the same bodies, the
// same error kind and the same partial state, fed whole, byte by byte and in random chunks.
// The rules that differ per side have their own table, so a difference is always deliberate.

#include "wire/HttpRequestParser.h"
#include "wire/HttpResponseParser.h"

#include "ChunkSplitter.h"
#include "FrameCollector.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::FrameCollector;
using rpcbench::test::kChunkSeeds;

namespace {

using Kind = FrameError::Kind;
using Bodies = QList<QByteArray>;

constexpr qsizetype kMaxBody = 100;
constexpr qsizetype kMaxHead = 256; // the same for both sides here, so its rows are shared too

const QByteArray kRequestLine = "POST /rpc HTTP/1.1\r\n";
const QByteArray kStatusLine = "HTTP/1.1 200 OK\r\n";

// What one parser made of a stream.
struct Outcome
{
    Bodies bodies;
    Kind kind = Kind::None;
    int httpStatus = 0;
    bool partial = false;
};

template <class Parser> Outcome parse(const QByteArray& input, int mode, quint32 seed, bool close = false)
{
    Parser parser(kMaxBody, kMaxHead);
    FrameCollector frames;
    bool ok = true;
    for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
        ok = parser.feed(chunk, frames);
        if (!ok)
            break;
    }
    Outcome out;
    out.partial = ok && parser.hasPartial();
    if (ok && close)
        parser.finish(frames);
    out.bodies = frames.payloads;
    out.kind = parser.error().kind;
    out.httpStatus = parser.error().httpStatus;
    return out;
}

} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT

private slots:
    void sharedRules_data();
    void sharedRules();
    void rulesThatDiffer_data();
    void rulesThatDiffer();
};

// `message` is everything after the start line: header lines, blank line, body — and maybe
// more messages, each of which gets the side's start line in front (written "<start>").
void TestHttpParser::sharedRules_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<Bodies>("bodies");
    QTest::addColumn<Kind>("kind"); // None = no error
    QTest::addColumn<int>("requestStatus");
    QTest::addColumn<bool>("partial");

    auto ok = [](const char* name, const QByteArray& message, const Bodies& bodies, bool partial = false) {
        QTest::newRow(name) << message << bodies << Kind::None << 0 << partial;
    };
    auto bad = [](const char* name, const QByteArray& message, const Bodies& bodies, Kind kind, int status) {
        QTest::newRow(name) << message << bodies << kind << status << false;
    };

    ok("Content-Length", "Content-Length: 7\r\n\r\n{\"a\":1}", {"{\"a\":1}"});
    ok("Content-Length 0", "Content-Length: 0\r\n\r\n", {""});
    ok("identical Content-Length list", "Content-Length: 2, 2\r\n\r\n{}", {"{}"});
    ok("identical Content-Length twice", "Content-Length: 2\r\ncontent-length: 2\r\n\r\n[]", {"[]"});
    ok("body with CRLFs", "Content-Length: 8\r\n\r\n{\r\n\r\n}\r\n", {"{\r\n\r\n}\r\n"});
    ok("LF line endings", "Content-Length: 2\n\n{}", {"{}"});
    ok("Content-Length at the limit", "Content-Length: 100\r\n\r\n" + QByteArray(100, 'x'),
       {QByteArray(100, 'x')});
    ok("pipelined", "Content-Length: 1\r\n\r\n1<start>Content-Length: 2\r\n\r\n22", {"1", "22"});
    ok("chunked with extensions and trailer",
       "Transfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n",
       {"Wikipedia"});
    ok("chunked upper-case hex, mixed-case coding",
       "transfer-encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", {"0123456789"});
    ok("chunked empty", "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", {""});
    ok("chunked then pipelined",
       "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n<start>Content-Length: 1\r\n\r\nb", {"a", "b"});
    ok("chunked up to the limit",
       "Transfer-Encoding: chunked\r\n\r\n32\r\n" + QByteArray(50, 'x') + "\r\n32\r\n" + QByteArray(50, 'y') +
           "\r\n0\r\n\r\n",
       {QByteArray(50, 'x') + QByteArray(50, 'y')});
    ok("lying Content-Length waits", "Content-Length: 10\r\n\r\n{}", {}, true);
    ok("incomplete head", "Host: x\r\n", {}, true);
    ok("incomplete chunk", "Transfer-Encoding: chunked\r\n\r\n5\r\nab", {}, true);

    bad("invalid Content-Length", "Content-Length: abc\r\n\r\n", {}, Kind::BadHeader, 400);
    bad("negative Content-Length", "Content-Length: -1\r\n\r\n", {}, Kind::BadHeader, 400);
    bad("conflicting Content-Length", "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", {}, Kind::BadHeader,
        400);
    bad("conflicting Content-Length list", "Content-Length: 2, 3\r\n\r\n{}", {}, Kind::BadHeader, 400);
    bad("Content-Length over the limit", "Content-Length: 101\r\n\r\n", {}, Kind::TooLarge, 413);
    bad("huge Content-Length", "Content-Length: 123456789012345678901234567890\r\n\r\n", {}, Kind::TooLarge,
        413);
    bad("chunked over the limit",
        "Transfer-Encoding: chunked\r\n\r\n32\r\n" + QByteArray(50, 'x') + "\r\n33\r\n", {}, Kind::TooLarge,
        413);
    bad("unsupported coding", "Transfer-Encoding: gzip, chunked\r\n\r\n", {}, Kind::BadHeader, 501);
    bad("bad chunk size", "Transfer-Encoding: chunked\r\n\r\nzz\r\n", {}, Kind::Malformed, 400);
    bad("chunk without CRLF", "Transfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n", {}, Kind::Malformed,
        400);
    bad("bad trailer", "Transfer-Encoding: chunked\r\n\r\n0\r\nnot a trailer\r\n\r\n", {}, Kind::Malformed,
        400);
    bad("obs-fold", "X-A: 1\r\n  continued\r\nContent-Length: 0\r\n\r\n", {}, Kind::BadHeader, 400);
    bad("header without colon", "this is not a header\r\n\r\n", {}, Kind::BadHeader, 400);
    bad("space before colon", "Content-Length : 2\r\n\r\n{}", {}, Kind::BadHeader, 400);
    bad("control byte in value", QByteArray("X-A: a\x01z\r\n\r\n"), {}, Kind::BadHeader, 400);
    bad("head over the limit", "X-Big: " + QByteArray(300, 'a') + "\r\n\r\n", {}, Kind::BadHeader, 431);
    bad("endless head", "X-Big: " + QByteArray(300, 'a'), {}, Kind::BadHeader, 431);
    bad("endless chunk extension",
        "Transfer-Encoding: chunked\r\n\r\n1;x=" + QByteArray(300, 'e') + "\r\na\r\n", {}, Kind::Malformed,
        400);
    bad("trailers over the limit",
        "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + QByteArray(300, 't') + "\r\n\r\n", {},
        Kind::Malformed, 400);
    bad("good then bad", "Content-Length: 2\r\n\r\n{}<start>Content-Length: x\r\n\r\n", {"{}"},
        Kind::BadHeader, 400);
}

void TestHttpParser::sharedRules()
{
    QFETCH(QByteArray, message);
    QFETCH(Bodies, bodies);
    QFETCH(Kind, kind);
    QFETCH(int, requestStatus);
    QFETCH(bool, partial);

    QByteArray request = kRequestLine + message;
    request.replace("<start>", kRequestLine);
    QByteArray response = kStatusLine + message;
    response.replace("<start>", kStatusLine);
    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const QByteArray where = "mode " + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            const Outcome req = parse<HttpRequestParser>(request, mode, seed);
            const Outcome resp = parse<HttpResponseParser>(response, mode, seed);
            QVERIFY2(req.bodies == bodies, "request, " + where + ": " + req.bodies.join(" | "));
            QVERIFY2(resp.bodies == bodies, "response, " + where + ": " + resp.bodies.join(" | "));
            QVERIFY2(req.kind == kind, "request, " + where);
            QVERIFY2(resp.kind == kind, "response, " + where);
            QCOMPARE(req.httpStatus, requestStatus);
            QCOMPARE(resp.httpStatus, 0); // a client answers nothing
            QCOMPARE(req.partial, partial);
            QCOMPARE(resp.partial, partial);
            if (mode != 2)
                break;
        }
    }
}

void TestHttpParser::rulesThatDiffer_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<Bodies>("requestBodies");
    QTest::addColumn<Kind>("requestKind");
    QTest::addColumn<Bodies>("responseBodies"); // after the server closed (finish())
    QTest::addColumn<Kind>("responseKind");

    // No framing header: a request has no body (the bytes after its head start the next
    // request), a response runs until the close.
    QTest::newRow("no length") << QByteArray("Host: x\r\n\r\nabc") << Bodies{""} << Kind::None
                               << Bodies{"abc"} << Kind::None;
    // Both framings: request smuggling on a server; in a response the transfer coding wins.
    QTest::newRow("Content-Length and chunked")
        << QByteArray("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        << Bodies{} << Kind::BadHeader << Bodies{"{}"} << Kind::None;
}

void TestHttpParser::rulesThatDiffer()
{
    QFETCH(QByteArray, message);
    QFETCH(Bodies, requestBodies);
    QFETCH(Kind, requestKind);
    QFETCH(Bodies, responseBodies);
    QFETCH(Kind, responseKind);

    for (int mode = 0; mode < 2; ++mode) {
        const Outcome req = parse<HttpRequestParser>(kRequestLine + message, mode, 1);
        const Outcome resp = parse<HttpResponseParser>(kStatusLine + message, mode, 1, true);
        QCOMPARE(req.kind, requestKind);
        QCOMPARE(req.bodies, requestBodies);
        QCOMPARE(resp.kind, responseKind);
        QCOMPARE(resp.bodies, responseBodies);
    }
}

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
