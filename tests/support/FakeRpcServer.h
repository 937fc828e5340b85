#pragma once
// Test helper: a scriptable JSON-RPC peer on 127.0.0.1 (port 0) for client tests. It records
// every message it receives and answers through `onMessage` (default: a JSON-RPC 2.0 echo of
// the params), so a test can hold replies, reorder them, drop some, send garbage, or close.
// Framing: JSON stream (a value per message), or HTTP/1.1 (a POST body per message).

#include "wire/HttpRequestParser.h"
#include "wire/HttpWriter.h"
#include "wire/JsonStreamFramer.h"

#include "FrameCollector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <memory>

// No Q_OBJECT (AUTOMOC does not see headers outside the test's own sources): tests wait on
// `received` with QTRY_* instead of a signal.
class FakeRpcServer : public QObject
{
public:
    enum class Framing { JsonStream, Http };

    struct Message
    {
        QPointer<QTcpSocket> socket;
        QByteArray raw;  // payload as received (no framing)
        QJsonValue json; // parsed payload (Undefined when not JSON)
        QJsonObject object() const { return json.toObject(); }
    };

    explicit FakeRpcServer(Framing framing = Framing::JsonStream) : m_framing(framing)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &FakeRpcServer::onNewConnection);
        onMessage = [this](const Message& m) { echo(m); };
    }

    bool listen(quint16 port = 0)
    {
        if (!m_server.listen(QHostAddress::LocalHost, port))
            return false;
        m_port = m_server.serverPort();
        return true;
    }
    quint16 port() const { return m_port; }
    QString url() const
    {
        const QString scheme = m_framing == Framing::Http ? QStringLiteral("http") : QStringLiteral("tcp");
        return QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_port);
    }

    // Stops listening and drops every connection (the "server went away" case).
    void shutdown()
    {
        m_server.close();
        closeConnections();
    }
    void closeConnections()
    {
        const auto sockets = m_sockets;
        for (QTcpSocket* s : sockets)
            if (s)
                s->abort();
    }

    void write(QTcpSocket* socket, const QByteArray& payload, int httpStatus = 200)
    {
        if (!socket)
            return;
        if (m_framing == Framing::Http)
            socket->write(rpcbench::buildHttpResponse(httpStatus, payload, !closeAfterReply,
                                                      httpStatus == 200 ? "application/json" : "text/plain"));
        else
            socket->write(payload + (rawReplies ? QByteArray() : QByteArray("\n")));
        if (closeAfterReply)
            socket->disconnectFromHost();
    }
    void reply(const Message& to, const QJsonValue& value) { write(to.socket, toJson(value)); }

    // JSON-RPC 2.0 success reply to `to` echoing its params.
    void echo(const Message& m)
    {
        const QJsonObject req = m.object();
        if (!req.contains(QLatin1String("id")))
            return;
        const QJsonValue params = req.value("params");
        reply(m, QJsonObject{{"jsonrpc", "2.0"},
                             {"id", req.value("id")},
                             {"result", params.isUndefined() ? QJsonValue(QJsonValue::Null) : params}});
    }

    static QByteArray toJson(const QJsonValue& v)
    {
        return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    }

    std::function<void(const Message&)> onMessage;
    QList<Message> received;
    int connectionsAccepted = 0;
    QList<QByteArray> bytesPerConnection; // everything received, by connection (accept order)
    bool closeAfterReply = false;         // the classic server's behaviour
    bool rawReplies = false;              // no newline after a JSON-stream reply

private:
    struct Peer
    {
        rpcbench::JsonStreamFramer json;
        rpcbench::HttpRequestParser http;
    };

    void onNewConnection()
    {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            const int index = connectionsAccepted++;
            bytesPerConnection.append(QByteArray());
            m_sockets.append(s);
            auto peer = std::make_shared<Peer>();
            connect(s, &QTcpSocket::readyRead, this,
                    [this, s, peer, index] { onReadyRead(s, *peer, index); });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    }

    void onReadyRead(QTcpSocket* s, Peer& peer, int index)
    {
        const QByteArray data = s->readAll();
        bytesPerConnection[index] += data;
        QList<QByteArray> payloads;
        if (m_framing == Framing::Http) {
            rpcbench::test::FrameCollector frames;
            peer.http.feed(data, frames);
            if (const QByteArray interim = peer.http.takeInterimReply(); !interim.isEmpty())
                s->write(interim);
            payloads = frames.payloads; // the request bodies
        } else {
            rpcbench::test::FrameCollector frames;
            peer.json.feed(data, frames);
            payloads = frames.payloads;
        }
        for (const QByteArray& p : payloads) {
            const QJsonDocument doc = QJsonDocument::fromJson(p);
            Message m{s, p,
                      doc.isArray()    ? QJsonValue(doc.array())
                      : doc.isObject() ? QJsonValue(doc.object())
                                       : QJsonValue(QJsonValue::Undefined)};
            received.append(m);
            if (onMessage)
                onMessage(m);
        }
    }

    Framing m_framing;
    QTcpServer m_server;
    quint16 m_port = 0;
    QList<QPointer<QTcpSocket>> m_sockets;
};
