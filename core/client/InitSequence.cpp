#include "client/InitSequence.h"

#include "util/JsonFields.h"
#include "util/JsonFile.h"
#include "util/JsonText.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace rpcbench {

namespace {

constexpr int kDefaultTimeoutMs = 30'000;
constexpr int kMaxTimeoutMs = 24 * 3600 * 1000;

std::optional<InitStep> readStep(const QJsonValue& item, const QString& name, QString* error)
{
    if (!item.isObject()) {
        *error = name + QStringLiteral(": must be an object");
        return std::nullopt;
    }
    JsonFields f(item.toObject(), name);
    InitStep step;
    step.request.timeoutMs = kDefaultTimeoutMs;
    f.onlyKeys({QStringLiteral("method"), QStringLiteral("params"), QStringLiteral("notification"),
                QStringLiteral("timeoutMs")});
    if (f.ok() && !f.has(u"method"))
        f.fail(name + QStringLiteral(".method: missing"));
    f.string(u"method", &step.request.method);
    if (f.ok() && step.request.method.isEmpty())
        f.fail(name + QStringLiteral(".method: must not be empty"));
    const QJsonValue params = f.value(u"params");
    if (f.ok() && !params.isUndefined() && !params.isArray() && !params.isObject())
        f.fail(name + QStringLiteral(".params must be an array or an object"));
    step.request.params = params;
    f.boolean(u"notification", &step.request.notification);
    f.integer(u"timeoutMs", 0, kMaxTimeoutMs, &step.request.timeoutMs);
    if (!f.ok()) {
        *error = f.error();
        return std::nullopt;
    }
    return step;
}

// One template path, "init[0].result.items[2].name", resolved against the earlier results.
class PathResolver
{
public:
    PathResolver(const QList<QJsonValue>& results, const QString& path) : m_results(results), m_path(path) {}

    std::optional<QJsonValue> resolve(QString* error)
    {
        static const QRegularExpression head(QStringLiteral("^init\\[(\\d+)\\]\\.result"));
        const auto m = head.match(m_path);
        if (!m.hasMatch())
            return fail(error, QStringLiteral("must start with init[N].result"));
        const qsizetype index = m.captured(1).toLongLong();
        if (index >= m_results.size())
            return fail(
                error,
                QStringLiteral("init[%1] does not come before init[%2]").arg(index).arg(m_results.size()));
        QJsonValue value = m_results.at(index);
        if (value.isUndefined())
            return fail(error, QStringLiteral("init[%1] is a notification: it has no result").arg(index));
        QString where = QStringLiteral("init[%1].result").arg(index);
        static const QRegularExpression step(QStringLiteral("\\G(?:\\.([^.\\[\\]]+)|\\[(\\d+)\\])"));
        qsizetype pos = m.capturedEnd();
        while (pos < m_path.size()) {
            const auto s = step.match(m_path, pos);
            if (!s.hasMatch())
                return fail(error, QStringLiteral("bad path after %1").arg(where));
            pos = s.capturedEnd();
            if (s.capturedLength(1) > 0) {
                const QString key = s.captured(1);
                if (!value.isObject() || !value.toObject().contains(key))
                    return fail(error, QStringLiteral("%1 has no member '%2'").arg(where, key));
                value = value.toObject().value(key);
                where += QLatin1Char('.') + key;
            } else {
                const qsizetype i = s.captured(2).toLongLong();
                if (!value.isArray() || i >= value.toArray().size())
                    return fail(error, QStringLiteral("%1 has no element [%2]").arg(where).arg(i));
                value = value.toArray().at(i);
                where += QStringLiteral("[%1]").arg(i);
            }
        }
        return value;
    }

private:
    std::optional<QJsonValue> fail(QString* error, const QString& problem) const
    {
        *error = QStringLiteral("{{%1}}: %2").arg(m_path, problem);
        return std::nullopt;
    }

    const QList<QJsonValue>& m_results;
    QString m_path;
};

const QRegularExpression& templatePattern()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{\\s*([^{}]*?)\\s*\\}\\}"));
    return re;
}

// A value spliced into a longer string: strings as their text, anything else as compact JSON.
QString spliceText(const QJsonValue& v)
{
    return v.isString() ? v.toString() : QString::fromUtf8(JsonText::compact(v));
}

std::optional<QJsonValue> resolveString(const QString& text, const QList<QJsonValue>& results, QString* error)
{
    const auto whole = templatePattern().match(text);
    if (whole.hasMatch() && whole.capturedStart() == 0 && whole.capturedLength() == text.size())
        return PathResolver(results, whole.captured(1)).resolve(error); // keeps its JSON type
    QString out;
    qsizetype last = 0;
    for (auto it = templatePattern().globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const auto value = PathResolver(results, m.captured(1)).resolve(error);
        if (!value)
            return std::nullopt;
        out += QStringView(text).sliced(last, m.capturedStart() - last);
        out += spliceText(*value);
        last = m.capturedEnd();
    }
    if (last == 0)
        return text;
    out += QStringView(text).sliced(last);
    return out;
}

std::optional<QJsonValue> resolveValue(const QJsonValue& v, const QList<QJsonValue>& results, QString* error)
{
    if (v.isString())
        return resolveString(v.toString(), results, error);
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue& element : v.toArray()) {
            const auto r = resolveValue(element, results, error);
            if (!r)
                return std::nullopt;
            out.append(*r);
        }
        return out;
    }
    if (v.isObject()) {
        const QJsonObject in = v.toObject();
        QJsonObject out;
        for (auto it = in.begin(); it != in.end(); ++it) {
            const auto r = resolveValue(it.value(), results, error);
            if (!r)
                return std::nullopt;
            out.insert(it.key(), *r);
        }
        return out;
    }
    return v;
}

} // namespace

bool operator==(const InitStep& a, const InitStep& b)
{
    const CallRequest& x = a.request;
    const CallRequest& y = b.request;
    return x.method == y.method && x.params == y.params && x.notification == y.notification &&
           x.timeoutMs == y.timeoutMs;
}

std::optional<QList<InitStep>> InitSequence::fromJson(const QJsonValue& json, QString* error)
{
    if (!json.isArray()) {
        *error = QStringLiteral("init: must be an array of calls and notifications");
        return std::nullopt;
    }
    QList<InitStep> steps;
    const QJsonArray items = json.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto step = readStep(items.at(i), QStringLiteral("init[%1]").arg(i), error);
        if (!step)
            return std::nullopt;
        steps.append(*step);
    }
    return steps;
}

std::optional<QList<InitStep>> InitSequence::load(const QString& path, QString* error)
{
    const auto doc = JsonFile::read(path, error);
    if (!doc)
        return std::nullopt;
    const QJsonValue json = doc->isArray() ? QJsonValue(doc->array()) : QJsonValue(doc->object());
    auto steps = fromJson(json, error);
    if (!steps)
        *error = path + QStringLiteral(": ") + *error;
    return steps;
}

QJsonArray InitSequence::toJson(const QList<InitStep>& steps)
{
    QJsonArray out;
    for (const InitStep& step : steps) {
        QJsonObject item{{QStringLiteral("method"), step.request.method}};
        if (!step.request.params.isUndefined())
            item.insert(QStringLiteral("params"), step.request.params);
        if (step.request.notification)
            item.insert(QStringLiteral("notification"), true);
        if (step.request.timeoutMs != kDefaultTimeoutMs)
            item.insert(QStringLiteral("timeoutMs"), step.request.timeoutMs);
        out.append(item);
    }
    return out;
}

std::optional<QJsonValue> InitSequence::resolve(const QJsonValue& params, const QList<QJsonValue>& results,
                                                QString* error)
{
    QString problem;
    auto out = resolveValue(params, results, &problem);
    // results holds one entry per item before this one, so its size is this item's index.
    if (!out)
        *error = QStringLiteral("init[%1].params: %2").arg(results.size()).arg(problem);
    return out;
}

} // namespace rpcbench
