#include "client/TimedOutCalls.h"

#include <algorithm>
#include <vector>

namespace rpcbench {

void TimedOutCalls::remember(const Entry& entry, const QList<qint64>& idKeys)
{
    if (m_capacity <= 0)
        return;
    m_calls[entry.callId] = Stored{entry, idKeys};
    for (qint64 key : idKeys)
        m_byKey[key] = entry.callId;
    m_order.push_back(entry.callId);
    while (size() > m_capacity && !m_order.empty()) {
        const quint64 oldest = m_order.front();
        m_order.pop_front();
        erase(oldest); // ignores ids taken earlier
    }
    // Ids taken by their late reply stay in m_order until they reach the front; compact now and
    // then so the queue stays bounded too.
    if (qsizetype(m_order.size()) > 2 * m_capacity) {
        std::erase_if(m_order, [this](quint64 id) { return !m_calls.contains(id); });
    }
}

quint64 TimedOutCalls::callForKey(qint64 key) const
{
    const auto it = m_byKey.find(key);
    return it == m_byKey.end() ? 0 : it->second;
}

std::optional<TimedOutCalls::Entry> TimedOutCalls::take(quint64 callId)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return std::nullopt;
    const Entry entry = it->second.entry;
    erase(callId);
    return entry;
}

void TimedOutCalls::forgetLink(quint64 linkId)
{
    std::vector<quint64> gone;
    for (const auto& [id, stored] : m_calls)
        if (stored.entry.linkId == linkId)
            gone.push_back(id);
    for (quint64 id : gone)
        erase(id);
}

void TimedOutCalls::erase(quint64 callId)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end())
        return;
    for (qint64 key : it->second.idKeys) {
        const auto k = m_byKey.find(key);
        if (k != m_byKey.end() && k->second == callId)
            m_byKey.erase(k);
    }
    m_calls.erase(it);
}

} // namespace rpcbench
