// A workspace's collections (inline and in files of their own) and environments: saved, loaded
// back the same, errors naming where the problem is.
#include "mock/Workspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

QJsonValue json(const QString& text)
{
    return QJsonDocument::fromJson(("[" + text + "]").toUtf8()).array().at(0);
}

Collection demo(const QString& name)
{
    return *Collection::fromJson(
        json(
            QStringLiteral(
                R"({"name":"%1","variables":{"n":1},"items":[{"folder":"F","items":[{"name":"add","method":"add","params":[1,2],"assert":[{"equals":3}]}]}]})")
                .arg(name)),
        nullptr);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray workspaceWith(const QString& members)
{
    return QStringLiteral(R"({"format":"rpcbench-workspace","version":1,%1})").arg(members).toUtf8();
}

} // namespace

class TestWorkspaceCollections : public QObject
{
    Q_OBJECT
private slots:
    void roundTripInlineAndInFiles()
    {
        QTemporaryDir dir;
        Workspace w;
        w.collections << demo(QStringLiteral("inline"));
        Collection own = demo(QStringLiteral("own file"));
        own.file = QStringLiteral("api.rpcbench-collection.json");
        w.collections << own;
        w.environments.insert(QStringLiteral("local"),
                              {{QStringLiteral("baseUrl"), QStringLiteral("tcp://127.0.0.1:5000")}});
        w.environments.insert(QStringLiteral("ci"), {{QStringLiteral("n"), 2}});
        const QString path = dir.filePath(QStringLiteral("w.rpcbench.json"));
        QString error;
        QVERIFY2(w.save(path, &error), qPrintable(error));
        // The workspace names the file; the file holds the collection.
        const QJsonObject saved = QJsonDocument::fromJson([&] {
                                      QFile f(path);
                                      f.open(QIODevice::ReadOnly);
                                      return f.readAll();
                                  }())
                                      .object();
        QCOMPARE(saved.value(QStringLiteral("collections")).toArray().at(1).toObject(),
                 (QJsonObject{{QStringLiteral("file"), QStringLiteral("api.rpcbench-collection.json")}}));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("api.rpcbench-collection.json"))));
        const auto loaded = Workspace::load(path, nullptr, &error);
        QVERIFY2(loaded.has_value(), qPrintable(error));
        QCOMPARE(loaded->collections.size(), 2);
        QVERIFY(loaded->collections.at(0) == w.collections.at(0));
        QVERIFY(loaded->collections.at(1) == own); // file kept as the workspace names it
        QCOMPARE(loaded->environments, w.environments);
    }

    void editedByHandStillLoads()
    {
        // A collection file written by rpcbench, then edited in a text editor: a call added at
        // the end, a description changed; everything is kept.
        QTemporaryDir dir;
        Collection c = demo(QStringLiteral("api"));
        const QString file = dir.filePath(QStringLiteral("api.rpcbench-collection.json"));
        QString error;
        QVERIFY(c.save(file, &error));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("\"name\": \"api\"", "\"description\": \"by hand\",\n    \"name\": \"api\"");
        const qsizetype lastItem = text.lastIndexOf(']', text.lastIndexOf("\"name\": \"api\""));
        QVERIFY(lastItem > 0);
        text.insert(lastItem, ",\n        {\"method\": \"now\"}\n    ");
        QVERIFY(writeFile(file, text));
        const auto loaded = Collection::load(file, &error);
        QVERIFY2(loaded.has_value(), qPrintable(error));
        QCOMPARE(loaded->description, QStringLiteral("by hand"));
        QCOMPARE(loaded->calls().size(), 2);
        QCOMPARE(loaded->calls().at(1).path, QStringLiteral("now"));
    }

    void reportsProblems_data()
    {
        QTest::addColumn<QByteArray>("workspace");
        QTest::addColumn<QByteArray>("collectionFile"); // written as c.rpcbench-collection.json
        QTest::addColumn<QString>("error");
        QTest::newRow("missing file")
            << workspaceWith(R"("collections":[{"file":"gone.rpcbench-collection.json"}])") << QByteArray()
            << "w.rpcbench.json: collections[0]: cannot open";
        QTest::newRow("broken file")
            << workspaceWith(R"("collections":[{"file":"c.rpcbench-collection.json"}])")
            << QByteArray("{\n\"format\": \"rpcbench-collection\",\n\"version\": 1,\n\"name\": }")
            << "collections[0]: c.rpcbench-collection.json: not valid JSON: line 4";
        QTest::newRow("bad call in file")
            << workspaceWith(R"("collections":[{"file":"c.rpcbench-collection.json"}])")
            << QByteArray(
                   R"({"format":"rpcbench-collection","version":1,"name":"x","items":[{"method":"a","asert":[]}]})")
            << "c.rpcbench-collection.json: line 1: items[0] 'a': unknown key 'asert'";
        QTest::newRow("bad inline") << workspaceWith(
                                           R"("collections":[{"name":"api","items":[{"name":"x"}]}])")
                                    << QByteArray()
                                    << "collections[0] 'api': items[0] 'x': a saved call needs";
        QTest::newRow("file ref with extra key")
            << workspaceWith(R"("collections":[{"file":"a","name":"b"}])") << QByteArray()
            << "collections[0]: unknown key 'name'";
        QTest::newRow("environment not an object")
            << workspaceWith(R"("environments":{"local":3})") << QByteArray()
            << "environments.local must be an object of variables";
        QTest::newRow("collections not an array") << workspaceWith(R"("collections":{})") << QByteArray()
                                                  << "'collections' must be an array of collections";
    }
    void reportsProblems()
    {
        QFETCH(QByteArray, workspace);
        QFETCH(QByteArray, collectionFile);
        QFETCH(QString, error);
        QTemporaryDir dir;
        if (!collectionFile.isEmpty())
            QVERIFY(writeFile(dir.filePath(QStringLiteral("c.rpcbench-collection.json")), collectionFile));
        const QString path = dir.filePath(QStringLiteral("w.rpcbench.json"));
        QVERIFY(writeFile(path, workspace));
        QString why;
        QVERIFY(!Workspace::load(path, nullptr, &why).has_value());
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    void olderFilesHaveNone()
    {
        QString error;
        const auto w = Workspace::fromBytes(workspaceWith(R"("savedCalls":[])"), nullptr, &error);
        QVERIFY2(w.has_value(), qPrintable(error));
        QVERIFY(w->collections.isEmpty());
        QVERIFY(w->environments.isEmpty());
        QVERIFY(!w->toJson().contains(QStringLiteral("collections")));
        QVERIFY(!w->toJson().contains(QStringLiteral("environments")));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceCollections)
#include "tst_workspacecollections.moc"
