#include "proxy/Proxy.h"

#include "dispatch/MethodRegistry.h"
#include "proxy/ProxyRelay.h"
#include "server/RpcServer.h"
#include "wire/StdioChannel.h"

#include <QPointer>

namespace rpcbench {

Proxy::Proxy(std::shared_ptr<TrafficBus> bus, QObject* parent)
    : QObject(parent), m_bus(std::move(bus)), m_faults(std::make_shared<FaultTable>()),
      m_intercept(std::make_shared<InterceptQueue>())
{}

Proxy::~Proxy()
{
    stop();
}

void Proxy::setUpstream(const Endpoint& upstream)
{
    m_upstream = upstream;
}

void Proxy::setLimits(const ServerLimits& limits)
{
    m_limits = limits;
}

// A fresh server per start: the relay (and its legs) belong to one run.
std::unique_ptr<RpcServer> Proxy::makeServer()
{
    auto server = std::make_unique<RpcServer>(std::make_shared<MethodRegistry>(), m_bus, m_limits);
    ProxyRelayOptions options;
    options.upstream = m_upstream;
    options.faults = m_faults;
    options.intercept = m_intercept;
    options.name = m_name;
    options.bus = m_bus;
    QPointer<Proxy> self(this);
    options.notice = [self](const QString& line) {
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, line] {
                    if (self)
                        emit self->notice(line);
                },
                Qt::QueuedConnection);
    };
    server->setMessageHandler(std::make_shared<ProxyRelay>(std::move(options)), Side::Proxy);
    connect(server.get(), &RpcServer::channelFinished, this, &Proxy::channelFinished);
    return server;
}

bool Proxy::start(const QList<ListenSpec>& listens)
{
    stop();
    if (!m_upstream.isValid()) {
        m_error = QStringLiteral("no upstream set");
        return false;
    }
    m_name = listens.isEmpty() ? QStringLiteral("stdio") : listens.first().endpoint.toString();
    m_server = makeServer();
    if (!m_server->start(listens)) {
        m_error = m_server->errorString();
        m_server.reset();
        return false;
    }
    m_error.clear();
    emit started();
    return true;
}

bool Proxy::startStdio(Transport framing)
{
    stop();
    if (!m_upstream.isValid()) {
        m_error = QStringLiteral("no upstream set");
        return false;
    }
    m_name = QStringLiteral("stdio");
    m_server = makeServer();
    m_server->serveChannel([](QObject* parent) -> ByteChannel* { return new StdioChannel(parent); }, framing);
    m_error.clear();
    emit started();
    return true;
}

void Proxy::stop()
{
    if (!m_server)
        return;
    m_server->stop();
    m_server.reset();
    emit stopped();
}

bool Proxy::isRunning() const
{
    return m_server != nullptr;
}

QList<Endpoint> Proxy::listeningEndpoints() const
{
    return m_server ? m_server->listeningEndpoints() : QList<Endpoint>{};
}

ServerStats Proxy::stats() const
{
    return m_server ? m_server->stats() : ServerStats{};
}

} // namespace rpcbench
