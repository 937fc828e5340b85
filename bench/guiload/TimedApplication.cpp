#include "TimedApplication.h"

#include "ProcStat.h"

#include <QEvent>
#include <QMetaEnum>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace rpcbench {

namespace {

constexpr size_t kMaxSlowEvents = 5000; // bounded memory even if every event is slow

std::vector<EventStat> sortedByTotal(std::vector<EventStat> stats)
{
    std::sort(stats.begin(), stats.end(),
              [](const EventStat& a, const EventStat& b) { return a.totalNs > b.totalNs; });
    return stats;
}

QString eventTypeName(int type)
{
    const QMetaEnum e = QMetaEnum::fromType<QEvent::Type>();
    const char* name = e.valueToKey(type);
    return name ? QString::fromLatin1(name) : QStringLiteral("event %1").arg(type);
}

} // namespace

TimedApplication::TimedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

void TimedApplication::start(qint64 slowThresholdNs)
{
    m_stats.clear();
    m_paints.clear();
    m_slow.clear();
    m_slowDropped = 0;
    m_slowThresholdNs = slowThresholdNs;
    m_elapsedNs = 0;
    m_clock.start();
    m_running = true;
}

void TimedApplication::stop()
{
    if (!m_running)
        return;
    m_elapsedNs = m_clock.nsecsElapsed();
    m_running = false;
}

bool TimedApplication::notify(QObject* receiver, QEvent* event)
{
    // Worker threads deliver their own events through here too; only the GUI thread matters.
    if (!m_running || QThread::currentThread() != thread() || m_ignored.contains(receiver))
        return QApplication::notify(receiver, event);
    // Everything about the receiver is read before delivery: it may delete itself.
    const auto* timer = qobject_cast<const QTimer*>(receiver);
    const Key key{receiver->metaObject(), int(event->type()), timer ? timer->interval() : -1};
    const bool isPaint = event->type() == QEvent::Paint;
    const QString paintWidget = isPaint ? widgetPath(receiver) : QString();
    const QString name = m_depth == 0 ? receiver->objectName() : QString();
    const int depth = m_depth++;
    const qint64 cpu0 = depth == 0 ? procstat::threadCpuNs() : 0;
    const qint64 wait0 = depth == 0 ? procstat::threadRunQueueWaitNs() : 0;
    const qint64 t0 = m_clock.nsecsElapsed();
    const bool result = QApplication::notify(receiver, event);
    const qint64 ns = m_clock.nsecsElapsed() - t0;
    --m_depth;
    if (isPaint)
        recordPaint(paintWidget, ns);
    if (depth == 0) {
        const qint64 cpuNs = procstat::threadCpuNs() - cpu0;
        record(key, ns, cpuNs);
        if (ns >= m_slowThresholdNs)
            noteSlow(key, name, t0, ns, cpuNs, procstat::threadRunQueueWaitNs() - wait0);
    }
    return result;
}

void TimedApplication::record(const Key& key, qint64 ns, qint64 cpuNs)
{
    EventStat& s = m_stats[key];
    ++s.count;
    s.totalNs += ns;
    s.cpuNs += cpuNs;
    s.maxNs = std::max(s.maxNs, ns);
}

void TimedApplication::recordPaint(const QString& widget, qint64 ns)
{
    EventStat& s = m_paints[widget];
    ++s.count;
    s.totalNs += ns;
    s.maxNs = std::max(s.maxNs, ns);
}

void TimedApplication::noteSlow(const Key& key, const QString& objectName, qint64 startNs, qint64 ns,
                                qint64 cpuNs, qint64 waitNs)
{
    if (m_slow.size() >= kMaxSlowEvents) {
        ++m_slowDropped;
        return;
    }
    m_slow.push_back(SlowEvent{startNs / 1'000'000, ns, cpuNs, waitNs, describe(key, objectName)});
}

// "QTableView#logView > QWidget#qt_scrollarea_viewport": Qt's internal or unnamed widgets
// (viewports, scroll bar containers) are named after the nearest ancestor with a real name.
QString TimedApplication::widgetPath(const QObject* receiver)
{
    const auto name = [](const QObject* o) {
        const QString cls = QString::fromLatin1(o->metaObject()->className());
        return o->objectName().isEmpty() ? cls : QStringLiteral("%1#%2").arg(cls, o->objectName());
    };
    const auto anonymous = [](const QObject* o) {
        return o->objectName().isEmpty() || o->objectName().startsWith(QLatin1String("qt_"));
    };
    QString path = name(receiver);
    const QObject* o = receiver;
    for (int up = 0; up < 3 && anonymous(o) && o->parent(); ++up) {
        o = o->parent();
        path = name(o) + QStringLiteral(" > ") + path;
    }
    return path;
}

QString TimedApplication::describe(const Key& key, const QString& objectName)
{
    QString text = QString::fromLatin1(key.meta->className());
    if (!objectName.isEmpty())
        text += QLatin1Char('#') + objectName;
    text += QLatin1Char(' ') + eventTypeName(key.type);
    if (key.timerInterval >= 0)
        text += QStringLiteral(" (%1 ms timer)").arg(key.timerInterval);
    return text;
}

std::vector<EventStat> TimedApplication::topLevel() const
{
    std::vector<EventStat> out;
    out.reserve(size_t(m_stats.size()));
    for (auto it = m_stats.cbegin(); it != m_stats.cend(); ++it) {
        EventStat s = it.value();
        s.what = describe(it.key(), {});
        out.push_back(std::move(s));
    }
    return sortedByTotal(std::move(out));
}

std::vector<EventStat> TimedApplication::paints() const
{
    std::vector<EventStat> out;
    for (auto it = m_paints.cbegin(); it != m_paints.cend(); ++it) {
        EventStat s = it.value();
        s.what = it.key();
        out.push_back(std::move(s));
    }
    return sortedByTotal(std::move(out));
}

} // namespace rpcbench
