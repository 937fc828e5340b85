#pragma once
// The engine behind the window: the method registry (demo service included), the traffic bus
// both sides publish to, the embedded server (which runs on its own worker thread) and the
// client, moved to a worker thread of its own. Widgets get everything from here, so the main
// window only arranges panels.

#include <QObject>
#include <QThread>

#include <memory>

namespace rpcbench {

class MethodRegistry;
class RpcClient;
class RpcServer;
class TrafficBus;

class BenchSession : public QObject
{
    Q_OBJECT
public:
    // How much lower than the GUI thread the embedded server's thread runs (nice steps).
    static constexpr int EmbeddedServerNice = 10;

    explicit BenchSession(QObject* parent = nullptr);
    ~BenchSession() override;

    std::shared_ptr<MethodRegistry> registry() const { return m_registry; }
    std::shared_ptr<TrafficBus> bus() const { return m_bus; }
    RpcServer* server() const { return m_server.get(); }
    RpcClient* client() const { return m_client; }

    // Starts the embedded server; false with a readable *error ("port 5000 is in use ...").
    bool startServer(const QString& bindAddress, quint16 port, QString* error);
    void stopServer();
    bool isServing() const;
    // Where the client reaches the embedded server ("tcp://127.0.0.1:5000"); empty when stopped.
    QString serverUrl() const;
    QString listeningAddress() const; // "127.0.0.1:5000" as bound

signals:
    void serverStateChanged(bool listening);

private:
    std::shared_ptr<MethodRegistry> m_registry;
    std::shared_ptr<TrafficBus> m_bus;
    std::unique_ptr<RpcServer> m_server;
    QThread m_clientThread;
    RpcClient* m_client; // lives on m_clientThread, deleted there when it finishes
};

} // namespace rpcbench
