#include "mock/Subscriptions.h"

#include "dispatch/PeerLink.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

namespace rpcbench {

namespace {

QString newSubscriptionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QStringLiteral("0x") +
           QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(words), sizeof words).toHex());
}

QJsonValue fillString(const QString& s, const QString& id, qint64 n, qint64 timeMs)
{
    if (s == u"{{n}}")
        return n;
    if (s == u"{{time}}")
        return timeMs;
    if (!s.contains(u"{{"))
        return s;
    QString out = s;
    out.replace(QStringLiteral("{{subscription}}"), id);
    out.replace(QStringLiteral("{{n}}"), QString::number(n));
    out.replace(QStringLiteral("{{time}}"), QString::number(timeMs));
    return out;
}

} // namespace

QString SubscribeSettings::validate() const
{
    if (notification.trimmed().isEmpty())
        return QStringLiteral("the subscription needs a notification method name (e.g. eth_subscription)");
    if (intervalMs < 1)
        return QStringLiteral("the subscription's intervalMs must be at least 1");
    if (maxEvents < 0)
        return QStringLiteral("the subscription's maxEvents must be 0 (no limit) or more");
    return {};
}

Subscriptions& Subscriptions::instance()
{
    static Subscriptions subscriptions;
    return subscriptions;
}

RpcResult Subscriptions::subscribe(const SubscribeSettings& settings)
{
    const std::shared_ptr<PeerLink> link = PeerLink::current();
    if (!link)
        return RpcResult::failure(ErrorCode::ServerError,
                                  QStringLiteral("subscriptions need a connection: this call did not come in "
                                                 "on one that can carry notifications"));
    if (!link->isOpen())
        return RpcResult::failure(
            ErrorCode::ServerError,
            QStringLiteral(
                "subscriptions need a connection that can carry notifications: over HTTP, open the "
                "event stream first (GET with Accept: text/event-stream)"));
    const QString id = newSubscriptionId();
    const QJsonValue tmpl = settings.params.isUndefined() ? defaultTemplate() : settings.params;
    // The timer holds the link weakly: the connection owns it, and its end ends the subscription.
    auto tick = [this, weak = std::weak_ptr<PeerLink>(link), id, tmpl, settings, n = qint64(0)]() mutable {
        const std::shared_ptr<PeerLink> peer = weak.lock();
        if (!peer) {
            forget(id);
            return false;
        }
        ++n;
        peer->notify(settings.notification, fill(tmpl, id, n, QDateTime::currentMSecsSinceEpoch()));
        if (settings.maxEvents > 0 && n >= settings.maxEvents) {
            forget(id);
            return false;
        }
        return true;
    };
    QMutexLocker lock(&m_mutex);
    purgeEnded();
    const quint64 handle = link->every(settings.intervalMs, std::move(tick));
    if (handle == 0)
        return RpcResult::failure(ErrorCode::ServerError, QStringLiteral("the connection has closed"));
    m_active.insert(id, Entry{link, handle});
    return RpcResult::success(id);
}

bool Subscriptions::unsubscribe(const QString& id)
{
    QMutexLocker lock(&m_mutex);
    purgeEnded();
    const Entry entry = m_active.take(id);
    const std::shared_ptr<PeerLink> link = entry.link.lock();
    if (!link)
        return false;
    link->cancel(entry.handle);
    return true;
}

int Subscriptions::activeCount()
{
    QMutexLocker lock(&m_mutex);
    purgeEnded();
    return int(m_active.size());
}

void Subscriptions::forget(const QString& id)
{
    QMutexLocker lock(&m_mutex);
    m_active.remove(id);
}

// Subscriptions whose connection is gone stop without telling us (their timer went with it).
void Subscriptions::purgeEnded()
{
    m_active.removeIf([](const auto& it) { return it.value().link.expired(); });
}

QJsonValue Subscriptions::defaultTemplate()
{
    return QJsonObject{
        {QStringLiteral("subscription"), QStringLiteral("{{subscription}}")},
        {QStringLiteral("result"), QJsonObject{{QStringLiteral("n"), QStringLiteral("{{n}}")}}}};
}

QJsonValue Subscriptions::fill(const QJsonValue& tmpl, const QString& id, qint64 n, qint64 timeMs)
{
    if (tmpl.isString())
        return fillString(tmpl.toString(), id, n, timeMs);
    if (tmpl.isArray()) {
        QJsonArray out;
        for (const QJsonValue& v : tmpl.toArray())
            out.append(fill(v, id, n, timeMs));
        return out;
    }
    if (tmpl.isObject()) {
        const QJsonObject in = tmpl.toObject();
        QJsonObject out;
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(it.key(), fill(it.value(), id, n, timeMs));
        return out;
    }
    return tmpl;
}

} // namespace rpcbench
