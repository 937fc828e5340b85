#pragma once
// The GUI side of ProxyMonitor: connects to a proxy's monitor socket, decodes each JSON line
// into a TrafficEvent and publishes it on a bus (the GUI's own, so the log shows the proxy's
// traffic like any other). Meant to live on a worker thread (the GUI thread does no I/O):
// create it, moveToThread(), then call attach() through a queued invocation.
#include "traffic/TrafficBus.h"

#include <QObject>
#include <QString>

#include <memory>

class QLocalSocket;

namespace rpcbench {

class MonitorClient : public QObject
{
    Q_OBJECT
public:
    explicit MonitorClient(std::shared_ptr<TrafficBus> bus, QObject* parent = nullptr);
    ~MonitorClient() override;

    // Connects to the socket path ("unix:/path" or "/path"); attached() or failed() follow.
    void attach(const QString& path);
    void detach();
    quint64 eventsReceived() const { return m_received; }

signals:
    void attached(const QString& path);
    void failed(const QString& reason);   // could not connect, or a line that is not an event
    void detached(const QString& reason); // the proxy went away

private:
    void onReadyRead();

    std::shared_ptr<TrafficBus> m_bus;
    QLocalSocket* m_socket = nullptr; // child
    QByteArray m_partial;
    quint64 m_received = 0;
};

} // namespace rpcbench
