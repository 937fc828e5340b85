// JsonLocator: problems found in a well-formed file are placed on the line a person edits.

#include "collection/Collection.h"
#include "util/JsonLocator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace rpcbench;

namespace {

// Line numbers below refer to this text (pieces, not a raw literal: moc misreads those).
const QByteArray kCollection = "{\n"
                               "  \"format\": \"rpcbench-collection\",\n"
                               "  \"name\": \"api\",\n"
                               "  \"items\": [\n"
                               "    {\n"
                               "      \"name\": \"ping\",\n"
                               "      \"method\": \"ping\"\n"
                               "    },\n"
                               "    {\n"
                               "      \"folder\": \"auth\",\n"
                               "      \"items\": [\n"
                               "        { \"name\": \"login\", \"method\": \"login\",\n"
                               "          \"assert\": [\n"
                               "            { \"result\": true },\n"
                               "            { \"equal\": 1 }\n"
                               "          ]\n"
                               "        }\n"
                               "      ]\n"
                               "    }\n"
                               "  ],\n"
                               "  \"weird \\\"key\\\"\": { \"x\": [1, [2, 3], {\"y\": null}] }\n"
                               "}\n";

} // namespace

class TestJsonLocator : public QObject
{
    Q_OBJECT
private slots:
    void pathInMessage_data();
    void pathInMessage();
    void lineOf_data();
    void lineOf();
    void withLine_data();
    void withLine();
    void collectionLoadNamesTheLine();
};

void TestJsonLocator::pathInMessage_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("path");
    QTest::newRow("member") << "server.port must be an integer" << QStringList{"server", "port"};
    QTest::newRow("quoted top level") << "'methods' must be an array" << QStringList{"methods"};
    QTest::newRow("element with label")
        << "methods[2] 'add': unknown key 'prams' (expected one of name, params)"
        << QStringList{"methods", "2", "prams"};
    QTest::newRow("nested items") << "items[1] 'auth'.items[0] 'login': assert[1]: unknown key 'equal'"
                                  << QStringList{"items", "1", "items", "0", "assert", "1", "equal"};
    QTest::newRow("several indexes") << "x[1][0] must be a number" << QStringList{"x", "1", "0"};
    QTest::newRow("prose") << "a collection is an object" << QStringList{"a"};
    QTest::newRow("empty") << "" << QStringList{};
    QTest::newRow("starts with punctuation") << "(nothing)" << QStringList{};
}

void TestJsonLocator::pathInMessage()
{
    QFETCH(QString, message);
    QFETCH(QStringList, path);
    QCOMPARE(JsonLocator::pathInMessage(message), path);
}

void TestJsonLocator::lineOf_data()
{
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<int>("line");
    QTest::newRow("top key") << QStringList{"name"} << 3;
    QTest::newRow("array element") << QStringList{"items", "1"} << 9;
    QTest::newRow("member of element") << QStringList{"items", "0", "method"} << 7;
    QTest::newRow("deep") << QStringList{"items", "1", "items", "0", "assert", "1", "equal"} << 15;
    QTest::newRow("deepest existing") << QStringList{"items", "1", "items", "0", "nope"} << 12;
    QTest::newRow("index past the end") << QStringList{"items", "7"} << 4;
    QTest::newRow("escaped key") << QStringList{"weird \"key\"", "x", "1", "1"} << 21;
    QTest::newRow("index into an object") << QStringList{"items", "0", "0"} << 5;
    QTest::newRow("nothing") << QStringList{"absent"} << 0;
    QTest::newRow("empty path") << QStringList{} << 0;
}

void TestJsonLocator::lineOf()
{
    QFETCH(QStringList, path);
    QFETCH(int, line);
    QCOMPARE(JsonLocator::lineOf(kCollection, path), line);
}

void TestJsonLocator::withLine_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("found") << kCollection << "items[0] 'ping': bad"
                           << "line 5: items[0] 'ping': bad";
    QTest::newRow("not a path") << kCollection << "no such thing"
                                << "no such thing";
    QTest::newRow("not json") << QByteArray("{ broken") << "items[0]: bad"
                              << "items[0]: bad";
    QTest::newRow("array document") << QByteArray("[\n1,\n2\n]") << "x: bad"
                                    << "x: bad";
}

void TestJsonLocator::withLine()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    QCOMPARE(JsonLocator::withLine(json, message), expected);
}

// The whole way: a collection edited by hand with an unknown assertion key names the file, the
// line and the key.
void TestJsonLocator::collectionLoadNamesTheLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("api.rpcbench-collection.json"));
    QByteArray text = kCollection;
    // Without the odd key (an error of its own, on line 21) and with a version.
    text.replace("  ],\n  \"weird", "  ]\n  }\n//");
    text.truncate(text.indexOf("//"));
    text.replace("\"format\": \"rpcbench-collection\",",
                 QByteArray("\"format\": \"") + Collection::format +
                     "\", \"version\": " + QByteArray::number(Collection::version) + ",");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    QString error;
    QVERIFY(!Collection::load(path, &error));
    QVERIFY2(error.startsWith(QLatin1String("api.rpcbench-collection.json: line 15: ")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("equal")), qPrintable(error));
}

QTEST_MAIN(TestJsonLocator)
#include "tst_jsonlocator.moc"
