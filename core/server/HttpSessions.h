#pragma once
// MCP Streamable HTTP sessions (the Mcp-Session-Id header) of one server: issued on an
// `initialize` request, accepted on later requests, ended by a DELETE. The ids are random, so a
// client cannot guess another's; they live as long as the server (or until DELETE). Shared by
// all connections of one server, which all live on the server's worker thread: no locking.

#include <QByteArray>
#include <QRandomGenerator>
#include <QSet>

namespace rpcbench {

class HttpSessions
{
public:
    // A new session id (32 hex digits).
    QByteArray create()
    {
        quint32 words[4];
        QRandomGenerator::system()->fillRange(words);
        QByteArray id = QByteArray(reinterpret_cast<const char*>(words), sizeof words).toHex();
        m_ids.insert(id);
        return id;
    }
    bool contains(const QByteArray& id) const { return m_ids.contains(id); }
    // False when there was no such session.
    bool remove(const QByteArray& id) { return m_ids.remove(id); }

private:
    QSet<QByteArray> m_ids;
};

} // namespace rpcbench
