// OpenRPC import: every method of a document becomes a canned-result mock, answering an
// example from the document or a value generated from its result schema.

#include "openrpc/OpenRpcImport.h"
#include "openrpc/SchemaSampler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace rpcbench;

namespace {

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class TestOpenRpcImport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyNamedMethodBecomesAMock();
    void exampleResultIsTheCannedReply();
    void refsAreResolvedForParamsAndResult();
    void resultGeneratedFromSchema();
    void recursiveSchemaStaysSmall();
    void samplerKeywords_data();
    void samplerKeywords();
    void badDocuments_data();
    void badDocuments();

private:
    QList<UserMethod> m_methods;
    QStringList m_warnings;
    const UserMethod* find(const QString& name) const;
};

void TestOpenRpcImport::initTestCase()
{
    QString error;
    auto methods =
        OpenRpcImport::fromFile(RPCBENCH_SOURCE_DIR "/tests/data/petstore.openrpc.json", &error, &m_warnings);
    QVERIFY2(methods, qPrintable(error));
    m_methods = *methods;
}

const UserMethod* TestOpenRpcImport::find(const QString& name) const
{
    for (const UserMethod& m : m_methods) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

void TestOpenRpcImport::everyNamedMethodBecomesAMock()
{
    QStringList names;
    for (const UserMethod& m : m_methods) {
        names << m.name;
        QVERIFY(m.kind == UserHandlerKind::Result);
        QVERIFY2(m.validate().isEmpty(), qPrintable(m.validate()));
    }
    QCOMPARE(names, (QStringList{"list_pets", "create_pet", "get_pet", "store_status", "tree"}));
    QCOMPARE(m_warnings.size(), 1);
    QVERIFY2(m_warnings.first().startsWith("methods[4]"), qPrintable(m_warnings.first()));
}

void TestOpenRpcImport::exampleResultIsTheCannedReply()
{
    const UserMethod* m = find("list_pets");
    QVERIFY(m);
    QCOMPARE(m->result, json(R"([{"id": 7, "name": "fluffy", "tag": "poodle"}])"));
    QCOMPARE(m->description, QString("List all pets"));
    QCOMPARE(m->params.size(), 1);
    QVERIFY(!m->params.first().isRequired());
    QVERIFY(m->params.first().type == ParamType::Integer);
    QVERIFY(m->resultType == ParamType::Array);
}

void TestOpenRpcImport::refsAreResolvedForParamsAndResult()
{
    const UserMethod* m = find("create_pet");
    QVERIFY(m);
    QCOMPARE(m->params.size(), 2);
    QCOMPARE(m->params.at(1).name, QString("tag"));
    QCOMPARE(m->params.at(1).defaultValue, std::optional<QJsonValue>(QJsonValue("none")));
    QCOMPARE(m->result, QJsonValue(100)); // PetId: integer, minimum 100
    const UserMethod* get = find("get_pet");
    QVERIFY(get);
    QCOMPARE(get->params.first().name, QString("petId"));
    QVERIFY(get->params.first().type == ParamType::Integer);
    // Its example pairing has no result, so the schema is used.
    QCOMPARE(get->result, json(R"({"id": 100, "name": "string", "tag": "string"})"));
}

void TestOpenRpcImport::resultGeneratedFromSchema()
{
    const UserMethod* m = find("store_status");
    QVERIFY(m);
    QCOMPARE(m->result, json(R"({"state": "open", "since": "2024-01-01T00:00:00Z", "version": "v2",
                                 "visitors": 2.5, "staff": 3, "manager": "stringxx", "tags": [true, true],
                                 "owner": {"name": "Grace", "email": "user@example.com"}, "either": 5})"));
}

void TestOpenRpcImport::recursiveSchemaStaysSmall()
{
    const UserMethod* m = find("tree");
    QVERIFY(m);
    const QByteArray text = QJsonDocument(m->result.toObject()).toJson(QJsonDocument::Compact);
    QVERIFY2(text.size() < 400, text.constData());
    QVERIFY(m->result.toObject().value("children").isArray());
}

void TestOpenRpcImport::samplerKeywords_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray("{}") << QByteArray("null");
    QTest::newRow("const wins") << QByteArray(R"({"type":"integer","const":4,"default":5})")
                                << QByteArray("4");
    QTest::newRow("default") << QByteArray(R"({"type":"string","default":"d"})") << QByteArray(R"("d")");
    QTest::newRow("enum") << QByteArray(R"({"enum":[3,4]})") << QByteArray("3");
    QTest::newRow("integer maximum negative")
        << QByteArray(R"({"type":"integer","maximum":-3})") << QByteArray("-3");
    QTest::newRow("multipleOf") << QByteArray(R"({"type":"integer","minimum":7,"multipleOf":5})")
                                << QByteArray("10");
    QTest::newRow("number") << QByteArray(R"({"type":"number"})") << QByteArray("0");
    QTest::newRow("boolean") << QByteArray(R"({"type":"boolean"})") << QByteArray("true");
    QTest::newRow("null") << QByteArray(R"({"type":"null"})") << QByteArray("null");
    QTest::newRow("maxLength") << QByteArray(R"({"type":"string","maxLength":3})") << QByteArray(R"("str")");
    QTest::newRow("uuid") << QByteArray(R"({"type":"string","format":"uuid"})")
                          << QByteArray(R"("00000000-0000-4000-8000-000000000000")");
    QTest::newRow("tuple") << QByteArray(R"({"type":"array","items":[{"type":"integer"},{"type":"string"}]})")
                           << QByteArray(R"([0,"string"])");
    QTest::newRow("untyped object") << QByteArray(R"({"properties":{"a":{"type":"integer"}}})")
                                    << QByteArray(R"({"a":0})");
    QTest::newRow("anyOf") << QByteArray(R"({"anyOf":[{"type":"boolean"},{"type":"string"}]})")
                           << QByteArray("true");
    QTest::newRow("dangling ref") << QByteArray(R"({"$ref":"#/nowhere"})") << QByteArray("null");
    QTest::newRow("self ref") << QByteArray(R"({"$ref":"#/components/schemas/Loop"})") << QByteArray("null");
}

void TestOpenRpcImport::samplerKeywords()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, expected);
    const QJsonObject doc =
        QJsonDocument::fromJson(R"({"components":{"schemas":{"Loop":{"$ref":"#/components/schemas/Loop"}}}})")
            .object();
    const SchemaSampler sampler(doc);
    QCOMPARE(sampler.sample(json(schema)), json(expected));
}

void TestOpenRpcImport::badDocuments_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("broken JSON") << QByteArray("{\n\"openrpc\": \"1.2.6\",\n\"methods\": [\n}")
                                 << "line 4, column";
    QTest::newRow("no methods") << QByteArray(R"({"openrpc":"1.2.6"})") << "no \"methods\" array";
    QTest::newRow("methods not array") << QByteArray(R"({"methods":{}})") << "no \"methods\" array";
}

void TestOpenRpcImport::badDocuments()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!OpenRpcImport::fromBytes(content, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestOpenRpcImport)
#include "tst_openrpcimport.moc"
