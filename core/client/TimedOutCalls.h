#pragma once
// The calls (and batches) of one client that ended with a timeout (or were cancelled) while
// their request was on a shared connection: its reply may still come. Remembering them lets the
// client tell such a reply ("late", or answering a cancelled call) from a foreign one and report
// how late it was. Bounded: the newest
// `capacity` entries are kept; a connection's entries go when it drops.

#include <QList>
#include <QtGlobal>

#include <deque>
#include <optional>
#include <unordered_map>

namespace rpcbench {

class TimedOutCalls
{
public:
    static constexpr qsizetype DefaultCapacity = 1024;

    struct Entry
    {
        quint64 callId = 0;
        quint64 linkId = 0;
        qint64 sentUs = 0;      // MonotonicClock, when the request was written
        bool cancelled = false; // ended by cancel(), not by its timeout: its reply is not "late"
    };

    explicit TimedOutCalls(qsizetype capacity = DefaultCapacity) : m_capacity(capacity) {}

    // idKeys: the JSON-RPC ids its reply may carry (one for a call, one per request of a batch).
    void remember(const Entry& entry, const QList<qint64>& idKeys);
    // The call a reply with this JSON-RPC id answers; 0 when none is remembered.
    quint64 callForKey(qint64 key) const;
    // Removes and returns a remembered call (its one late reply has come).
    std::optional<Entry> take(quint64 callId);
    // The connection is gone: no reply can come on it any more.
    void forgetLink(quint64 linkId);
    qsizetype size() const { return qsizetype(m_calls.size()); }

private:
    struct Stored
    {
        Entry entry;
        QList<qint64> idKeys;
    };
    void erase(quint64 callId);

    qsizetype m_capacity;
    std::unordered_map<quint64, Stored> m_calls; // by call id
    std::unordered_map<qint64, quint64> m_byKey; // JSON-RPC id -> call id
    std::deque<quint64> m_order;                 // oldest first; may hold ids already taken
};

} // namespace rpcbench
