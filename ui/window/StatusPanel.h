#pragma once
// The status bar's permanent fields: listening addresses (the toolbar's port and each extra
// endpoint), open connections, calls per second
// and the log's size (with evicted and waiting counts). Each elides its text to the room it
// gets, with the whole text in its tooltip. Sampled once a second; reading the server's
// counters is a cheap thread-safe snapshot.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>

class QLabel;
class QStatusBar;

namespace rpcbench {

class BenchSession;
class ElidedLabel;
class TrafficLogModel;

class StatusPanel : public QObject
{
    Q_OBJECT
public:
    StatusPanel(BenchSession* session, TrafficLogModel* log, QStatusBar* bar);

    void refresh();
    QString serverText() const;
    QString logText() const;
    QString connectionsText() const;
    QString listeningText() const; // every endpoint the server listens on, " · " between

private:
    void updateLog();

    BenchSession* m_session;
    TrafficLogModel* m_log;
    QLabel* m_serverIcon; // listening / stopped, beside the server field
    ElidedLabel* m_server;
    ElidedLabel* m_connections;
    ElidedLabel* m_rate;
    ElidedLabel* m_logSize;
    std::optional<bool> m_shownServing; // what the icon shows
    QTimer m_timer;
    QElapsedTimer m_clock;
    quint64 m_lastMessages = 0;
};

} // namespace rpcbench
