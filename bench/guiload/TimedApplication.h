#pragma once
// A QApplication that times every event it delivers on the GUI thread, so a stall the probe
// sees can be attributed to what the event loop was doing: the log's flush timer, a repaint,
// the auto-scroll timer... Only top-level deliveries are timed (a paint nested in an update
// request counts inside the request); paints are also timed per widget wherever they nest.
//
// The bookkeeping per event is a hash lookup keyed by (class, event type, timer interval),
// with names built only for the report and for the few events slower than a threshold.

#include <QApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QString>

#include <vector>

namespace rpcbench {

struct EventStat
{
    QString what;
    quint64 count = 0;
    qint64 totalNs = 0;
    qint64 maxNs = 0;
    qint64 cpuNs = 0; // the GUI thread's CPU time in these events (top level only)
};

struct SlowEvent
{
    qint64 atMs = 0; // since start()
    qint64 durationNs = 0;
    qint64 cpuNs = 0;  // of which the GUI thread ran,
    qint64 waitNs = 0; // was runnable but had no CPU (the rest it was blocked, e.g. on a lock)
    QString what;
};

class TimedApplication : public QApplication
{
public:
    TimedApplication(int& argc, char** argv);

    // Starts (or restarts) timing; events before start() are not counted.
    void start(qint64 slowThresholdNs);
    void stop();
    void ignore(const QObject* receiver) { m_ignored.insert(receiver); } // e.g. the probe's own ticks

    qint64 elapsedNs() const { return m_elapsedNs; } // between start() and stop()
    std::vector<EventStat> topLevel() const;         // by total time, largest first
    std::vector<EventStat> paints() const;
    const std::vector<SlowEvent>& slowEvents() const { return m_slow; }
    quint64 slowEventsDropped() const { return m_slowDropped; }

    bool notify(QObject* receiver, QEvent* event) override;

private:
    struct Key
    {
        const QMetaObject* meta;
        int type;
        int timerInterval; // the receiving QTimer's interval, -1 otherwise
        bool operator==(const Key& o) const
        {
            return meta == o.meta && type == o.type && timerInterval == o.timerInterval;
        }
    };
    friend size_t qHash(const Key& k, size_t seed)
    {
        return qHashMulti(seed, k.meta, k.type, k.timerInterval);
    }

    static QString describe(const Key& key, const QString& objectName);
    static QString widgetPath(const QObject* receiver);
    void record(const Key& key, qint64 ns, qint64 cpuNs);
    void recordPaint(const QString& widget, qint64 ns);
    void noteSlow(const Key& key, const QString& objectName, qint64 startNs, qint64 ns, qint64 cpuNs,
                  qint64 waitNs);

    bool m_running = false;
    int m_depth = 0;
    qint64 m_slowThresholdNs = 0;
    qint64 m_elapsedNs = 0;
    QElapsedTimer m_clock;
    QSet<const QObject*> m_ignored;
    QHash<Key, EventStat> m_stats;
    QHash<QString, EventStat> m_paints;
    std::vector<SlowEvent> m_slow;
    quint64 m_slowDropped = 0;
};

} // namespace rpcbench
