#include "client/ClientConnection.h"

#include "wire/HttpMessage.h"

#include <QTcpSocket>

namespace rpcbench {

namespace {
// The client accepts bigger messages than the server: a user may ask for a huge blob.
constexpr qsizetype kMaxReplyBytes = 256 * 1024 * 1024;
} // namespace

ClientConnection::ClientConnection(const Endpoint& endpoint, quint64 connectionId, bool rawJson,
                                   QObject* parent)
    : QObject(parent), m_endpoint(endpoint), m_id(connectionId), m_rawJson(rawJson),
      m_socket(new QTcpSocket(this)), m_jsonFramer(kMaxReplyBytes), m_lspFramer(kMaxReplyBytes),
      m_httpParser(kMaxReplyBytes)
{
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        // Small requests and replies: do not let Nagle delay pipelined calls.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        emit connected();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &ClientConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ClientConnection::onError);
}

ClientConnection::~ClientConnection()
{
    m_done = true; // no signals from a dying object
    m_socket->abort();
}

void ClientConnection::open()
{
    if (m_socket->state() == QAbstractSocket::UnconnectedState && !m_done)
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

bool ClientConnection::isConnected() const
{
    return !m_done && m_socket->state() == QAbstractSocket::ConnectedState;
}

void ClientConnection::send(const QByteArray& payload)
{
    switch (m_endpoint.transport) {
    case Transport::JsonStream:
        m_socket->write(m_rawJson ? payload : JsonStreamFramer::frame(payload));
        break;
    case Transport::Lsp:
        m_socket->write(LspFramer::frame(payload));
        break;
    case Transport::Http:
        m_socket->write(buildHttpPost(m_endpoint.authority().toUtf8(), m_endpoint.path.toUtf8(), payload));
        break;
    }
}

void ClientConnection::abort()
{
    m_done = true;
    m_socket->abort();
}

void ClientConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (m_done || data.isEmpty())
        return;
    QList<QByteArray> payloads;
    switch (m_endpoint.transport) {
    case Transport::JsonStream:
        if (m_jsonFramer.feed(data, payloads) != JsonStreamFramer::Status::Ok)
            return fail(QStringLiteral("malformed reply: message larger than %1 bytes").arg(kMaxReplyBytes));
        break;
    case Transport::Lsp:
        if (m_lspFramer.feed(data, payloads) != LspFramer::Status::Ok)
            return fail(QStringLiteral("malformed reply: ") + m_lspFramer.errorString());
        break;
    case Transport::Http: {
        QList<HttpResponse> responses;
        const auto status = m_httpParser.feed(data, responses);
        // Deliver what was complete before a parse error; a receiver may destroy us, so
        // check m_done after every emission.
        for (const HttpResponse& r : responses) {
            if (m_done)
                return;
            emit received(r.body, r.status, r.reason);
        }
        if (!m_done && status != HttpResponseParser::Status::Ok)
            fail(QStringLiteral("malformed HTTP reply: ") + m_httpParser.errorString());
        return;
    }
    }
    for (const QByteArray& p : payloads) {
        if (m_done)
            return;
        emit received(p, 0, {});
    }
}

void ClientConnection::onDisconnected()
{
    if (m_done)
        return;
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
    if (m_done)
        return;
    if (m_endpoint.transport == Transport::Http) {
        // A response without Content-Length ends with the connection.
        QList<HttpResponse> responses;
        m_httpParser.finish(responses);
        for (const HttpResponse& r : responses) {
            if (m_done)
                return;
            emit received(r.body, r.status, r.reason);
        }
    }
    fail(QStringLiteral("connection closed by server"));
}

void ClientConnection::onError(QAbstractSocket::SocketError error)
{
    if (m_done)
        return;
    if (error == QAbstractSocket::RemoteHostClosedError) {
        // disconnected() follows (or already came) and reports it, after draining HTTP.
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
        return;
    }
    fail(describeSocketError(error, m_socket->errorString()));
}

void ClientConnection::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    m_socket->abort();
    emit closed(reason);
}

QString ClientConnection::describeSocketError(QAbstractSocket::SocketError error, const QString& fallback)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("connection closed by server");
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
