// HttpRequestParser: every input is fed whole, byte by byte and in random chunks (several
// seeds); all deliveries must give the same requests and the same error status.

#include "wire/HttpRequestParser.h"
#include "wire/HttpWriter.h"

#include "ChunkSplitter.h"
#include "FrameCollector.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::FrameCollector;
using rpcbench::test::kChunkSeeds;

namespace {

// One line per request, so a whole pipeline compares as a list of strings.
QByteArray summary(const HttpRequest& r)
{
    return r.method + ' ' + r.target + ' ' + r.version + (r.keepAlive ? " keep-alive" : " close") + " [" +
           r.body + ']';
}

using Summaries = QList<QByteArray>;

constexpr qsizetype kMiB = 1024 * 1024;

// Feeds `data` in one call; the requests delivered so far.
QList<HttpRequest> feedAll(HttpRequestParser& parser, QByteArrayView data, bool* ok = nullptr)
{
    FrameCollector frames;
    const bool fed = parser.feed(data, frames);
    if (ok)
        *ok = fed;
    return frames.requests;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void parsing_data();
    void parsing();
    void expectContinue_data();
    void expectContinue();
    void headersAreKept();
    void hugeBodyByteByByte();
    void buildHttpPostRoundTrip();
    void resetAfterError();
    void finishInsideARequest();
};

void TestHttpRequestParser::parsing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxBody");
    QTest::addColumn<qsizetype>("maxHeader");
    QTest::addColumn<Summaries>("expected");
    QTest::addColumn<int>("errorStatus"); // 0 = no error
    QTest::addColumn<bool>("partial");

    auto ok = [](const char* name, const QByteArray& input, const Summaries& expected, bool partial = false) {
        QTest::newRow(name) << input << kMiB << qsizetype(8192) << expected << 0 << partial;
    };
    auto bad = [](const char* name, const QByteArray& input, const Summaries& expected, int status,
                  qsizetype maxBody = kMiB, qsizetype maxHeader = 8192) {
        QTest::newRow(name) << input << maxBody << maxHeader << expected << status << false;
    };

    const QByteArray call = R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})";
    const QByteArray post = "POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            "Content-Length: " +
                            QByteArray::number(call.size()) + "\r\n\r\n" + call;
    const QByteArray postSummary = "POST /rpc HTTP/1.1 keep-alive [" + call + "]";

    ok("simple POST", post, {postSummary});
    ok("curl with Expect",
       "POST / HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n"
       "Content-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}",
       {"POST / HTTP/1.1 keep-alive [{}]"});
    ok("GET without body", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", {"GET / HTTP/1.1 keep-alive []"});
    ok("POST without length", "POST /rpc HTTP/1.1\r\nHost: x\r\n\r\n", {"POST /rpc HTTP/1.1 keep-alive []"});
    ok("Content-Length 0", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", {"POST / HTTP/1.1 keep-alive []"});
    ok("pipelined keep-alive", post + "GET /openrpc.json HTTP/1.1\r\nHost: x\r\n\r\n" + post,
       {postSummary, "GET /openrpc.json HTTP/1.1 keep-alive []", postSummary});
    ok("pipelined, last closes",
       post + "POST /b HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\n[1]",
       {postSummary, "POST /b HTTP/1.1 close [[1]]"});
    ok("chunked with extensions and trailer",
       "POST /rpc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
       "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE; name=\"quoted\"\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: "
       "1\r\n\r\n",
       {"POST /rpc HTTP/1.1 keep-alive [Wikipedia in\r\n\r\nchunks.]"});
    ok("chunked upper-case hex, then pipelined",
       "POST / HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n" + post,
       {"POST / HTTP/1.1 keep-alive [0123456789]", postSummary});
    ok("chunked empty", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       {"POST / HTTP/1.1 keep-alive []"});
    ok("HTTP/1.0 closes", "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}", {"POST / HTTP/1.0 close [{}]"});
    ok("HTTP/1.0 keep-alive", "POST / HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}",
       {"POST / HTTP/1.0 keep-alive [{}]"});
    ok("HTTP/1.1 Connection: close", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
       {"GET / HTTP/1.1 close []"});
    ok("Connection token list", "GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n",
       {"GET / HTTP/1.1 close []"});
    ok("leading blank lines", "\r\n\r\nGET / HTTP/1.1\r\n\r\n", {"GET / HTTP/1.1 keep-alive []"});
    ok("bare LF line endings", "POST / HTTP/1.1\nContent-Length: 2\n\n{}",
       {"POST / HTTP/1.1 keep-alive [{}]"});
    ok("identical Content-Length list", "POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n{}",
       {"POST / HTTP/1.1 keep-alive [{}]"});
    ok("body with CRLFs and braces", "POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\n{\r\n\r\n}\r\n",
       {"POST / HTTP/1.1 keep-alive [{\r\n\r\n}\r\n]"});
    ok("lying Content-Length waits", "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}", {}, true);
    ok("incomplete head", "POST / HTTP/1.1\r\nHost: x\r\n", {}, true);
    ok("incomplete chunk", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", {}, true);
    ok("other methods parsed", "DELETE /x HTTP/1.1\r\n\r\n", {"DELETE /x HTTP/1.1 keep-alive []"});

    bad("invalid Content-Length", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", {}, 400);
    bad("negative Content-Length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", {}, 400);
    bad("conflicting Content-Length", "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        {}, 400);
    bad("conflicting Content-Length list", "POST / HTTP/1.1\r\nContent-Length: 2, 3\r\n\r\n{}", {}, 400);
    bad("Content-Length and chunked",
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", {}, 400);
    bad("gzip coding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", {}, 501);
    bad("identity coding", "POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", {}, 501);
    bad("obs-fold", "GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", {}, 400);
    bad("header without colon", "GET / HTTP/1.1\r\nthis is not a header\r\n\r\n", {}, 400);
    bad("space before colon", "POST / HTTP/1.1\r\nContent-Length : 2\r\n\r\n{}", {}, 400);
    bad("control byte in value", QByteArray("GET / HTTP/1.1\r\nX-A: a\x01z\r\n\r\n"), {}, 400);
    bad("garbage request line", "GARBAGE\r\n\r\n", {}, 400);
    bad("missing version", "POST /rpc\r\n\r\n", {}, 400);
    bad("double space", "POST  /rpc HTTP/1.1\r\n\r\n", {}, 400);
    bad("not http", "POST /rpc FTP/1.1\r\n\r\n", {}, 400);
    bad("HTTP/2.0", "POST / HTTP/2.0\r\n\r\n", {}, 505);
    bad("HTTP/1.2", "POST / HTTP/1.2\r\n\r\n", {}, 505);
    bad("HTTP/3", "GET / HTTP/3\r\n\r\n", {}, 505);
    bad("huge header", "GET / HTTP/1.1\r\nX-Big: " + QByteArray(10000, 'a') + "\r\n\r\n", {}, 431);
    bad("endless head", "GET / HTTP/1.1\r\nX-Big: " + QByteArray(10000, 'a'), {}, 431);
    bad("body over limit", "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", {}, 413, 100);
    bad("huge Content-Length", "POST / HTTP/1.1\r\nContent-Length: 123456789012345678901234567890\r\n\r\n",
        {}, 413);
    bad("chunked over limit",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n" + QByteArray(50, 'x') + "\r\n33\r\n",
        {}, 413, 100);
    bad("bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", {}, 400);
    bad("chunk without CRLF", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n",
        {}, 400);
    bad("bad trailer", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nnot a trailer\r\n\r\n", {},
        400);
    bad("endless chunk extension",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;x=" + QByteArray(9000, 'e') + "\r\na\r\n", {},
        400);
    bad("good then garbage", post + "HELLO\r\n\r\n", {postSummary}, 400);
}

void TestHttpRequestParser::parsing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxBody);
    QFETCH(qsizetype, maxHeader);
    QFETCH(Summaries, expected);
    QFETCH(int, errorStatus);
    QFETCH(bool, partial);

    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const QByteArray where =
                QByteArray("mode ") + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            HttpRequestParser parser(maxBody, maxHeader);
            FrameCollector frames;
            bool ok = true;
            for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
                ok = parser.feed(chunk, frames);
                if (!ok)
                    break;
            }
            Summaries got;
            for (const HttpRequest& r : std::as_const(frames.requests))
                got.append(summary(r));
            QVERIFY2(got == expected, where + ": " + got.join(" | "));
            QCOMPARE(frames.payloads.size(), frames.requests.size());
            for (qsizetype i = 0; i < frames.requests.size(); ++i)
                QCOMPARE(frames.payloads[i], frames.requests[i].body); // the payload is the body
            const FrameError& error = parser.error();
            QVERIFY2(error.httpStatus == errorStatus, where + ": status " +
                                                          QByteArray::number(error.httpStatus) + " " +
                                                          error.reason.toUtf8());
            if (errorStatus == 0) {
                QVERIFY(ok);
                QVERIFY(!error.isError());
                QVERIFY2(parser.hasPartial() == partial, where.constData());
            } else {
                QVERIFY(!ok);
                QVERIFY(error.isError());
                QVERIFY(!error.reason.isEmpty());
                bool again = true;
                QVERIFY(feedAll(parser, "GET / HTTP/1.1\r\n\r\n", &again).isEmpty());
                QVERIFY(!again);
            }
            if (mode != 2)
                break;
        }
    }
}

void TestHttpRequestParser::expectContinue_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("wantsContinue");

    const QByteArray body(1100, 'x'); // curl sends Expect for bodies over 1 KiB
    QTest::newRow("curl") << QByteArray(
                                 "POST / HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUser-Agent: curl/7.88.1\r\n"
                                 "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 1100\r\n"
                                 "Expect: 100-continue\r\n\r\n")
                          << body << true;
    QTest::newRow("case-insensitive")
        << QByteArray("POST / HTTP/1.1\r\nexpect: 100-Continue\r\nContent-Length: 1100\r\n\r\n") << body
        << true;
    QTest::newRow("chunked")
        << QByteArray("POST / HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
        << QByteArray("3\r\nabc\r\n0\r\n\r\n") << true;
    QTest::newRow("no Expect") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1100\r\n\r\n") << body
                               << false;
    QTest::newRow("no body") << QByteArray(
                                    "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n")
                             << QByteArray() << false;
    QTest::newRow("HTTP/1.0 ignores it")
        << QByteArray("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1100\r\n\r\n") << body
        << false;
}

void TestHttpRequestParser::expectContinue()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, body);
    QFETCH(bool, wantsContinue);

    // Head first: the client now waits for "100 Continue" before sending the body.
    HttpRequestParser parser;
    FrameCollector out;
    QVERIFY(parser.feed(head, out));
    QCOMPARE(parser.takeInterimReply(),
             wantsContinue ? QByteArray("HTTP/1.1 100 Continue\r\n\r\n") : QByteArray());
    QVERIFY(parser.takeInterimReply().isEmpty()); // only once
    if (!body.isEmpty()) {
        QVERIFY(out.requests.isEmpty());
        QVERIFY(parser.feed(body.first(body.size() / 2), out));
        QVERIFY(parser.takeInterimReply().isEmpty()); // still only once
        QVERIFY(parser.feed(body.sliced(body.size() / 2), out));
    }
    QCOMPARE(out.requests.size(), 1);
    QVERIFY(!parser.hasPartial());

    // Head and body in one read: the body is already here, no interim response is due.
    HttpRequestParser whole;
    bool ok = false;
    QCOMPARE(feedAll(whole, head + body, &ok).size(), 1);
    QVERIFY(ok);
    QVERIFY(whole.takeInterimReply().isEmpty());

    // The body came before the caller asked: the request is complete, "100 Continue" would
    // now arrive after the final response, so it is no longer requested.
    HttpRequestParser late;
    FrameCollector lateOut;
    QVERIFY(late.feed(head, lateOut));
    QVERIFY(late.feed(body, lateOut));
    QCOMPARE(lateOut.requests.size(), 1);
    QVERIFY(late.takeInterimReply().isEmpty());
}

void TestHttpRequestParser::headersAreKept()
{
    HttpRequestParser parser;
    const QList<HttpRequest> out = feedAll(
        parser,
        "POST /rpc?x=1 HTTP/1.1\r\nHost: 127.0.0.1:5000\r\ncontent-type:application/json; charset=utf-8\r\n"
        "X-Empty:\r\nContent-Length: 2\r\n\r\n{}");
    QCOMPARE(out.size(), 1);
    const HttpRequest& r = out.first();
    QCOMPARE(r.target, QByteArray("/rpc?x=1"));
    QCOMPARE(r.headers.size(), 4);
    QCOMPARE(r.headers.at(1).first, QByteArray("content-type")); // names as received
    QCOMPARE(httpHeader(r.headers, "Content-Type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(httpHeader(r.headers, "HOST"), QByteArray("127.0.0.1:5000"));
    QCOMPARE(httpHeader(r.headers, "X-Empty"), QByteArray());
    QCOMPARE(httpHeader(r.headers, "Missing"), QByteArray());
}

void TestHttpRequestParser::hugeBodyByteByByte()
{
    // 256 KiB chunked body fed one byte per read: the parser resumes instead of re-scanning.
    QByteArray chunked;
    QByteArray expected;
    for (int i = 0; i < 256; ++i) {
        const QByteArray piece(1024, char('a' + i % 26));
        chunked += "400;i=" + QByteArray::number(i) + "\r\n" + piece + "\r\n";
        expected += piece;
    }
    const QByteArray input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n";
    HttpRequestParser parser;
    FrameCollector out;
    for (qsizetype i = 0; i < input.size(); ++i)
        QVERIFY(parser.feed(QByteArrayView(input).sliced(i, 1), out));
    QCOMPARE(out.requests.size(), 1);
    QCOMPARE(out.requests.first().body, expected);
}

void TestHttpRequestParser::buildHttpPostRoundTrip()
{
    const QByteArray body = R"({"jsonrpc":"2.0","method":"echo","params":["é"],"id":7})";
    const QByteArray wire = buildHttpPost("127.0.0.1:5000", "/rpc", body);
    QVERIFY(wire.startsWith("POST /rpc HTTP/1.1\r\n"));
    HttpRequestParser parser;
    bool ok = false;
    const QList<HttpRequest> out = feedAll(parser, wire, &ok);
    QVERIFY(ok);
    QCOMPARE(out.size(), 1);
    const HttpRequest& r = out.first();
    QCOMPARE(r.body, body);
    QVERIFY(r.keepAlive);
    QCOMPARE(httpHeader(r.headers, "Host"), QByteArray("127.0.0.1:5000"));
    QCOMPARE(httpHeader(r.headers, "Content-Type"), QByteArray("application/json"));
    QCOMPARE(httpHeader(r.headers, "Content-Length"), QByteArray::number(body.size()));
    QCOMPARE(httpHeader(r.headers, "Connection"), QByteArray("keep-alive"));
    // Also an event stream: MCP Streamable HTTP servers answer 406 to a POST without it.
    QCOMPARE(httpHeader(r.headers, "Accept"), QByteArray("application/json, text/event-stream"));
}

void TestHttpRequestParser::resetAfterError()
{
    HttpRequestParser parser;
    bool ok = true;
    QVERIFY(feedAll(parser, "BROKEN\r\n\r\n", &ok).isEmpty());
    QVERIFY(!ok);
    QCOMPARE(parser.error().httpStatus, 400);
    QCOMPARE(parser.error().kind, FrameError::Kind::Malformed);
    parser.reset();
    QCOMPARE(parser.error().httpStatus, 0);
    QVERIFY(!parser.error().isError());
    QVERIFY(!parser.hasPartial());
    QCOMPARE(feedAll(parser, "GET / HTTP/1.1\r\n\r\n", &ok).size(), 1);
    QVERIFY(ok);
}

void TestHttpRequestParser::finishInsideARequest()
{
    // The Framer contract: a close between requests is clean; inside one it is Truncated, and
    // a request has no "until close" body to complete.
    HttpRequestParser parser;
    FrameCollector frames;
    QVERIFY(parser.feed("GET / HTTP/1.1\r\n\r\n", frames));
    QVERIFY(parser.finish(frames));
    QVERIFY(parser.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}", frames));
    QVERIFY(!parser.finish(frames));
    QCOMPARE(parser.error().kind, FrameError::Kind::Truncated);
    QCOMPARE(frames.requests.size(), 1);
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
