#pragma once
// HTTP/1.1 answers pipelined requests strictly in order, while our handlers may finish in
// any order. Each request takes a slot; a finished reply fills its slot; ready slots at the
// head are released in order.

#include <QByteArray>

#include <map>
#include <vector>

namespace rpcbench {

class HttpReplyQueue
{
public:
    struct Ready
    {
        QByteArray bytes;
        bool closeAfter = false;
    };

    quint64 reserve() { return m_next++; }
    void fill(quint64 slot, QByteArray bytes, bool closeAfter);
    // Removes and returns the replies that can go out now, in request order.
    std::vector<Ready> takeReady();
    bool hasOutstanding() const { return m_head != m_next; }
    // The common case without pipelining: `slot` is the oldest outstanding request and no later
    // reply is waiting, so its reply can go out at once, without the map (takes the slot).
    bool takeIfNext(quint64 slot)
    {
        if (slot != m_head || !m_filled.empty())
            return false;
        ++m_head;
        return true;
    }

private:
    quint64 m_next = 0;
    quint64 m_head = 0;
    std::map<quint64, Ready> m_filled;
};

} // namespace rpcbench
