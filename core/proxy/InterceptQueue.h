#pragma once
// The messages a proxy has paused on an InterceptRule, waiting for a decision: forward (as is
// or edited), answer locally (requests towards the server: the client gets the given reply, the
// server sees nothing), or drop. Paused messages never hold up other messages: each waits on
// its own, and a timeout (default 60 s) forwards it unchanged when nobody acts.
//
// Thread-safety: hold() is called by the proxy on its worker thread; rules(), setRules(),
// pending() and decide() from any thread (the GUI). The first decision for a message wins (a
// user's click racing the timeout); the proxy's resume callback always runs on the thread of
// the context object given to hold(), never after that object is gone. Signals are emitted from
// the thread that caused them: connect with a queued (or auto) connection.
#include "protocol/RpcTypes.h"
#include "proxy/InterceptRule.h"

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <functional>
#include <map>

namespace rpcbench {

struct HeldMessage
{
    quint64 id = 0;           // the queue's own number, for decide()
    quint64 connectionId = 0; // the client connection it belongs to (as in the traffic log)
    bool toServer = true;     // client -> upstream server (false: server -> client)
    QByteArray json;          // the message as it arrived
    MessageSummary summary;
    qint64 heldAtUs = 0;   // MonotonicClock
    qint64 deadlineUs = 0; // when it is forwarded unchanged if nobody decides
    QString proxy;         // the proxy's listen URL, for a GUI showing several
    // A reply towards the client: the method of the request it answers (a reply names none,
    // and its id alone means little to the user). Empty otherwise.
    QString requestMethod;
};

struct InterceptDecision
{
    enum class Action : quint8 { Forward, Answer, Drop };
    Action action = Action::Forward;
    QByteArray json;       // Forward: the (possibly edited) message; Answer: the reply to send back
    bool timedOut = false; // the timeout forwarded it
};

class InterceptQueue : public QObject
{
    Q_OBJECT
public:
    using Resume = std::function<void(const InterceptDecision&)>;

    explicit InterceptQueue(QObject* parent = nullptr);

    QList<InterceptRule> rules() const;
    void setRules(const QList<InterceptRule>& rules);
    // Cheap when no rule is enabled (the proxy asks for every message).
    bool shouldHold(const QString& method, bool toServer) const;

    int timeoutMs() const { return m_timeoutMs.load(); }
    void setTimeoutMs(int ms);

    // Pauses a message; `resume` runs later on `context`'s thread with the decision (after the
    // timeout at the latest, which the queue arms itself on `context`'s thread). Returns the id.
    quint64 hold(HeldMessage message, QObject* context, Resume resume);
    // The messages waiting, oldest first.
    QList<HeldMessage> pending() const;
    // False when the message is no longer waiting (decided, timed out, its connection closed),
    // or the decision is invalid: *error says why ("not valid JSON: ...", "only a request to
    // the server can be answered").
    bool decide(quint64 id, const InterceptDecision& decision, QString* error = nullptr);
    // The proxy's connection ended: its messages stop waiting (nothing is sent).
    void discardConnection(quint64 connectionId);

signals:
    // setRules() or setTimeoutMs() changed what the queue holds (a workspace has it to save).
    void rulesChanged();
    void held(const rpcbench::HeldMessage& message);
    // A message stopped waiting: decided, timed out (action Forward, timedOut) or discarded
    // (discarded = true).
    void released(quint64 id, rpcbench::InterceptDecision::Action action, bool timedOut, bool discarded);

private:
    struct Entry
    {
        HeldMessage message;
        QPointer<QObject> context;
        Resume resume;
    };
    mutable QMutex m_mutex;
    QList<InterceptRule> m_rules;
    std::atomic<bool> m_anyEnabled{false};
    std::atomic<int> m_timeoutMs{60'000};
    quint64 m_nextId = 1;
    std::map<quint64, Entry> m_entries;
};

} // namespace rpcbench

Q_DECLARE_METATYPE(rpcbench::HeldMessage)
