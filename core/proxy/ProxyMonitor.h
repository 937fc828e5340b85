#pragma once
// Watching a headless proxy from the GUI (`rpcbench proxy --monitor unix:/path`, GUI "Attach
// to proxy..."): the proxy serves its traffic events on a Unix-domain socket, one JSON Lines
// event per line (traffic/TrafficEventCodec, the format of `--log jsonl`), to every monitor
// connected; a monitor that reads too slowly loses lines (counted in a
// {"dropped": N} line) rather than slowing the proxy.
//
// Lives on the thread that creates it; feed() is called with drained events (the proxy command
// drains its bus on a timer).
#include "traffic/TrafficEvent.h"

#include <QObject>
#include <QString>

#include <vector>

class QLocalServer;
class QLocalSocket;

namespace rpcbench {

class ProxyMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ProxyMonitor(QObject* parent = nullptr);
    ~ProxyMonitor() override;

    // Listens on the socket path (a stale socket file is replaced). False with *error.
    bool listen(const QString& path, QString* error);
    QString path() const;
    int monitorCount() const;
    // Sends the events to every connected monitor.
    void feed(const std::vector<TrafficEvent>& events);

signals:
    void monitorConnected();

private:
    QLocalServer* m_server = nullptr; // child
    QList<QLocalSocket*> m_monitors;  // children
};

} // namespace rpcbench
