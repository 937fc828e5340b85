// JSON Pointer (RFC 6901): validation, lookup (the RFC's own examples) and removal.
#include "util/JsonPointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rpcbench;

namespace {

// RFC 6901 section 5's example document.
QJsonValue rfcDocument()
{
    // Built in code: moc cannot read raw strings holding backslashes.
    return QJsonObject{{QStringLiteral("foo"), QJsonArray{QStringLiteral("bar"), QStringLiteral("baz")}},
                       {QString(), 0},
                       {QStringLiteral("a/b"), 1},
                       {QStringLiteral("c%d"), 2},
                       {QStringLiteral("e^f"), 3},
                       {QStringLiteral("g|h"), 4},
                       {QStringLiteral("i\\j"), 5},
                       {QStringLiteral("k\"l"), 6},
                       {QStringLiteral(" "), 7},
                       {QStringLiteral("m~n"), 8}};
}

QJsonValue parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray("[") + json + "]").array().at(0);
}

} // namespace

class TestJsonPointer : public QObject
{
    Q_OBJECT
private slots:
    void findsTheRfcExamples_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("expected"); // compact JSON
        QTest::newRow("whole") << ""
                               << QString::fromUtf8(
                                      QJsonDocument(rfcDocument().toObject()).toJson(QJsonDocument::Compact));
        QTest::newRow("/foo") << "/foo"
                              << R"(["bar","baz"])";
        QTest::newRow("/foo/0") << "/foo/0"
                                << R"("bar")";
        QTest::newRow("/") << "/"
                           << "0";
        QTest::newRow("/a~1b") << "/a~1b"
                               << "1";
        QTest::newRow("/c%d") << "/c%d"
                              << "2";
        QTest::newRow("/e^f") << "/e^f"
                              << "3";
        QTest::newRow("/g|h") << "/g|h"
                              << "4";
        QTest::newRow("/i\\j") << "/i\\j"
                               << "5";
        QTest::newRow("/k\"l") << "/k\"l"
                               << "6";
        QTest::newRow("/ ") << "/ "
                            << "7";
        QTest::newRow("/m~0n") << "/m~0n"
                               << "8";
    }
    void findsTheRfcExamples()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, expected);
        const auto found = JsonPointer::find(rfcDocument(), pointer);
        QVERIFY(found.has_value());
        QCOMPARE(QString::fromUtf8(QJsonDocument(QJsonArray{*found}).toJson(QJsonDocument::Compact)),
                 QStringLiteral("[%1]").arg(expected));
    }

    void findsNothingWhereThereIsNothing_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::newRow("missing member") << "/nope";
        QTest::newRow("index past end") << "/foo/2";
        QTest::newRow("index with leading zero") << "/foo/01";
        QTest::newRow("index with sign") << "/foo/+1";
        QTest::newRow("dash (past the end)") << "/foo/-";
        QTest::newRow("step into a scalar") << "/foo/0/x";
        QTest::newRow("invalid escape") << "/m~2n";
        QTest::newRow("no leading slash") << "foo";
    }
    void findsNothingWhereThereIsNothing()
    {
        QFETCH(QString, pointer);
        QVERIFY(!JsonPointer::find(rfcDocument(), pointer).has_value());
    }

    void validates_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("empty") << "" << true << "";
        QTest::newRow("root member") << "/" << true << "";
        QTest::newRow("escapes") << "/a~0~1b" << true << "";
        QTest::newRow("relative") << "result" << false << "it starts with /";
        QTest::newRow("lone tilde") << "/a~" << false << "~0";
        QTest::newRow("bad escape") << "/a~x" << false << "~1";
    }
    void validates()
    {
        QFETCH(QString, pointer);
        QFETCH(bool, valid);
        QFETCH(QString, errorPart);
        QString error;
        QCOMPARE(JsonPointer::isValid(pointer, &error), valid);
        QCOMPARE(JsonPointer::tokens(pointer).has_value(), valid);
        if (!valid) {
            QVERIFY2(error.contains(errorPart), qPrintable(error));
            QVERIFY2(error.contains(pointer), qPrintable(error));
        }
    }

    void unescapesInOrder()
    {
        // "~01" is "~1" literally, not "/" (RFC 6901 section 4).
        QCOMPARE(*JsonPointer::tokens(QStringLiteral("/~01")), QStringList{QStringLiteral("~1")});
        QCOMPARE(*JsonPointer::tokens(QStringLiteral("/a//b")),
                 (QStringList{QStringLiteral("a"), QString(), QStringLiteral("b")}));
    }

    void removes_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("expected");
        QTest::newRow("member") << R"({"a":1,"b":2})"
                                << "/a"
                                << R"({"b":2})";
        QTest::newRow("nested") << R"({"a":{"t":1,"u":2}})"
                                << "/a/t"
                                << R"({"a":{"u":2}})";
        QTest::newRow("element") << R"([1,2,3])"
                                 << "/1"
                                 << R"([1,3])";
        QTest::newRow("in array of objects") << R"([{"t":1},{"t":2}])"
                                             << "/1/t"
                                             << R"([{"t":1},{}])";
        QTest::newRow("missing: unchanged") << R"({"a":1})"
                                            << "/b/c"
                                            << R"({"a":1})";
        QTest::newRow("root: unchanged") << R"({"a":1})"
                                         << ""
                                         << R"({"a":1})";
        QTest::newRow("invalid: unchanged") << R"({"a":1})"
                                            << "a"
                                            << R"({"a":1})";
        QTest::newRow("escaped name") << R"({"a/b":1,"c":2})"
                                      << "/a~1b"
                                      << R"({"c":2})";
    }
    void removes()
    {
        QFETCH(QString, document);
        QFETCH(QString, pointer);
        QFETCH(QString, expected);
        const QJsonValue out = JsonPointer::remove(parse(document.toUtf8().constData()), pointer);
        QCOMPARE(out, parse(expected.toUtf8().constData()));
    }
};

QTEST_GUILESS_MAIN(TestJsonPointer)
#include "tst_jsonpointer.moc"
