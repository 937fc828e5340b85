#pragma once
// The embedded JSON-RPC server. Owns a worker thread on which every socket, framer, decode
// and dispatch runs; the object itself lives on the thread that created it (GUI or main)
// and only exchanges small control calls and signals with the worker.
//
// One TCP port serves three framings, sniffed per connection from its first bytes:
// HTTP/1.1, Content-Length (LSP) headers, or a plain JSON value stream.

#include "MethodRegistry.h"
#include "ServerLimits.h"
#include "TrafficBus.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

class QThread;

namespace rpcbench {

class ServerWorker;
struct ServerCounters;

struct ServerStats
{
    int openConnections = 0;
    quint64 totalConnections = 0;
    quint64 messagesIn = 0;
    quint64 repliesOut = 0;
    quint64 rejectedConnections = 0;
};

class RpcServer : public QObject
{
    Q_OBJECT
public:
    RpcServer(std::shared_ptr<MethodRegistry> registry, std::shared_ptr<TrafficBus> bus,
              ServerLimits limits = {}, QObject* parent = nullptr);
    ~RpcServer() override;

    // Starts listening. Returns false with errorString() set when the address cannot be
    // bound (port in use, bad address). Blocks only for the bind itself.
    bool start(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 5000);
    // Closes the listener and every connection; in-flight calls are abandoned safely.
    void stop();

    bool isListening() const { return m_listening; }
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    ServerLimits limits() const { return m_limits; }
    void setLimits(const ServerLimits& limits); // applies to connections opened afterwards

    ServerStats stats() const; // thread-safe snapshot
    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }

signals:
    void started(const QHostAddress& address, quint16 port);
    void stopped();

private:
    void stopThread();

    std::shared_ptr<MethodRegistry> m_registry;
    std::shared_ptr<TrafficBus> m_bus;
    ServerLimits m_limits;
    std::shared_ptr<ServerCounters> m_counters;
    std::unique_ptr<QThread> m_thread;
    ServerWorker* m_worker = nullptr; // lives in m_thread, deleted there
    bool m_listening = false;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace rpcbench
