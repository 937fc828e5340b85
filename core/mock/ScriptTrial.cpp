#include "mock/ScriptTrial.h"

#include "dispatch/Binder.h"
#include "util/JsonText.h"

#include <QMutex>

namespace rpcbench {

namespace {

constexpr qsizetype kMaxValueText = 60;   // a sample argument in a label
constexpr qsizetype kMaxResultText = 200; // a returned value in the report

QString shortJson(const QJsonValue& value, qsizetype limit)
{
    QString text = QString::fromUtf8(JsonText::compact(value));
    if (text.size() > limit)
        text = text.left(limit - 1) + QChar(0x2026); // …
    return text;
}

// A failure of the script itself, as opposed to an error it threw on purpose.
bool isFailure(const RpcError& e)
{
    return e.code == ErrorCode::InternalError || e.code == ErrorCode::ScriptTimeLimit ||
           e.code == ErrorCode::ServerShuttingDown || e.code == ErrorCode::InvalidParams;
}

int lineOf(const RpcError& e)
{
    return e.data.toObject().value(u"line").toInt(0);
}

// "returns 2", "ReferenceError: foo is not defined (line 3)", "throws error -32010: negative".
QString describe(const RpcResult& r)
{
    if (r.ok)
        return QStringLiteral("returns %1").arg(shortJson(r.value, kMaxResultText));
    if (!isFailure(r.error))
        return QStringLiteral("throws error %1: %2").arg(r.error.code).arg(r.error.message);
    QString message = r.error.message;
    if (const int line = lineOf(r.error); line > 0) {
        // The wire message says "(script line N)"; in the editor it is simply line N.
        const QString suffix = QStringLiteral(" (script line %1)").arg(line);
        if (message.endsWith(suffix))
            message.chop(suffix.size());
        message += QStringLiteral(" (line %1)").arg(line);
    }
    return message;
}

} // namespace

// Answers come on script threads; they reach the trial through its event queue, and only
// while it exists (the destructor clears `owner` under the lock).
struct ScriptTrial::Inbox
{
    QMutex mutex;
    ScriptTrial* owner = nullptr;
};

ScriptTrial::ScriptTrial(std::shared_ptr<ScriptRunner> runner, QObject* parent)
    : QObject(parent), m_runner(std::move(runner)), m_inbox(std::make_shared<Inbox>())
{
    m_inbox->owner = this;
}

ScriptTrial::~ScriptTrial()
{
    QMutexLocker lock(&m_inbox->mutex);
    m_inbox->owner = nullptr;
}

QList<ScriptTrialCall> ScriptTrial::sampleCalls(const UserMethod& method, const QJsonArray& samples)
{
    const MethodInfo info = method.info();
    if (method.params.isEmpty())
        return {{method.name + QStringLiteral("()"), QJsonValue(QJsonValue::Undefined),
                 Binder::bind(info, {}, {})}};
    QJsonObject named;
    QJsonArray positional;
    QStringList namedText;
    QStringList positionalText;
    for (qsizetype i = 0; i < method.params.size(); ++i) {
        const ParamInfo& p = method.params.at(i);
        const QJsonValue sample = samples.at(i);
        // By name a variadic parameter takes its whole list; by position, its elements.
        const QJsonValue byName = p.variadic ? QJsonValue(QJsonArray{sample}) : sample;
        named.insert(p.name, byName);
        positional.append(sample);
        namedText << p.name + u'=' + shortJson(byName, kMaxValueText);
        positionalText << shortJson(sample, kMaxValueText);
    }
    const auto label = [&](const QStringList& args) {
        return QStringLiteral("%1(%2)").arg(method.name, args.join(QStringLiteral(", ")));
    };
    return {{label(namedText), named, Binder::bind(info, {}, named)},
            {label(positionalText), positional, Binder::bind(info, positional, {})}};
}

ScriptTrialReport ScriptTrial::report(const QList<ScriptTrialCall>& calls, const QList<RpcResult>& outcomes)
{
    ScriptTrialReport out;
    out.ok = true;
    // Calls with the same outcome share one phrase: "returns 2 for add(a=1, b=1) and add(1, 1)".
    QStringList phrases;
    QList<QStringList> labels;
    for (qsizetype i = 0; i < calls.size() && i < outcomes.size(); ++i) {
        const RpcResult& r = outcomes.at(i);
        if (!r.ok && isFailure(r.error)) {
            out.ok = false;
            if (out.line == 0)
                out.line = lineOf(r.error);
        }
        const QString phrase = describe(r);
        const qsizetype at = phrases.indexOf(phrase);
        if (at >= 0) {
            labels[at] << calls.at(i).label;
        } else {
            phrases << phrase;
            labels << QStringList{calls.at(i).label};
        }
    }
    QStringList parts;
    for (qsizetype i = 0; i < phrases.size(); ++i)
        parts << QStringLiteral("%1 for %2").arg(phrases.at(i), labels.at(i).join(QStringLiteral(" and ")));
    out.text = parts.join(QStringLiteral("; "));
    return out;
}

void ScriptTrial::start(const UserMethod& method, const QJsonArray& samples)
{
    const quint64 generation = ++m_generation;
    m_calls = sampleCalls(method, samples);
    m_outcomes.assign(std::size_t(m_calls.size()), std::nullopt);
    m_pending = int(m_calls.size());
    const ScriptFunction fn = method.scriptFunction();
    for (int i = 0; i < int(m_calls.size()); ++i) {
        const ScriptTrialCall& call = m_calls.at(i);
        Responder done = [inbox = m_inbox, generation, i](RpcResult r) {
            QMutexLocker lock(&inbox->mutex);
            if (ScriptTrial* owner = inbox->owner)
                QMetaObject::invokeMethod(
                    owner, [owner, generation, i, r = std::move(r)] { owner->arrived(generation, i, r); },
                    Qt::QueuedConnection);
        };
        if (const auto* error = std::get_if<RpcError>(&call.bound))
            done(RpcResult::failure(*error));
        else if (!m_runner)
            done(RpcResult::failure(ErrorCode::InternalError, QStringLiteral("scripting is not available")));
        else
            m_runner->run(fn, std::get<QJsonArray>(call.bound), call.params, std::move(done));
    }
}

void ScriptTrial::arrived(quint64 generation, int index, const RpcResult& result)
{
    if (generation != m_generation || m_outcomes.at(std::size_t(index)))
        return; // an abandoned trial, or a second answer
    m_outcomes[std::size_t(index)] = result;
    if (--m_pending > 0)
        return;
    QList<RpcResult> outcomes;
    for (const auto& o : m_outcomes)
        outcomes << *o;
    emit finished(report(m_calls, outcomes));
}

} // namespace rpcbench
