#include "window/BenchSession.h"

#include "client/RpcClient.h"
#include "engine/Engine.h"
#include "server/RpcServer.h"

#include <QHostAddress>

namespace rpcbench {

BenchSession::BenchSession(QObject* parent)
    : QObject(parent), m_engine(std::make_unique<Engine>()), m_client(new RpcClient)
{
    RpcServer* server = m_engine->server();
    // A desktop tool must stay responsive while its own server is hammered: on a machine with
    // few cores the server thread, the load and the GUI compete for the CPUs, and the GUI
    // thread waiting for one is most of its stall time. At a lower priority the server yields
    // when the GUI has work (measured: GUI stalls roughly halve for a few per cent fewer calls/s)
    // and runs at full speed when the GUI is idle. Headless `rpcbench serve` keeps normal priority.
    server->setWorkerNice(EmbeddedServerNice);
    connect(server, &RpcServer::started, this, [this] { emit serverStateChanged(true); });
    connect(server, &RpcServer::stopped, this, [this] { emit serverStateChanged(false); });

    m_client->setTrafficBus(m_engine->bus());
    // The client answers the servers' requests with its own methods (Workspace client.methods);
    // the GUI holds the others for the user (IncomingPanel), who may turn that off.
    m_client->setClientMethods(m_engine->clientRegistry());
    m_client->setHoldUnanswered(true);
    m_client->moveToThread(&m_clientThread);
    connect(&m_clientThread, &QThread::finished, m_client, &QObject::deleteLater);
    m_clientThread.setObjectName(QStringLiteral("rpcbench-client"));
    m_clientThread.start();
}

BenchSession::~BenchSession()
{
    m_engine->server()->stop();
    m_clientThread.quit();
    m_clientThread.wait();
}

std::shared_ptr<MethodRegistry> BenchSession::registry() const
{
    return m_engine->registry();
}

std::shared_ptr<TrafficBus> BenchSession::bus() const
{
    return m_engine->bus();
}

RpcServer* BenchSession::server() const
{
    return m_engine->server();
}

bool BenchSession::startServer(const QString& bindAddress, quint16 port, QString* error)
{
    const QHostAddress address(bindAddress.trimmed());
    if (address.isNull()) {
        *error = tr("'%1' is not an IP address (try 127.0.0.1, ::1 or 0.0.0.0)").arg(bindAddress);
        return false;
    }
    if (!server()->start(address, port)) {
        *error = server()->errorString();
        return false;
    }
    return true;
}

void BenchSession::stopServer()
{
    server()->stop();
}

bool BenchSession::isServing() const
{
    return server()->isListening();
}

QString BenchSession::listeningAddress() const
{
    if (!isServing())
        return {};
    const QHostAddress a = server()->address();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(a.toString())
                             : a.toString();
    return QStringLiteral("%1:%2").arg(host).arg(server()->port());
}

QString BenchSession::serverUrl() const
{
    if (!isServing())
        return {};
    QHostAddress a = server()->address();
    // A wildcard bind is reached through loopback.
    if (a == QHostAddress::Any || a == QHostAddress::AnyIPv4)
        a = QHostAddress::LocalHost;
    else if (a == QHostAddress::AnyIPv6)
        a = QHostAddress::LocalHostIPv6;
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(a.toString())
                             : a.toString();
    return QStringLiteral("tcp://%1:%2").arg(host).arg(server()->port());
}

} // namespace rpcbench
