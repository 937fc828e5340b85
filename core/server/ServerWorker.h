#pragma once
// Lives on the server's worker thread: owns the listening socket and every connection.
// RpcServer drives it with blocking queued calls (start/stop) and never touches its members.

#include "server/ServerConnection.h"

#include <QHostAddress>
#include <QObject>

#include <unordered_map>

class QTcpServer;

namespace rpcbench {

class ServerWorker : public QObject
{
    Q_OBJECT
public:
    explicit ServerWorker(const ConnectionContext& context);
    ~ServerWorker() override;

    // Both run on the worker thread.
    bool listen(const QHostAddress& address, quint16 port, QString* error, quint16* boundPort);
    void shutdown();

private:
    void onNewConnection();
    void rejectConnection(ByteChannel* channel);

    ConnectionContext m_ctx;
    QTcpServer* m_server = nullptr;
    std::unordered_map<quint64, ServerConnection*> m_connections;
};

} // namespace rpcbench
