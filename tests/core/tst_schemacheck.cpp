// JSON Schema checks of the subset OpenRPC documents use.
#include "collection/SchemaCheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rpcbench;

namespace {

QJsonValue json(const QString& text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(("[" + text + "]").toUtf8());
    Q_ASSERT(doc.isArray());
    return doc.array().at(0);
}

// An OpenRPC-like document whose schemas refer to each other.
QJsonObject document()
{
    return json(R"({"components": {"schemas": {
        "Person": {"type": "object", "required": ["name"],
                   "properties": {"name": {"type": "string", "minLength": 1},
                                  "age": {"type": "integer", "minimum": 0},
                                  "friends": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}}},
                   "additionalProperties": false},
        "Loop": {"$ref": "#/components/schemas/Loop"}}}})")
        .toObject();
}

} // namespace

class TestSchemaCheck : public QObject
{
    Q_OBJECT
private slots:
    void validates_data()
    {
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem"); // empty: valid; else a part of the first problem
        QTest::newRow("type ok") << R"({"type":"string"})"
                                 << R"("x")"
                                 << "";
        QTest::newRow("type wrong") << R"({"type":"string"})"
                                    << "42"
                                    << "(the result): expected string, got 42";
        QTest::newRow("type list") << R"({"type":["string","null"]})"
                                   << "null"
                                   << "";
        QTest::newRow("integer ok") << R"({"type":"integer"})"
                                    << "3"
                                    << "";
        QTest::newRow("integer wrong") << R"({"type":"integer"})"
                                       << "3.5"
                                       << "expected integer";
        QTest::newRow("number takes integer") << R"({"type":"number"})"
                                              << "3"
                                              << "";
        QTest::newRow("enum") << R"({"enum":["a","b"]})"
                              << R"("c")"
                              << R"("c" is not one of ["a","b"])";
        QTest::newRow("const") << R"({"const":{"a":1}})"
                               << R"({"a":2})"
                               << R"(expected {"a":1})";
        QTest::newRow("minimum") << R"({"minimum":1})"
                                 << "0"
                                 << "0 is less than 1";
        QTest::newRow("maximum") << R"({"maximum":1})"
                                 << "2"
                                 << "2 is more than 1";
        QTest::newRow("exclusiveMinimum") << R"({"exclusiveMinimum":1})"
                                          << "1"
                                          << "not more than 1";
        QTest::newRow("exclusiveMaximum") << R"({"exclusiveMaximum":1})"
                                          << "1"
                                          << "not less than 1";
        QTest::newRow("multipleOf ok") << R"({"multipleOf":0.1})"
                                       << "0.3"
                                       << "";
        QTest::newRow("multipleOf") << R"({"multipleOf":2})"
                                    << "3"
                                    << "not a multiple of 2";
        QTest::newRow("minLength counts code points") << R"({"minLength":2})"
                                                      << "\"\U0001F600\""
                                                      << "shorter than 2";
        QTest::newRow("maxLength") << R"({"maxLength":1})"
                                   << R"("ab")"
                                   << "longer than 1";
        QTest::newRow("pattern") << R"({"pattern":"^0x[0-9a-f]+$"})"
                                 << R"("0xZZ")"
                                 << "does not match";
        QTest::newRow("pattern ok") << R"({"pattern":"^0x[0-9a-f]+$"})"
                                    << R"("0x1f")"
                                    << "";
        QTest::newRow("bad pattern") << "{\"pattern\":\"(\"}"
                                     << R"("x")"
                                     << "not a valid regular expression";
        QTest::newRow("minItems") << R"({"minItems":2})"
                                  << "[1]"
                                  << "1 items, expected at least 2";
        QTest::newRow("maxItems") << R"({"maxItems":0})"
                                  << "[1]"
                                  << "expected at most 0";
        QTest::newRow("uniqueItems") << R"({"uniqueItems":true})"
                                     << "[1,2,1]"
                                     << "items 0 and 2 are equal";
        QTest::newRow("items") << R"({"items":{"type":"number"}})"
                               << R"([1,"x"])"
                               << "/1: expected number";
        QTest::newRow("tuple") << R"({"items":[{"type":"string"},{"type":"number"}]})"
                               << R"(["a","b",true])"
                               << "/1: expected number";
        QTest::newRow("required") << R"({"required":["id"]})"
                                  << "{}"
                                  << "the member 'id' is missing";
        QTest::newRow("additional false") << R"({"properties":{},"additionalProperties":false})"
                                          << R"({"x":1})"
                                          << "the member 'x' is not allowed";
        QTest::newRow("additional schema") << R"({"additionalProperties":{"type":"string"}})"
                                           << R"({"x":1})"
                                           << "/x: expected string";
        QTest::newRow("escaped member path") << R"({"properties":{"a/b":{"type":"string"}}})"
                                             << R"({"a/b":1})"
                                             << "/a~1b: expected string";
        QTest::newRow("allOf") << R"({"allOf":[{"type":"number"},{"minimum":5}]})"
                               << "3"
                               << "3 is less than 5";
        QTest::newRow("anyOf ok") << R"({"anyOf":[{"type":"string"},{"type":"number"}]})"
                                  << "3"
                                  << "";
        QTest::newRow("anyOf") << R"({"anyOf":[{"type":"string"},{"type":"null"}]})"
                               << "3"
                               << "matches none of the anyOf";
        QTest::newRow("oneOf two") << R"({"oneOf":[{"type":"number"},{"minimum":0}]})"
                                   << "3"
                                   << "matches 2 of the oneOf";
        QTest::newRow("not") << R"({"not":{"type":"null"}})"
                             << "null"
                             << "matches the schema it must not";
        QTest::newRow("false schema") << "false"
                                      << "1"
                                      << "no value is allowed";
        QTest::newRow("true schema") << "true"
                                     << "1"
                                     << "";
        QTest::newRow("annotations ignored") << R"({"title":"x","format":"date","description":"d"})"
                                             << "1"
                                             << "";
        QTest::newRow("ref ok") << R"({"$ref":"#/components/schemas/Person"})"
                                << R"({"name":"a","friends":[{"name":"b"}]})"
                                << "";
        QTest::newRow("ref nested problem") << R"({"$ref":"#/components/schemas/Person"})"
                                            << R"({"name":"a","friends":[{"name":""}]})"
                                            << "/friends/0/name: \"\" is shorter than 1";
        QTest::newRow("ref extra member") << R"({"$ref":"#/components/schemas/Person"})"
                                          << R"({"name":"a","x":1})"
                                          << "the member 'x' is not allowed";
        QTest::newRow("ref missing") << R"({"$ref":"#/components/schemas/Nope"})"
                                     << "1"
                                     << "names nothing";
        QTest::newRow("ref outside") << R"({"$ref":"http://x/y.json"})"
                                     << "1"
                                     << "points outside the document";
        QTest::newRow("ref loop stops") << R"({"$ref":"#/components/schemas/Loop"})"
                                        << "1"
                                        << "nests too deep";
    }
    void validates()
    {
        QFETCH(QString, schema);
        QFETCH(QString, value);
        QFETCH(QString, problem);
        const QStringList problems = SchemaCheck(document()).validate(json(value), json(schema));
        if (problem.isEmpty()) {
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
        } else {
            QVERIFY2(!problems.isEmpty(), "expected a problem");
            QVERIFY2(problems.first().contains(problem), qPrintable(problems.join(QLatin1String("; "))));
        }
    }

    void stopsAtTheLimit()
    {
        QJsonArray many;
        for (int i = 0; i < 100; ++i)
            many.append(i);
        const QStringList problems = SchemaCheck().validate(many, json(R"({"items":{"type":"string"}})"), 7);
        QCOMPARE(problems.size(), 7);
    }
};

QTEST_GUILESS_MAIN(TestSchemaCheck)
#include "tst_schemacheck.moc"
