#pragma once
// The embedded JSON-RPC server. Owns a worker thread on which every socket, framer, decode
// and dispatch runs; the object itself lives on the thread that created it (GUI or main)
// and only exchanges small control calls and signals with the worker.
//
// One TCP port serves three framings, sniffed per connection from its first bytes:
// HTTP/1.1, Content-Length (LSP) headers, or a plain JSON value stream.

#include "dispatch/MethodRegistry.h"
#include "server/ServerCounters.h"
#include "server/ServerLimits.h"
#include "traffic/TrafficBus.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

class QThread;

namespace rpcbench {

class ServerWorker;

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
    int m_workerNice = 0;
    int m_appliedNice = 0;
    qint64 m_workerTid = 0;
};

} // namespace rpcbench
