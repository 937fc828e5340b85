#pragma once
// Test helper: a raw HTTP/1.1 server on 127.0.0.1 (QTcpServer, port 0) that records every
// request exactly as it arrived (head lines in order, body) and answers with the bytes a
// callback returns, so tests can check what a client sends and script odd answers (event
// streams, session headers, 405). Keep-alive: several requests per connection.

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

class RawHttpServer : public QObject
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers; // in order, as sent
        QByteArray body;
        int connection = 0; // 1-based connection number

        QList<QByteArray> values(QByteArrayView name) const
        {
            QList<QByteArray> out;
            for (const auto& [n, v] : headers)
                if (n.compare(name, Qt::CaseInsensitive) == 0)
                    out << v;
            return out;
        }
        QByteArray value(QByteArrayView name) const { return values(name).value(0); }
        QJsonValue jsonId() const
        {
            return QJsonDocument::fromJson(body).object().value(QLatin1String("id"));
        }
    };

    // Returns the raw response bytes for a request (empty: answer nothing).
    std::function<QByteArray(const Request&)> respond = [](const Request& r) { return jsonReply(r, "1"); };
    QList<Request> requests;

    RawHttpServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                const int number = ++m_connections;
                connect(s, &QTcpSocket::readyRead, this, [this, s, number] { onRead(s, number); });
                connect(s, &QTcpSocket::disconnected, this, [this, s] { m_buffers.remove(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString& path = QStringLiteral("/rpc")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }

    static QByteArray response(const QByteArray& status, const QByteArray& headers, const QByteArray& body)
    {
        return "HTTP/1.1 " + status + "\r\n" + headers +
               "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    // A JSON-RPC 2.0 result for the request's id.
    static QByteArray jsonReply(const Request& r, const QByteArray& resultJson,
                                const QByteArray& headers = {})
    {
        const QByteArray id = QJsonDocument(QJsonObject{{"id", r.jsonId()}}).toJson(QJsonDocument::Compact);
        // {"id":N} -> {"jsonrpc":"2.0","id":N,"result":...}
        const QByteArray body =
            "{\"jsonrpc\":\"2.0\"," + id.mid(1, id.size() - 2) + ",\"result\":" + resultJson + "}";
        return response("200 OK", "Content-Type: application/json\r\n" + headers, body);
    }
    // A chunked event-stream response carrying `events` (each "data: ...\n\n" already).
    static QByteArray eventStream(const QList<QByteArray>& events, const QByteArray& headers = {})
    {
        QByteArray out =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n" + headers +
            "\r\n";
        for (const QByteArray& e : events)
            out += QByteArray::number(e.size(), 16) + "\r\n" + e + "\r\n";
        return out + "0\r\n\r\n";
    }

private:
    void onRead(QTcpSocket* s, int connection)
    {
        QByteArray& buf = m_buffers[s];
        buf += s->readAll();
        while (true) {
            const qsizetype headEnd = buf.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            Request r;
            r.connection = connection;
            const QList<QByteArray> lines = buf.left(headEnd).split('\n');
            const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
            r.method = start.value(0);
            r.target = start.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                r.headers.append({lines[i].left(colon), lines[i].mid(colon + 1).trimmed()});
            }
            const qsizetype length = r.value("Content-Length").toLongLong();
            if (buf.size() < headEnd + 4 + length)
                return;
            r.body = buf.mid(headEnd + 4, length);
            buf.remove(0, headEnd + 4 + length);
            requests << r;
            const QByteArray answer = respond(r);
            if (!answer.isEmpty())
                s->write(answer);
        }
    }

    // Declared before the server: its sockets (children) still signal while it is destroyed.
    QHash<QTcpSocket*, QByteArray> m_buffers;
    int m_connections = 0;
    QTcpServer m_server;
};
