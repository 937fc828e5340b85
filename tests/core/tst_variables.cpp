// Variables of a collection run: layers, {{env.NAME}}, JSON values, undefined names.
#include "collection/Variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rpcbench;

namespace {

QJsonValue json(const QString& text)
{
    return QJsonDocument::fromJson(("[" + text + "]").toUtf8()).array().at(0);
}

Variables sample()
{
    Variables v;
    v.setEnvironmentLookup([](const QString& name) -> std::optional<QString> {
        if (name == QLatin1String("API_TOKEN"))
            return QStringLiteral("s3cret");
        return std::nullopt;
    });
    v.set(Variables::Layer::Collection, QStringLiteral("host"), QStringLiteral("collection-host"));
    v.set(Variables::Layer::Collection, QStringLiteral("port"), 5000);
    v.set(Variables::Layer::Environment, QStringLiteral("host"), QStringLiteral("env-host"));
    v.set(Variables::Layer::Capture, QStringLiteral("session"), json(R"({"id": 7, "user": "ann"})"));
    v.set(Variables::Layer::Override, QStringLiteral("port"), 6000);
    return v;
}

} // namespace

class TestVariables : public QObject
{
    Q_OBJECT
private slots:
    void expandsText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "tcp://localhost:1"
                               << "tcp://localhost:1";
        QTest::newRow("environment beats collection") << "{{host}}"
                                                      << "env-host";
        QTest::newRow("override beats collection") << "tcp://{{host}}:{{port}}"
                                                   << "tcp://env-host:6000";
        QTest::newRow("spaces inside braces") << "{{ host }}"
                                              << "env-host";
        QTest::newRow("object as compact JSON") << "s={{session}}"
                                                << R"(s={"id":7,"user":"ann"})";
        QTest::newRow("process environment") << "Bearer {{env.API_TOKEN}}"
                                             << "Bearer s3cret";
        QTest::newRow("not a name: left alone") << "{{ }} and {{1x}}"
                                                << "{{ }} and {{1x}}";
        QTest::newRow("JSON in a string: left alone") << R"({{"a":1}})"
                                                      << R"({{"a":1}})";
        QTest::newRow("repeated") << "{{port}}{{port}}"
                                  << "60006000";
    }
    void expandsText()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QString error;
        const auto out = sample().expand(text, &error);
        QVERIFY2(out.has_value(), qPrintable(error));
        QCOMPARE(*out, expected);
    }

    void undefinedNamesAreErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown") << "x{{token}}y"
                                 << "variable 'token' is not defined";
        QTest::newRow("first missing named") << "{{a}}{{b}}"
                                             << "variable 'a' is not defined";
        QTest::newRow("environment") << "{{env.NOPE}}"
                                     << "variable 'env.NOPE' is not defined: the environment has no NOPE";
    }
    void undefinedNamesAreErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!sample().expand(text, &why).has_value());
        QCOMPARE(why, error);
        QVERIFY(!sample().expand(QJsonValue(QJsonArray{1, text}), &why).has_value());
        QCOMPARE(why, error);
    }

    void expandsJson_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("whole string takes the JSON value") << R"(["{{session}}"])"
                                                           << R"([{"id":7,"user":"ann"}])";
        QTest::newRow("number stays a number") << R"({"p":"{{port}}"})"
                                               << R"({"p":6000})";
        QTest::newRow("inside a string: text") << R"({"p":"port {{port}}"})"
                                               << R"({"p":"port 6000"})";
        QTest::newRow("nested") << R"({"a":[{"b":"{{host}}"}],"n":1})"
                                << R"({"a":[{"b":"env-host"}],"n":1})";
        QTest::newRow("keys are not expanded") << R"({"{{host}}":1})"
                                               << R"({"{{host}}":1})";
        QTest::newRow("env value is a string") << R"(["{{env.API_TOKEN}}"])"
                                               << R"(["s3cret"])";
    }
    void expandsJson()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QString error;
        const auto v = sample().expand(json(in), &error);
        QVERIFY2(v.has_value(), qPrintable(error));
        QCOMPARE(*v, json(out));
    }

    void layersCanBeReplacedAndCleared()
    {
        Variables v = sample();
        v.clear(Variables::Layer::Environment);
        QCOMPARE(v.value(QStringLiteral("host")), QJsonValue(QStringLiteral("collection-host")));
        v.setLayer(Variables::Layer::Override, {});
        QCOMPARE(v.value(QStringLiteral("port")), QJsonValue(5000));
        QVERIFY(!v.value(QStringLiteral("nothing")).has_value());
    }

    void readsTheRealProcessEnvironment()
    {
        qputenv("RPCBENCH_TST_VARIABLE", "from the process");
        QCOMPARE(*Variables().expand(QStringLiteral("{{env.RPCBENCH_TST_VARIABLE}}"), nullptr),
                 QStringLiteral("from the process"));
        qunsetenv("RPCBENCH_TST_VARIABLE");
        QVERIFY(!Variables().expand(QStringLiteral("{{env.RPCBENCH_TST_VARIABLE}}"), nullptr));
    }

    void knowsSecretNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        QTest::newRow("token") << "apiToken" << true;
        QTest::newRow("password") << "db_password" << true;
        QTest::newRow("env") << "env.HOME" << true;
        QTest::newRow("key") << "privateKey" << true;
        QTest::newRow("host") << "host" << false;
        QTest::newRow("session") << "session" << false;
    }
    void knowsSecretNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(Variables::isSecretName(name), secret);
    }

    void listsReferencedNames()
    {
        QCOMPARE(Variables::referenced(QStringLiteral("{{a}} {{ b }} {{a}} {{env.X}} {{ }}")),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("env.X")}));
    }
};

QTEST_GUILESS_MAIN(TestVariables)
#include "tst_variables.moc"
