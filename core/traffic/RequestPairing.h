#pragma once
// Matches replies to their requests in a stream of traffic events, and says how long each
// reply took. Fed the events in the order they happened, each with a sequence number that
// only grows (the traffic log's row history), it remembers the requests still waiting and
// answers, for a reply, which request it answers.
//
// A call is matched by side, connection, direction and id: a reply on the same connection, on
// the same side (server or client), travelling the other way, carrying the id of the request.
// Either peer may call the other (a server's request to the client is answered by the client),
// so the ids of the two directions never meet. Batches carry their ids in their
// elements, which summaries do not list, so a batch reply is matched per side and connection:
// with an engine-measured latency, to the open batch whose timestamp fits best, otherwise to
// the oldest. Notifications, and calls without a usable id (absent or null: a null-id error
// answers a request that could not be read), never pair.
//
// Memory is bounded: at most capacity() requests are remembered; the oldest is forgotten when
// a newer one comes (its late reply stays unpaired). An owner that drops old events (the log's
// eviction) also calls forgetBefore(), so replies never point at events it no longer holds.
//
// Not thread-safe; allocation-free per event except when a table grows.

#include "traffic/TrafficEvent.h"
#include "util/RingBuffer.h"

#include <QHash>

#include <deque>
#include <optional>

namespace rpcbench {

class RequestPairing
{
public:
    static constexpr qsizetype DefaultCapacity = 100'000;

    struct Match
    {
        quint64 requestSeq = 0; // the request this event answers, 0 when none is known
        qint64 latencyUs = -1;  // the engine's measurement, else computed from the request's time
    };

    explicit RequestPairing(qsizetype capacity = DefaultCapacity);

    // The most requests remembered at once (at least 1); lowering it forgets the oldest.
    void setCapacity(qsizetype requests);
    qsizetype capacity() const { return m_capacity; }

    // Takes the next event. A request is remembered under `seq`; a reply is matched and its
    // request forgotten. Replies keep the engine's latency, or get one from their request.
    Match add(const TrafficEvent& event, quint64 seq);

    // Forgets the requests whose seq is below `seq` (the owner dropped them).
    void forgetBefore(quint64 seq);
    void clear();

    // Requests waiting for their reply.
    qsizetype openCount() const;

    // True for messages that travel from caller to callee: what a server receives and what a
    // client sends. The other direction carries replies.
    static bool isRequestLike(const TrafficEvent& event)
    {
        return (event.side != Side::Client) == (event.direction == Direction::In); // server and proxy alike
    }

private:
    struct Open
    {
        quint64 seq;
        qint64 timestampUs;
        size_t idCheck; // second hash of the id (calls only)
    };

    // Pairing key: side, connection and a hash of the id's JSON text. POD, so a lookup
    // allocates nothing; a hit is confirmed with a second hash kept in Open.
    struct CallKey
    {
        quint64 connectionId = 0;
        size_t idHash = 0;
        Side side = Side::Server;
        bool reverse = false; // the request went against the usual direction (callee to caller)
        friend bool operator==(const CallKey&, const CallKey&) = default;
        friend size_t qHash(const CallKey& k, size_t seed = 0)
        {
            return qHashMulti(seed, k.connectionId, k.idHash, int(k.side), k.reverse);
        }
    };

    // Every remembered request in arrival order, so the oldest can be forgotten first.
    struct Remembered
    {
        CallKey key;
        quint64 seq = 0;
        bool batch = false;
    };

    Match addCall(const TrafficEvent& event, quint64 seq);
    Match addBatch(const TrafficEvent& event, quint64 seq);
    void remember(const CallKey& key, quint64 seq, bool batch);
    void forgetOldest();
    static Match link(const TrafficEvent& reply, const Open& request);
    std::optional<bool> batchRequestDirection(const TrafficEvent& e) const;
    static CallKey callKey(const TrafficEvent& e, bool reverse);
    static CallKey connectionKey(const TrafficEvent& e, bool reverse); // batches: per side and connection

    qsizetype m_capacity;
    QHash<CallKey, Open> m_openCalls;               // side+connection+id -> request
    QHash<CallKey, std::deque<Open>> m_openBatches; // side+connection -> batch requests
    RingBuffer<Remembered> m_order;                 // never more than m_capacity entries
};

} // namespace rpcbench
