#include "traffic/TrafficEventCodec.h"

#include <QJsonDocument>
#include <QtTest>

using namespace rpcbench;

class TestTrafficEventCodec : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void rejectsBadObjects_data();
    void rejectsBadObjects();
    void textLineMentionsEssentials();
    void lateFlag_data();
    void lateFlag();
    void linesWithoutLateStillLoad();
    void stderrRows();
};

static TrafficEvent sample(const QByteArray& raw)
{
    TrafficEvent e;
    e.timestampUs = 1732540000123456;
    e.connectionId = 17;
    e.peer = "127.0.0.1:5555";
    e.side = Side::Client;
    e.direction = Direction::Out;
    e.transport = Transport::Http;
    e.summary.kind = MessageKind::Error;
    e.summary.dialect = Dialect::JsonRpc2;
    e.summary.method = "add";
    e.summary.idJson = "\"x\"";
    e.summary.errorCode = -32602;
    e.summary.faulted = true;
    e.raw = raw;
    e.latencyUs = 1234;
    return e;
}

void TestTrafficEventCodec::roundTrip_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("json") << QByteArray(R"({"jsonrpc":"2.0","id":"x"})");
    QTest::newRow("utf8") << QByteArray("{\"v\":\"h\xc3\xa9llo\"}");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00garbage", 10);
    QTest::newRow("empty") << QByteArray();
}

void TestTrafficEventCodec::roundTrip()
{
    QFETCH(QByteArray, raw);
    const TrafficEvent e = sample(raw);
    const QByteArray line = trafficEventToJsonLine(e);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QString error;
    const auto back = trafficEventFromJson(QJsonDocument::fromJson(line).object(), &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->raw, raw);
    QCOMPARE(back->timestampUs, e.timestampUs);
    QCOMPARE(back->connectionId, e.connectionId);
    QCOMPARE(back->peer, e.peer);
    QVERIFY(back->side == e.side);
    QVERIFY(back->direction == e.direction);
    QVERIFY(back->transport == e.transport);
    QVERIFY(back->summary.kind == e.summary.kind);
    QCOMPARE(back->summary.method, e.summary.method);
    QCOMPARE(back->summary.idJson, e.summary.idJson);
    QCOMPARE(back->summary.errorCode, e.summary.errorCode);
    QCOMPARE(back->summary.faulted, true);
    QCOMPARE(back->latencyUs, e.latencyUs);
}

void TestTrafficEventCodec::rejectsBadObjects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no time") << QByteArray(R"({"side":"server"})") << "\"t\"";
    QTest::newRow("bad side") << QByteArray(R"({"t":1,"side":"left","dir":"in"})") << "side";
    QTest::newRow("bad dir") << QByteArray(R"({"t":1,"side":"server","dir":"up"})") << "dir";
    QTest::newRow("no raw")
        << QByteArray(
               R"({"t":1,"side":"server","dir":"in","transport":"json","dialect":"2.0","kind":"request"})")
        << "raw";
}

void TestTrafficEventCodec::rejectsBadObjects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!trafficEventFromJson(QJsonDocument::fromJson(json).object(), &error).has_value());
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestTrafficEventCodec::textLineMentionsEssentials()
{
    const QByteArray text = trafficEventToText(sample("{}"));
    QVERIFY(text.endsWith('\n'));
    for (const char* part : {"client", "#17", "127.0.0.1:5555", "http", "error", "add", "id=\"x\"",
                             "code=-32602", "1.234ms", "[faulted]"})
        QVERIFY2(text.contains(part), text.constData());
}

void TestTrafficEventCodec::lateFlag_data()
{
    QTest::addColumn<bool>("late");
    QTest::newRow("late reply") << true;
    QTest::newRow("in time") << false;
}

// "late" round-trips, and is written only when set (old readers and files stay as they were).
void TestTrafficEventCodec::lateFlag()
{
    QFETCH(bool, late);
    TrafficEvent e = sample(R"({"jsonrpc":"2.0","result":1,"id":"x"})");
    e.direction = Direction::In;
    e.late = late;
    const QJsonObject json = QJsonDocument::fromJson(trafficEventToJsonLine(e)).object();
    QCOMPARE(json.contains(u"late"), late);
    QString error;
    const auto back = trafficEventFromJson(json, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->late, late);
    QCOMPARE(trafficEventToText(e).contains("[late]"), late);
}

void TestTrafficEventCodec::linesWithoutLateStillLoad()
{
    const QByteArray old = R"({"t":1732540000123456,"conn":3,"peer":"127.0.0.1:5123","side":"client",)"
                           R"("dir":"in","transport":"json","dialect":"2.0","kind":"response","id":"1",)"
                           R"("size":2,"latencyUs":15,"raw":"{}"})";
    QString error;
    const auto e = trafficEventFromJson(QJsonDocument::fromJson(old).object(), &error);
    QVERIFY2(e.has_value(), qPrintable(error));
    QCOMPARE(e->late, false);
    QCOMPARE(e->latencyUs, 15);
}

// A line of a child's standard error is a row of its own kind: "kind":"stderr", the text as
// "raw", no method or id; it reads back as a Stderr event and prints as the line itself.
void TestTrafficEventCodec::stderrRows()
{
    TrafficEvent e;
    e.kind = TrafficEvent::Kind::Stderr;
    e.timestampUs = 1732540000123456;
    e.connectionId = 4;
    e.peer = "exec:clangd --log=error";
    e.side = Side::Client;
    e.direction = Direction::In;
    e.transport = Transport::Lsp;
    e.raw = "E[12:00:00.000] Failed to find compilation database";
    const QJsonObject json = QJsonDocument::fromJson(trafficEventToJsonLine(e)).object();
    QCOMPARE(json.value(u"kind").toString(), QStringLiteral("stderr"));
    QCOMPARE(json.value(u"raw").toString(), QString::fromUtf8(e.raw));
    QVERIFY(!json.contains(u"method"));
    QVERIFY(!json.contains(u"id"));
    QString error;
    const auto back = trafficEventFromJson(json, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QVERIFY(back->kind == TrafficEvent::Kind::Stderr);
    QCOMPARE(back->raw, e.raw);
    QCOMPARE(back->peer, e.peer);
    QVERIFY(back->transport == Transport::Lsp);
    QVERIFY(back->summary.method.isEmpty());
    const QByteArray text = trafficEventToText(e);
    QVERIFY2(text.contains(" stderr: E[12:00:00.000] Failed to find compilation database\n"),
             text.constData());
    // A message row still reads as a message.
    const auto message = trafficEventFromJson(trafficEventToJson(sample("{}")), &error);
    QVERIFY(message.has_value());
    QVERIFY(message->kind == TrafficEvent::Kind::Message);
}

QTEST_APPLESS_MAIN(TestTrafficEventCodec)
#include "tst_trafficeventcodec.moc"
