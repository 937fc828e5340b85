// The generated call form: one typed editor per parameter, defaults pre-filled, invalid
// values flagged with the reason, params built by position or by name, and the raw-JSON check.

#include "client/ParamForm.h"
#include "widgets/NumberSpinBox.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

ParamInfo param(const QString& name, ParamType type, std::optional<QJsonValue> def = std::nullopt,
                bool variadic = false)
{
    ParamInfo p;
    p.name = name;
    p.type = type;
    p.defaultValue = std::move(def);
    p.variadic = variadic;
    return p;
}

MethodInfo method(QList<ParamInfo> params)
{
    MethodInfo m;
    m.name = QStringLiteral("m");
    m.params = std::move(params);
    return m;
}

// Types `text` into the single editor of a one-parameter form and returns (params, errors).
std::pair<QJsonValue, QStringList> typeInto(ParamForm& form, const QString& text)
{
    QWidget* editor = form.editor(form.method().params.first().name);
    if (auto* spin = qobject_cast<NumberSpinBox*>(editor)) {
        spin->setText(QString());
        QTest::keyClicks(spin, text);
    } else if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        line->clear();
        QTest::keyClicks(line, text);
    } else if (auto* json = qobject_cast<QPlainTextEdit*>(editor)) {
        json->clear();
        QTest::keyClicks(json, text);
    }
    QStringList errors;
    const QJsonValue params = form.params(false, &errors);
    return {params, errors};
}

} // namespace

class TestParamForm : public QObject
{
    Q_OBJECT
private slots:
    void editorPerType_data();
    void editorPerType();
    void typedValues_data();
    void typedValues();
    void defaultsAndRequired();
    void byNameAndPositionGaps();
    void variadicExpandsByPosition();
    void setParamsShowsAndFlags();
    void checkRawParams_data();
    void checkRawParams();
    void spinBoxSteps();
    void editorsInOrderAndShownAtOnce_data();
    void editorsInOrderAndShownAtOnce();
};

void TestParamForm::editorPerType_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("className");
    QTest::newRow("integer") << int(ParamType::Integer) << QStringLiteral("rpcbench::NumberSpinBox");
    QTest::newRow("number") << int(ParamType::Number) << QStringLiteral("rpcbench::NumberSpinBox");
    QTest::newRow("string") << int(ParamType::String) << QStringLiteral("QLineEdit");
    QTest::newRow("boolean") << int(ParamType::Boolean) << QStringLiteral("QCheckBox");
    QTest::newRow("array") << int(ParamType::Array) << QStringLiteral("QPlainTextEdit");
    QTest::newRow("object") << int(ParamType::Object) << QStringLiteral("QPlainTextEdit");
    QTest::newRow("any") << int(ParamType::Any) << QStringLiteral("QPlainTextEdit");
}

void TestParamForm::editorPerType()
{
    QFETCH(int, type);
    QFETCH(QString, className);
    ParamForm form;
    form.setMethod(method({param(QStringLiteral("x"), ParamType(type))}));
    QVERIFY(form.editor(QStringLiteral("x")));
    QCOMPARE(QString::fromLatin1(form.editor(QStringLiteral("x"))->metaObject()->className()), className);
    QCOMPARE(form.editor(QStringLiteral("x"))->objectName(), QStringLiteral("param_x"));
}

void TestParamForm::typedValues_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QJsonValue>("expected"); // Undefined = flagged
    QTest::addColumn<QString>("error");
    QTest::newRow("integer") << int(ParamType::Integer) << "42" << QJsonValue(42) << "";
    QTest::newRow("integer beyond 2^53 stays exact")
        << int(ParamType::Integer) << "9007199254740993" << QJsonValue(qint64(9007199254740993)) << "";
    QTest::newRow("integer 3.0") << int(ParamType::Integer) << "3.0" << QJsonValue(3) << "";
    QTest::newRow("integer 3.5") << int(ParamType::Integer) << "3.5" << QJsonValue()
                                 << "x: expected an integer";
    QTest::newRow("number exponent") << int(ParamType::Number) << "1.5e3" << QJsonValue(1500.0) << "";
    QTest::newRow("number letters") << int(ParamType::Number) << "abc" << QJsonValue()
                                    << "x: expected a number";
    QTest::newRow("string as typed") << int(ParamType::String) << "42 \"q\""
                                     << QJsonValue(QStringLiteral("42 \"q\"")) << "";
    QTest::newRow("array") << int(ParamType::Array) << "[1, 2]" << QJsonValue(QJsonArray{1, 2}) << "";
    QTest::newRow("array given object")
        << int(ParamType::Array) << "{}" << QJsonValue() << "x: expected an array";
    QTest::newRow("object broken") << int(ParamType::Object) << "{\"a\":" << QJsonValue()
                                   << "x: not valid JSON";
    QTest::newRow("any JSON") << int(ParamType::Any) << "true" << QJsonValue(true) << "";
    QTest::newRow("any text is a string")
        << int(ParamType::Any) << "hello" << QJsonValue(QStringLiteral("hello")) << "";
}

void TestParamForm::typedValues()
{
    QFETCH(int, type);
    QFETCH(QString, typed);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    ParamForm form;
    form.setMethod(method({param(QStringLiteral("x"), ParamType(type))}));
    const auto [params, errors] = typeInto(form, typed);
    if (error.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char(';'))));
        QCOMPARE(params.toArray(), QJsonArray{expected});
        QVERIFY(!form.editor(QStringLiteral("x"))->property("invalid").toBool());
    } else {
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(error), qPrintable(errors.first()));
        QVERIFY(form.editor(QStringLiteral("x"))->property("invalid").toBool());
        QVERIFY(!form.hint(QStringLiteral("x")).isEmpty());
    }
}

void TestParamForm::defaultsAndRequired()
{
    ParamForm form;
    QSignalSpy changed(&form, &ParamForm::changed);
    form.setMethod(method({param(QStringLiteral("a"), ParamType::Number),
                           param(QStringLiteral("c"), ParamType::Number, QJsonValue(10))}));
    QCOMPARE(changed.count(), 0); // filling defaults is not a user edit
    QCOMPARE(qobject_cast<NumberSpinBox*>(form.editor(QStringLiteral("c")))->text(), QStringLiteral("10"));
    QStringList errors;
    form.params(false, &errors);
    QCOMPARE(errors, QStringList{QStringLiteral("a: required")});
    QTest::keyClicks(form.editor(QStringLiteral("a")), QStringLiteral("1"));
    QVERIFY(changed.count() > 0);
    errors.clear();
    QCOMPARE(form.params(false, &errors), QJsonValue(QJsonArray{1, 10}));
    QVERIFY(errors.isEmpty());
}

void TestParamForm::byNameAndPositionGaps()
{
    ParamForm form;
    form.setMethod(method({param(QStringLiteral("a"), ParamType::Integer),
                           param(QStringLiteral("b"), ParamType::String, QJsonValue::Undefined),
                           param(QStringLiteral("c"), ParamType::Boolean, QJsonValue(false))}));
    QTest::keyClicks(form.editor(QStringLiteral("a")), QStringLiteral("7"));
    qobject_cast<QCheckBox*>(form.editor(QStringLiteral("c")))->setChecked(true);
    QStringList errors;
    QCOMPARE(form.params(true, &errors),
             QJsonValue(QJsonObject{{QStringLiteral("a"), 7}, {QStringLiteral("c"), true}}));
    QVERIFY(errors.isEmpty());
    form.params(false, &errors); // b is empty, so c cannot follow it by position
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().startsWith(QStringLiteral("c: ")));
}

void TestParamForm::variadicExpandsByPosition()
{
    ParamForm form;
    form.setMethod(method({param(QStringLiteral("first"), ParamType::Number),
                           param(QStringLiteral("rest"), ParamType::Number, std::nullopt, true)}));
    QTest::keyClicks(form.editor(QStringLiteral("first")), QStringLiteral("1"));
    QTest::keyClicks(form.editor(QStringLiteral("rest")), QStringLiteral("[2, 3]"));
    QStringList errors;
    QCOMPARE(form.params(false, &errors), QJsonValue(QJsonArray{1, 2, 3}));
    QVERIFY(errors.isEmpty());
    form.setParams(QJsonArray{5, 6, 7, 8});
    QCOMPARE(qobject_cast<QPlainTextEdit*>(form.editor(QStringLiteral("rest")))->toPlainText(),
             QStringLiteral("[6,7,8]"));
}

void TestParamForm::setParamsShowsAndFlags()
{
    ParamForm form;
    form.setMethod(method(
        {param(QStringLiteral("a"), ParamType::Number), param(QStringLiteral("s"), ParamType::String)}));
    form.setParams(QJsonObject{{QStringLiteral("a"), QStringLiteral("two")},
                               {QStringLiteral("s"), QStringLiteral("hi")}});
    QCOMPARE(qobject_cast<NumberSpinBox*>(form.editor(QStringLiteral("a")))->text(),
             QStringLiteral("\"two\""));
    QVERIFY(form.editor(QStringLiteral("a"))->property("invalid").toBool());
    QCOMPARE(qobject_cast<QLineEdit*>(form.editor(QStringLiteral("s")))->text(), QStringLiteral("hi"));
}

void TestParamForm::checkRawParams_data()
{
    QTest::addColumn<QJsonValue>("params");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("ok by position") << QJsonValue(QJsonArray{1, 2}) << QStringList{};
    QTest::newRow("ok by name, default left out")
        << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}) << QStringList{};
    QTest::newRow("wrong type") << QJsonValue(QJsonArray{QStringLiteral("x")})
                                << QStringList{QStringLiteral("parameter 'a' must be a number, got string")};
    QTest::newRow("too many") << QJsonValue(QJsonArray{1, 2, 3})
                              << QStringList{QStringLiteral(
                                     "too many positional parameters: m takes at most 2, got 3")};
    QTest::newRow("missing required") << QJsonValue(QJsonObject{{QStringLiteral("c"), 1}})
                                      << QStringList{QStringLiteral("missing required parameter 'a'")};
    QTest::newRow("unknown name") << QJsonValue(
                                         QJsonObject{{QStringLiteral("a"), 1}, {QStringLiteral("zz"), 1}})
                                  << QStringList{QStringLiteral("unexpected parameter 'zz'")};
    QTest::newRow("scalar params") << QJsonValue(5)
                                   << QStringList{QStringLiteral(
                                          "params must be an array (by position) or an object (by name)")};
}

void TestParamForm::checkRawParams()
{
    QFETCH(QJsonValue, params);
    QFETCH(QStringList, errors);
    const MethodInfo m = method({param(QStringLiteral("a"), ParamType::Number),
                                 param(QStringLiteral("c"), ParamType::Number, QJsonValue(10))});
    QCOMPARE(ParamForm::check(m, params), errors);
}

void TestParamForm::spinBoxSteps()
{
    NumberSpinBox spin(true);
    spin.setText(QStringLiteral("9007199254740992"));
    spin.stepBy(1);
    QCOMPARE(spin.text(), QStringLiteral("9007199254740993"));
    spin.setText(QStringLiteral("abc"));
    QCOMPARE(spin.error(), QStringLiteral("expected an integer"));
    spin.stepBy(1); // an invalid value is left for the user to fix
    QCOMPARE(spin.text(), QStringLiteral("abc"));
    NumberSpinBox number(false);
    number.setText(QStringLiteral("0.5"));
    number.stepBy(-1);
    QCOMPARE(number.text(), QStringLiteral("-0.5"));
}

void TestParamForm::editorsInOrderAndShownAtOnce_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::newRow("one") << QStringList{"x"};
    QTest::newRow("three") << QStringList{"a", "b", "c"};
    QTest::newRow("none") << QStringList{};
}

void TestParamForm::editorsInOrderAndShownAtOnce()
{
    QFETCH(QStringList, names);
    ParamForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QList<ParamInfo> params;
    for (const QString& name : names)
        params << param(name, ParamType::Integer);
    form.setMethod(method(params));
    const QList<QWidget*> editors = form.editors();
    QCOMPARE(editors.size(), names.size());
    for (qsizetype i = 0; i < names.size(); ++i) {
        QCOMPARE(editors.at(i), form.editor(names.at(i))); // the keyboard order is the parameter order
        // Visible before the event loop turns: a click already on its way finds the field.
        QVERIFY(editors.at(i)->isVisible());
    }
}

QTEST_MAIN(TestParamForm)
#include "tst_paramform.moc"
