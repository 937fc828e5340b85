#pragma once
// Mock subscriptions (the "subscribe" and "unsubscribe" handler kinds of user methods): a
// subscribe call answers a new id and then sends the caller a notification every intervalMs
// through the connection it came in on (PeerLink), until maxEvents, an unsubscribe, or the
// connection's end.
//
// The table of live subscriptions is process-wide, not per connection as an Ethereum node keeps
// it: a mock whose subscription can be ended from a second connection (another `rpcbench call`)
// is more useful for testing a client. Thread-safe.

#include "protocol/RpcError.h"

#include <QHash>
#include <QJsonValue>
#include <QMutex>
#include <QString>

#include <memory>

namespace rpcbench {

class PeerLink;

// What a subscribe handler sends.
struct SubscribeSettings
{
    QString notification = QStringLiteral("eth_subscription");
    int intervalMs = 1000;
    int maxEvents = 0; // 0: no limit
    // The params of each event; Undefined: defaultTemplate(). Strings "{{subscription}}",
    // "{{n}}" and "{{time}}" are filled in (fill()).
    QJsonValue params = QJsonValue::Undefined;

    // Empty when usable; else one line naming the member ("intervalMs must be at least 1").
    QString validate() const;
    bool operator==(const SubscribeSettings& o) const = default;
};

class Subscriptions
{
public:
    static Subscriptions& instance();

    // Starts a subscription on the connection whose call is starting on this thread
    // (PeerLink::current()): the new id ("0x" + 32 hex digits), or the error to answer when there
    // is no connection that can carry notifications.
    RpcResult subscribe(const SubscribeSettings& settings);
    // Ends subscription `id`: false when there is none (unknown, or ended already).
    bool unsubscribe(const QString& id);
    // Live subscriptions (for tests and the GUI).
    int activeCount();

    // {"subscription": "{{subscription}}", "result": {"n": "{{n}}"}}
    static QJsonValue defaultTemplate();
    // `tmpl` with the placeholders replaced: a string that is only "{{n}}" or "{{time}}" becomes
    // that integer; inside longer strings they are replaced as text. Recurses into containers.
    static QJsonValue fill(const QJsonValue& tmpl, const QString& id, qint64 n, qint64 timeMs);

private:
    struct Entry
    {
        std::weak_ptr<PeerLink> link;
        quint64 handle = 0;
    };
    void forget(const QString& id);
    void purgeEnded(); // m_mutex held

    QMutex m_mutex;
    QHash<QString, Entry> m_active;
};

} // namespace rpcbench
