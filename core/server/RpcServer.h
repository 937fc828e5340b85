#pragma once
// The embedded JSON-RPC server. Owns a worker thread on which every socket, framer, decode
// and dispatch runs; the object itself lives on the thread that created it (GUI or main)
// and only exchanges small control calls and signals with the worker.
//
// It listens on any number of endpoints at once (ListenSpec: tcp, http, ws, https, tcp+tls,
// unix, with or without a fixed LSP framing). A TCP port serves several framings, sniffed per
// connection from its first bytes: HTTP/1.1 (and WebSocket upgrades), Content-Length (LSP)
// headers, or a plain JSON value stream. Connection counters and limits span all listeners.

#include "dispatch/MessageHandler.h"
#include "dispatch/MethodRegistry.h"
#include "protocol/CallResult.h"
#include "server/ConnectionInfo.h"
#include "server/ListenSpec.h"
#include "server/ServerCounters.h"
#include "server/ServerLimits.h"
#include "traffic/TrafficBus.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace rpcbench {

class ByteChannel;
class ConnectionDirectory;
class ServerWorker;

class RpcServer : public QObject
{
    Q_OBJECT
public:
    RpcServer(std::shared_ptr<MethodRegistry> registry, std::shared_ptr<TrafficBus> bus,
              ServerLimits limits = {}, QObject* parent = nullptr);
    ~RpcServer() override;

    // Starts listening on every endpoint, all or nothing: false with errorString() naming the
    // failing URL and the reason ("cannot listen on https://127.0.0.1:8443: tls certificate
    // file missing"). An empty list starts the server with no listener (serveChannel()).
    // Blocks only for the binds themselves.
    bool start(const QList<ListenSpec>& listens);
    // One TCP listener (tcp://address:port, sniffed): the same as start({spec}).
    bool start(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 5000);
    // Closes the listeners and every connection; in-flight calls are abandoned safely.
    void stop();

    // The bound addresses (port 0 resolved), in the order they were added.
    QList<Endpoint> listeningEndpoints() const { return m_endpoints; }
    // Adds a listener while running (the GUI toolbar). False with a one-line *error.
    bool addListener(const ListenSpec& listen, QString* error);
    // Closes the listener whose listeningEndpoints()[i].toString() is url; its connections stay.
    bool removeListener(const QString& url);
    // Serves one channel with a fixed framing (serve --stdio): make runs on the worker thread
    // and returns the channel (parented by the caller's `parent` argument, or not at all).
    // channelFinished() follows when it has closed. Starts the server (without listeners) when
    // it is not running.
    void serveChannel(std::function<ByteChannel*(QObject* parent)> make, Transport framing);

    bool isListening() const { return m_listening; }
    // The first TCP listener's address and port (null and 0 without one).
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }
    // TLS handshakes that failed or timed out on the server's TLS listeners.
    quint64 tlsHandshakeFailures() const { return m_tlsFailures.load(std::memory_order_relaxed); }
    QString errorString() const { return m_error; }
    ServerLimits limits() const { return m_limits; }
    void setLimits(const ServerLimits& limits); // applies to connections opened afterwards

    // Lowers the worker thread's CPU priority by `delta` nice steps (Linux; per thread), applied
    // from the next start() on. A desktop GUI embedding the server sets it so that its own
    // thread wins the CPU when both are busy and the window stays responsive while the server
    // is hammered; headless servers keep 0 (inherit the caller's priority). Raising priority
    // (delta < 0) is not offered: it needs privileges.
    void setWorkerNice(int delta) { m_workerNice = qBound(0, delta, 19); }
    int workerNice() const { return m_workerNice; }
    // The nice steps actually added when the running worker thread started (0 when it failed
    // or was not asked for).
    int appliedWorkerNice() const { return m_appliedNice; }
    // The worker thread's kernel thread id while it runs (Linux; 0 elsewhere or when stopped),
    // for tools that watch its CPU use or priority.
    qint64 workerThreadId() const { return m_workerTid; }

    ServerStats stats() const; // thread-safe snapshot

    // ---- messages the server starts (any thread; see docs/PROTOCOL.md "Both directions") ----
    // The open connections, oldest first (thread-safe snapshot).
    QList<ConnectionInfo> connections() const;
    // Sends a JSON-RPC 2.0 notification to one connection, or to every connection that can take
    // it when connectionId is 0. Returns how many connections it was queued for (0: unknown id,
    // or it cannot carry pushes); logged as server traffic like any message.
    int notifyClient(quint64 connectionId, const QString& method, const QJsonValue& params);
    // Sends a request to one connection and awaits the client's reply, matched by id; it ends
    // with clientRequestFinished(): Ok/RpcError with the reply, Timeout after timeoutMs (<= 0:
    // none), TransportError when the connection closes first or cannot carry pushes. Never emits
    // from inside the call. Returns the request's id (also its JSON-RPC id on the wire).
    quint64 requestClient(quint64 connectionId, const QString& method, const QJsonValue& params,
                          int timeoutMs = 60'000);
    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }

    // A proxy is a server whose messages go to a relay instead of the registry's methods (see
    // dispatch/MessageHandler.h), logged as `side`. Applies from the next start().
    void setMessageHandler(std::shared_ptr<MessageHandler> handler, Side side);

signals:
    void started(const QHostAddress& address, quint16 port);
    void stopped();
    void listenersChanged();
    void channelFinished();
    // A connection opened or closed, or changed what it can carry (coalesced: read
    // connections() for the list).
    void connectionsChanged();
    // A requestClient() ended (on the server's own thread).
    void clientRequestFinished(quint64 requestId, const rpcbench::CallResult& result);

private:
    void startThread();
    void stopThread();
    bool bind(const ListenSpec& listen, QString* error);
    void updatePrimaryAddress();
    void finishRequestLater(quint64 requestId, const QString& method, const QString& reason);

    std::shared_ptr<MethodRegistry> m_registry;
    std::shared_ptr<TrafficBus> m_bus;
    std::shared_ptr<MessageHandler> m_handler; // null: the registry's Dispatcher
    Side m_side = Side::Server;
    ServerLimits m_limits;
    std::shared_ptr<ServerCounters> m_counters;
    std::shared_ptr<ConnectionDirectory> m_directory; // written by the worker, read anywhere
    std::atomic<quint64> m_nextRequestId{1};
    std::unique_ptr<QThread> m_thread;
    ServerWorker* m_worker = nullptr; // lives in m_thread, deleted there
    bool m_listening = false;
    QList<Endpoint> m_endpoints;
    std::atomic<quint64> m_tlsFailures{0};
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_error;
    int m_workerNice = 0;
    int m_appliedNice = 0;
    qint64 m_workerTid = 0;
};

} // namespace rpcbench
