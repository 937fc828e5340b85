#include "dispatch/DemoService.h"

#include "dispatch/Introspection.h"
#include "dispatch/MethodRegistry.h"

#include <QDateTime>
#include <QTimer>

namespace rpcbench {

namespace {

ParamInfo variadic(const QString& name, ParamType type, const QString& description)
{
    return ParamInfo{name, type, description, std::nullopt, true};
}

double sumOf(const QJsonArray& numbers)
{
    double total = 0;
    for (const QJsonValue& v : numbers)
        total += v.toDouble();
    return total;
}

void checkRange(const char* name, qint64 value, qint64 max, const char* unit)
{
    if (value < 0 || value > max) {
        throw RpcException(ErrorCode::InvalidParams,
                           QStringLiteral("parameter '%1' must be between 0 and %2%3, got %4")
                               .arg(QLatin1StringView(name))
                               .arg(max)
                               .arg(QLatin1StringView(unit))
                               .arg(value));
    }
}

void registerBasics(MethodRegistry& r)
{
    r.def(
        QStringLiteral("add"), [](double a, double b, double c) { return a + b + c; },
        QStringLiteral("Adds three numbers: a + b + c."),
        arg(QStringLiteral("a")).doc(QStringLiteral("First addend")),
        arg(QStringLiteral("b")).doc(QStringLiteral("Second addend")),
        arg(QStringLiteral("c")).doc(QStringLiteral("Third addend")) = 10);
    r.setResultDescription(QStringLiteral("add"), QStringLiteral("The sum"));

    r.def(
        QStringLiteral("echo"), [](const QJsonValue& value) { return value; },
        QStringLiteral("Returns its argument unchanged (integers above 2^53 included)."),
        arg(QStringLiteral("value")).doc(QStringLiteral("Any JSON value")));
    r.setResultDescription(QStringLiteral("echo"), QStringLiteral("The value that was sent"));

    r.defAsync(
        QStringLiteral("sleep"),
        [](qint64 ms, Responder done) {
            checkRange("ms", ms, DemoLimits::maxSleepMs, " ms");
            // A timer on the calling thread: other calls keep being served meanwhile. Precise:
            // Qt makes a static singleShot of 2 s or more a coarse timer, up to 5 % off.
            QTimer::singleShot(int(ms), Qt::PreciseTimer,
                               [done = std::move(done), ms] { done(RpcResult::success(ms)); });
        },
        QStringLiteral("Answers after the given number of milliseconds without blocking other calls."),
        arg(QStringLiteral("ms")).doc(QStringLiteral("Delay in milliseconds (0 to 600000)")));
    r.updateInfo(QStringLiteral("sleep"), [](MethodInfo& info) {
        info.resultType = ParamType::Integer;
        info.resultDescription = QStringLiteral("The delay that was requested");
    });

    r.def(
        QStringLiteral("fail"),
        [](int code, const QString& message, const QJsonValue& data) {
            return RpcResult::failure(code, message, data);
        },
        QStringLiteral("Answers with the given JSON-RPC error (to test error handling)."),
        arg(QStringLiteral("code")).doc(QStringLiteral("Error code, e.g. -32000")),
        arg(QStringLiteral("message")).doc(QStringLiteral("Error message")),
        arg(QStringLiteral("data")).doc(QStringLiteral("Optional error data (left out when absent)")) =
            QJsonValue(QJsonValue::Undefined));
    r.setResultDescription(QStringLiteral("fail"), QStringLiteral("Never returns a result"));

    r.def(
        QStringLiteral("now"), [] { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); },
        QStringLiteral("Returns the server's current time in ISO-8601 UTC with milliseconds."));
    r.setResultDescription(QStringLiteral("now"), QStringLiteral("e.g. 2024-05-01T12:34:56.789Z"));

    r.def(
        QStringLiteral("blob"),
        [](qint64 size) {
            checkRange("size", size, DemoLimits::maxBlobBytes, " (64 MiB)");
            static const QString pattern = QStringLiteral("0123456789abcdefghijklmnopqrstuvwxyz");
            QString out;
            out.reserve(size);
            while (out.size() + pattern.size() <= size)
                out += pattern;
            out += QStringView(pattern).left(size - out.size());
            return out;
        },
        QStringLiteral("Returns a string of exactly `size` ASCII bytes (to test large replies)."),
        arg(QStringLiteral("size")).doc(QStringLiteral("Length in bytes (0 to 67108864)")));
    r.setResultDescription(QStringLiteral("blob"), QStringLiteral("A string of repeating 0-9a-z"));
}

// The example methods of the JSON-RPC 2.0 specification, section 7.
void registerSpecExamples(MethodRegistry& r)
{
    r.def(
        QStringLiteral("subtract"), [](double minuend, double subtrahend) { return minuend - subtrahend; },
        QStringLiteral("Returns minuend - subtrahend (by position or by name)."),
        arg(QStringLiteral("minuend")).doc(QStringLiteral("Number to subtract from")),
        arg(QStringLiteral("subtrahend")).doc(QStringLiteral("Number to subtract")));
    r.setResultDescription(QStringLiteral("subtract"), QStringLiteral("The difference"));

    const auto summing = [&r](const QString& name, const QString& doc) {
        r.addSync(MethodInfo{name,
                             doc,
                             {variadic(QStringLiteral("numbers"), ParamType::Number,
                                       QStringLiteral("Numbers to add"))},
                             ParamType::Number,
                             QStringLiteral("The sum"),
                             true,
                             true},
                  [](const QJsonArray& args) { return RpcResult::success(sumOf(args.at(0).toArray())); });
    };
    summing(QStringLiteral("sum"), QStringLiteral("Adds any number of numbers."));
    summing(QStringLiteral("notify_sum"),
            QStringLiteral("Adds any number of numbers; meant to be sent as a notification."));

    const auto accepting = [&r](const QString& name, const QString& doc) {
        r.addSync(MethodInfo{name,
                             doc,
                             {variadic(QStringLiteral("args"), ParamType::Any, QStringLiteral("Anything"))},
                             ParamType::Any,
                             QStringLiteral("null"),
                             true,
                             true},
                  [](const QJsonArray&) { return RpcResult::success(QJsonValue::Null); });
    };
    accepting(QStringLiteral("update"),
              QStringLiteral("Accepts any arguments and does nothing (spec example)."));
    accepting(QStringLiteral("notify_hello"),
              QStringLiteral("Accepts any arguments and does nothing; meant to be sent as a notification."));

    r.def(
        QStringLiteral("get_data"),
        [] {
            return QJsonArray{QStringLiteral("hello"), 5};
        },
        QStringLiteral("Returns [\"hello\", 5] (spec example)."));
    r.setResultDescription(QStringLiteral("get_data"), QStringLiteral("[\"hello\", 5]"));
}

} // namespace

void registerDemoService(MethodRegistry& registry)
{
    registerIntrospection(registry);
    registerBasics(registry);
    registerSpecExamples(registry);
}

} // namespace rpcbench
