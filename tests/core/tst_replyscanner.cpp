// ReplyScanner: reply boundaries and error detection for every mode, whole and fed in
// arbitrary chunks (including byte by byte), without parsing JSON.

#include "load/ReplyScanner.h"

#include <QtTest>

using namespace rpcbench;

namespace {

QByteArray lsp(const QByteArray& body)
{
    return "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray http(int status, const QByteArray& body)
{
    return "HTTP/1.1 " + QByteArray::number(status) +
           " X\r\nContent-Type: application/json\r\ncontent-length: " + QByteArray::number(body.size()) +
           "\r\nConnection: keep-alive\r\n\r\n" + body;
}

// Feeds `stream` in chunks of `chunk` bytes (0 = all at once) and sums the results.
bool feed(ReplyScanner& scanner, const QByteArray& stream, int chunk, ReplyScanner::Result& total)
{
    QByteArray buffer;
    const qsizetype step = chunk > 0 ? chunk : stream.size();
    for (qsizetype pos = 0; pos < stream.size(); pos += step) {
        buffer += stream.mid(pos, step);
        if (!scanner.scan(buffer, total))
            return false;
    }
    return true;
}

} // namespace

class TestReplyScanner : public QObject
{
    Q_OBJECT

private slots:
    void topLevelError_data();
    void topLevelError();
    void errorCode_data();
    void errorCode();
    void countsReplies_data();
    void countsReplies();
    void partialReplyStaysBuffered();
    void rawCountsWholeMessages();
    void rejectsUnframedReplies_data();
    void rejectsUnframedReplies();
};

void TestReplyScanner::topLevelError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("isError");

    QTest::newRow("result") << QByteArray(R"({"jsonrpc":"2.0","result":3,"id":1})") << false;
    QTest::newRow("error-2.0") << QByteArray(
                                      R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"x"},"id":1})")
                               << true;
    QTest::newRow("error-first") << QByteArray(R"({"error":{"code":1},"id":null})") << true;
    QTest::newRow("error-spaces") << QByteArray(R"({ "id" : 1 , "error" : {"code": 2} })") << true;
    QTest::newRow("classic-error") << QByteArray(R"({"error":{"code":-32602,"message":"m"}})") << true;
    QTest::newRow("1.0-success") << QByteArray(R"({"result":1,"error":null,"id":1})") << false;
    QTest::newRow("1.0-success-spaces") << QByteArray(R"({"error" :  null, "result":1})") << false;
    QTest::newRow("1.0-error") << QByteArray(R"({"result":null,"error":{"code":1},"id":1})") << true;
    QTest::newRow("nested-error-key") << QByteArray(R"({"result":{"error":1},"id":1})") << false;
    QTest::newRow("error-in-array") << QByteArray(R"({"result":[{"error":2}],"id":1})") << false;
    QTest::newRow("error-as-value") << QByteArray(R"({"result":"error","id":1})") << false;
    QTest::newRow("escaped-in-string")
        << QByteArray("{\"result\":\"say \\\"error\\\": now\",\"id\":1}") << false;
    QTest::newRow("backslash-end") << QByteArray("{\"result\":\"a\\\\\",\"error\":{}}") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("cut-after-colon") << QByteArray(R"({"error":)") << false; // no value: nothing to read
}

void TestReplyScanner::topLevelError()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, isError);
    QCOMPARE(ReplyScanner::hasTopLevelError(json.constData(), json.size()), isError);
}

void TestReplyScanner::errorCode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("label");

    QTest::newRow("2.0") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"x"},"id":1})")
                         << "-32601";
    QTest::newRow("code-last") << QByteArray(R"({"id":1,"error":{"message":"m","code":42}})") << "42";
    QTest::newRow("spaces") << QByteArray("{ \"error\" : { \"code\" :\t-32000 , \"message\":\"m\"} }")
                            << "-32000";
    // A "code" in the error's data, or in the message text, is not the error's code.
    QTest::newRow("code-in-data") << QByteArray(R"({"error":{"data":{"code":7},"code":-32001},"id":1})")
                                  << "-32001";
    QTest::newRow("code-in-message")
        << QByteArray("{\"error\":{\"message\":\"\\\"code\\\": 9\",\"code\":3},\"id\":1}") << "3";
    QTest::newRow("no-code") << QByteArray(R"({"error":{"message":"m"},"id":1})") << "no code";
    QTest::newRow("string-error-1.0") << QByteArray(R"({"result":null,"error":"boom","id":1})") << "no code";
    QTest::newRow("fraction") << QByteArray(R"({"error":{"code":1.5},"id":1})") << "no code";
    QTest::newRow("string-code") << QByteArray(R"({"error":{"code":"E1"},"id":1})") << "no code";
    QTest::newRow("1.0-null-then-none") << QByteArray(R"({"error":null,"result":1})") << "no code";
    QTest::newRow("huge") << QByteArray(R"({"error":{"code":123456789012345678901234}})") << "no code";
    // Cut off: nothing is read past the end (the slice ends inside the text, not at a '\0').
    QTest::newRow("cut-after-colon") << QByteArray(R"({"error":)") << "no code";
    QTest::newRow("cut-after-spaces") << QByteArray("{\"error\":   ") << "no code";
    QTest::newRow("cut-in-code") << QByteArray(R"({"error":{"code":-3)") << "-3";
    QTest::newRow("cut-after-code-key") << QByteArray(R"({"error":{"code":)") << "no code";
}

void TestReplyScanner::errorCode()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, label);
    QCOMPARE(ReplyScanner::errorCodeLabel(ReplyScanner::errorCodeOf(json.constData(), json.size())), label);
}

void TestReplyScanner::countsReplies_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<int>("replies");
    QTest::addColumn<int>("errors");
    QTest::addColumn<QStringList>("codes"); // the errors' keys, as labels, in order

    const QByteArray ok = "{\"jsonrpc\":\"2.0\",\"result\":\"a\\nb\",\"id\":1}";
    const QByteArray err = R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"boom"},"id":1})";
    const QByteArray big = R"({"result":")" + QByteArray(70'000, 'x') + R"(","id":1})";
    const QByteArray json = ok + '\n' + err + '\n' + ok + "\r\n" + big + '\n';
    const QByteArray lspStream = lsp(ok) + lsp(err) + lsp(big);
    const QByteArray httpStream =
        "HTTP/1.1 100 Continue\r\n\r\n" + http(200, ok) + http(200, err) + http(500, ok) + http(200, big);
    for (int chunk : {0, 1, 7, 4096}) {
        QTest::addRow("json-chunk%d", chunk)
            << int(ReplyScanner::Mode::JsonStream) << json << chunk << 4 << 1 << QStringList{"-32000"};
        QTest::addRow("lsp-chunk%d", chunk)
            << int(ReplyScanner::Mode::Lsp) << lspStream << chunk << 3 << 1 << QStringList{"-32000"};
        QTest::addRow("http-chunk%d", chunk) << int(ReplyScanner::Mode::Http) << httpStream << chunk << 4 << 2
                                             << QStringList{"-32000", "HTTP 500"};
    }
    QTest::newRow("json-blank-lines") << int(ReplyScanner::Mode::JsonStream)
                                      << QByteArray("\n\r\n" + ok + "\n\n") << 0 << 1 << 0 << QStringList();
    QTest::newRow("http-empty-body") << int(ReplyScanner::Mode::Http) << http(200, {}) << 0 << 1 << 0
                                     << QStringList();
    // A failed HTTP exchange that carries a JSON-RPC error counts under the error's code.
    QTest::newRow("http-000") << int(ReplyScanner::Mode::Http)
                              << QByteArray("HTTP/1.1 000 X\r\ncontent-length: 0\r\n\r\n") << 0 << 1 << 1
                              << QStringList{"HTTP 0"};
    QTest::newRow("http-503-with-error") << int(ReplyScanner::Mode::Http) << http(503, err) + http(503, {})
                                         << 0 << 2 << 2 << QStringList{"-32000", "HTTP 503"};
}

void TestReplyScanner::countsReplies()
{
    QFETCH(int, mode);
    QFETCH(QByteArray, stream);
    QFETCH(int, chunk);
    QFETCH(int, replies);
    QFETCH(int, errors);
    QFETCH(QStringList, codes);

    ReplyScanner scanner{ReplyScanner::Mode(mode)};
    ReplyScanner::Result total;
    QVERIFY2(feed(scanner, stream, chunk, total), qPrintable(scanner.errorString()));
    QCOMPARE(total.replies, replies);
    QCOMPARE(total.errors, errors);
    QStringList labels;
    for (const qint64 code : total.errorCodes)
        labels << ReplyScanner::errorCodeLabel(code);
    QCOMPARE(labels, codes);
}

void TestReplyScanner::partialReplyStaysBuffered()
{
    ReplyScanner scanner(ReplyScanner::Mode::JsonStream);
    QByteArray buffer = R"({"result":1}
{"resu)";
    ReplyScanner::Result r;
    QVERIFY(scanner.scan(buffer, r));
    QCOMPARE(r.replies, 1);
    QCOMPARE(buffer, QByteArray(R"({"resu)")); // the complete reply was consumed, the rest kept
    buffer += "lt\":2}\n";
    QVERIFY(scanner.scan(buffer, r));
    QCOMPARE(r.replies, 2);
    QVERIFY(buffer.isEmpty());
}

void TestReplyScanner::rawCountsWholeMessages()
{
    ReplyScanner scanner(ReplyScanner::Mode::Raw, 10);
    ReplyScanner::Result r;
    scanner.scanRaw(7, r);
    QCOMPARE(r.replies, 0);
    scanner.scanRaw(14, r); // 21 bytes: two whole messages, one byte pending
    QCOMPARE(r.replies, 2);
    scanner.scanRaw(9, r);
    QCOMPARE(r.replies, 3);
    QByteArray buffer(25, 'x');
    QVERIFY(scanner.scan(buffer, r)); // scan() in raw mode counts and drops the bytes
    QCOMPARE(r.replies, 5);
    QVERIFY(buffer.isEmpty());
}

void TestReplyScanner::rejectsUnframedReplies_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("stream");

    QTest::newRow("http-not-http") << int(ReplyScanner::Mode::Http) << QByteArray("SSH-2.0-x\r\n\r\n");
    QTest::newRow("http-no-status") << int(ReplyScanner::Mode::Http)
                                    << QByteArray("HTTP/1.1 ABC X\r\ncontent-length: 0\r\n\r\n");
    QTest::newRow("http-chunked") << int(ReplyScanner::Mode::Http)
                                  << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    QTest::newRow("lsp-no-length") << int(ReplyScanner::Mode::Lsp) << QByteArray("Content-Type: x\r\n\r\n{}");
    QTest::newRow("lsp-endless-header") << int(ReplyScanner::Mode::Lsp) << QByteArray(70'000, 'h');
}

void TestReplyScanner::rejectsUnframedReplies()
{
    QFETCH(int, mode);
    QFETCH(QByteArray, stream);
    ReplyScanner scanner{ReplyScanner::Mode(mode)};
    ReplyScanner::Result r;
    QByteArray buffer = stream;
    QVERIFY(!scanner.scan(buffer, r));
    QVERIFY(!scanner.errorString().isEmpty());
    QCOMPARE(r.replies, 0);
}

QTEST_GUILESS_MAIN(TestReplyScanner)
#include "tst_replyscanner.moc"
