#pragma once
// A proxy between a user's own client and server: a server (any listen URL rpcbench serves, or
// our own stdin/stdout) whose messages go through a ProxyRelay to an upstream endpoint. Lives
// on the thread that creates it (GUI or main); the sockets, the relay and the upstream
// connections live on its server's worker thread.
//
// Every message is one row of the traffic log, side Proxy, on the client's connection: In from
// the client towards the upstream, Out towards the client; replies carry latencyUs (as the
// client sees it) and upstreamUs (the part spent upstream).
#include "dispatch/FaultTable.h"
#include "proxy/InterceptQueue.h"
#include "server/ListenSpec.h"
#include "server/ServerCounters.h"
#include "server/ServerLimits.h"
#include "traffic/TrafficBus.h"
#include "wire/Endpoint.h"

#include <QObject>

#include <memory>

namespace rpcbench {

class RpcServer;

class Proxy : public QObject
{
    Q_OBJECT
public:
    explicit Proxy(std::shared_ptr<TrafficBus> bus, QObject* parent = nullptr);
    ~Proxy() override;

    // Set before start(); kept across stop()/start().
    void setUpstream(const Endpoint& upstream);
    const Endpoint& upstream() const { return m_upstream; }
    void setLimits(const ServerLimits& limits);
    // Live: changes apply to the next message.
    std::shared_ptr<FaultTable> faults() const { return m_faults; }
    std::shared_ptr<InterceptQueue> intercept() const { return m_intercept; }

    // Starts listening, all or nothing: false with errorString() ("cannot listen on ...",
    // "no upstream set").
    bool start(const QList<ListenSpec>& listens);
    // Serves our own stdin/stdout with a fixed framing (`rpcbench proxy --stdio`); channelFinished()
    // follows when the client closes it.
    bool startStdio(Transport framing);
    void stop();
    bool isRunning() const;
    QList<Endpoint> listeningEndpoints() const;
    QString errorString() const { return m_error; }
    ServerStats stats() const;

signals:
    void started();
    void stopped();
    // serve --stdio style: our stdin closed.
    void channelFinished();
    // One line for the user (upstream unreachable, a message that could not be delivered).
    // Queued to this object's thread.
    void notice(const QString& line);

private:
    std::unique_ptr<RpcServer> makeServer();

    std::shared_ptr<TrafficBus> m_bus;
    Endpoint m_upstream;
    ServerLimits m_limits;
    std::shared_ptr<FaultTable> m_faults;
    std::shared_ptr<InterceptQueue> m_intercept;
    std::unique_ptr<RpcServer> m_server;
    QString m_name;
    QString m_error;
};

} // namespace rpcbench
