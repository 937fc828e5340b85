#pragma once
// Lives on the server's worker thread: owns the listeners (TCP, TLS, Unix-domain) and every
// connection. RpcServer drives it with blocking queued calls and never touches its members.

#include "server/ListenSpec.h"
#include "server/ServerConnection.h"
#include "server/ServerPushes.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QLocalServer;
class QTcpServer;

namespace rpcbench {

class ServerWorker : public QObject
{
    Q_OBJECT
public:
    // tlsFailures counts TLS handshakes that failed on any listener (owned by RpcServer).
    ServerWorker(const ConnectionContext& context, std::atomic<quint64>* tlsFailures);
    ~ServerWorker() override;

    // Everything below runs on the worker thread.
    // Binds one more listener; *bound is its address with port 0 resolved. False with a
    // one-line *error (without the URL: the caller names it).
    bool addListener(const ListenSpec& spec, Endpoint* bound, QString* error);
    // Closes the listener whose bound URL is `url` (Endpoint::toString()); its connections stay.
    bool removeListener(const QString& url);
    // Serves one channel made by the caller (serve --stdio) with a fixed framing; emits
    // channelFinished() when it is gone.
    void serveChannel(ByteChannel* channel, Transport framing);
    void shutdown();
    // The messages the server starts (RpcServer posts these here).
    ServerPushes& pushes() { return *m_ctx.pushes; }

signals:
    void channelFinished();
    void clientRequestFinished(quint64 requestId, const rpcbench::CallResult& result);

private:
    struct Listener
    {
        ListenSpec spec;
        Endpoint bound;
        QTcpServer* tcp = nullptr;     // child; a QSslServer for TLS listeners
        QLocalServer* local = nullptr; // child
    };

    bool listenTcp(Listener* listener, QString* error);
    bool listenLocal(Listener* listener, QString* error);
    void acceptTcp(const Listener* listener);
    void acceptLocal(const Listener* listener);
    ServerConnection* adopt(ByteChannel* channel, std::optional<Transport> framing, const QString& listener);
    void rejectConnection(ByteChannel* channel);
    void closeListener(Listener* listener);

    ConnectionContext m_ctx;
    std::atomic<quint64>* m_tlsFailures;
    std::vector<std::unique_ptr<Listener>> m_listeners;
    std::unordered_map<quint64, ServerConnection*> m_connections;
};

} // namespace rpcbench
