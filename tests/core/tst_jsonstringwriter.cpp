// JsonStringWriter must write exactly what Qt's JSON writer writes, for every kind of
// content and at every position relative to its 8-unit SIMD blocks.

#include "util/JsonStringWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace rpcbench;

class TestJsonStringWriter : public QObject
{
    Q_OBJECT

private slots:
    void matchesQt_data();
    void matchesQt();
    void loneSurrogates_data();
    void loneSurrogates();
    void appendsAfterExistingBytes();
    void randomStringsMatchQt();
};

namespace {

// Qt's compact form of ["s"], without the brackets.
QByteArray qtString(const QString& s)
{
    const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray written(const QString& s)
{
    QByteArray out;
    JsonStringWriter::append(out, s);
    return out;
}

} // namespace

void TestJsonStringWriter::matchesQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("short ascii") << QStringLiteral("abc");
    QTest::newRow("exactly 8") << QStringLiteral("abcdefgh");
    QTest::newRow("long ascii") << QString(1000, u'x');
    QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c");
    QTest::newRow("controls") << QStringLiteral("\b\f\n\r\t") + QChar(0x01) + QChar(0x1f) + QChar(0x7f);
    QTest::newRow("slash not escaped") << QStringLiteral("a/b");
    QTest::newRow("latin1") << QString::fromUtf8("h\xC3\xA9llo");
    QTest::newRow("bmp") << QString::fromUtf8("\xE2\x82\xAC \xE4\xB8\xAD\xE6\x96\x87");
    QTest::newRow("astral pair") << QString::fromUtf8("\xF0\x9F\x98\x80!");
    // A special character at each offset of a 16-unit block.
    for (int at = 0; at < 17; ++at) {
        QString s(24, u'a');
        s[at] = u'"';
        QTest::addRow("quote at %d", at) << s;
        s[at] = QChar(0x00e9);
        QTest::addRow("non-ascii at %d", at) << s;
    }
}

void TestJsonStringWriter::matchesQt()
{
    QFETCH(QString, text);
    QCOMPARE(written(text), qtString(text));
}

void TestJsonStringWriter::loneSurrogates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("high alone") << QString(QChar(0xD800)) << QByteArray(R"("\ud800")");
    QTest::newRow("low alone") << QString(QChar(0xDC00)) << QByteArray(R"("\udc00")");
    QTest::newRow("reversed pair") << (QString(QChar(0xDC00)) + QChar(0xD800))
                                   << QByteArray(R"("\udc00\ud800")");
    QTest::newRow("high at end") << (QStringLiteral("abcdefghij") + QChar(0xDBFF))
                                 << QByteArray(R"("abcdefghij\udbff")");
    QTest::newRow("high then ascii") << (QString(QChar(0xD83D)) + u'x') << QByteArray(R"("\ud83dx")");
}

void TestJsonStringWriter::loneSurrogates()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(written(text), expected);
    // And it reads back as the same string.
    const QJsonDocument back = QJsonDocument::fromJson('[' + expected + ']');
    QCOMPARE(back.array().at(0).toString(), text);
}

void TestJsonStringWriter::appendsAfterExistingBytes()
{
    QByteArray out("{\"result\":");
    out.reserve(12); // smaller than needed: the writer must grow it
    JsonStringWriter::append(out, QString(300, QChar(0x4e2d)));
    QCOMPARE(out, "{\"result\":" + qtString(QString(300, QChar(0x4e2d))));
}

void TestJsonStringWriter::randomStringsMatchQt()
{
    // Mixed content, many lengths: ASCII runs broken by escapes, 2/3/4-byte characters.
    const char16_t alphabet[] = {u'a',  u'Z', u'0', u' ', u'"',   u'\\',
                                 u'\n', 0x01, 0x7f, 0xe9, 0x4e2d, 0xffff};
    QRandomGenerator rng(12345);
    for (int round = 0; round < 2000; ++round) {
        QString s;
        const int length = rng.bounded(200);
        for (int i = 0; i < length; ++i) {
            if (rng.bounded(10) == 0) {
                s += QString::fromUtf8("\xF0\x9F\x98\x80");
            } else {
                s += QChar(alphabet[rng.bounded(int(std::size(alphabet)))]);
            }
        }
        QCOMPARE(written(s), qtString(s));
    }
}

QTEST_GUILESS_MAIN(TestJsonStringWriter)
#include "tst_jsonstringwriter.moc"
