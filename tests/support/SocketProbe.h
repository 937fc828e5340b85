#pragma once
// Test helper: a raw TCP peer on 127.0.0.1 that records everything it receives, so tests
// can speak any framing byte by byte and wait on conditions (never on fixed sleeps).

#include <QByteArray>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <functional>

class SocketProbe
{
public:
    SocketProbe()
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
    }

    bool connectTo(quint16 port, int timeoutMs = 5000)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               timeoutMs);
    }

    void send(const QByteArray& bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Sends the bytes in pieces of `chunk` bytes, letting the event loop run between them.
    void sendInChunks(const QByteArray& bytes, qsizetype chunk)
    {
        for (qsizetype i = 0; i < bytes.size(); i += chunk) {
            send(bytes.mid(i, chunk));
            QTest::qWait(0);
        }
    }

    bool waitFor(const std::function<bool()>& condition, int timeoutMs = 5000)
    {
        return QTest::qWaitFor(condition, timeoutMs);
    }

    // Waits for `count` newline-terminated lines and returns them parsed as JSON.
    QList<QJsonValue> waitForJsonLines(int count, int timeoutMs = 5000)
    {
        waitFor([&] { return m_received.count('\n') >= count; }, timeoutMs);
        QList<QJsonValue> out;
        for (const QByteArray& line : m_received.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            out << (doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        }
        return out;
    }

    bool waitForClose(int timeoutMs = 5000)
    {
        return waitFor([this] { return m_closed; }, timeoutMs);
    }

    QByteArray& received() { return m_received; }
    bool isClosed() const { return m_closed; }
    QTcpSocket& socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};
