// Assertions of saved calls: parsing (strict), writing back, and checking replies.
#include "collection/Assertion.h"

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

CallOutcome resultOutcome(const QString& result, qint64 latencyUs = 1000)
{
    CallOutcome o;
    o.result = json(result);
    o.latencyUs = latencyUs;
    o.resultSchema = json(R"({"type":"object","required":["name"]})");
    return o;
}

CallOutcome errorOutcome(int code)
{
    CallOutcome o;
    o.error =
        json(QStringLiteral(R"({"code":%1,"message":"bad","data":{"reason":"busy"}})").arg(code)).toObject();
    return o;
}

CallOutcome noReply()
{
    CallOutcome o;
    o.failure = QStringLiteral("timed out after 100 ms");
    return o;
}

} // namespace

Q_DECLARE_METATYPE(CallOutcome)

class TestAssertion : public QObject
{
    Q_OBJECT
private slots:
    void checks_data()
    {
        QTest::addColumn<QString>("assertion");
        QTest::addColumn<CallOutcome>("outcome");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<QString>("actual"); // a part of what is reported as actual
        const auto ok = resultOutcome(R"({"name":"Ann","id":"0x1f","items":[1,2],"n":2.5})");
        QTest::newRow("is result") << R"({"result":true})" << ok << true << "result {";
        QTest::newRow("is result, got error")
            << R"({"result":true})" << errorOutcome(-32602) << false << "error {";
        QTest::newRow("is result, no reply")
            << R"({"result":true})" << noReply() << false << "no reply (timed out";
        QTest::newRow("is error") << R"({"error":true})" << errorOutcome(-32000) << true << "";
        QTest::newRow("error code") << R"({"error":-32602})" << errorOutcome(-32602) << true << "";
        QTest::newRow("error code wrong")
            << R"({"error":-32601})" << errorOutcome(-32602) << false << "-32602";
        QTest::newRow("error, got result") << R"({"error":true})" << ok << false << "result";
        QTest::newRow("equals whole")
            << R"({"equals":{"name":"Ann","id":"0x1f","items":[1,2],"n":2.5}})" << ok << true << "";
        QTest::newRow("equals pointer") << R"({"pointer":"/items/1","equals":2})" << ok << true << "";
        QTest::newRow("equals wrong") << R"({"pointer":"/name","equals":"Bob"})" << ok << false << "\"Ann\"";
        QTest::newRow("equals missing")
            << R"({"pointer":"/nope","equals":1})" << ok << false << "nothing at /nope";
        QTest::newRow("matches") << R"({"pointer":"/id","matches":"^0x[0-9a-f]+$"})" << ok << true << "";
        QTest::newRow("matches not a string")
            << R"({"pointer":"/items","matches":"."})" << ok << false << "[1,2]";
        QTest::newRow("type array") << R"({"pointer":"/items","type":"array"})" << ok << true << "";
        QTest::newRow("type integer") << R"({"pointer":"/items/0","type":"integer"})" << ok << true << "";
        QTest::newRow("type number takes integer")
            << R"({"pointer":"/items/0","type":"number"})" << ok << true << "";
        QTest::newRow("type integer, got 2.5")
            << R"({"pointer":"/n","type":"integer"})" << ok << false << "number 2.5";
        QTest::newRow("exists") << R"({"pointer":"/name","exists":true})" << ok << true << "";
        QTest::newRow("absent") << R"({"pointer":"/next","exists":false})" << ok << true << "";
        QTest::newRow("absent but there")
            << R"({"pointer":"/name","exists":false})" << ok << false << "\"Ann\"";
        QTest::newRow("schema of the method") << R"({"schema":true})" << ok << true << "valid";
        QTest::newRow("schema of the method fails")
            << R"({"schema":true})" << resultOutcome("{}") << false << "the member 'name' is missing";
        QTest::newRow("schema inline") << R"({"pointer":"/items","schema":{"items":{"type":"string"}}})" << ok
                                       << false << "/0: expected string";
        CallOutcome noSchema = ok;
        noSchema.resultSchema = QJsonValue::Undefined;
        QTest::newRow("no method schema")
            << R"({"schema":true})" << noSchema << false << "the method has none";
        QTest::newRow("latency ok") << R"({"latencyMs":5})" << resultOutcome("1", 4000) << true << "4.0 ms";
        QTest::newRow("latency slow")
            << R"({"latencyMs":5})" << resultOutcome("1", 5000) << false << "5.0 ms";
        QTest::newRow("latency no reply") << R"({"latencyMs":5})" << noReply() << false << "no reply";
        QTest::newRow("of error") << R"({"of":"error","pointer":"/data/reason","equals":"busy"})"
                                  << errorOutcome(1) << true << "";
        QTest::newRow("of error, got result")
            << R"({"of":"error","pointer":"/code","equals":1})" << ok << false << "result";
    }
    void checks()
    {
        QFETCH(QString, assertion);
        QFETCH(CallOutcome, outcome);
        QFETCH(bool, passed);
        QFETCH(QString, actual);
        QString error;
        const auto a = Assertion::fromJson(json(assertion), &error);
        QVERIFY2(a.has_value(), qPrintable(error));
        const AssertionResult r = a->check(outcome);
        QVERIFY2(r.passed == passed,
                 qPrintable(QStringLiteral("expected %1, actual %2").arg(r.expected, r.actual)));
        QVERIFY(!r.expected.isEmpty());
        QVERIFY2(r.actual.contains(actual), qPrintable(r.actual));
        // Written back, it reads the same.
        QString again;
        const auto roundTrip = Assertion::fromJson(a->toJson(), &again);
        QVERIFY2(roundTrip.has_value(), qPrintable(again));
        QVERIFY(*roundTrip == *a);
        QVERIFY(!a->describe().isEmpty());
    }

    void rejectsBadAssertions_data()
    {
        QTest::addColumn<QString>("assertion");
        QTest::addColumn<QString>("error");
        QTest::newRow("not an object") << "1"
                                       << "an assertion is an object";
        QTest::newRow("nothing to check") << R"({"pointer":"/a"})"
                                          << "needs one of result, error";
        QTest::newRow("two checks") << R"({"equals":1,"type":"string"})"
                                    << "this one has equals, type";
        QTest::newRow("unknown key") << R"({"equals":1,"pointr":"/a"})"
                                     << "unknown key \"pointr\"";
        QTest::newRow("result false") << R"({"result":false})"
                                      << "\"result\" must be true";
        QTest::newRow("error code not integer") << R"({"error":1.5})"
                                                << "an error code (an integer)";
        QTest::newRow("bad regex") << "{\"matches\":\"(\"}"
                                   << "must be a regular expression";
        QTest::newRow("bad type") << R"({"type":"text"})"
                                  << "\"type\" must be one of string";
        QTest::newRow("exists not bool") << R"({"exists":1})"
                                         << "true or false";
        QTest::newRow("schema not object") << R"({"schema":"x"})"
                                           << "\"schema\" must be true";
        QTest::newRow("latency zero") << R"({"latencyMs":0})"
                                      << "above 0";
        QTest::newRow("bad of") << R"({"of":"reply","equals":1})"
                                << "\"of\" must be";
        QTest::newRow("bad pointer") << R"({"pointer":"name","equals":1})"
                                     << "invalid JSON Pointer 'name'";
        QTest::newRow("pointer with latency") << R"({"pointer":"/a","latencyMs":1})"
                                              << "\"pointer\" goes with";
    }
    void rejectsBadAssertions()
    {
        QFETCH(QString, assertion);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!Assertion::fromJson(json(assertion), &why).has_value());
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    void describesForHumans_data()
    {
        QTest::addColumn<QString>("assertion");
        QTest::addColumn<QString>("text");
        QTest::newRow("pointer equals") << R"({"pointer":"/user/name","equals":"Ann"})"
                                        << "result /user/name equals \"Ann\"";
        QTest::newRow("type") << R"({"pointer":"/items","type":"array"})"
                              << "result /items is an array";
        QTest::newRow("error code") << R"({"error":-32601})"
                                    << "reply is error -32601";
        QTest::newRow("latency") << R"({"latencyMs":200})"
                                 << "latency under 200 ms";
        QTest::newRow("error data") << R"({"of":"error","pointer":"/data","exists":true})"
                                    << "error /data exists";
    }
    void describesForHumans()
    {
        QFETCH(QString, assertion);
        QFETCH(QString, text);
        QCOMPARE(Assertion::fromJson(json(assertion), nullptr)->describe(), text);
    }
};

QTEST_GUILESS_MAIN(TestAssertion)
#include "tst_assertion.moc"
