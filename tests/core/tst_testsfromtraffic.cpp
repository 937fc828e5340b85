// savedCallsFromTraffic (core/proxy/TestsFromTraffic): rows of a traffic log become saved calls
// asserting their recorded replies — results, errors, batches, notifications, volatile fields
// ignored by JSON Pointer, and what was left out said in a note.
#include "proxy/TestsFromTraffic.h"
#include "traffic/SummarizeMessage.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

namespace {

// "server in 3 {json}" or "client@http://h/rpc out 3 {json}": side (and peer), direction,
// connection and the message's bytes; "stderr 3 text" a launched process's stderr line.
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
    const QString side = parts.at(0).section(QLatin1Char('@'), 0, 0);
    e.peer = parts.at(0).section(QLatin1Char('@'), 1);
    e.side = side == QLatin1String("server")   ? Side::Server
             : side == QLatin1String("client") ? Side::Client
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

// The calls as the collection file would hold them, one compact JSON line each.
QStringList linesOf(const QList<SavedCall>& calls)
{
    QStringList out;
    for (const SavedCall& c : calls)
        out << QString::fromUtf8(JsonText::compact(c.toJson()));
    return out;
}

// Expected calls written by hand, normalised the same way (key order).
QStringList normalised(const QStringList& json)
{
    QStringList out;
    for (const QString& line : json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            qFatal("bad expected JSON in the test: %s", qPrintable(line));
        out << QString::fromUtf8(JsonText::compact(doc.object()));
    }
    return out;
}

} // namespace

class tst_TestsFromTraffic : public QObject
{
    Q_OBJECT
private slots:
    void savedCalls_data();
    void savedCalls();
    void callsLoadBackFromTheirJson();
    void invalidPointer_data();
    void invalidPointer();
};

void tst_TestsFromTraffic::savedCalls_data()
{
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<QStringList>("ignore");
    QTest::addColumn<QStringList>("calls");
    QTest::addColumn<QString>("note");

    QTest::newRow("request and result")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":3})"}
        << QStringList{} << QStringList{R"({"method":"add","params":[1,2],"assert":[{"equals":3}]})"}
        << QString();
    QTest::newRow("client row keeps its target")
        << QStringList{R"(client@http://127.0.0.1:8545/rpc out 4 {"jsonrpc":"2.0","id":"a","method":"ping"})",
                       R"(client@http://127.0.0.1:8545/rpc in 4 {"jsonrpc":"2.0","id":"a","result":{"ok":true}})"}
        << QStringList{}
        << QStringList{R"({"target":"http://127.0.0.1:8545/rpc","method":"ping","assert":[{"equals":{"ok":true}}]})"}
        << QString();
    QTest::newRow("proxy row has no target")
        << QStringList{R"(proxy@127.0.0.1:5000 in 2 {"jsonrpc":"2.0","id":1,"method":"ping"})",
                       R"(proxy@127.0.0.1:5000 out 2 {"jsonrpc":"2.0","id":1,"result":null})"}
        << QStringList{} << QStringList{R"({"method":"ping","assert":[{"equals":null}]})"} << QString();
    QTest::newRow("error reply")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":7,"method":"div","params":{"a":1,"b":0}})",
                       R"(server out 1 {"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"b is 0"}})"}
        << QStringList{"/ignored/for/errors"}
        << QStringList{R"({"method":"div","params":{"a":1,"b":0},"assert":[{"error":-32602}]})"} << QString();
    QTest::newRow("dialect 1.0")
        << QStringList{R"(server in 1 {"id":1,"method":"echo","params":["x"]})",
                       R"(server out 1 {"id":1,"result":"x","error":null})"}
        << QStringList{}
        << QStringList{R"({"dialect":"1.0","method":"echo","params":["x"],"assert":[{"equals":"x"}]})"}
        << QString();
    QTest::newRow("only the reply's partner pairs, order kept")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"a"})",
                       R"(server in 1 {"jsonrpc":"2.0","id":2,"method":"b"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":2,"result":"B"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":"A"})"}
        << QStringList{}
        << QStringList{R"({"method":"a","assert":[{"equals":"A"}]})",
                       R"({"method":"b","assert":[{"equals":"B"}]})"}
        << QString();
    QTest::newRow("ignored top-level member")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"now"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":{"time":123,"zone":"UTC","n":1}})"}
        << QStringList{"/time"}
        << QStringList{R"({"method":"now","assert":[{"pointer":"/n","equals":1},{"pointer":"/time","exists":true},)"
                       R"({"pointer":"/zone","equals":"UTC"}]})"}
        << QString();
    QTest::newRow("ignored nested member and array element")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"list"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":{"items":[{"id":"x1","v":1},{"v":2}],"s":{"a~/b":0}}})"}
        << QStringList{"/items/0/id", "/s/a~0~1b"}
        << QStringList{R"({"method":"list","assert":[{"pointer":"/items/0/id","exists":true},)"
                       R"({"pointer":"/items/0/v","equals":1},{"pointer":"/items/1","equals":{"v":2}},)"
                       R"({"pointer":"/s/a~0~1b","exists":true}]})"}
        << QString();
    QTest::newRow("ignored pointer absent from the result")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"m"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":{"v":1}})"}
        << QStringList{"/time"} << QStringList{R"({"method":"m","assert":[{"pointer":"/v","equals":1}]})"}
        << QString();
    QTest::newRow("ignored pointer into a scalar result")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"m"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":1,"result":5})"}
        << QStringList{"/time"} << QStringList{R"({"method":"m","assert":[{"equals":5}]})"} << QString();
    QTest::newRow("notification")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","method":"log","params":["hi"]})"} << QStringList{}
        << QStringList{R"({"method":"log","params":["hi"],"notification":true})"} << QString();
    QTest::newRow("batch")
        << QStringList{R"(server in 1 [{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"n"},)"
                       R"({"jsonrpc":"2.0","id":2,"method":"b","params":[1]}])",
                       R"(server out 1 [{"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"no"}},)"
                       R"({"jsonrpc":"2.0","id":1,"result":{"t":9}}])"}
        << QStringList{"/0/result/t"}
        << QStringList{R"({"batch":[{"method":"a"},{"method":"n","notification":true},{"method":"b","params":[1]}],)"
                       R"("assert":[{"pointer":"/0/result/t","exists":true},{"pointer":"/1","equals":null},)"
                       R"({"pointer":"/2","equals":{"error":{"code":-1,"message":"no"}}}]})"}
        << QString();
    QTest::newRow("missing replies are noted")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"a"})",
                       R"(server in 1 {"jsonrpc":"2.0","id":2,"method":"b"})",
                       R"(server in 1 {"jsonrpc":"2.0","id":3,"method":"c"})",
                       R"(server out 1 {"jsonrpc":"2.0","id":3,"result":3})"}
        << QStringList{} << QStringList{R"({"method":"c","assert":[{"equals":3}]})"}
        << "2 requests had no recorded reply and were left out";
    QTest::newRow("reply without its request is noted")
        << QStringList{R"(server out 1 {"jsonrpc":"2.0","id":9,"result":3})", "stderr 1 warning: slow"}
        << QStringList{} << QStringList{} << "1 reply without its request was left out";
    QTest::newRow("other connection does not pair")
        << QStringList{R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"a"})",
                       R"(server out 2 {"jsonrpc":"2.0","id":1,"result":1})"}
        << QStringList{} << QStringList{}
        << "1 request had no recorded reply and was left out; 1 reply without its request was left out";
}

void tst_TestsFromTraffic::savedCalls()
{
    QFETCH(QStringList, events);
    QFETCH(QStringList, ignore);
    QFETCH(QStringList, calls);
    QFETCH(QString, note);
    QString actualNote = QStringLiteral("unset");
    const QList<SavedCall> saved = savedCallsFromTraffic(eventsOf(events), ignore, &actualNote);
    QCOMPARE(linesOf(saved), normalised(calls));
    QCOMPARE(actualNote, note);
}

// What is saved is a valid collection entry: it reads back equal from its own JSON, and its
// assertions hold against the very reply they were made from.
void tst_TestsFromTraffic::callsLoadBackFromTheirJson()
{
    const QList<SavedCall> saved = savedCallsFromTraffic(
        eventsOf({R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"now","params":{"tz":"UTC"}})",
                  R"(server out 1 {"jsonrpc":"2.0","id":1,"result":{"time":123,"deep":{"at":5,"k":[1]}}})"}),
        {"/time", "/deep/at"}, nullptr);
    QCOMPARE(saved.size(), 1);
    QString error;
    const std::optional<SavedCall> back = SavedCall::fromJson(saved.first().toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, saved.first());
    QCOMPARE(back->assertions.size(), 3);
    CallOutcome later;
    later.result = QJsonDocument::fromJson(R"({"time":456,"deep":{"at":6,"k":[1]}})").object();
    for (const Assertion& a : back->assertions)
        QVERIFY2(a.check(later).passed, qPrintable(a.describe()));
    CallOutcome changed;
    changed.result = QJsonDocument::fromJson(R"({"time":456,"deep":{"at":6,"k":[2]}})").object();
    QVERIFY(!std::all_of(back->assertions.begin(), back->assertions.end(),
                         [&](const Assertion& a) { return a.check(changed).passed; }));
}

void tst_TestsFromTraffic::invalidPointer_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("error");
    QTest::newRow("whole result") << ""
                                  << "whole result";
    QTest::newRow("no slash") << "time"
                              << "'time'";
    QTest::newRow("bad escape") << "/a~2"
                                << "'/a~2'";
}

void tst_TestsFromTraffic::invalidPointer()
{
    QFETCH(QString, pointer);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!isValidIgnorePointer(pointer, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
    QString note;
    const QList<SavedCall> saved =
        savedCallsFromTraffic(eventsOf({R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"m"})",
                                        R"(server out 1 {"jsonrpc":"2.0","id":1,"result":{"v":1}})"}),
                              {"/v", pointer}, &note);
    QVERIFY(saved.isEmpty());
    QCOMPARE(note, message);
    QVERIFY(isValidIgnorePointer(QStringLiteral("/v")));
}

QTEST_GUILESS_MAIN(tst_TestsFromTraffic)
#include "tst_testsfromtraffic.moc"
