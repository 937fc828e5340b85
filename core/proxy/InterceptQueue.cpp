#include "proxy/InterceptQueue.h"

#include "util/MonotonicClock.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QMutexLocker>
#include <QTimer>

#include <atomic>

namespace rpcbench {

namespace {

bool anyEnabled(const QList<InterceptRule>& rules)
{
    for (const InterceptRule& rule : rules)
        if (rule.enabled)
            return true;
    return false;
}

// A forwarded or answering message must still be one JSON-RPC message or batch.
QString jsonProblem(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("not valid JSON: %1").arg(parseError.errorString());
    if (!doc.isObject() && !doc.isArray())
        return QStringLiteral("not valid JSON: a message must be an object or an array");
    return {};
}

// Empty when `decision` may be applied to `message`.
QString decisionProblem(const HeldMessage& message, const InterceptDecision& decision)
{
    using Action = InterceptDecision::Action;
    if (decision.action == Action::Answer &&
        (!message.toServer || message.summary.kind != MessageKind::Request))
        return QStringLiteral("only a request to the server can be answered");
    // The timeout forwards the message exactly as it arrived, whatever it is.
    if (decision.action != Action::Drop && !decision.timedOut)
        return jsonProblem(decision.json);
    return {};
}

} // namespace

InterceptQueue::InterceptQueue(QObject* parent) : QObject(parent)
{
    // held() and released() cross threads (proxy worker -> GUI) through queued connections.
    qRegisterMetaType<HeldMessage>();
    qRegisterMetaType<InterceptDecision::Action>();
}

QList<InterceptRule> InterceptQueue::rules() const
{
    QMutexLocker lock(&m_mutex);
    return m_rules;
}

void InterceptQueue::setRules(const QList<InterceptRule>& rules)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_rules == rules)
            return;
        m_rules = rules;
        m_anyEnabled.store(anyEnabled(rules));
    }
    emit rulesChanged(); // outside the lock: a direct slot may call rules()
}

void InterceptQueue::setTimeoutMs(int ms)
{
    if (m_timeoutMs.exchange(ms) != ms)
        emit rulesChanged();
}

bool InterceptQueue::shouldHold(const QString& method, bool toServer) const
{
    if (!m_anyEnabled.load()) // the common case: no breakpoint, no lock per message
        return false;
    QMutexLocker lock(&m_mutex);
    return anyRuleMatches(m_rules, method, toServer);
}

quint64 InterceptQueue::hold(HeldMessage message, QObject* context, Resume resume)
{
    const int timeout = m_timeoutMs.load();
    {
        QMutexLocker lock(&m_mutex);
        message.id = m_nextId++;
        message.heldAtUs = MonotonicClock::nowUs();
        message.deadlineUs = message.heldAtUs + qint64(timeout) * 1000;
        m_entries.emplace(message.id, Entry{message, context, std::move(resume)});
    }
    const quint64 id = message.id;
    emit held(message);
    // The timer lives on the context's thread (hold() runs there) and dies with the context.
    QPointer<InterceptQueue> self(this);
    QTimer::singleShot(timeout, context, [self, id, json = message.json] {
        if (self)
            self->decide(id, {InterceptDecision::Action::Forward, json, true});
    });
    return id;
}

QList<HeldMessage> InterceptQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    QList<HeldMessage> out;
    out.reserve(qsizetype(m_entries.size()));
    for (const auto& [id, entry] : m_entries) // ids grow: map order is arrival order
        out.append(entry.message);
    return out;
}

bool InterceptQueue::decide(quint64 id, const InterceptDecision& decision, QString* error)
{
    Entry entry;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_entries.find(id);
        QString problem = it == m_entries.end() ? QStringLiteral("no longer waiting")
                                                : decisionProblem(it->second.message, decision);
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return false;
        }
        // Taken under the lock: of a click racing the timeout, only the first gets here.
        entry = std::move(it->second);
        m_entries.erase(it);
    }
    if (QObject* context = entry.context.data()) {
        // Queued: runs on the context's thread, and Qt discards it if the context dies first.
        QMetaObject::invokeMethod(
            context, [resume = std::move(entry.resume), decision] { resume(decision); },
            Qt::QueuedConnection);
    }
    emit released(id, decision.action, decision.timedOut, false);
    return true;
}

void InterceptQueue::discardConnection(quint64 connectionId)
{
    QList<quint64> discarded;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->second.message.connectionId == connectionId) {
                discarded.append(it->first);
                it = m_entries.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (quint64 id : discarded)
        emit released(id, InterceptDecision::Action::Drop, false, true);
}

} // namespace rpcbench
