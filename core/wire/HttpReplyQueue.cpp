#include "wire/HttpReplyQueue.h"

namespace rpcbench {

void HttpReplyQueue::fill(quint64 slot, QByteArray bytes, bool closeAfter)
{
    if (slot < m_head || slot >= m_next)
        return; // stale slot (connection reset); ignore
    m_filled[slot] = Ready{std::move(bytes), closeAfter};
}

std::vector<HttpReplyQueue::Ready> HttpReplyQueue::takeReady()
{
    std::vector<Ready> out;
    auto it = m_filled.begin();
    while (it != m_filled.end() && it->first == m_head) {
        out.push_back(std::move(it->second));
        it = m_filled.erase(it);
        ++m_head;
    }
    return out;
}

} // namespace rpcbench
