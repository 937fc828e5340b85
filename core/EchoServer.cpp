#include "EchoServer.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace rpcbench {

EchoServer::EchoServer(QObject* parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &EchoServer::onNewConnection);
}

EchoServer::~EchoServer() = default;

bool EchoServer::listen(const QHostAddress& address, quint16 port)
{
    if (m_server->listen(address, port))
        return true;
    m_error = m_server->errorString();
    return false;
}

void EchoServer::close()
{
    m_server->close();
}

quint16 EchoServer::port() const
{
    return m_server->serverPort();
}

QHostAddress EchoServer::address() const
{
    return m_server->serverAddress();
}

void EchoServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        ++m_connections;
        socket->setParent(this);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const qint64 available = socket->bytesAvailable();
            if (m_scratch.size() < available)
                m_scratch.resize(available);
            const qint64 got = socket->read(m_scratch.data(), available);
            if (got <= 0)
                return;
            m_bytes += quint64(got);
            socket->write(m_scratch.constData(), got);
            socket->flush(); // send now rather than on the next write notification
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            --m_connections;
            socket->deleteLater();
        });
    }
}

} // namespace rpcbench
