#pragma once
// Turns SIGINT/SIGTERM into a Qt signal (self-pipe trick), so headless commands shut down
// cleanly through the event loop instead of being killed mid-write.

#include <QObject>

class QSocketNotifier;

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    void onReadable();
    QSocketNotifier* m_notifier = nullptr;
};
