// SseParser: the EventSource rules (fields, comments, multi-line data, CR/LF/CRLF line ends,
// BOM, events without data) and the same events whatever way the stream is split into feeds;
// the event stream as HttpResponseParser delivers it (chunked, Content-Length, until close).

#include "wire/HttpResponseParser.h"
#include "wire/SseParser.h"

#include <QTest>

using namespace rpcbench;

namespace {
// "type|id|data" per event, for compact expectations.
QStringList parseAll(const QByteArray& stream, qsizetype split = -1)
{
    SseParser parser;
    QStringList out;
    const auto sink = [&](const SseEvent& e) {
        out << QString::fromUtf8(e.type + '|' + e.id + '|' + e.data);
    };
    if (split < 0) {
        if (!parser.feed(stream, sink))
            out << QStringLiteral("error: ") + parser.error();
    } else {
        if (!parser.feed(QByteArrayView(stream).first(split), sink) ||
            !parser.feed(QByteArrayView(stream).sliced(split), sink))
            out << QStringLiteral("error: ") + parser.error();
    }
    return out;
}

struct Collector final : FrameSink
{
    QList<QByteArray> payloads;
    QList<int> statuses;
    void onFrame(const Frame& frame) override
    {
        payloads << frame.payload.toByteArray();
        statuses << frame.response->status;
    }
};
} // namespace

class tst_SseParser : public QObject
{
    Q_OBJECT
private slots:
    void events_data();
    void events();
    void byteByByte();
    void limits();
    void retryAndLastId();
    void isEventStream();
    void httpEventStream_data();
    void httpEventStream();
    void httpEventsArriveAsTheyComplete();
};

void tst_SseParser::events_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("one event") << QByteArray("data: {\"a\":1}\n\n") << QStringList{"message||{\"a\":1}"};
    QTest::newRow("no space after colon") << QByteArray("data:x\n\n") << QStringList{"message||x"};
    QTest::newRow("only one space removed") << QByteArray("data:  x\n\n") << QStringList{"message|| x"};
    QTest::newRow("multi-line data") << QByteArray("data: a\ndata: b\ndata:\n\n")
                                     << QStringList{"message||a\nb\n"};
    QTest::newRow("comments") << QByteArray(": keep-alive\ndata: a\n: more\n\n:\n\n")
                              << QStringList{"message||a"};
    QTest::newRow("CRLF") << QByteArray("event: x\r\ndata: a\r\n\r\n") << QStringList{"x||a"};
    QTest::newRow("CR only") << QByteArray("data: a\rdata: b\r\r") << QStringList{"message||a\nb"};
    QTest::newRow("mixed ends") << QByteArray("data: a\r\n\rdata: b\n\r\n")
                                << QStringList{"message||a", "message||b"};
    QTest::newRow("event and id") << QByteArray("event: progress\nid: 7\ndata: p\n\ndata: q\n\n")
                                  << QStringList{"progress|7|p", "message|7|q"};
    QTest::newRow("id with NUL ignored") << QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 33)
                                         << QStringList{"message|1|a", "message|1|b"};
    QTest::newRow("empty data is an event") << QByteArray("data:\n\n") << QStringList{"message||"};
    QTest::newRow("no data, no event") << QByteArray("event: x\n\ndata: a\n\n") << QStringList{"message||a"};
    QTest::newRow("field without colon") << QByteArray("data\n\n") << QStringList{"message||"};
    QTest::newRow("unknown fields ignored")
        << QByteArray("foo: bar\ndata: a\n\n") << QStringList{"message||a"};
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF"
                                       "data: a\n\n")
                         << QStringList{"message||a"};
    QTest::newRow("BOM only at start") << QByteArray("data: a\n\n\xEF\xBB\xBF"
                                                     "data: b\n\n")
                                       << QStringList{"message||a"};
    QTest::newRow("unfinished event dropped")
        << QByteArray("data: a\n\ndata: b\n") << QStringList{"message||a"};
    QTest::newRow("utf-8 data") << QByteArray("data: h\xC3\xA9\n\n")
                                << QStringList{QString::fromUtf8("message||h\xC3\xA9")};
}

// Every split point gives the same events as one feed.
void tst_SseParser::events()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(parseAll(stream), expected);
    for (qsizetype split = 0; split <= stream.size(); ++split)
        QVERIFY2(parseAll(stream, split) == expected, qPrintable(QStringLiteral("split at %1").arg(split)));
}

void tst_SseParser::byteByByte()
{
    const QByteArray stream("\xEF\xBB\xBF"
                            "event: e\r\nid: 9\r\ndata: 1\r\ndata: 2\r\n\r\n: c\r\ndata: 3\r\r");
    SseParser parser;
    QStringList out;
    for (char c : stream)
        QVERIFY(parser.feed(QByteArrayView(&c, 1), [&](const SseEvent& e) {
            out << QString::fromUtf8(e.type + '|' + e.id + '|' + e.data);
        }));
    QCOMPARE(out, (QStringList{"e|9|1\n2", "message|9|3"}));
}

void tst_SseParser::limits()
{
    SseParser parser(16);
    const auto ignore = [](const SseEvent&) {};
    QVERIFY(parser.feed("data: 0123456789\n", ignore)); // 11 bytes of data
    QVERIFY(!parser.feed("data: 0123456789\n", ignore));
    QVERIFY(parser.error().contains(QLatin1String("16 bytes")));
    QVERIFY(!parser.feed("\n", ignore)); // stays failed
    parser.reset();
    QVERIFY(!parser.feed("data: 01234567890123456789", ignore)); // an unfinished line over the limit
}

void tst_SseParser::retryAndLastId()
{
    SseParser parser;
    const auto ignore = [](const SseEvent&) {};
    QCOMPARE(parser.retryMs(), -1);
    QVERIFY(parser.feed("retry: 1500\nid: abc\n\nretry: 1x\n\n", ignore));
    QCOMPARE(parser.retryMs(), 1500);
    QCOMPARE(parser.lastEventId(), QByteArray("abc"));
}

void tst_SseParser::isEventStream()
{
    QVERIFY(SseParser::isEventStream("text/event-stream"));
    QVERIFY(SseParser::isEventStream("Text/Event-Stream; charset=utf-8"));
    QVERIFY(!SseParser::isEventStream("application/json"));
    QVERIFY(!SseParser::isEventStream(""));
}

void tst_SseParser::httpEventStream_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QList<QByteArray>>("payloads");
    const QByteArray events("event: message\ndata: {\"n\":1}\n\nevent: ping\ndata: not json\n\n"
                            "event: other\ndata: [2]\n\ndata: {\"id\":1,\"result\":3}\n\n");
    const QList<QByteArray> expected{"{\"n\":1}", "[2]", "{\"id\":1,\"result\":3}"};
    QByteArray chunked;
    for (qsizetype i = 0; i < events.size(); i += 7) {
        const QByteArray part = events.mid(i, 7);
        chunked += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
    }
    chunked += "0\r\n\r\n";
    const QByteArray head("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n");
    QTest::newRow("chunked") << head + "Transfer-Encoding: chunked\r\n\r\n" + chunked +
                                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                             << expected + QList<QByteArray>{"{}"};
    QTest::newRow("content-length") << head + "Content-Length: " + QByteArray::number(events.size()) +
                                           "\r\n\r\n" + events
                                    << expected;
    QTest::newRow("until close") << head + "\r\n" + events << expected;
    QTest::newRow("no events: empty body") << head + "Content-Length: 4\r\n\r\n: x\n"
                                           << QList<QByteArray>{""};
    QTest::newRow("error status is a plain body")
        << QByteArray("HTTP/1.1 400 Bad\r\nContent-Type: text/event-stream\r\nContent-Length: 3\r\n\r\nbad")
        << QList<QByteArray>{"bad"};
}

void tst_SseParser::httpEventStream()
{
    QFETCH(QByteArray, response);
    QFETCH(QList<QByteArray>, payloads);
    for (qsizetype split = 0; split <= response.size(); ++split) {
        HttpResponseParser parser;
        Collector sink;
        QVERIFY(parser.feed(QByteArrayView(response).first(split), sink));
        QVERIFY(parser.feed(QByteArrayView(response).sliced(split), sink));
        QVERIFY(parser.finish(sink));
        QVERIFY2(sink.payloads == payloads, qPrintable(QStringLiteral("split at %1").arg(split)));
    }
}

// Each event is delivered as soon as its blank line arrives, not at the end of the body.
void tst_SseParser::httpEventsArriveAsTheyComplete()
{
    HttpResponseParser parser;
    Collector sink;
    QVERIFY(parser.feed(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n", sink));
    QVERIFY(parser.feed("e\r\ndata: {\"a\":1}\n\r\n", sink));
    QCOMPARE(sink.payloads.size(), 0);
    QVERIFY(parser.feed("1\r\n\n\r\n", sink));
    QCOMPARE(sink.payloads, QList<QByteArray>{"{\"a\":1}"});
    QCOMPARE(sink.statuses, QList<int>{200});
    QVERIFY(parser.hasPartial()); // the stream is still open
}

QTEST_GUILESS_MAIN(tst_SseParser)
#include "tst_sseparser.moc"
