#pragma once
// Raw TCP echo server: writes back every byte it receives, with no parsing. It is the
// physical baseline of `rpcbench bench --echo`: the same sockets, event loop and machine as
// the JSON-RPC server, minus everything JSON-RPC.

#include <QHostAddress>
#include <QObject>

class QTcpServer;
class QTcpSocket;

namespace rpcbench {

class EchoServer : public QObject
{
    Q_OBJECT
public:
    explicit EchoServer(QObject* parent = nullptr);
    ~EchoServer() override;

    // False with errorString() set when the address cannot be bound.
    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    quint16 port() const;
    QHostAddress address() const;
    QString errorString() const { return m_error; }
    int connectionCount() const { return m_connections; }
    quint64 bytesEchoed() const { return m_bytes; }
    // Most echo bytes ever waiting to be sent on one connection (bounded by back-pressure).
    qint64 peakPendingBytes() const { return m_peakPending; }
    static qint64 maxPendingBytes();

private:
    void onNewConnection();
    void echo(QTcpSocket* socket);

    QTcpServer* m_server;
    QByteArray m_scratch; // reused read buffer: no allocation per read
    int m_connections = 0;
    quint64 m_bytes = 0;
    qint64 m_peakPending = 0;
    QString m_error;
};

} // namespace rpcbench
