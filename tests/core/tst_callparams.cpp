// The params of a call as sent, offered to asynchronous handlers while they start (script
// mocks hand them to scripts as `params`): by position, by name, absent, the classic
// dialect's args and kwargs, batches, and nothing outside a handler.

#include "DispatchHarness.h"

#include "dispatch/CallParams.h"
#include "dispatch/MethodRegistry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace rpcbench;
using namespace rpcbench::test;

class TestCallParams : public QObject
{
    Q_OBJECT
private slots:
    void seenByAsyncHandlers_data();
    void seenByAsyncHandlers();
    void nothingOutsideAHandler();
};

void TestCallParams::seenByAsyncHandlers_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("expected"); // JSON of the params seen; "undefined" when none
    QTest::newRow("by position") << QByteArray(R"({"jsonrpc":"2.0","method":"see","params":[1,2],"id":1})")
                                 << QByteArray("[1,2]");
    QTest::newRow("by name") << QByteArray(R"({"jsonrpc":"2.0","method":"see","params":{"a":1},"id":1})")
                             << QByteArray(R"({"a":1})");
    QTest::newRow("absent") << QByteArray(R"({"jsonrpc":"2.0","method":"see","id":1})")
                            << QByteArray("undefined");
    QTest::newRow("batch element") << QByteArray(R"([{"jsonrpc":"2.0","method":"see","params":[3],"id":1}])")
                                   << QByteArray("[3]");
    QTest::newRow("classic kwargs") << QByteArray(R"({"method_name":"see","method_kwargs":{"b":2}})")
                                    << QByteArray(R"({"b":2})");
    QTest::newRow("classic args and kwargs")
        << QByteArray(R"({"method_name":"see","method_args":[1],"method_kwargs":{"b":2}})")
        << QByteArray("[1]");
}

void TestCallParams::seenByAsyncHandlers()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, expected);
    auto registry = std::make_shared<MethodRegistry>();
    MethodInfo info;
    info.name = QStringLiteral("see");
    info.params = {ParamInfo{"a", ParamType::Any, {}, QJsonValue(0), false},
                   ParamInfo{"b", ParamType::Any, {}, QJsonValue(0), false}};
    QJsonValue seen = QStringLiteral("handler not called");
    registry->add(info, [&seen](const QJsonArray&, Responder done) {
        seen = CallParams::current();
        done(RpcResult::success(true));
    });
    DispatchHarness harness(registry);
    const auto outcome = harness.send(message);
    QTRY_COMPARE(outcome->calls, 1);
    if (expected == "undefined")
        QVERIFY2(seen.isUndefined(), qPrintable(QVariant(seen.toVariant()).toString()));
    else
        QCOMPARE(seen, parsed("[" + expected + "]").array().at(0));
}

void TestCallParams::nothingOutsideAHandler()
{
    QVERIFY(CallParams::current().isUndefined());
    const QJsonArray positional{1};
    const QJsonArray noPositional;
    const QJsonObject named{{"x", 1}};
    const QJsonObject noNamed;
    {
        const CallParams::Scope outer(positional, noNamed);
        {
            const CallParams::Scope inner(noPositional, named);
            QCOMPARE(CallParams::current(), QJsonValue(named));
        }
        QCOMPARE(CallParams::current(), QJsonValue(positional));
    }
    QVERIFY(CallParams::current().isUndefined());
}

QTEST_GUILESS_MAIN(TestCallParams)
#include "tst_callparams.moc"
