// HttpResponseParser (and the response builder): every input is fed whole, byte by byte and
// in random chunks (several seeds), then finish() is called as if the server closed.

#include "wire/HttpResponseParser.h"
#include "wire/HttpWriter.h"

#include "ChunkSplitter.h"
#include "FrameCollector.h"

#include <QTest>

using namespace rpcbench;
using rpcbench::test::chunksOf;
using rpcbench::test::FrameCollector;
using rpcbench::test::kChunkSeeds;

namespace {

QByteArray summary(const HttpResponse& r)
{
    return QByteArray::number(r.status) + ' ' + r.reason + (r.keepAlive ? " keep-alive" : " close") + " [" +
           r.body + ']';
}

using Summaries = QList<QByteArray>;

constexpr qsizetype kMiB = 1024 * 1024;

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void parsing_data();
    void parsing();
    void hasPartialBeforeFinish();
    void buildHttpResponse_data();
    void buildHttpResponse();
    void reasonPhrases();
};

void TestHttpResponseParser::parsing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxBody");
    QTest::addColumn<Summaries>("expected");
    QTest::addColumn<bool>("error");

    auto ok = [](const char* name, const QByteArray& input, const Summaries& expected) {
        QTest::newRow(name) << input << kMiB << expected << false;
    };
    auto bad = [](const char* name, const QByteArray& input, const Summaries& expected,
                  qsizetype maxBody = kMiB) { QTest::newRow(name) << input << maxBody << expected << true; };

    const QByteArray reply = R"({"jsonrpc":"2.0","result":19,"id":1})";
    const QByteArray ok200 = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(reply.size()) + "\r\nConnection: keep-alive\r\n\r\n" + reply;
    const QByteArray ok200Summary = "200 OK keep-alive [" + reply + "]";

    ok("Content-Length", ok200, {ok200Summary});
    ok("100 Continue skipped", "HTTP/1.1 100 Continue\r\n\r\n" + ok200, {ok200Summary});
    ok("several interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n" + ok200,
       {ok200Summary});
    ok("pipelined", ok200 + ok200, {ok200Summary, ok200Summary});
    ok("chunked with trailer",
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\n{\"a\":\r\n2\r\n1}\r\n0\r\nX-T: "
       "1\r\n\r\n" +
           ok200,
       {"200 OK keep-alive [{\"a\":1}]", ok200Summary});
    ok("empty body", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", {"200 OK keep-alive []"});
    ok("204 has no body", "HTTP/1.1 204 No Content\r\n\r\n" + ok200,
       {"204 No Content keep-alive []", ok200Summary});
    ok("Connection: close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
       {"200 OK close [{}]"});
    ok("HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", {"200 OK close [{}]"});
    ok("HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}",
       {"200 OK keep-alive [{}]"});
    ok("until close", "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"result\":\r\n1}",
       {"200 OK close [{\"result\":\r\n1}]"});
    ok("until close on 1.1", "HTTP/1.1 200 OK\r\n\r\nabc", {"200 OK close [abc]"});
    ok("error status with body", "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 3\r\n\r\nno!",
       {"405 Method Not Allowed keep-alive [no!]"});
    ok("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", {"200  keep-alive []"});
    ok("empty reason phrase", "HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n", {"500  keep-alive []"});
    ok("LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}", {"200 OK keep-alive [{}]"});
    ok("nothing", "", {});

    bad("malformed status line", "HTTP/1.1 OK\r\n\r\n", {});
    bad("not http", "SSH-2.0-OpenSSH_9.2\r\n\r\n", {});
    bad("wrong version", "HTTP/2.0 200 OK\r\n\r\n", {});
    bad("invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", {});
    bad("conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
        {});
    bad("unsupported coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", {});
    bad("bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", {});
    bad("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", {});
    bad("body over limit", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", {}, 10);
    bad("until-close over limit", "HTTP/1.1 200 OK\r\n\r\n" + QByteArray(11, 'x'), {}, 10);
    bad("chunked over limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nB\r\n", {}, 10);
    bad("truncated body", ok200 + "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", {ok200Summary});
    bad("truncated head", "HTTP/1.1 200 OK\r\nContent-Le", {});
    bad("status below 100", "HTTP/1.1 011 Odd\r\nContent-Length: 0\r\n\r\n", {}); // found by fuzzing
    bad("status above 599", "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n", {});
    bad("truncated chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", {});
}

void TestHttpResponseParser::parsing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxBody);
    QFETCH(Summaries, expected);
    QFETCH(bool, error);

    for (int mode = 0; mode < 3; ++mode) {
        for (quint32 seed : kChunkSeeds) {
            const QByteArray where =
                QByteArray("mode ") + QByteArray::number(mode) + " seed " + QByteArray::number(seed);
            HttpResponseParser parser(maxBody);
            FrameCollector frames;
            bool ok = true;
            for (QByteArrayView chunk : chunksOf(input, mode, seed)) {
                ok = parser.feed(chunk, frames);
                if (!ok)
                    break;
            }
            if (ok)
                ok = parser.finish(frames);
            Summaries got;
            for (const HttpResponse& r : std::as_const(frames.responses))
                got.append(summary(r));
            QVERIFY2(got == expected, where + ": " + got.join(" | "));
            for (qsizetype i = 0; i < frames.responses.size(); ++i)
                QCOMPARE(frames.payloads[i], frames.responses[i].body); // the payload is the body
            QVERIFY2(!ok == error, where + ": " + parser.error().reason.toUtf8());
            QCOMPARE(parser.error().isError(), error);
            QCOMPARE(parser.error().reason.isEmpty(), !error);
            QCOMPARE(parser.error().httpStatus, 0); // only a request parser names a status to answer
            if (!error)
                QVERIFY(!parser.hasPartial());
            if (mode != 2)
                break;
        }
    }
}

void TestHttpResponseParser::hasPartialBeforeFinish()
{
    HttpResponseParser parser;
    FrameCollector frames;
    const QList<HttpResponse>& out = frames.responses;
    QVERIFY(!parser.hasPartial());
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{}", frames));
    QVERIFY(parser.hasPartial());
    QVERIFY(parser.feed("[]", frames));
    QVERIFY(!parser.hasPartial());
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first().body, QByteArray("{}[]"));
    QCOMPARE(httpHeader(out.first().headers, "content-length"), QByteArray("4"));
    QVERIFY(parser.finish(frames)); // clean close between responses
    QCOMPARE(out.size(), 1);

    // After an error the parser stays failed until reset().
    QVERIFY(!parser.feed("garbage\r\n\r\n", frames));
    QVERIFY(!parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", frames));
    QCOMPARE(parser.error().kind, FrameError::Kind::Malformed);
    parser.reset();
    QVERIFY(parser.error().reason.isEmpty());
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", frames));
    QCOMPARE(out.size(), 2);

    // A close inside a response is Truncated.
    QVERIFY(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}", frames));
    QVERIFY(!parser.finish(frames));
    QCOMPARE(parser.error().kind, FrameError::Kind::Truncated);
    QCOMPARE(out.size(), 2);
}

void TestHttpResponseParser::buildHttpResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<HttpHeaders>("extra");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("json reply") << 200 << QByteArray("{\"result\":1}") << true << HttpHeaders()
                                << QByteArray(
                                       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                       "Content-Length: 12\r\nConnection: keep-alive\r\n\r\n{\"result\":1}");
    QTest::newRow("empty body (notifications)")
        << 200 << QByteArray() << true << HttpHeaders()
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
    QTest::newRow("405 with Allow, closing")
        << 405 << QByteArray("{}") << false << HttpHeaders{{"Allow", "GET, POST"}}
        << QByteArray(
               "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
               "Connection: close\r\nAllow: GET, POST\r\n\r\n{}");
    QTest::newRow("431") << 431 << QByteArray() << false << HttpHeaders()
                         << QByteArray("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                                       "Connection: close\r\n\r\n");
}

void TestHttpResponseParser::buildHttpResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(HttpHeaders, extra);
    QFETCH(QByteArray, wire);

    const QByteArray built = rpcbench::buildHttpResponse(status, body, keepAlive, "application/json", extra);
    QCOMPARE(built, wire);

    // What we send, our own client parses back.
    HttpResponseParser parser;
    FrameCollector frames;
    QVERIFY(parser.feed(built, frames));
    const QList<HttpResponse>& out = frames.responses;
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first().status, status);
    QCOMPARE(out.first().reason, httpReasonPhrase(status));
    QCOMPARE(out.first().body, body);
    QCOMPARE(out.first().keepAlive, keepAlive);
}

void TestHttpResponseParser::reasonPhrases()
{
    const QList<QPair<int, QByteArray>> phrases = {
        {100, "Continue"},
        {200, "OK"},
        {400, "Bad Request"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {413, "Payload Too Large"},
        {415, "Unsupported Media Type"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {503, "Service Unavailable"},
        {505, "HTTP Version Not Supported"},
    };
    for (const auto& [status, phrase] : phrases)
        QCOMPARE(httpReasonPhrase(status), phrase);
    QVERIFY(!httpReasonPhrase(599).isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
