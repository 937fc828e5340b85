// WebSocketFramer (RFC 6455, server side): every input is fed whole and split at every byte
// position; the payloads, the interim replies (pong, close) and the error must not depend on
// the split.

#include "wire/WebSocketFramer.h"
#include "wire/WebSocketHandshake.h"

#include "FrameCollector.h"

#include <QTest>
#include <QtEndian>

using namespace rpcbench;
using rpcbench::test::FrameCollector;

namespace {

using Messages = QList<QByteArray>;
using Kind = FrameError::Kind;
using WS = WebSocketFramer;
constexpr quint32 kMask = 0x37FA213D;

QByteArray masked(quint8 opcode, const QByteArray& payload, bool fin = true)
{
    return WS::frame(opcode, payload, fin, kMask);
}

// The close code of a close frame written by the framer (0 when `bytes` is not one).
quint16 closeCodeOf(const QByteArray& bytes)
{
    if (bytes.size() < 4 || quint8(bytes[0]) != 0x88)
        return 0;
    return qFromBigEndian<quint16>(bytes.constData() + 2);
}

struct Outcome
{
    Messages messages;
    QByteArray interim;
    Kind kind = Kind::None;
    QString reason;
};

Outcome run(const QByteArray& input, qsizetype split, qsizetype maxMessage)
{
    WS framer(maxMessage);
    FrameCollector frames;
    Outcome out;
    const QByteArrayView all(input);
    const QList<QByteArrayView> parts = split <= 0 || split >= input.size()
                                            ? QList<QByteArrayView>{all}
                                            : QList<QByteArrayView>{all.first(split), all.sliced(split)};
    for (QByteArrayView part : parts) {
        const bool ok = framer.feed(part, frames);
        out.interim += framer.takeInterimReply();
        if (!ok)
            break;
    }
    out.messages = frames.payloads;
    out.kind = framer.error().kind;
    out.reason = framer.error().reason;
    return out;
}

} // namespace

class TestWebSocketFramer : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void pingIsAnsweredWithPong();
    void closeIsEchoedAndEndsTheStream();
    void hasPartialWhileInsideAFragmentedMessage();
    void serverFramesAreUnmasked();
    void handshakeAcceptKey();
    void handshakeValidation_data();
    void handshakeValidation();
};

void TestWebSocketFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxMessage");
    QTest::addColumn<Messages>("expected");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<quint16>("closeCode"); // the close frame the framer queued (0: none)

    const QByteArray call = R"({"jsonrpc":"2.0","id":1,"method":"echo"})";
    const QByteArray k16 = QByteArray(300, 'a');
    const QByteArray k64 = QByteArray(70000, 'b');
    QTest::newRow("masked text") << masked(WS::Text, call) << qsizetype(1 << 20) << Messages{call}
                                 << Kind::None << quint16(0);
    QTest::newRow("binary") << masked(WS::Binary, "[1]") << qsizetype(1 << 20) << Messages{"[1]"}
                            << Kind::None << quint16(0);
    QTest::newRow("16-bit length") << masked(WS::Text, k16) << qsizetype(1 << 20) << Messages{k16}
                                   << Kind::None << quint16(0);
    QTest::newRow("64-bit length") << masked(WS::Text, k64) << qsizetype(1 << 20) << Messages{k64}
                                   << Kind::None << quint16(0);
    QTest::newRow("two messages") << masked(WS::Text, "1") + masked(WS::Text, "22") << qsizetype(100)
                                  << Messages{"1", "22"} << Kind::None << quint16(0);
    QTest::newRow("fragmented with a ping inside")
        << masked(WS::Text, "[1,", false) + masked(WS::Ping, "p") + masked(WS::Continuation, "2", false) +
               masked(WS::Continuation, "]")
        << qsizetype(100) << Messages{"[1,2]"} << Kind::None << quint16(0);
    QTest::newRow("empty message") << masked(WS::Text, "") + masked(WS::Text, "x") << qsizetype(100)
                                   << Messages{"", "x"} << Kind::None << quint16(0);
    QTest::newRow("unmasked frame rejected")
        << WS::frame(WS::Text, call) << qsizetype(100) << Messages{} << Kind::Malformed << quint16(1002);
    QTest::newRow("oversize rejected with 1009") << masked(WS::Text, QByteArray(101, 'x')) << qsizetype(100)
                                                 << Messages{} << Kind::TooLarge << quint16(1009);
    QTest::newRow("oversize once reassembled")
        << masked(WS::Text, QByteArray(60, 'x'), false) + masked(WS::Continuation, QByteArray(60, 'y'))
        << qsizetype(100) << Messages{} << Kind::TooLarge << quint16(1009);
    QTest::newRow("bad opcode") << masked(0x3, "x") << qsizetype(100) << Messages{} << Kind::Malformed
                                << quint16(1002);
    QTest::newRow("reserved bit") << QByteArray(1, char(0xC1)) + masked(WS::Text, "x").mid(1)
                                  << qsizetype(100) << Messages{} << Kind::Malformed << quint16(1002);
    QTest::newRow("control frame too long") << masked(WS::Ping, QByteArray(126, 'p')) << qsizetype(1000)
                                            << Messages{} << Kind::Malformed << quint16(1002);
    QTest::newRow("fragmented control frame")
        << masked(WS::Ping, "p", false) << qsizetype(100) << Messages{} << Kind::Malformed << quint16(1002);
    QTest::newRow("continuation without a start")
        << masked(WS::Continuation, "x") << qsizetype(100) << Messages{} << Kind::Malformed << quint16(1002);
    QTest::newRow("message before the error is delivered")
        << masked(WS::Text, "ok") + WS::frame(WS::Text, "bad") << qsizetype(100) << Messages{"ok"}
        << Kind::Malformed << quint16(1002);
}

void TestWebSocketFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxMessage);
    QFETCH(Messages, expected);
    QFETCH(Kind, kind);
    QFETCH(quint16, closeCode);

    const Outcome whole = run(input, 0, maxMessage);
    QCOMPARE(whole.messages, expected);
    QCOMPARE(whole.kind, kind);
    if (closeCode) {
        QCOMPARE(closeCodeOf(whole.interim.right(whole.interim.size() - whole.interim.lastIndexOf("\x88"))),
                 closeCode);
        QVERIFY2(whole.interim.contains(whole.reason.toUtf8().left(100)), qPrintable(whole.reason));
    }
    // Every split position gives the same result (the 64-bit row is sampled to keep it fast).
    const qsizetype step = input.size() > 4096 ? 997 : 1;
    for (qsizetype split = 1; split < input.size(); split += step) {
        const Outcome parts = run(input, split, maxMessage);
        QVERIFY2(parts.messages == expected, qPrintable(QStringLiteral("split at %1").arg(split)));
        QCOMPARE(parts.kind, kind);
        QCOMPARE(parts.reason, whole.reason);
        QCOMPARE(parts.interim, whole.interim);
    }
}

void TestWebSocketFramer::pingIsAnsweredWithPong()
{
    WS framer;
    FrameCollector frames;
    QVERIFY(framer.feed(masked(WS::Ping, "hello"), frames));
    QCOMPARE(framer.takeInterimReply(), WS::frame(WS::Pong, "hello"));
    QCOMPARE(framer.takeInterimReply(), QByteArray()); // taken once
    QVERIFY(framer.feed(masked(WS::Pong, "unsolicited"), frames));
    QCOMPARE(framer.takeInterimReply(), QByteArray());
    QVERIFY(frames.payloads.isEmpty());
}

void TestWebSocketFramer::closeIsEchoedAndEndsTheStream()
{
    WS framer;
    FrameCollector frames;
    QByteArray body(2, Qt::Uninitialized);
    qToBigEndian<quint16>(1000, body.data());
    body += "bye";
    QVERIFY(!framer.feed(masked(WS::Close, body) + masked(WS::Text, "after"), frames));
    QCOMPARE(framer.error().kind, Kind::Closed);
    QCOMPARE(framer.error().reason, QStringLiteral("closed by peer: code 1000 reason 'bye'"));
    QCOMPARE(framer.takeInterimReply(), WS::frameClose(1000));
    QVERIFY(frames.payloads.isEmpty()); // nothing is read after the close
    QVERIFY(!framer.hasPartial());

    WS empty;
    QVERIFY(!empty.feed(masked(WS::Close, ""), frames));
    QCOMPARE(empty.takeInterimReply(), WS::frame(WS::Close, ""));
}

void TestWebSocketFramer::hasPartialWhileInsideAFragmentedMessage()
{
    WS framer;
    FrameCollector frames;
    QVERIFY(!framer.hasPartial());
    QVERIFY(framer.feed(masked(WS::Text, "ab", false), frames));
    QVERIFY(framer.hasPartial());
    QCOMPARE(framer.bufferedBytes(), 2);
    QVERIFY(framer.feed(masked(WS::Continuation, "c"), frames));
    QVERIFY(!framer.hasPartial());
    QCOMPARE(frames.payloads, Messages{"abc"});
}

void TestWebSocketFramer::serverFramesAreUnmasked()
{
    QCOMPARE(WS::frameText("hi"), QByteArray("\x81\x02hi"));
    QCOMPARE(WS::frameText(QByteArray(200, 'x')).left(4), QByteArray("\x81\x7E\x00\xC8", 4));
    const QByteArray close = WS::frameClose(1009, QByteArray(200, 'r'));
    QCOMPARE(close.size(), 2 + 125); // the reason is cut to fit a control frame
    QCOMPARE(closeCodeOf(close), quint16(1009));
    // What the server writes, a client-role framer reads back.
    WS client(1 << 20, WS::Role::Client);
    FrameCollector frames;
    QVERIFY(client.feed(WS::frameText("one") + WS::frameText(QByteArray(70000, 'z')), frames));
    QCOMPARE(frames.payloads.size(), 2);
    QCOMPARE(frames.payloads[0], QByteArray("one"));
    QVERIFY(!client.feed(masked(WS::Text, "x"), frames)); // a server never masks
}

void TestWebSocketFramer::handshakeAcceptKey()
{
    // The example of RFC 6455 section 1.3.
    QCOMPARE(WebSocketHandshake::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWebSocketFramer::handshakeValidation_data()
{
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    const HttpHeaders good{{"Host", "x"},
                           {"Upgrade", "websocket"},
                           {"Connection", "keep-alive, Upgrade"},
                           {"Sec-WebSocket-Version", "13"},
                           {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
    QTest::newRow("valid") << good << QByteArray("GET") << 101;
    QTest::newRow("POST") << good << QByteArray("POST") << 400;
    HttpHeaders h = good;
    h[2].second = "keep-alive";
    QTest::newRow("no Connection: upgrade") << h << QByteArray("GET") << 400;
    h = good;
    h[3].second = "8";
    QTest::newRow("version 8") << h << QByteArray("GET") << 426;
    h = good;
    h[4].second = "c2hvcnQ=";
    QTest::newRow("key not 16 bytes") << h << QByteArray("GET") << 400;
    h = good;
    h.removeAt(4);
    QTest::newRow("no key") << h << QByteArray("GET") << 400;
}

void TestWebSocketFramer::handshakeValidation()
{
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    HttpRequest request;
    request.method = method;
    request.target = "/anything";
    request.headers = headers;
    const auto result = WebSocketHandshake::accept(request);
    QCOMPARE(result.status, status);
    QCOMPARE(result.ok, status == 101);
    QVERIFY(result.response.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '));
    if (status == 101)
        QVERIFY(result.response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    else
        QVERIFY(!result.reason.isEmpty());
}

QTEST_GUILESS_MAIN(TestWebSocketFramer)
#include "tst_websocketframer.moc"
