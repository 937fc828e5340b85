#include "window/BenchSession.h"

#include "client/RpcClient.h"
#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "server/RpcServer.h"
#include "traffic/TrafficBus.h"

#include <QHostAddress>

namespace rpcbench {

BenchSession::BenchSession(QObject* parent)
    : QObject(parent), m_registry(std::make_shared<MethodRegistry>()), m_bus(std::make_shared<TrafficBus>()),
      m_client(new RpcClient)
{
    registerDemoService(*m_registry);
    m_server = std::make_unique<RpcServer>(m_registry, m_bus);
    // A desktop tool must stay responsive while its own server is hammered: on a machine with
    // few cores the server thread, the load and the GUI compete for the CPUs, and the GUI
    // thread waiting for one is most of its stall time. At a lower priority the server yields
    // when the GUI has work (measured: GUI stalls roughly halve for a few per cent fewer calls/s)
    // and runs at full speed when the GUI is idle. Headless `rpcbench serve` keeps normal priority.
    m_server->setWorkerNice(EmbeddedServerNice);
    connect(m_server.get(), &RpcServer::started, this, [this] { emit serverStateChanged(true); });
    connect(m_server.get(), &RpcServer::stopped, this, [this] { emit serverStateChanged(false); });

    m_client->setTrafficBus(m_bus);
    m_client->moveToThread(&m_clientThread);
    connect(&m_clientThread, &QThread::finished, m_client, &QObject::deleteLater);
    m_clientThread.setObjectName(QStringLiteral("rpcbench-client"));
    m_clientThread.start();
}

BenchSession::~BenchSession()
{
    m_server->stop();
    m_clientThread.quit();
    m_clientThread.wait();
}

bool BenchSession::startServer(const QString& bindAddress, quint16 port, QString* error)
{
    const QHostAddress address(bindAddress.trimmed());
    if (address.isNull()) {
        *error = tr("'%1' is not an IP address (try 127.0.0.1, ::1 or 0.0.0.0)").arg(bindAddress);
        return false;
    }
    if (!m_server->start(address, port)) {
        *error = m_server->errorString();
        return false;
    }
    return true;
}

void BenchSession::stopServer()
{
    m_server->stop();
}

bool BenchSession::isServing() const
{
    return m_server->isListening();
}

QString BenchSession::listeningAddress() const
{
    if (!isServing())
        return {};
    const QHostAddress a = m_server->address();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(a.toString())
                             : a.toString();
    return QStringLiteral("%1:%2").arg(host).arg(m_server->port());
}

QString BenchSession::serverUrl() const
{
    if (!isServing())
        return {};
    QHostAddress a = m_server->address();
    // A wildcard bind is reached through loopback.
    if (a == QHostAddress::Any || a == QHostAddress::AnyIPv4)
        a = QHostAddress::LocalHost;
    else if (a == QHostAddress::AnyIPv6)
        a = QHostAddress::LocalHostIPv6;
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(a.toString())
                             : a.toString();
    return QStringLiteral("tcp://%1:%2").arg(host).arg(m_server->port());
}

} // namespace rpcbench
