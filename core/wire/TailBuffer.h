#pragma once
// The bytes a framer has not consumed yet, kept from one feed to the next. A feed parses
// straight from the caller's chunk while nothing is buffered, so a message that arrives whole
// costs no copy; only an incomplete tail is copied, once.

#include <QByteArray>
#include <QByteArrayView>

namespace rpcbench {

class TailBuffer
{
public:
    // The bytes to parse now: the caller's chunk, or the buffered tail with the chunk appended.
    QByteArrayView begin(QByteArrayView data)
    {
        m_inBuffer = !m_bytes.isEmpty();
        if (!m_inBuffer)
            return data;
        m_bytes.append(data);
        return m_bytes;
    }
    // Keeps what is left of `src` (the view begin() returned) after `consumed` bytes.
    void end(QByteArrayView src, qsizetype consumed)
    {
        // A big message that has gone out gives its memory back at once (a connection would
        // otherwise hold the largest message it ever saw); a small buffer is kept for reuse.
        if (m_inBuffer && consumed == m_bytes.size() && m_bytes.capacity() > kKeptBytes)
            m_bytes = QByteArray();
        else if (m_inBuffer)
            m_bytes.remove(0, consumed);
        else if (consumed < src.size())
            m_bytes = src.sliced(consumed).toByteArray();
    }

    bool isEmpty() const { return m_bytes.isEmpty(); }
    qsizetype size() const { return m_bytes.size(); }
    // Frees the memory at once (after an error, the views from begin() are invalid).
    void clear() { m_bytes = QByteArray(); }

private:
    static constexpr qsizetype kKeptBytes = 64 * 1024;
    QByteArray m_bytes;
    bool m_inBuffer = false;
};

} // namespace rpcbench
