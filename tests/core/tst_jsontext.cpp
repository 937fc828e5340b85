// JSON as text: compact writing (the same bytes as Qt's writer, Undefined as null), display
// serialisation, exact re-indentation (tokens untouched), truncation, hex dump, parsing of
// scalar JSON, and the size/latency formats shown in the log.

#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rpcbench;

class TestJsonText : public QObject
{
    Q_OBJECT
private slots:
    void pretty_data();
    void pretty();
    void prettyTruncates();
    void hexDump();
    void parseValue_data();
    void parseValue();
    void compact_data();
    void compact();
    void appendCompactAppends();
    void serialize();
    void serializeIndented();
    void formats();
    void latencyFromNanoseconds_data();
    void latencyFromNanoseconds();
    void compactCounts_data();
    void compactCounts();
};

void TestJsonText::pretty_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("object") << QByteArray(R"({"a":1,"b":[true,null]})")
                            << QStringLiteral("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}");
    QTest::newRow("empty containers stay inline")
        << QByteArray(R"({"a":[ ],"b":{}})") << QStringLiteral("{\n  \"a\": [],\n  \"b\": {}\n}");
    QTest::newRow("strings untouched") << QByteArray(R"(["{,:}", "q\"[", "x y"])")
                                       << QStringLiteral("[\n  \"{,:}\",\n  \"q\\\"[\",\n  \"x y\"\n]");
    QTest::newRow("numbers exact") << QByteArray("[9007199254740993,1.0e+2]")
                                   << QStringLiteral("[\n  9007199254740993,\n  1.0e+2\n]");
    QTest::newRow("scalar") << QByteArray(" 6 ") << QStringLiteral("6");
    QTest::newRow("broken input does not hang")
        << QByteArray("{\"a\":[1,") << QStringLiteral("{\n  \"a\": [\n    1,\n    ");
}

void TestJsonText::pretty()
{
    QFETCH(QByteArray, in);
    QFETCH(QString, out);
    bool truncated = true;
    QCOMPARE(JsonText::pretty(in, -1, &truncated), out);
    QVERIFY(!truncated);
}

void TestJsonText::prettyTruncates()
{
    const QByteArray big = "[" + QByteArray(1000, '1') + "]";
    bool truncated = false;
    const QString shown = JsonText::pretty(big, 100, &truncated);
    QVERIFY(truncated);
    QVERIFY(shown.size() < 120);
    QCOMPARE(JsonText::truncationNote(100, big.size()),
             QStringLiteral("… truncated: showing 100 B of 1002 B"));
}

void TestJsonText::hexDump()
{
    bool truncated = true;
    const QString dump = JsonText::hexDump(QByteArray("{\"id\":1}\n\x01\xff", 11), -1, &truncated);
    QCOMPARE(dump,
             QStringLiteral("00000000  7b 22 69 64 22 3a 31 7d  0a 01 ff                 |{\"id\":1}...|\n"));
    QVERIFY(!truncated);
    const QString cut = JsonText::hexDump(QByteArray(64, 'a'), 32, &truncated);
    QVERIFY(truncated);
    QCOMPARE(cut.count(QLatin1Char('\n')), 2);
}

void TestJsonText::parseValue_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("value"); // Null with `ok` false = error
    QTest::addColumn<bool>("ok");
    QTest::newRow("integer") << "6" << QJsonValue(6) << true;
    QTest::newRow("big integer") << "9007199254740993" << QJsonValue(qint64(9007199254740993)) << true;
    QTest::newRow("string") << "\"x\"" << QJsonValue(QStringLiteral("x")) << true;
    QTest::newRow("null") << "null" << QJsonValue() << true;
    QTest::newRow("array") << " [1, 2] " << QJsonValue(QJsonArray{1, 2}) << true;
    QTest::newRow("bare word") << "hello" << QJsonValue() << false;
    QTest::newRow("two values") << "1 2" << QJsonValue() << false;
    QTest::newRow("empty") << "  " << QJsonValue() << false;
}

void TestJsonText::parseValue()
{
    QFETCH(QString, text);
    QFETCH(QJsonValue, value);
    QFETCH(bool, ok);
    QString error;
    const auto parsed = JsonText::parseValue(text, &error);
    QCOMPARE(parsed.has_value(), ok);
    if (ok)
        QCOMPARE(*parsed, value);
    else
        QVERIFY(!error.isEmpty());
}

void TestJsonText::compact_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("undefined is null") << QJsonValue(QJsonValue::Undefined) << QByteArray("null");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QByteArray("null");
    QTest::newRow("true") << QJsonValue(true) << QByteArray("true");
    QTest::newRow("integer") << QJsonValue(-42) << QByteArray("-42");
    QTest::newRow("above 2^53") << QJsonValue(qint64(9007199254740993)) << QByteArray("9007199254740993");
    QTest::newRow("integral double") << QJsonValue(3.0) << QByteArray("3");
    QTest::newRow("fraction") << QJsonValue(0.1) << QByteArray("0.1");
    QTest::newRow("large double") << QJsonValue(1.5e300) << QByteArray("1.5e+300");
    QTest::newRow("string escapes") << QJsonValue(QStringLiteral("a\"b\\\n\u00e9"))
                                    << QByteArray("\"a\\\"b\\\\\\n\xc3\xa9\"");
    QTest::newRow("array") << QJsonValue(QJsonArray{1, QStringLiteral("x"), QJsonValue::Null})
                           << QByteArray(R"([1,"x",null])");
    QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("b"), 2}, {QStringLiteral("a"), 1}})
                            << QByteArray(R"({"a":1,"b":2})");
}

void TestJsonText::compact()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(JsonText::compact(value), expected);
    // The same bytes as Qt's own writer (which stores Undefined as null inside an array).
    const QByteArray qt = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    QCOMPARE(JsonText::compact(value), qt.mid(1, qt.size() - 2));
}

void TestJsonText::appendCompactAppends()
{
    QByteArray out("{\"id\":");
    JsonText::appendCompact(out, QJsonValue(7));
    out += ',';
    JsonText::appendCompact(out, QJsonValue(QJsonValue::Undefined));
    QCOMPARE(out, QByteArray(R"({"id":7,null)"));
}

void TestJsonText::serialize()
{
    QCOMPARE(JsonText::serialize(QJsonValue(6)), QByteArray("6"));
    QCOMPARE(JsonText::serialize(QJsonValue(QStringLiteral("a\"b"))), QByteArray("\"a\\\"b\""));
    QCOMPARE(JsonText::serialize(QJsonArray{1, QStringLiteral("x")}), QByteArray(R"([1,"x"])"));
    QCOMPARE(JsonText::serialize(QJsonObject{{QStringLiteral("k"), true}}), QByteArray(R"({"k":true})"));
    QCOMPARE(JsonText::serialize(QJsonValue::Undefined), QByteArray());
}

void TestJsonText::serializeIndented()
{
    QCOMPARE(JsonText::serialize(QJsonObject{{QStringLiteral("k"), QJsonArray{1}}}, true),
             QByteArray("{\n    \"k\": [\n        1\n    ]\n}"));
    QCOMPARE(JsonText::serialize(QJsonValue(6), true), QByteArray("6")); // scalars stay on one line
    QCOMPARE(JsonText::serialize(QJsonValue::Undefined, true), QByteArray());
}

void TestJsonText::formats()
{
    QCOMPARE(JsonText::formatBytes(512), QStringLiteral("512 B"));
    QCOMPARE(JsonText::formatBytes(1536), QStringLiteral("1.5 KiB"));
    QCOMPARE(JsonText::formatBytes(3 * 1024 * 1024), QStringLiteral("3.0 MiB"));
    QCOMPARE(JsonText::formatLatency(-1), QString());
    QCOMPARE(JsonText::formatLatency(850), QStringLiteral("850 µs"));
    QCOMPARE(JsonText::formatLatency(1250), QStringLiteral("1.25 ms"));
    QCOMPARE(JsonText::formatLatency(2'100'000), QStringLiteral("2.10 s"));
}

void TestJsonText::latencyFromNanoseconds_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << qint64(-1) << QString();
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0.0 µs");
    QTest::newRow("sub-µs") << qint64(800) << QStringLiteral("0.8 µs");
    QTest::newRow("sub-µs rounds") << qint64(849) << QStringLiteral("0.8 µs");
    QTest::newRow("few µs") << qint64(3'420) << QStringLiteral("3.4 µs");
    QTest::newRow("tens of µs") << qint64(12'400) << QStringLiteral("12 µs");
    QTest::newRow("hundreds of µs") << qint64(850'000) << QStringLiteral("850 µs");
    QTest::newRow("ms") << qint64(1'250'000) << QStringLiteral("1.25 ms");
    QTest::newRow("fault latency") << qint64(500'300'000) << QStringLiteral("500.30 ms");
    QTest::newRow("s") << qint64(2'100'000'000) << QStringLiteral("2.10 s");
}

void TestJsonText::latencyFromNanoseconds()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(JsonText::formatLatencyNs(ns), text);
}

void TestJsonText::compactCounts_data()
{
    QTest::addColumn<quint64>("count");
    QTest::addColumn<QString>("text");
    QTest::newRow("0") << quint64(0) << QStringLiteral("0");
    QTest::newRow("999") << quint64(999) << QStringLiteral("999");
    QTest::newRow("1000") << quint64(1000) << QStringLiteral("1k");
    QTest::newRow("1500") << quint64(1500) << QStringLiteral("1.5k");
    QTest::newRow("12345") << quint64(12'345) << QStringLiteral("12.3k");
    QTest::newRow("123456") << quint64(123'456) << QStringLiteral("123k");
    QTest::newRow("999999 rounds up a unit") << quint64(999'999) << QStringLiteral("1M");
    QTest::newRow("1754321") << quint64(1'754'321) << QStringLiteral("1.75M");
    QTest::newRow("2.1G") << quint64(2'100'000'000) << QStringLiteral("2.1G");
}

void TestJsonText::compactCounts()
{
    QFETCH(quint64, count);
    QFETCH(QString, text);
    QCOMPARE(JsonText::formatCount(count), text);
    QVERIFY(text.size() <= 5);
}

QTEST_MAIN(TestJsonText)
#include "tst_jsontext.moc"
