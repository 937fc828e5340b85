#pragma once
// The engine behind the window: core's Engine (method registry, traffic bus, the embedded
// server on its own worker thread, mock service and script host) and the client, moved to a
// worker thread of its own. Widgets get everything from here, so the main window only
// arranges panels.

#include <QObject>
#include <QThread>

#include <memory>

namespace rpcbench {

class Engine;
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

    Engine* engine() const { return m_engine.get(); }
    std::shared_ptr<MethodRegistry> registry() const;
    std::shared_ptr<TrafficBus> bus() const;
    RpcServer* server() const;
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
    std::unique_ptr<Engine> m_engine;
    QThread m_clientThread;
    RpcClient* m_client; // lives on m_clientThread, deleted there when it finishes
};

} // namespace rpcbench
