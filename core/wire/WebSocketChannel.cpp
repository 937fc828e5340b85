#include "wire/WebSocketChannel.h"

#include "wire/TlsConfig.h"

#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <cstring>

namespace rpcbench {

namespace {

QString closeCodeName(int code)
{
    switch (code) {
    case 1000:
        return QStringLiteral("normal closure");
    case 1001:
        return QStringLiteral("going away");
    case 1002:
        return QStringLiteral("protocol error");
    case 1003:
        return QStringLiteral("unsupported data");
    case 1005:
        return QStringLiteral("no status");
    case 1006:
        return QStringLiteral("abnormal closure");
    case 1007:
        return QStringLiteral("invalid payload");
    case 1008:
        return QStringLiteral("policy violation");
    case 1009:
        return QStringLiteral("message too big");
    case 1010:
        return QStringLiteral("missing extension");
    case 1011:
        return QStringLiteral("internal error");
    case 1012:
        return QStringLiteral("service restart");
    case 1013:
        return QStringLiteral("try again later");
    case 1015:
        return QStringLiteral("TLS handshake failed");
    default:
        return {};
    }
}

} // namespace

WebSocketChannel::WebSocketChannel(const Endpoint& endpoint, QObject* parent)
    : ByteChannel(parent), m_endpoint(endpoint)
{
    m_socket.setParent(this);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_wasConnected = true;
        emit connected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString& message) { enqueue(message.toUtf8()); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &WebSocketChannel::enqueue);
    connect(&m_socket, &QWebSocket::bytesWritten, this, &ByteChannel::bytesWritten);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &WebSocketChannel::onError);
    connect(&m_socket, &QWebSocket::sslErrors, this, &WebSocketChannel::onSslErrors);
    connect(&m_socket, &QWebSocket::disconnected, this, &WebSocketChannel::onDisconnected);
}

WebSocketChannel::~WebSocketChannel()
{
    disconnect(&m_socket, nullptr, this, nullptr); // no signals from a half-destroyed channel
}

QString WebSocketChannel::url() const
{
    return m_endpoint.toString();
}

void WebSocketChannel::open()
{
    if (m_opened)
        return;
    m_opened = true;
    const QUrl target(url());
    QNetworkRequest request(target);
    for (const auto& [name, value] : m_endpoint.options.requestHeaders())
        request.setRawHeader(name, value);
    if (m_endpoint.tls) {
        QString error;
        const QSslConfiguration tls = clientTlsConfiguration(m_endpoint.options, &error);
        if (tls.isNull()) {
            // Reported from the event loop: a caller connecting after open() still hears it.
            QTimer::singleShot(0, this, [this, error] { fail(error); });
            return;
        }
        m_socket.setSslConfiguration(tls);
    }
    // A user limit on replies also bounds what QWebSocket assembles for us.
    if (m_endpoint.options.maxReplyBytes > 0)
        m_socket.setMaxAllowedIncomingMessageSize(quint64(m_endpoint.options.maxReplyBytes));
    m_socket.open(request);
}

bool WebSocketChannel::isOpen() const
{
    return !m_closed && m_socket.state() == QAbstractSocket::ConnectedState;
}

void WebSocketChannel::enqueue(QByteArray message)
{
    m_queuedBytes += message.size();
    m_queue.push_back(std::move(message));
    emit readyRead();
}

QByteArray WebSocketChannel::readMessage()
{
    if (m_queue.empty())
        return {};
    QByteArray message = std::move(m_queue.front());
    m_queue.pop_front();
    if (m_frontOffset > 0) // a stream reader took its start already
        message.remove(0, std::exchange(m_frontOffset, 0));
    m_queuedBytes -= message.size();
    return message;
}

qint64 WebSocketChannel::read(char* data, qint64 maxSize)
{
    qint64 done = 0;
    while (done < maxSize && !m_queue.empty()) {
        const QByteArray& front = m_queue.front();
        const qint64 n = qMin<qint64>(maxSize - done, front.size() - m_frontOffset);
        if (data)
            std::memcpy(data + done, front.constData() + m_frontOffset, size_t(n));
        done += n;
        m_frontOffset += n;
        if (m_frontOffset == front.size()) {
            m_queue.pop_front();
            m_frontOffset = 0;
        }
    }
    m_queuedBytes -= done;
    return done;
}

qint64 WebSocketChannel::skip(qint64 maxSize)
{
    return read(nullptr, maxSize);
}

void WebSocketChannel::setReadBufferSize(qint64 size)
{
    m_socket.setReadBufferSize(size);
}

void WebSocketChannel::write(QByteArrayView bytes)
{
    // JSON-RPC over WebSocket is text; rpcbench's messages are UTF-8 JSON.
    m_socket.sendTextMessage(QString::fromUtf8(bytes));
}

qint64 WebSocketChannel::bytesToWrite() const
{
    return m_socket.bytesToWrite();
}

void WebSocketChannel::closeWrite()
{
    close();
}

// The closing handshake is the linger: QWebSocket sends the close frame, waits for the
// server's and then disconnects; closed() follows from disconnected().
void WebSocketChannel::close()
{
    if (m_closed)
        return;
    m_weClosed = true;
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        finish(m_failure.isEmpty() ? QStringLiteral("closed") : m_failure);
        return;
    }
    m_socket.close(QWebSocketProtocol::CloseCodeNormal);
}

void WebSocketChannel::abort()
{
    if (m_closed)
        return;
    m_weClosed = true;
    m_socket.abort();
    finish(m_failure.isEmpty() ? QStringLiteral("aborted") : m_failure);
}

QString WebSocketChannel::peerDescription() const
{
    return m_endpoint.toString();
}

QString WebSocketChannel::describeClose(int code, const QString& reason)
{
    QString text = QStringLiteral("code %1").arg(code);
    if (const QString name = closeCodeName(code); !name.isEmpty())
        text += QStringLiteral(" (%1)").arg(name);
    if (!reason.isEmpty())
        text += QStringLiteral(" reason '%1'").arg(reason);
    return text;
}

void WebSocketChannel::onError(QAbstractSocket::SocketError error)
{
    if (!m_failure.isEmpty() || m_closed)
        return;
    const QString text = m_socket.errorString();
    // QWebSocket refuses a non-101 answer with "... Unhandled http status code: 403 (Forbidden)."
    static const QRegularExpression status(QStringLiteral("status code: (\\d+) \\(([^)]*)\\)"));
    if (const auto m = status.match(text); m.hasMatch()) {
        QString line = QStringLiteral("WebSocket upgrade to %1 refused: HTTP %2 %3")
                           .arg(url(), m.captured(1), m.captured(2));
        const int code = m.captured(1).toInt();
        if (code == 401 || code == 403)
            line += QStringLiteral(" (authentication)");
        fail(line);
        return;
    }
    if (error == QAbstractSocket::RemoteHostClosedError &&
        m_socket.state() == QAbstractSocket::ConnectedState)
        return; // an orderly end is reported by disconnected()
    QString reason = text;
    if (error == QAbstractSocket::ConnectionRefusedError)
        reason = QStringLiteral("connection refused");
    else if (error == QAbstractSocket::HostNotFoundError)
        reason = QStringLiteral("host %1 not found").arg(m_endpoint.host);
    else if (error == QAbstractSocket::SocketTimeoutError)
        reason = QStringLiteral("timed out");
    fail(QStringLiteral("WebSocket connection to %1 failed: %2").arg(url(), reason));
}

void WebSocketChannel::onSslErrors(const QList<QSslError>& errors)
{
    if (m_endpoint.options.insecure) {
        m_socket.ignoreSslErrors();
        return;
    }
    fail(describeTlsErrors(errors, m_endpoint.authority()));
}

void WebSocketChannel::fail(const QString& reason)
{
    if (!m_failure.isEmpty() || m_closed)
        return;
    m_failure = reason;
    emit errorOccurred(reason);
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        finish(reason);
    else
        m_socket.abort(); // disconnected() follows and reports the failure
}

void WebSocketChannel::onDisconnected()
{
    // A connect that failed (refused, no such host) may end before its error() is emitted.
    if (!m_wasConnected && m_failure.isEmpty() && !m_weClosed) {
        onError(m_socket.error());
        if (m_failure.isEmpty())
            fail(QStringLiteral("WebSocket connection to %1 failed: %2").arg(url(), m_socket.errorString()));
    }
    if (!m_failure.isEmpty()) {
        finish(m_failure);
        return;
    }
    if (m_weClosed) {
        finish(QStringLiteral("closed"));
        return;
    }
    const int code = m_socket.closeCode();
    // QWebSocket itself closes with 1009 when a message passes the limit set in open(); that is
    // our limit, not the server's doing. (Qt gives no other way to tell its close from the
    // server's than its own reason text.)
    const QString reason = m_socket.closeReason();
    if (code == QWebSocketProtocol::CloseCodeTooMuchData &&
        (reason == QLatin1String("Received message is too big.") ||
         reason == QLatin1String("Maximum framesize exceeded."))) {
        fail(QStringLiteral("reply larger than the limit of %1 bytes (--max-reply-bytes)")
                 .arg(m_endpoint.options.maxReplyBytes));
        return;
    }
    finish(QStringLiteral("closed by server: ") + describeClose(code, m_socket.closeReason()));
}

void WebSocketChannel::finish(const QString& reason)
{
    if (std::exchange(m_closed, true))
        return;
    emit closed(reason);
}

} // namespace rpcbench
