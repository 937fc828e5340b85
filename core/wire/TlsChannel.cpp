#include "wire/TlsChannel.h"

#include "wire/TcpChannel.h"
#include "wire/TlsConfig.h"

#include <QSslSocket>
#include <QTimer>

#include <utility>

namespace rpcbench {

namespace {

// What OpenSSL's text means for a user: "wrong version number" and the like are what a peer
// that answers without TLS (a plain TCP or HTTP server) produces.
QString handshakeFailureReason(QAbstractSocket::SocketError error, const QString& qtText)
{
    if (error == QAbstractSocket::RemoteHostClosedError)
        return QStringLiteral("the peer closed the connection during the handshake (does it speak TLS?)");
    const QString text = qtText.toLower();
    for (const char* plain : {"wrong version number", "packet length too long", "http request"}) {
        if (text.contains(QLatin1String(plain)))
            return QStringLiteral("the peer does not speak TLS (%1)").arg(QLatin1String(plain));
    }
    return text;
}

} // namespace

TlsChannel::TlsChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_socket(new QSslSocket(this)), m_endpoint(endpoint), m_client(true)
{
    connectSocket();
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
        m_sslErrors = errors; // reported when Qt then fails the handshake
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_encrypted = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        emit connected();
    });
}

TlsChannel::TlsChannel(QSslSocket* accepted, QObject* parent)
    : ByteChannel(parent), m_socket(accepted), m_encrypted(true)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connectSocket();
    // Bytes may have arrived with the end of the handshake, before we took the socket over.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ByteChannel::readyRead, Qt::QueuedConnection);
}

TlsChannel::~TlsChannel()
{
    // The socket dies with us and aborts on the way: nothing of that reaches a half-destroyed
    // channel or its owner.
    QObject::disconnect(m_socket, nullptr, this, nullptr);
}

void TlsChannel::connectSocket()
{
    connect(m_socket, &QSslSocket::readyRead, this, &ByteChannel::readyRead);
    connect(m_socket, &QSslSocket::bytesWritten, this, &ByteChannel::bytesWritten);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (!m_encrypted && m_client)
            fail(describeTlsFailure(handshakeFailureReason(QAbstractSocket::RemoteHostClosedError, {}),
                                    m_endpoint.authority()));
        emitClosed(QStringLiteral("connection closed"));
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, &TlsChannel::onSocketError);
}

void TlsChannel::open()
{
    if (!m_client || m_socket->state() != QAbstractSocket::UnconnectedState)
        return;
    m_closeReported = false;
    m_encrypted = false;
    m_sslErrors.clear();
    m_failReason.clear();
    QString error;
    const QSslConfiguration config = clientTlsConfiguration(m_endpoint.options, &error);
    if (config.isNull()) {
        // Reported from the event loop, like every other connect failure.
        QTimer::singleShot(0, this, [this, error] {
            fail(error);
            emitClosed(error);
        });
        return;
    }
    m_socket->setSslConfiguration(config);
    m_socket->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
}

bool TlsChannel::isOpen() const
{
    return m_encrypted && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 TlsChannel::bytesAvailable() const
{
    return m_socket->bytesAvailable();
}

qint64 TlsChannel::read(char* data, qint64 maxSize)
{
    return m_socket->read(data, maxSize);
}

QByteArray TlsChannel::readAll()
{
    return m_socket->readAll();
}

qint64 TlsChannel::skip(qint64 maxSize)
{
    return m_socket->skip(maxSize);
}

void TlsChannel::setReadBufferSize(qint64 size)
{
    m_socket->setReadBufferSize(size);
}

void TlsChannel::write(QByteArrayView bytes)
{
    m_socket->write(bytes.data(), bytes.size());
}

qint64 TlsChannel::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

// TLS has no half-close in Qt: close_notify and close, after what is queued has gone.
void TlsChannel::closeWrite()
{
    m_socket->disconnectFromHost();
}

void TlsChannel::close()
{
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        emitClosed(QStringLiteral("closed"));
        return;
    }
    m_socket->disconnectFromHost();
}

void TlsChannel::abort()
{
    const bool wasOpen = m_socket->state() != QAbstractSocket::UnconnectedState;
    m_socket->abort();
    if (wasOpen)
        emitClosed(QStringLiteral("aborted"));
}

QString TlsChannel::peerDescription() const
{
    if (m_socket->peerAddress().isNull())
        return m_endpoint.authority();
    QString host = m_socket->peerAddress().toString();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return host + u':' + QString::number(m_socket->peerPort());
}

// As in TcpChannel, a peer that hangs up after the handshake is no failure. Before the
// handshake finished, every error is a handshake failure and says so.
void TlsChannel::onSocketError(QAbstractSocket::SocketError error)
{
    const QString peer = m_client ? m_endpoint.authority() : peerDescription();
    QString reason;
    if (error == QAbstractSocket::SslHandshakeFailedError && !m_sslErrors.isEmpty())
        reason = describeTlsErrors(m_sslErrors, peer);
    else if (!m_encrypted &&
             (error == QAbstractSocket::SslHandshakeFailedError ||
              error == QAbstractSocket::RemoteHostClosedError || error == QAbstractSocket::SslInternalError))
        reason = describeTlsFailure(handshakeFailureReason(error, m_socket->errorString()), peer);
    else
        reason = TcpChannel::describeError(error, m_socket->errorString());
    if (error != QAbstractSocket::RemoteHostClosedError || !m_encrypted)
        fail(reason);
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        emitClosed(reason);
}

// One errorOccurred() per connection: Qt may follow a handshake error with a disconnect.
void TlsChannel::fail(const QString& reason)
{
    if (m_closeReported || !m_failReason.isEmpty())
        return;
    m_failReason = reason;
    emit errorOccurred(reason);
}

void TlsChannel::emitClosed(const QString& reason)
{
    if (std::exchange(m_closeReported, true))
        return;
    emit closed(m_failReason.isEmpty() ? reason : m_failReason);
}

} // namespace rpcbench
