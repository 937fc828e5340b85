// The typed member reader behind workspaces, mock methods and fault settings: what each reader
// accepts, the message naming the member by its path, and that the first problem wins.

#include "util/JsonFields.h"

#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace rpcbench;

namespace {

QJsonObject parse(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

// Reads every kind of member out of `json` (at `path`) the way a settings reader would.
QString readAll(const QByteArray& json, const QString& path)
{
    JsonFields f(parse(json), path);
    QString name;
    bool flag = false;
    int port = 0;
    double share = 0;
    QJsonArray list;
    QStringList names;
    QJsonObject object;
    f.onlyKeys({"name", "flag", "port", "share", "list", "names", "object", "inner"});
    f.string(u"name", &name, JsonFields::Required);
    f.boolean(u"flag", &flag);
    f.integer(u"port", 0, 65535, &port);
    f.number(u"share", 0, 100, &share);
    f.array(u"list", &list);
    f.stringList(u"names", &names);
    f.object(u"object", &object);
    JsonFields inner = f.nested(u"inner");
    inner.integer(u"ms", 0, 600000, &port);
    return f.error();
}

} // namespace

class TestJsonFields : public QObject
{
    Q_OBJECT
private slots:
    void messages_data();
    void messages();
    void readsValuesAndKeepsDefaults();
    void firstProblemWins();
    void expectedReplacesTheDescription();
    void integersBeyondDoublePrecision();
};

void TestJsonFields::messages_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");
    QTest::newRow("valid") << QByteArray(R"({"name":"x","flag":true,"port":80,"inner":{"ms":5}})")
                           << QString() << QString();
    QTest::newRow("required missing, top level")
        << QByteArray("{}") << QString() << "'name' must be a string";
    QTest::newRow("required missing, nested") << QByteArray("{}") << "server"
                                              << "server.name must be a string";
    QTest::newRow("unknown key") << QByteArray(R"({"name":"x","nmae":1})") << "server"
                                 << "server: unknown key 'nmae' (expected one of name, flag, port, share, "
                                    "list, names, object, inner)";
    QTest::newRow("bool") << QByteArray(R"({"name":"x","flag":"yes"})") << "a.b"
                          << "a.b.flag must be true or false";
    QTest::newRow("integer out of range") << QByteArray(R"({"name":"x","port":70000})") << "server"
                                          << "server.port must be an integer between 0 and 65535";
    QTest::newRow("integer with fraction") << QByteArray(R"({"name":"x","port":1.5})") << QString()
                                           << "'port' must be an integer between 0 and 65535";
    QTest::newRow("integer as string") << QByteArray(R"({"name":"x","port":"80"})") << QString()
                                       << "'port' must be an integer between 0 and 65535";
    QTest::newRow("number out of range") << QByteArray(R"({"name":"x","share":120})") << "errorRate"
                                         << "errorRate.share must be a number between 0 and 100";
    QTest::newRow("array") << QByteArray(R"({"name":"x","list":{}})") << QString()
                           << "'list' must be an array";
    QTest::newRow("string list element") << QByteArray(R"({"name":"x","names":["a",2]})") << "server"
                                         << "server.names[1] must be a string";
    QTest::newRow("string list at top")
        << QByteArray(R"({"name":"x","names":"a"})") << QString() << "'names' must be an array of strings";
    QTest::newRow("object") << QByteArray(R"({"name":"x","object":[]})") << QString()
                            << "'object' must be an object";
    QTest::newRow("nested path") << QByteArray(R"({"name":"x","inner":{"ms":-1}})") << "methods[2]"
                                 << "methods[2].inner.ms must be an integer between 0 and 600000";
    QTest::newRow("nested at top level") << QByteArray(R"({"name":"x","inner":{"ms":-1}})") << QString()
                                         << "inner.ms must be an integer between 0 and 600000";
    QTest::newRow("nested not an object")
        << QByteArray(R"({"name":"x","inner":3})") << QString() << "'inner' must be an object";
}

void TestJsonFields::messages()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, error);
    QCOMPARE(readAll(json, path), error);
}

void TestJsonFields::readsValuesAndKeepsDefaults()
{
    JsonFields f(parse(R"({"name":"n","port":8080,"names":["a","b"],"inner":{"ms":250}})"));
    QString name;
    QString absent = "default";
    int port = 0;
    bool flag = true;
    QStringList names;
    int ms = 0;
    QVERIFY(f.string(u"name", &name));
    QVERIFY(f.string(u"missing", &absent));
    QVERIFY(f.integer(u"port", 0, 65535, &port));
    QVERIFY(f.boolean(u"flag", &flag));
    QVERIFY(f.stringList(u"names", &names));
    QVERIFY(f.nested(u"inner").integer(u"ms", 0, 1000, &ms));
    QVERIFY(f.ok());
    QCOMPARE(name, QString("n"));
    QCOMPARE(absent, QString("default"));
    QCOMPARE(port, 8080);
    QCOMPARE(flag, true);
    QCOMPARE(names, QStringList({"a", "b"}));
    QCOMPARE(ms, 250);
}

void TestJsonFields::firstProblemWins()
{
    JsonFields f(parse(R"({"a":"x","b":"y","inner":{"c":"z"}})"), "top");
    int n = 7;
    QVERIFY(!f.integer(u"a", 0, 1, &n));
    QVERIFY(!f.integer(u"b", 0, 1, &n));
    JsonFields inner = f.nested(u"inner");
    QVERIFY(!inner.integer(u"c", 0, 1, &n));
    QVERIFY(!f.fail("later"));
    QCOMPARE(n, 7);
    QCOMPARE(f.error(), QString("top.a must be an integer between 0 and 1"));
    QCOMPARE(inner.error(), f.error()); // one problem for the whole tree of readers
}

void TestJsonFields::expectedReplacesTheDescription()
{
    JsonFields f(parse(R"({"code":1.5})"));
    int code = 0;
    QVERIFY(!f.integer(u"code", -10, 10, &code, JsonFields::Optional, "an integer error code"));
    QCOMPARE(f.error(), QString("'code' must be an integer error code"));

    JsonFields g(parse("{}"), "handler");
    QVERIFY(!g.fail(u"bind", "'x' is not an IP address"));
    QCOMPARE(g.error(), QString("handler.bind: 'x' is not an IP address"));
}

void TestJsonFields::integersBeyondDoublePrecision()
{
    JsonFields f(parse(R"({"big":9007199254740993})"));
    qint64 big = 0;
    QVERIFY(f.integer(u"big", 0, std::numeric_limits<qint64>::max(), &big));
    QCOMPARE(big, qint64(9007199254740993));
}

QTEST_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
