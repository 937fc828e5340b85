#pragma once
// Whether a byte of JSON text lies inside a string literal, fed one byte at a time (escapes
// included). For the byte-level tools that must step over string contents without parsing:
// the pretty printer and fault injection's corrupt replies. (The stream framer has its own
// memchr-based scanner: it is on the hot path.)

namespace rpcbench {

class JsonStringState
{
public:
    // Feeds one byte; true when it belongs to a string literal, its quotes included.
    bool feed(char c)
    {
        if (m_inString) {
            if (m_escaped)
                m_escaped = false;
            else if (c == '\\')
                m_escaped = true;
            else if (c == '"')
                m_inString = false;
            return true;
        }
        m_inString = c == '"';
        return m_inString;
    }

private:
    bool m_inString = false;
    bool m_escaped = false;
};

} // namespace rpcbench
