#include "wire/TcpChannel.h"

#include "wire/SocketWriter.h"

#include <QTcpSocket>

#include <utility>

#include <sys/socket.h>

namespace rpcbench {

TcpChannel::TcpChannel(QTcpSocket* accepted, QObject* parent) : ByteChannel(parent), m_socket(accepted)
{
    m_socket->setParent(this);
    // Small requests and replies: Nagle's algorithm would hold pipelined calls back.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connectSocket();
    // Bytes may already be waiting (the peer wrote before we accepted); announce them once the
    // new owner has connected to readyRead.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ByteChannel::readyRead, Qt::QueuedConnection);
}

TcpChannel::TcpChannel(const QString& host, quint16 port, QObject* parent)
    : ByteChannel(parent), m_socket(new QTcpSocket(this)), m_host(host), m_port(port)
{
    connectSocket();
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_everConnected = true;
        emit connected();
    });
}

TcpChannel::~TcpChannel()
{
    // The socket dies with us and aborts on the way: nothing of that reaches a half-destroyed
    // channel or its owner.
    QObject::disconnect(m_socket, nullptr, this, nullptr);
}

void TcpChannel::connectSocket()
{
    connect(m_socket, &QTcpSocket::readyRead, this, &ByteChannel::readyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ByteChannel::bytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { emitClosed(QStringLiteral("connection closed")); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, &TcpChannel::onSocketError);
}

void TcpChannel::open()
{
    if (m_host.isEmpty() || m_socket->state() != QAbstractSocket::UnconnectedState)
        return;
    m_closeReported = false;
    m_socket->connectToHost(m_host, m_port);
}

bool TcpChannel::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 TcpChannel::bytesAvailable() const
{
    return m_socket->bytesAvailable();
}

qint64 TcpChannel::read(char* data, qint64 maxSize)
{
    return m_socket->read(data, maxSize);
}

QByteArray TcpChannel::readAll()
{
    return m_socket->readAll();
}

qint64 TcpChannel::skip(qint64 maxSize)
{
    return m_socket->skip(maxSize);
}

void TcpChannel::setReadBufferSize(qint64 size)
{
    m_socket->setReadBufferSize(size);
}

void TcpChannel::write(QByteArrayView bytes)
{
    SocketWriter::write(m_socket, bytes);
}

qint64 TcpChannel::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void TcpChannel::closeWrite()
{
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void TcpChannel::close()
{
    m_socket->disconnectFromHost();
}

void TcpChannel::abort()
{
    m_socket->abort();
}

QString TcpChannel::peerDescription() const
{
    QString host = m_socket->peerAddress().toString();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return host + u':' + QString::number(m_socket->peerPort());
}

// A peer that hangs up is not a failure: closed() alone reports it (Qt says
// RemoteHostClosedError before disconnected()). An error that leaves the socket unconnected
// without disconnected() (a refused connect, a reset) ends the channel too.
void TcpChannel::onSocketError(QAbstractSocket::SocketError error)
{
    const bool peerClosed = error == QAbstractSocket::RemoteHostClosedError;
    QString reason = describeError(error, m_socket->errorString());
    // A client that never got connected says which step failed: name resolution or connect.
    if (!m_host.isEmpty() && !m_everConnected) {
        reason = error == QAbstractSocket::HostNotFoundError
                     ? QStringLiteral("name resolution of '%1' failed: %2").arg(m_host, reason)
                     : QStringLiteral("connect to %1:%2 failed: %3").arg(m_host).arg(m_port).arg(reason);
    }
    if (!peerClosed)
        emit errorOccurred(reason);
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        emitClosed(reason);
}

void TcpChannel::emitClosed(const QString& reason)
{
    if (std::exchange(m_closeReported, true))
        return;
    emit closed(reason);
}

QString TcpChannel::describeError(QAbstractSocket::SocketError error, const QString& fallback)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("connection closed by peer");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("host not found");
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("socket timeout");
    case QAbstractSocket::NetworkError:
        return QStringLiteral("network error: ") + fallback.toLower();
    default:
        return fallback.isEmpty() ? QStringLiteral("socket error %1").arg(int(error)) : fallback.toLower();
    }
}

} // namespace rpcbench
