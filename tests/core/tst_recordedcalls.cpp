// RecordedCalls (core/proxy): which calls of a traffic log are replayed (request-like messages
// with their reply on the same side and connection, the other way, same id; batches counted,
// unanswered requests counted, a method wildcard), and how replies are compared (id, jsonrpc
// and RFC 6901 pointers ignored).
#include "proxy/RecordedCalls.h"
#include "traffic/SummarizeMessage.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

namespace {

// "server in 3 {json}": side, direction, connection and the message's bytes; "stderr 3 text"
// a launched process's stderr line.
TrafficEvent eventOf(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char(' '));
    TrafficEvent e;
    if (parts.at(0) == QLatin1String("stderr")) {
        e.kind = TrafficEvent::Kind::Stderr;
        e.connectionId = parts.at(1).toULongLong();
        e.raw = parts.mid(2).join(QLatin1Char(' ')).toUtf8();
        return e;
    }
    e.side = parts.at(0) == QLatin1String("server")   ? Side::Server
             : parts.at(0) == QLatin1String("client") ? Side::Client
                                                      : Side::Proxy;
    e.direction = parts.at(1) == QLatin1String("in") ? Direction::In : Direction::Out;
    e.connectionId = parts.at(2).toULongLong();
    e.raw = parts.mid(3).join(QLatin1Char(' ')).toUtf8();
    e.summary = summarizeMessage(e.raw);
    return e;
}

std::vector<TrafficEvent> eventsOf(const QStringList& specs)
{
    std::vector<TrafficEvent> out;
    for (const QString& s : specs)
        out.push_back(eventOf(s));
    return out;
}

// "method id params -> reply" per call, replies compact, for one comparison of everything.
QStringList describe(const RecordedCallSet& set)
{
    QStringList out;
    for (const RecordedCall& c : set.calls)
        out << QStringLiteral("%1 %2 %3 -> %4")
                   .arg(c.method, QString::fromUtf8(c.idJson),
                        c.params.isUndefined() ? QStringLiteral("-")
                                               : QString::fromUtf8(JsonText::compact(c.params)),
                        QString::fromUtf8(JsonText::compact(c.reply)));
    return out;
}

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class tst_RecordedCalls : public QObject
{
    Q_OBJECT
private slots:
    void extract_data();
    void extract();
    void isValidPointer_data();
    void isValidPointer();
    void removePointer_data();
    void removePointer();
    void comparableIgnoresIdAndVersion();
};

void tst_RecordedCalls::extract_data()
{
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("calls");
    QTest::addColumn<int>("skippedBatches");
    QTest::addColumn<int>("unanswered");

    const QString req = R"(%1 %2 %3 {"jsonrpc":"2.0","id":%4,"method":"%5","params":[%6]})";
    const QString res = R"(%1 %2 %3 {"jsonrpc":"2.0","id":%4,"result":%5})";
    QTest::newRow("server side") << QStringList{req.arg("server", "in", "1", "1", "add", "2,3"),
                                                res.arg("server", "out", "1", "1", "5")}
                                 << "*"
                                 << QStringList{R"(add 1 [2,3] -> {"id":1,"jsonrpc":"2.0","result":5})"} << 0
                                 << 0;
    QTest::newRow("proxy side") << QStringList{req.arg("proxy", "in", "4", "\"a\"", "echo", "7"),
                                               res.arg("proxy", "out", "4", "\"a\"", "[7]")}
                                << "*"
                                << QStringList{R"(echo "a" [7] -> {"id":"a","jsonrpc":"2.0","result":[7]})"}
                                << 0 << 0;
    QTest::newRow("client side") << QStringList{req.arg("client", "out", "2", "9", "add", "1,1"),
                                                res.arg("client", "in", "2", "9", "2")}
                                 << "*"
                                 << QStringList{R"(add 9 [1,1] -> {"id":9,"jsonrpc":"2.0","result":2})"} << 0
                                 << 0;
    // The server's request to our client is not a call we made.
    QTest::newRow("server-to-client request") << QStringList{req.arg("client", "in", "2", "1", "ping", ""),
                                                             res.arg("client", "out", "2", "1", "{}")}
                                              << "*" << QStringList{} << 0 << 0;
    QTest::newRow("reply on another connection")
        << QStringList{req.arg("server", "in", "1", "1", "add", "1,2"),
                       res.arg("server", "out", "2", "1", "3")}
        << "*" << QStringList{} << 0 << 1;
    QTest::newRow("reply with another id") << QStringList{req.arg("server", "in", "1", "1", "add", "1,2"),
                                                          res.arg("server", "out", "1", "2", "3")}
                                           << "*" << QStringList{} << 0 << 1;
    QTest::newRow("reply on the same direction")
        << QStringList{req.arg("server", "in", "1", "1", "add", "1,2"),
                       res.arg("server", "in", "1", "1", "3")}
        << "*" << QStringList{} << 0 << 1;
    QTest::newRow("error reply")
        << QStringList{req.arg("server", "in", "1", "1", "nope", ""),
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}})"}
        << "*"
        << QStringList{R"(nope 1 [] -> {"error":{"code":-32601,"message":"Method not found"},"id":1,"jsonrpc":"2.0"})"}
        << 0 << 0;
    QTest::newRow("no params") << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"now"})",
                                              res.arg("server", "out", "1", "1", "\"t\"")}
                               << "*" << QStringList{R"(now 1 - -> {"id":1,"jsonrpc":"2.0","result":"t"})"}
                               << 0 << 0;
    QTest::newRow("batch skipped")
        << QStringList{R"(server in 1 [{"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]}])",
                       R"(server out 1 [{"jsonrpc":"2.0","id":1,"result":3}])"}
        << "*" << QStringList{} << 1 << 0;
    QTest::newRow("notification")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","method":"log","params":[1]})"} << "*" << QStringList{}
        << 0 << 0;
    QTest::newRow("method pattern")
        << QStringList{req.arg("server", "in", "1", "1", "add", "1,2"),
                       req.arg("server", "in", "1", "2", "text/echo", "1"),
                       res.arg("server", "out", "1", "1", "3"), res.arg("server", "out", "1", "2", "[1]")}
        << "*echo" << QStringList{R"(text/echo 2 [1] -> {"id":2,"jsonrpc":"2.0","result":[1]})"} << 0 << 0;
    // Replies out of order, the same id on two connections: calls stay in request order, each
    // with its own reply.
    QTest::newRow("order and connections")
        << QStringList{req.arg("server", "in", "1", "1", "a", "1"),
                       req.arg("server", "in", "2", "1", "b", "2"), "stderr 1 some text",
                       res.arg("server", "out", "2", "1", "\"B\""),
                       res.arg("server", "out", "1", "1", "\"A\"")}
        << "*"
        << QStringList{R"(a 1 [1] -> {"id":1,"jsonrpc":"2.0","result":"A"})",
                       R"(b 1 [2] -> {"id":1,"jsonrpc":"2.0","result":"B"})"}
        << 0 << 0;
}

void tst_RecordedCalls::extract()
{
    QFETCH(QStringList, events);
    QFETCH(QString, pattern);
    QFETCH(QStringList, calls);
    QFETCH(int, skippedBatches);
    QFETCH(int, unanswered);
    const RecordedCallSet set = RecordedCalls::extract(eventsOf(events), pattern);
    QCOMPARE(describe(set), calls);
    QCOMPARE(set.skippedBatches, skippedBatches);
    QCOMPARE(set.unanswered, unanswered);
}

void tst_RecordedCalls::isValidPointer_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<bool>("valid");
    QTest::newRow("member") << "/result" << true;
    QTest::newRow("nested") << "/result/timestamp" << true;
    QTest::newRow("escapes") << "/a~0b/c~1d" << true;
    QTest::newRow("empty token") << "/" << true;
    QTest::newRow("whole reply") << "" << false;
    QTest::newRow("no slash") << "result" << false;
    QTest::newRow("bad escape") << "/a~2" << false;
    QTest::newRow("trailing tilde") << "/a~" << false;
}

void tst_RecordedCalls::isValidPointer()
{
    QFETCH(QString, pointer);
    QFETCH(bool, valid);
    QString error;
    QCOMPARE(RecordedCalls::isValidPointer(pointer, &error), valid);
    QCOMPARE(error.isEmpty(), valid);
    if (!valid)
        QVERIFY2(error.contains(pointer), qPrintable(error));
}

void tst_RecordedCalls::removePointer_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("expected");
    QTest::newRow("member") << R"({"a":1,"b":2})"
                            << "/a"
                            << R"({"b":2})";
    QTest::newRow("nested") << R"({"result":{"t":5,"v":1}})"
                            << "/result/t"
                            << R"({"result":{"v":1}})";
    QTest::newRow("array element") << R"({"r":[1,2,3]})"
                                   << "/r/1"
                                   << R"({"r":[1,3]})";
    QTest::newRow("inside array element") << R"({"r":[{"t":1,"x":2}]})"
                                          << "/r/0/t"
                                          << R"({"r":[{"x":2}]})";
    QTest::newRow("escaped slash") << R"({"a/b":1,"a":{"b":2}})"
                                   << "/a~1b"
                                   << R"({"a":{"b":2}})";
    QTest::newRow("escaped tilde") << R"({"~1":1,"/":2})"
                                   << "/~01"
                                   << R"({"/":2})";
    QTest::newRow("empty name") << R"({"":1,"a":2})"
                                << "/"
                                << R"({"a":2})";
    QTest::newRow("missing member") << R"({"a":1})"
                                    << "/b/c"
                                    << R"({"a":1})";
    QTest::newRow("index out of range") << R"({"r":[1]})"
                                        << "/r/3"
                                        << R"({"r":[1]})";
    QTest::newRow("leading zero index") << R"({"r":[1,2]})"
                                        << "/r/01"
                                        << R"({"r":[1,2]})";
    QTest::newRow("dash index") << R"({"r":[1,2]})"
                                << "/r/-"
                                << R"({"r":[1,2]})";
    QTest::newRow("through a scalar") << R"({"a":1})"
                                      << "/a/b"
                                      << R"({"a":1})";
    QTest::newRow("invalid pointer") << R"({"a":1})"
                                     << "a"
                                     << R"({"a":1})";
}

void tst_RecordedCalls::removePointer()
{
    QFETCH(QString, value);
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    const QJsonValue out = RecordedCalls::removePointer(json(value.toUtf8().constData()), pointer);
    QCOMPARE(out, json(expected.toUtf8().constData()));
}

void tst_RecordedCalls::comparableIgnoresIdAndVersion()
{
    const QJsonObject recorded = json(R"({"jsonrpc":"2.0","id":1,"result":{"v":1,"at":"12:00"}})").toObject();
    const QJsonObject now = json(R"({"id":"other","result":{"v":1,"at":"12:05"}})").toObject();
    QVERIFY(RecordedCalls::comparable(recorded, {}) != RecordedCalls::comparable(now, {}));
    QCOMPARE(RecordedCalls::comparable(recorded, {"/result/at"}),
             RecordedCalls::comparable(now, {"/result/at"}));
    QCOMPARE(RecordedCalls::comparable(recorded, {"/result/at"}), json(R"({"result":{"v":1}})").toObject());
    // An error is never the same as a result.
    const QJsonObject error = json(R"({"id":1,"error":{"code":-1,"message":"x"}})").toObject();
    QVERIFY(RecordedCalls::comparable(error, {"/result"}) !=
            RecordedCalls::comparable(recorded, {"/result"}));
}

QTEST_GUILESS_MAIN(tst_RecordedCalls)
#include "tst_recordedcalls.moc"
