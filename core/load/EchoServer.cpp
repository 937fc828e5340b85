#include "load/EchoServer.h"

#include "wire/SocketWriter.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

namespace rpcbench {

namespace {
constexpr qint64 kMaxPendingBytes = 4 * 1024 * 1024;
} // namespace

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

qint64 EchoServer::maxPendingBytes()
{
    return kMaxPendingBytes;
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
        // A peer that sends without reading must not grow our memory: cap Qt's read buffer
        // and stop reading while too much echo is still unsent (TCP then slows the peer).
        socket->setReadBufferSize(kMaxPendingBytes);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { echo(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { echo(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            --m_connections;
            socket->deleteLater();
        });
    }
}

void EchoServer::echo(QTcpSocket* socket)
{
    while (socket->bytesToWrite() < kMaxPendingBytes) {
        const qint64 available = socket->bytesAvailable();
        if (available <= 0)
            return;
        if (m_scratch.size() < available)
            m_scratch.resize(available);
        const qint64 got = socket->read(m_scratch.data(), available);
        if (got <= 0)
            return;
        m_bytes += quint64(got);
        // The same write path as the RPC server, so the baseline measures the same I/O.
        SocketWriter::write(socket, QByteArrayView(m_scratch.constData(), got));
        m_peakPending = std::max(m_peakPending, socket->bytesToWrite());
    }
}

} // namespace rpcbench
