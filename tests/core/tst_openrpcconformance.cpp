// The server's OpenRPC document (rpc.discover) promises only calls the server accepts: for
// every method it lists (demo, introspection, workspace mocks, imported mocks), each call a
// client can build from the document alone — by position and by name as the method's
// paramStructure allows, with only the required parameters and with all of them, values
// generated from each parameter's schema — is sent over a real loopback socket and must not
// be refused as an invalid request, an unknown method or invalid params.

#include "DemoServerFixture.h"
#include "SocketProbe.h"

#include "dispatch/MethodInfo.h"
#include "mock/UserMethod.h"
#include "openrpc/OpenRpcImport.h"
#include "openrpc/SchemaSampler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

#include <optional>

using namespace rpcbench;

namespace {

// Mocks as a workspace declares them, covering every shape a parameter list can take.
const char* const kWorkspaceMethods = R"([
  {"name": "mock.optionalFirst", "result": {"type": "string"},
   "params": [{"name": "prefix", "type": "string", "default": ">"}, {"name": "value", "type": "integer"}],
   "handler": {"kind": "result", "value": "ok"}},
  {"name": "mock.rest", "result": {"type": "array"},
   "params": [{"name": "label", "type": "string"}, {"name": "items", "type": "integer", "variadic": true}],
   "handler": {"kind": "result", "value": []}},
  {"name": "mock.optional", "result": {"type": "object"},
   "params": [{"name": "a", "type": "number"}, {"name": "note", "type": "string", "optional": true},
              {"name": "flags", "type": "object", "default": {"x": 1}}, {"name": "any", "optional": true}],
   "handler": {"kind": "result", "value": {}}},
  {"name": "mock.declined", "result": {"type": "object"},
   "params": [{"name": "amount", "type": "number"}, {"name": "currency", "type": "string", "default": "EUR"}],
   "handler": {"kind": "error", "code": -32020, "message": "card declined"}},
  {"name": "mock.disabled", "params": [{"name": "a", "type": "number"}], "enabled": false,
   "handler": {"kind": "result", "value": 1}}
])";

const QSet<int> kRefusals{-32600, -32601, -32602}; // the document promised something else

QJsonObject parseObject(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

std::optional<ParamType> schemaType(const QJsonObject& schema)
{
    if (!schema.contains(u"type"))
        return std::nullopt; // {}: any value
    return paramTypeFromString(schema.value(u"type").toString());
}

} // namespace

class TestOpenRpcConformance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void documentHeader();
    void methodStructure_data();
    void methodStructure();
    void callsBuiltFromDocument_data();
    void callsBuiltFromDocument();
    void specExamplesSpreadPositionals_data();
    void specExamplesSpreadPositionals();

private:
    QJsonObject call(const QString& method, const QJsonValue& params);
    QJsonValue argumentFor(const QString& method, const QJsonObject& param) const;
    void addCallRows(const QJsonObject& method);

    std::unique_ptr<DemoServerFixture> m_fixture;
    QJsonObject m_document;
    QJsonArray m_methods;
    int m_nextId = 1;
};

void TestOpenRpcConformance::initTestCase()
{
    m_fixture = std::make_unique<DemoServerFixture>();
    for (const QJsonValue& json : QJsonDocument::fromJson(kWorkspaceMethods).array()) {
        QString error;
        const auto method = UserMethod::fromJson(json, &error);
        QVERIFY2(method, qPrintable(error));
        method->registerInto(*m_fixture->registry, nullptr);
    }
    QString error;
    const auto imported =
        OpenRpcImport::fromFile(RPCBENCH_SOURCE_DIR "/tests/data/petstore.openrpc.json", &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(!imported->isEmpty());
    for (const UserMethod& m : *imported)
        m.registerInto(*m_fixture->registry, nullptr);
    QVERIFY(m_fixture->start());

    // The document as a client gets it: over the wire, not from the registry.
    const QJsonObject reply = call(QStringLiteral("rpc.discover"), QJsonValue::Undefined);
    QVERIFY2(reply.contains(u"result"), QJsonDocument(reply).toJson().constData());
    m_document = reply.value(u"result").toObject();
    m_methods = m_document.value(u"methods").toArray();
    QVERIFY(m_methods.size() > 20);
}

void TestOpenRpcConformance::cleanupTestCase()
{
    m_fixture.reset();
}

// One request on its own newline-delimited JSON connection; the parsed response, or an
// empty object when none arrived.
QJsonObject TestOpenRpcConformance::call(const QString& method, const QJsonValue& params)
{
    QJsonObject request{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                        {QStringLiteral("method"), method},
                        {QStringLiteral("id"), m_nextId++}};
    if (!params.isUndefined())
        request.insert(QStringLiteral("params"), params);
    SocketProbe probe;
    if (!probe.connectTo(m_fixture->port()))
        return {};
    probe.send(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    const QList<QJsonValue> lines = probe.waitForJsonLines(1);
    return lines.isEmpty() ? QJsonObject() : lines.first().toObject();
}

// A value for one parameter, from its schema. The one thing a schema cannot say is "the name
// of a method of this server", which introspection takes: that comes from the document too.
QJsonValue TestOpenRpcConformance::argumentFor(const QString& method, const QJsonObject& param) const
{
    if (method.startsWith(u"system.method") && param.value(u"name").toString() == u"method_name")
        return m_methods.first().toObject().value(u"name");
    return SchemaSampler(m_document).sample(param.value(u"schema"));
}

void TestOpenRpcConformance::documentHeader()
{
    QCOMPARE(m_document.value(u"openrpc").toString(), QStringLiteral("1.2.6"));
    const QJsonObject info = m_document.value(u"info").toObject();
    QVERIFY(!info.value(u"title").toString().isEmpty());
    QVERIFY(!info.value(u"version").toString().isEmpty());
    QSet<QString> names;
    for (const QJsonValue& m : m_methods) {
        const QString name = m.toObject().value(u"name").toString();
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
    }
    // Everything the server answers is listed (rpc.* is implied), disabled methods are not.
    for (const QString& name : m_fixture->registry->names()) {
        const bool enabled = m_fixture->registry->find(name)->info.enabled;
        QCOMPARE(names.contains(name), enabled && !name.startsWith(u"rpc."));
    }
    QVERIFY(names.contains(QStringLiteral("mock.optionalFirst")));
    QVERIFY(names.contains(QStringLiteral("list_pets")));
    QVERIFY(!names.contains(QStringLiteral("mock.disabled")));
}

void TestOpenRpcConformance::methodStructure_data()
{
    QTest::addColumn<QJsonObject>("method");
    for (const QJsonValue& m : m_methods) {
        const QString name = m.toObject().value(u"name").toString();
        QTest::newRow(qPrintable(name.isEmpty() ? QStringLiteral("(no name)") : name)) << m.toObject();
    }
}

void TestOpenRpcConformance::methodStructure()
{
    QFETCH(QJsonObject, method);
    QVERIFY(!method.value(u"name").toString().isEmpty());
    QVERIFY(method.value(u"params").isArray());
    const QString structure = method.value(u"paramStructure").toString();
    QVERIFY2(QStringList({"by-name", "by-position", "either"}).contains(structure), qPrintable(structure));

    const QJsonArray params = method.value(u"params").toArray();
    QSet<QString> names;
    bool optionalSeen = false;
    for (qsizetype i = 0; i < params.size(); ++i) {
        const QJsonObject p = params.at(i).toObject();
        const QString name = p.value(u"name").toString();
        QVERIFY2(!name.isEmpty() && !names.contains(name), qPrintable(name));
        names.insert(name);
        QVERIFY2(p.value(u"schema").isObject(), qPrintable(name));
        QVERIFY(p.value(u"required").isBool() || !p.contains(u"required"));
        const bool required = p.value(u"required").toBool(false);
        const QJsonObject schema = p.value(u"schema").toObject();
        if (schema.contains(u"default")) {
            QVERIFY2(!required, qPrintable(name));
            if (const auto type = schemaType(schema))
                QVERIFY2(valueMatches(*type, schema.value(u"default")), qPrintable(name));
        }
        if (p.value(u"x-variadic").toBool()) {
            // Only the last parameter collects the rest; by name it is an array, and by
            // position it cannot be written, so the method is described by name only.
            QCOMPARE(i, params.size() - 1);
            QCOMPARE(schema.value(u"type").toString(), QStringLiteral("array"));
            QVERIFY(!required);
            QCOMPARE(structure, QStringLiteral("by-name"));
        }
        // By position a required parameter after an optional one cannot be reached.
        if (structure != u"by-name")
            QVERIFY2(!(required && optionalSeen), qPrintable(name));
        optionalSeen = optionalSeen || !required;
    }

    const QJsonObject result = method.value(u"result").toObject();
    QVERIFY(!result.value(u"name").toString().isEmpty());
    QVERIFY(result.value(u"schema").isObject());
}

void TestOpenRpcConformance::addCallRows(const QJsonObject& method)
{
    const QString name = method.value(u"name").toString();
    const QString structure = method.value(u"paramStructure").toString(QStringLiteral("either"));
    const QJsonArray params = method.value(u"params").toArray();
    const QJsonObject resultSchema = method.value(u"result").toObject().value(u"schema").toObject();

    QJsonArray requiredByPosition, allByPosition;
    QJsonObject requiredByName, allByName;
    for (const QJsonValue& v : params) {
        const QJsonObject p = v.toObject();
        const QJsonValue value = argumentFor(name, p);
        const QString paramName = p.value(u"name").toString();
        if (p.value(u"required").toBool(false)) {
            requiredByPosition.append(value);
            requiredByName.insert(paramName, value);
        }
        allByPosition.append(value);
        allByName.insert(paramName, value);
    }

    const auto row = [&](const char* shape, const QJsonValue& sent) {
        QTest::addRow("%s %s", qPrintable(name), shape) << name << sent << resultSchema;
    };
    if (requiredByName.isEmpty())
        row("params left out", QJsonValue::Undefined);
    if (structure != u"by-name") {
        row("by position, required", requiredByPosition);
        if (allByPosition.size() > requiredByPosition.size())
            row("by position, all", allByPosition);
    }
    if (structure != u"by-position") {
        row("by name, required", requiredByName);
        if (allByName.size() > requiredByName.size())
            row("by name, all", allByName);
    }
}

void TestOpenRpcConformance::callsBuiltFromDocument_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params"); // Undefined: the request has no "params"
    QTest::addColumn<QJsonObject>("resultSchema");
    for (const QJsonValue& m : m_methods)
        addCallRows(m.toObject());
}

void TestOpenRpcConformance::callsBuiltFromDocument()
{
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(QJsonObject, resultSchema);

    const QJsonObject reply = call(method, params);
    const QByteArray shown = QJsonDocument(reply).toJson(QJsonDocument::Compact);
    QVERIFY2(!reply.isEmpty(), "no reply");
    const QJsonObject error = reply.value(u"error").toObject();
    const int code = error.value(u"code").toInt();
    QVERIFY2(!reply.contains(u"error") || !kRefusals.contains(code), shown.constData());

    // Methods that answer an application error by design: the error they were asked for.
    if (method == u"fail") {
        const QJsonValue asked = params.isArray() ? params.toArray().at(0) : params.toObject().value(u"code");
        QCOMPARE(code, asked.toInt());
        QVERIFY2(reply.contains(u"error"), shown.constData());
        return;
    }
    if (method == u"mock.declined") {
        QCOMPARE(code, -32020);
        return;
    }
    QVERIFY2(reply.contains(u"result"), shown.constData());
    if (const auto type = schemaType(resultSchema))
        QVERIFY2(valueMatches(*type, reply.value(u"result")), shown.constData());
}

// The JSON-RPC 2.0 specification's examples pass the numbers of `sum` by position; the
// document describes the method by name, and the server still spreads positionals.
void TestOpenRpcConformance::specExamplesSpreadPositionals_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("sum by position") << "sum" << QJsonValue(QJsonArray{1, 2, 4}) << QJsonValue(7);
    QTest::newRow("sum by name") << "sum" << QJsonValue(parseObject(R"({"numbers":[1,2,4]})"))
                                 << QJsonValue(7);
    QTest::newRow("notify_sum by position")
        << "notify_sum" << QJsonValue(QJsonArray{1, 2, 4}) << QJsonValue(7);
    QTest::newRow("update by position")
        << "update" << QJsonValue(QJsonArray{1, 2, 3, 4, 5}) << QJsonValue(QJsonValue::Null);
    QTest::newRow("subtract by position") << "subtract" << QJsonValue(QJsonArray{42, 23}) << QJsonValue(19);
    QTest::newRow("subtract by name")
        << "subtract" << QJsonValue(parseObject(R"({"subtrahend":23,"minuend":42})")) << QJsonValue(19);
}

void TestOpenRpcConformance::specExamplesSpreadPositionals()
{
    QFETCH(QString, method);
    QFETCH(QJsonValue, params);
    QFETCH(QJsonValue, expected);
    const QJsonObject reply = call(method, params);
    QVERIFY2(reply.contains(u"result"), QJsonDocument(reply).toJson().constData());
    QCOMPARE(reply.value(u"result"), expected);
}

QTEST_GUILESS_MAIN(TestOpenRpcConformance)
#include "tst_openrpcconformance.moc"
