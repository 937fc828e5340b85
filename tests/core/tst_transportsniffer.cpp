#include "wire/TransportSniffer.h"

#include <QtTest>

using namespace rpcbench;

class TestTransportSniffer : public QObject
{
    Q_OBJECT
private slots:
    void decides_data();
    void decides();
    void decisionIsStableByteByByte();
};

Q_DECLARE_METATYPE(std::optional<rpcbench::Transport>)

void TestTransportSniffer::decides_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("expected"); // -1 = need more bytes
    QTest::newRow("post") << QByteArray("POST / HTTP/1.1\r\n") << int(Transport::Http);
    QTest::newRow("get") << QByteArray("GET / HTTP/1.1\r\n") << int(Transport::Http);
    QTest::newRow("options") << QByteArray("OPTIONS * HTTP/1.1") << int(Transport::Http);
    QTest::newRow("partial method") << QByteArray("PO") << -1;
    QTest::newRow("method without space yet") << QByteArray("POST") << -1;
    QTest::newRow("lowercase post is not http")
        << QByteArray("post / HTTP/1.1") << int(Transport::JsonStream);
    QTest::newRow("content-length") << QByteArray("Content-Length: 5\r\n") << int(Transport::Lsp);
    QTest::newRow("content-length any case") << QByteArray("content-LENGTH:5") << int(Transport::Lsp);
    QTest::newRow("content-type first")
        << QByteArray("Content-Type: application/json\r\n") << int(Transport::Lsp);
    QTest::newRow("partial header") << QByteArray("Content-") << -1;
    QTest::newRow("json object") << QByteArray("{\"jsonrpc\"") << int(Transport::JsonStream);
    QTest::newRow("json array") << QByteArray("[") << int(Transport::JsonStream);
    QTest::newRow("whitespace then json") << QByteArray("\n {") << int(Transport::JsonStream);
    QTest::newRow("garbage") << QByteArray("\x00\xff\x13", 3) << int(Transport::JsonStream);
    QTest::newRow("empty") << QByteArray() << -1;
}

void TestTransportSniffer::decides()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, expected);
    const auto t = sniffTransport(bytes);
    if (expected < 0)
        QVERIFY(!t.has_value());
    else {
        QVERIFY(t.has_value());
        QCOMPARE(int(*t), expected);
    }
}

void TestTransportSniffer::decisionIsStableByteByByte()
{
    // Every prefix either waits or gives the final answer; never a different one.
    const QList<QPair<QByteArray, Transport>> cases = {
        {"DELETE /x HTTP/1.1\r\n", Transport::Http},
        {"Content-Length: 10\r\n\r\n", Transport::Lsp},
        {"{\"method_name\":\"add\"}", Transport::JsonStream},
    };
    for (const auto& [bytes, final] : cases) {
        bool decided = false;
        for (qsizetype n = 1; n <= bytes.size(); ++n) {
            const auto t = sniffTransport(QByteArrayView(bytes).first(n));
            if (t) {
                QVERIFY(*t == final);
                decided = true;
            } else {
                QVERIFY2(!decided, "undecided after a decision");
            }
        }
        QVERIFY(decided);
    }
}

QTEST_APPLESS_MAIN(TestTransportSniffer)
#include "tst_transportsniffer.moc"
