#include "traffic/RequestPairing.h"

namespace rpcbench {

namespace {

size_t idHash(const QByteArray& idJson)
{
    return qHash(QByteArrayView(idJson));
}

// A second, independent hash of the id kept with each open request: a reply whose key matches
// but whose check differs belongs to another id. Comparing the request's own id bytes instead
// would read cold memory (another thread's allocation) for every reply.
size_t idCheck(const QByteArray& idJson)
{
    return qHash(QByteArrayView(idJson), size_t(0x9e3779b97f4a7c15ULL));
}

// "null" answers a request that could not be read (or has no usable id): it names no request.
bool hasUsableId(const MessageSummary& s)
{
    return !s.idJson.isEmpty() && s.idJson != "null";
}

bool isReply(MessageKind kind)
{
    return kind == MessageKind::Response || kind == MessageKind::Error;
}

} // namespace

RequestPairing::RequestPairing(qsizetype capacity) : m_capacity(qMax<qsizetype>(1, capacity)) {}

void RequestPairing::setCapacity(qsizetype requests)
{
    m_capacity = qMax<qsizetype>(1, requests);
    while (qsizetype(m_order.size()) > m_capacity)
        forgetOldest();
    m_order.shrinkToFit();
}

RequestPairing::Match RequestPairing::add(const TrafficEvent& event, quint64 seq)
{
    if (event.summary.kind == MessageKind::Batch)
        return addBatch(event, seq);
    return addCall(event, seq);
}

RequestPairing::Match RequestPairing::addCall(const TrafficEvent& event, quint64 seq)
{
    const MessageSummary& s = event.summary;
    Match none{0, event.latencyUs};
    if (!hasUsableId(s))
        return none;
    // Either side may call the other: a request travelling against the usual direction (the
    // server asking the client) is answered by a reply travelling with it.
    if (s.kind == MessageKind::Request) {
        const CallKey key = callKey(event, !isRequestLike(event));
        m_openCalls.insert(key, Open{seq, event.timestampUs, idCheck(s.idJson)});
        remember(key, seq, false);
        return none;
    }
    if (!isReply(s.kind))
        return none;
    const auto it = m_openCalls.find(callKey(event, isRequestLike(event)));
    if (it == m_openCalls.end() || it->idCheck != idCheck(s.idJson))
        return none; // unknown, or two ids with the same key hash: not this reply's request
    const Open request = *it;
    m_openCalls.erase(it);
    return link(event, request);
}

RequestPairing::Match RequestPairing::addBatch(const TrafficEvent& event, quint64 seq)
{
    if (const auto reverse = batchRequestDirection(event)) {
        const CallKey key = connectionKey(event, *reverse);
        m_openBatches[key].push_back(Open{seq, event.timestampUs, 0});
        remember(key, seq, true);
        return {0, event.latencyUs};
    }
    const auto it = m_openBatches.find(connectionKey(event, isRequestLike(event)));
    if (it == m_openBatches.end() || it->empty())
        return {0, event.latencyUs};
    std::deque<Open>& open = *it;
    auto best = open.begin();
    if (event.latencyUs >= 0) {
        const qint64 sentAt = event.timestampUs - event.latencyUs;
        for (auto o = open.begin(); o != open.end(); ++o) {
            if (qAbs(o->timestampUs - sentAt) < qAbs(best->timestampUs - sentAt))
                best = o;
        }
    }
    const Open request = *best;
    open.erase(best);
    if (open.empty())
        m_openBatches.erase(it);
    return link(event, request);
}

RequestPairing::Match RequestPairing::link(const TrafficEvent& reply, const Open& request)
{
    const qint64 latency =
        reply.latencyUs >= 0 ? reply.latencyUs : qMax<qint64>(0, reply.timestampUs - request.timestampUs);
    return {request.seq, latency};
}

void RequestPairing::remember(const CallKey& key, quint64 seq, bool batch)
{
    if (qsizetype(m_order.size()) >= m_capacity)
        forgetOldest();
    m_order.push_back(Remembered{key, seq, batch}, size_t(m_capacity));
}

// Entries already answered (or replaced by a newer request with the same id) are skipped: the
// table no longer holds their seq.
void RequestPairing::forgetOldest()
{
    const Remembered r = m_order.front();
    m_order.pop_front();
    if (!r.batch) {
        const auto it = m_openCalls.find(r.key);
        if (it != m_openCalls.end() && it->seq == r.seq)
            m_openCalls.erase(it);
        return;
    }
    const auto it = m_openBatches.find(r.key);
    if (it == m_openBatches.end())
        return;
    // Older batches of this connection were forgotten before: if still open, it is the front.
    if (!it->empty() && it->front().seq == r.seq)
        it->pop_front();
    if (it->empty())
        m_openBatches.erase(it);
}

void RequestPairing::forgetBefore(quint64 seq)
{
    while (!m_order.empty() && m_order.front().seq < seq)
        forgetOldest();
}

void RequestPairing::clear()
{
    m_openCalls.clear();
    m_openBatches.clear();
    m_order.clear();
}

qsizetype RequestPairing::openCount() const
{
    qsizetype n = m_openCalls.size();
    for (const std::deque<Open>& batches : m_openBatches)
        n += qsizetype(batches.size());
    return n;
}

// A batch of requests, and which way it calls (nullopt for a batch of replies). Summaries name
// a batch's first method: replies have none. A batch without methods going the usual request
// direction is a reply only when the other side has a batch of its own waiting; otherwise it
// is an invalid batch the peer will answer with errors.
std::optional<bool> RequestPairing::batchRequestDirection(const TrafficEvent& e) const
{
    const bool forward = isRequestLike(e);
    if (!e.summary.method.isEmpty())
        return !forward;
    if (!forward)
        return std::nullopt;
    const auto waiting = m_openBatches.find(connectionKey(e, true));
    if (waiting != m_openBatches.end() && !waiting->empty())
        return std::nullopt;
    return false;
}

RequestPairing::CallKey RequestPairing::callKey(const TrafficEvent& e, bool reverse)
{
    return CallKey{e.connectionId, idHash(e.summary.idJson), e.side, reverse};
}

RequestPairing::CallKey RequestPairing::connectionKey(const TrafficEvent& e, bool reverse)
{
    return CallKey{e.connectionId, 0, e.side, reverse};
}

} // namespace rpcbench
