#pragma once
// The status bar's permanent fields: listening address, open connections, calls per second
// and the log's size (with evicted and waiting counts). Sampled once a second; reading the
// server's counters is a cheap thread-safe snapshot.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QLabel;
class QStatusBar;

namespace rpcbench {

class BenchSession;
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

private:
    void updateLog();

    BenchSession* m_session;
    TrafficLogModel* m_log;
    QLabel* m_server;
    QLabel* m_connections;
    QLabel* m_rate;
    QLabel* m_logSize;
    QTimer m_timer;
    QElapsedTimer m_clock;
    quint64 m_lastMessages = 0;
};

} // namespace rpcbench
