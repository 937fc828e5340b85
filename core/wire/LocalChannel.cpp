#include "wire/LocalChannel.h"

#include <QTimer>

#include <utility>

#include <sys/socket.h>

namespace rpcbench {

LocalChannel::LocalChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_socket(new QLocalSocket(this)), m_path(endpoint.socketPath), m_client(true)
{
    connectSocket();
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        m_connected = true;
        emit connected();
    });
}

LocalChannel::LocalChannel(QLocalSocket* accepted, const QString& path, QObject* parent)
    : ByteChannel(parent), m_socket(accepted), m_path(path), m_connected(true)
{
    m_socket->setParent(this);
#ifdef SO_PEERCRED
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (::getsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
        m_peerPid = QStringLiteral(" (pid %1)").arg(cred.pid);
#endif
    connectSocket();
    // Bytes may already be waiting; announce them once the new owner is connected.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ByteChannel::readyRead, Qt::QueuedConnection);
}

LocalChannel::~LocalChannel()
{
    QObject::disconnect(m_socket, nullptr, this, nullptr);
}

void LocalChannel::connectSocket()
{
    connect(m_socket, &QLocalSocket::readyRead, this, &ByteChannel::readyRead);
    connect(m_socket, &QLocalSocket::bytesWritten, this, &ByteChannel::bytesWritten);
    connect(m_socket, &QLocalSocket::disconnected, this,
            [this] { emitClosed(QStringLiteral("connection closed")); });
    connect(m_socket, &QLocalSocket::errorOccurred, this, &LocalChannel::onSocketError);
    // A failed connect leaves the socket unconnected without disconnected(), and Qt changes
    // the state only after errorOccurred(): end the channel there.
    connect(m_socket, &QLocalSocket::stateChanged, this, [this](QLocalSocket::LocalSocketState state) {
        if (state == QLocalSocket::UnconnectedState && !m_lastError.isEmpty())
            emitClosed(m_lastError);
    });
}

void LocalChannel::open()
{
    if (!m_client || m_socket->state() != QLocalSocket::UnconnectedState)
        return;
    m_closeReported = false;
    m_connected = false;
    m_lastError.clear();
    // QLocalSocket connects (and fails) from inside connectToServer(); the contract wants
    // connected() and errors from the event loop, so the caller never sees them re-entrantly.
    QTimer::singleShot(0, this, [this] {
        if (m_socket->state() == QLocalSocket::UnconnectedState && !m_closeReported)
            m_socket->connectToServer(m_path);
    });
}

bool LocalChannel::isOpen() const
{
    return m_socket->state() == QLocalSocket::ConnectedState;
}

qint64 LocalChannel::bytesAvailable() const
{
    return m_socket->bytesAvailable();
}

qint64 LocalChannel::read(char* data, qint64 maxSize)
{
    return m_socket->read(data, maxSize);
}

QByteArray LocalChannel::readAll()
{
    return m_socket->readAll();
}

qint64 LocalChannel::skip(qint64 maxSize)
{
    return m_socket->skip(maxSize);
}

void LocalChannel::setReadBufferSize(qint64 size)
{
    m_socket->setReadBufferSize(size);
}

void LocalChannel::write(QByteArrayView bytes)
{
    m_socket->write(bytes.data(), bytes.size());
}

qint64 LocalChannel::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void LocalChannel::closeWrite()
{
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void LocalChannel::close()
{
    if (m_socket->state() == QLocalSocket::UnconnectedState) {
        emitClosed(QStringLiteral("closed"));
        return;
    }
    m_socket->disconnectFromServer();
}

void LocalChannel::abort()
{
    const bool wasOpen = m_socket->state() != QLocalSocket::UnconnectedState;
    m_socket->abort();
    if (wasOpen)
        emitClosed(QStringLiteral("aborted"));
}

QString LocalChannel::peerDescription() const
{
    return QStringLiteral("unix:") + m_path + m_peerPid;
}

void LocalChannel::onSocketError(QLocalSocket::LocalSocketError error)
{
    const bool peerClosed = error == QLocalSocket::PeerClosedError;
    QString reason = describeError(error, m_socket->errorString());
    if (!m_connected)
        reason = QStringLiteral("connect to unix:%1 failed: %2").arg(m_path, reason);
    m_lastError = reason;
    if (!peerClosed)
        emit errorOccurred(reason);
    if (m_socket->state() == QLocalSocket::UnconnectedState)
        emitClosed(reason);
}

void LocalChannel::emitClosed(const QString& reason)
{
    if (std::exchange(m_closeReported, true))
        return;
    emit closed(reason);
}

QString LocalChannel::describeError(QLocalSocket::LocalSocketError error, const QString& fallback)
{
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
        return QStringLiteral("no such socket");
    case QLocalSocket::SocketAccessError:
        return QStringLiteral("permission denied");
    case QLocalSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused (nothing is listening)");
    case QLocalSocket::PeerClosedError:
        return QStringLiteral("connection closed by peer");
    case QLocalSocket::SocketTimeoutError:
        return QStringLiteral("socket timeout");
    default:
        return fallback.isEmpty() ? QStringLiteral("socket error %1").arg(int(error)) : fallback.toLower();
    }
}

} // namespace rpcbench
