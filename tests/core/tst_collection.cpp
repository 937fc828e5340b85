// Collections and saved calls: reading (strict, errors naming the item), writing (stable bytes,
// small diffs), folders, files of their own.
#include "collection/Collection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace rpcbench;

namespace {

QJsonValue json(const QString& text)
{
    return QJsonDocument::fromJson(("[" + text + "]").toUtf8()).array().at(0);
}

// (No "//" inside: moc misreads it in a raw string that spans lines.)
const char* sample =
    R"({"name": "Demo", "description": "the demo service", "variables": {"a": 1, "url": "unix:/tmp/x.sock"},
  "items": [
    {"folder": "Arithmetic", "items": [
      {"name": "add", "method": "add", "params": [1, 2], "assert": [{"equals": 3}, {"latencyMs": 500}]},
      {"folder": "Deeper", "description": "d", "items": [{"method": "sub", "params": {"a": 3, "b": 1}}]}]},
    {"name": "log in", "target": "{{url}}", "dialect": "1.0", "method": "login", "timeoutMs": 2000,
     "headers": [{"name": "Authorization", "value": "Bearer {{env.TOKEN}}"}],
     "capture": {"session": "/session"}},
    {"name": "ping", "method": "ping", "notification": true},
    {"batch": [{"method": "echo", "params": ["x"]}, {"method": "log", "notification": true}]}
  ]})";

int changedLines(const QByteArray& a, const QByteArray& b)
{
    const QList<QByteArray> x = a.split('\n');
    const QList<QByteArray> y = b.split('\n');
    if (x.size() != y.size())
        return -1;
    int n = 0;
    for (qsizetype i = 0; i < x.size(); ++i)
        n += x[i] != y[i];
    return n;
}

} // namespace

class TestCollection : public QObject
{
    Q_OBJECT
private slots:
    void readsEverything()
    {
        QString error;
        const auto c = Collection::fromJson(json(QString::fromUtf8(sample)), &error);
        QVERIFY2(c.has_value(), qPrintable(error));
        QCOMPARE(c->name, QStringLiteral("Demo"));
        QCOMPARE(c->variables.value(QStringLiteral("a")), QJsonValue(1));
        const auto calls = c->calls();
        QStringList paths;
        for (const auto& e : calls)
            paths << e.path;
        QCOMPARE(paths, (QStringList{QStringLiteral("Arithmetic/add"),
                                     QStringLiteral("Arithmetic/Deeper/sub"), QStringLiteral("log in"),
                                     QStringLiteral("ping"), QStringLiteral("batch of 2")}));
        const SavedCall& add = *calls[0].call;
        QCOMPARE(add.assertions.size(), 2);
        QCOMPARE(add.params, json("[1,2]"));
        const SavedCall& login = *calls[2].call;
        QCOMPARE(login.dialect, QStringLiteral("1.0"));
        QCOMPARE(login.timeoutMs, 2000);
        QCOMPARE(login.headers.size(), 1);
        QCOMPARE(login.captures.value(QStringLiteral("session")), QStringLiteral("/session"));
        QVERIFY(calls[3].call->notification);
        QVERIFY(calls[4].call->isBatch());
        QVERIFY(c->folderItems(QStringLiteral("Arithmetic/Deeper")) != nullptr);
        QCOMPARE(c->folderItems(QStringLiteral("Arithmetic/Deeper"))->size(), 1);
        QVERIFY(c->folderItems(QStringLiteral("Nope")) == nullptr);
        QCOMPARE(c->folderItems(QString())->size(), 4);
    }

    void writesWhatItReads()
    {
        const auto c = Collection::fromJson(json(QString::fromUtf8(sample)), nullptr);
        QVERIFY(c.has_value());
        QString error;
        const auto again = Collection::fromJson(c->toJson(), &error);
        QVERIFY2(again.has_value(), qPrintable(error));
        QVERIFY(*again == *c);
        // Written twice, the same bytes (sorted keys).
        QCOMPARE(again->toFileBytes(), c->toFileBytes());
    }

    void aOneCallChangeIsASmallDiff()
    {
        auto c = *Collection::fromJson(json(QString::fromUtf8(sample)), nullptr);
        const QByteArray before = c.toFileBytes();
        c.items[0].items[0].call.params = json("[1, 5]");
        const QByteArray after = c.toFileBytes();
        const int changed = changedLines(before, after);
        QVERIFY2(changed >= 1 && changed <= 2, qPrintable(QString::number(changed)));
    }

    // A collection without weights is written exactly as before weights existed: the bytes are
    // the sample itself, re-indented (no "weight" member appears), and "weight": 1 written by
    // hand is dropped like any default.
    void noWeightsWriteTheSameBytes()
    {
        QJsonObject original = json(QString::fromUtf8(sample)).toObject();
        original.insert(QStringLiteral("format"), QLatin1String(Collection::format));
        original.insert(QStringLiteral("version"), Collection::version);
        const auto c = Collection::fromJson(original, nullptr);
        QVERIFY(c.has_value());
        for (const auto& e : c->calls())
            QCOMPARE(e.call->weight, 1.0);
        const QByteArray expected = QJsonDocument(original).toJson(QJsonDocument::Indented);
        QCOMPARE(c->toFileBytes(), expected);
        QVERIFY(!c->toFileBytes().contains("weight"));

        const auto explicitOne = SavedCall::fromJson(json(R"({"method": "a", "weight": 1})"), nullptr);
        QVERIFY(explicitOne.has_value());
        QCOMPARE(explicitOne->toJson(), json(R"({"method": "a"})").toObject());
    }

    void weightsRoundTrip()
    {
        Collection c;
        c.name = QStringLiteral("W");
        SavedCall heavy;
        heavy.method = QStringLiteral("add");
        heavy.weight = 3;
        SavedCall light;
        light.method = QStringLiteral("echo");
        light.weight = 0.25;
        SavedCall plain;
        plain.method = QStringLiteral("now");
        c.items = {CollectionItem::makeCall(heavy), CollectionItem::makeCall(light),
                   CollectionItem::makeCall(plain)};
        QCOMPARE(heavy.toJson().value(QStringLiteral("weight")), QJsonValue(3));
        QCOMPARE(light.toJson().value(QStringLiteral("weight")), QJsonValue(0.25));
        QVERIFY(!plain.toJson().contains(QStringLiteral("weight")));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w") + QLatin1String(Collection::fileSuffix));
        QString error;
        QVERIFY2(c.save(path, &error), qPrintable(error));
        const auto loaded = Collection::load(path, &error);
        QVERIFY2(loaded.has_value(), qPrintable(error));
        const auto calls = loaded->calls();
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls[0].call->weight, 3.0);
        QCOMPARE(calls[1].call->weight, 0.25);
        QCOMPARE(calls[2].call->weight, 1.0);
        c.file = path;
        QVERIFY(*loaded == c);
        QCOMPARE(loaded->toFileBytes(), c.toFileBytes());
        // Only the weighted calls' lines differ from the same collection without weights.
        Collection unweighted = c;
        unweighted.items[0].call.weight = 1;
        unweighted.items[1].call.weight = 1;
        QCOMPARE(c.toFileBytes().count("\"weight\""), 2);
        QVERIFY(!unweighted.toFileBytes().contains("weight"));
    }

    // The collection checks only "a number > 0" (null included: absent is the default 1, null
    // is not a number); the upper bound depends on the whole mix and is LoadMix's.
    void rejectsBadWeights_data()
    {
        QTest::addColumn<QJsonValue>("weight");
        QTest::newRow("string") << QJsonValue(QStringLiteral("x"));
        QTest::newRow("numeric string") << QJsonValue(QStringLiteral("3"));
        QTest::newRow("zero") << QJsonValue(0);
        QTest::newRow("negative") << QJsonValue(-1);
        QTest::newRow("tiny negative") << QJsonValue(-0.001);
        QTest::newRow("null") << QJsonValue(QJsonValue::Null);
        QTest::newRow("boolean") << QJsonValue(true);
        QTest::newRow("array") << QJsonValue(QJsonArray{3});
        QTest::newRow("nan") << QJsonValue(std::numeric_limits<double>::quiet_NaN());
        QTest::newRow("infinite") << QJsonValue(std::numeric_limits<double>::infinity());
    }
    void rejectsBadWeights()
    {
        QFETCH(QJsonValue, weight);
        const QJsonObject call{{QStringLiteral("name"), QStringLiteral("a")},
                               {QStringLiteral("method"), QStringLiteral("a")},
                               {QStringLiteral("weight"), weight}};
        const QJsonObject o{{QStringLiteral("name"), QStringLiteral("c")},
                            {QStringLiteral("items"), QJsonArray{call}}};
        QString why;
        QVERIFY(!Collection::fromJson(o, &why).has_value());
        QCOMPARE(why, QStringLiteral("items[0] 'a': 'weight' must be a number greater than 0"));
    }

    void acceptsGoodWeights_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("weight");
        QTest::newRow("absent") << R"({"method": "a"})" << 1.0;
        QTest::newRow("integer") << R"({"method": "a", "weight": 3})" << 3.0;
        QTest::newRow("fraction") << R"({"method": "a", "weight": 0.001})" << 0.001;
        // Beyond what a mix allows, but that is for LoadMix::validate to say, with the call's path.
        QTest::newRow("huge") << R"({"method": "a", "weight": 1e9})" << 1e9;
    }
    void acceptsGoodWeights()
    {
        QFETCH(QString, text);
        QFETCH(double, weight);
        QString why;
        const auto call = SavedCall::fromJson(json(text), &why);
        QVERIFY2(call.has_value(), qPrintable(why));
        QCOMPARE(call->weight, weight);
        QCOMPARE(SavedCall::fromJson(call->toJson(), nullptr)->weight, weight);
    }

    void rejectsBadItems_data()
    {
        QTest::addColumn<QString>("items");
        QTest::addColumn<QString>("error");
        QTest::newRow("no method") << R"([{"name":"x"}])"
                                   << "items[0] 'x': a saved call needs \"method\"";
        QTest::newRow("unknown key") << R"([{"method":"a","parms":[]}])"
                                     << "items[0] 'a': unknown key 'parms'";
        QTest::newRow("bad params") << R"([{"method":"a","params":3}])"
                                    << "'params' must be an array or an object";
        QTest::newRow("bad dialect") << R"([{"method":"a","dialect":"3"}])"
                                     << "dialect";
        QTest::newRow("bad assertion") << R"([{"method":"a","assert":[{"equals":1},{"pointr":"/x"}]}])"
                                       << "items[0] 'a': assert[1]: unknown key \"pointr\"";
        QTest::newRow("bad capture") << R"([{"method":"a","capture":{"s":"session"}}])"
                                     << "must be a JSON Pointer into the result";
        QTest::newRow("notification with assert")
            << R"([{"method":"a","notification":true,"assert":[{"result":true}]}])"
            << "a notification gets no reply";
        QTest::newRow("method and batch") << R"([{"method":"a","batch":[{"method":"b"}]}])"
                                          << "not both";
        QTest::newRow("batch element") << R"([{"batch":[{"params":[]}]}])"
                                       << "batch[0]";
        QTest::newRow("header without value") << R"([{"method":"a","headers":[{"name":"X"}]}])"
                                              << "value";
        QTest::newRow("timeout zero") << R"([{"method":"a","timeoutMs":0}])"
                                      << "timeoutMs";
        QTest::newRow("nested folder item") << R"([{"folder":"F","items":[{"method":"ok"},{"name":"bad"}]}])"
                                            << "items[0] 'F'.items[1] 'bad': a saved call needs";
        QTest::newRow("folder with slash") << R"([{"folder":"a/b","items":[]}])"
                                           << "must not contain '/'";
        QTest::newRow("folder unknown key") << R"([{"folder":"F","calls":[]}])"
                                            << "unknown key 'calls'";
        QTest::newRow("not an object") << R"([3])"
                                       << "items[0]: a saved call is an object";
    }
    void rejectsBadItems()
    {
        QFETCH(QString, items);
        QFETCH(QString, error);
        QJsonObject o{{QStringLiteral("name"), QStringLiteral("c")}, {QStringLiteral("items"), json(items)}};
        QString why;
        QVERIFY(!Collection::fromJson(o, &why).has_value());
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    void hasAFileOfItsOwn()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("api") + QLatin1String(Collection::fileSuffix));
        auto c = *Collection::fromJson(json(QString::fromUtf8(sample)), nullptr);
        QString error;
        QVERIFY2(c.save(path, &error), qPrintable(error));
        const auto loaded = Collection::load(path, &error);
        QVERIFY2(loaded.has_value(), qPrintable(error));
        QCOMPARE(loaded->file, path);
        c.file = path;
        QVERIFY(*loaded == c);
    }

    void reportsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        QTest::newRow("broken JSON")
            << QByteArray("{\n  \"format\": \"rpcbench-collection\",\n  \"version\": 1\n  \"name\": 2\n}")
            << "line 4";
        QTest::newRow("not a collection")
            << QByteArray(R"({"format":"rpcbench-workspace","version":1})") << "not an rpcbench collection";
        QTest::newRow("future version")
            << QByteArray(R"({"format":"rpcbench-collection","version":2,"name":"x"})")
            << "unsupported collection version 2";
        QTest::newRow("bad item")
            << QByteArray(R"({"format":"rpcbench-collection","version":1,"name":"x","items":[{}]})")
            << "bad.rpcbench-collection.json: line 1: items[0]: a saved call needs";
        QTest::newRow("bad weight")
            << QByteArray(
                   "{\n  \"format\": \"rpcbench-collection\",\n  \"version\": 1,\n  \"name\": \"x\",\n"
                   "  \"items\": [\n    {\"name\": \"a\", \"method\": \"a\",\n     \"weight\": 0}\n  ]\n}")
            << "bad.rpcbench-collection.json: line 7: items[0] 'a': 'weight' must be a number greater than 0";
    }
    void reportsBadFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.rpcbench-collection.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        QString why;
        QVERIFY(!Collection::load(path, &why).has_value());
        QVERIFY2(why.contains(error), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestCollection)
#include "tst_collection.moc"
