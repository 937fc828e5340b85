#pragma once
// A growable ring buffer for the traffic log's rows: O(1) push at the back, pop at the front
// and access by index, with the slots kept in one contiguous array. std::deque would do the
// same, but libstdc++ allocates a 512-byte node per two or three log records, so a full log
// at 100,000 rows/s would malloc and free ~40,000 nodes a second on the GUI thread.
//
// A popped slot is reset to T{} at once (its heap memory is freed then, not when overwritten).

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace rpcbench {

template <typename T> class RingBuffer
{
public:
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    size_t slotCount() const { return m_slots.size(); }

    T& operator[](size_t i) { return m_slots[slot(i)]; }
    const T& operator[](size_t i) const { return m_slots[slot(i)]; }
    T& front() { return m_slots[m_head]; }
    const T& front() const { return m_slots[m_head]; }
    T& back() { return m_slots[slot(m_size - 1)]; }

    // `limit` caps how far the slot array grows (the log's capacity), so a full log holds
    // exactly that many slots instead of the next power of two.
    void push_back(T&& value, size_t limit)
    {
        if (m_size == m_slots.size())
            grow(std::max(m_size + 1, std::min(std::max<size_t>(64, m_size * 2), limit)));
        m_slots[slot(m_size)] = std::move(value);
        ++m_size;
    }

    void pop_front()
    {
        m_slots[m_head] = T{};
        m_head = m_head + 1 == m_slots.size() ? 0 : m_head + 1;
        --m_size;
    }

    void clear()
    {
        m_slots = {};
        m_head = 0;
        m_size = 0;
    }

    // Drops unused slots (after the cap was lowered).
    void shrinkToFit()
    {
        if (m_slots.size() > m_size)
            grow(m_size);
    }

private:
    size_t slot(size_t i) const
    {
        const size_t s = m_head + i;
        return s >= m_slots.size() ? s - m_slots.size() : s;
    }

    void grow(size_t count)
    {
        std::vector<T> next(count);
        for (size_t i = 0; i < m_size; ++i)
            next[i] = std::move(m_slots[slot(i)]);
        m_slots = std::move(next);
        m_head = 0;
    }

    std::vector<T> m_slots;
    size_t m_head = 0;
    size_t m_size = 0;
};

} // namespace rpcbench
