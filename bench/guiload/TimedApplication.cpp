#include "TimedApplication.h"

#include <QEvent>
#include <QMetaEnum>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace rpcbench {

namespace {

constexpr size_t kMaxSlowEvents = 200; // the list is for reading, not for statistics

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
    const qint64 t0 = m_clock.nsecsElapsed();
    const bool result = QApplication::notify(receiver, event);
    const qint64 ns = m_clock.nsecsElapsed() - t0;
    --m_depth;
    if (isPaint)
        recordPaint(paintWidget, ns);
    if (depth == 0) {
        record(key, ns);
        if (ns >= m_slowThresholdNs)
            noteSlow(key, name, t0, ns);
    }
    return result;
}

void TimedApplication::record(const Key& key, qint64 ns)
{
    EventStat& s = m_stats[key];
    ++s.count;
    s.totalNs += ns;
    s.maxNs = std::max(s.maxNs, ns);
}

void TimedApplication::recordPaint(const QString& widget, qint64 ns)
{
    EventStat& s = m_paints[widget];
    ++s.count;
    s.totalNs += ns;
    s.maxNs = std::max(s.maxNs, ns);
}

void TimedApplication::noteSlow(const Key& key, const QString& objectName, qint64 startNs, qint64 ns)
{
    if (m_slow.size() >= kMaxSlowEvents) {
        ++m_slowDropped;
        return;
    }
    m_slow.push_back(SlowEvent{startNs / 1'000'000, ns, describe(key, objectName)});
}

// "QTableView#logView" or, for an unnamed widget such as a viewport, its named ancestor:
// "QTableView#logView > QWidget".
QString TimedApplication::widgetPath(const QObject* receiver)
{
    const auto name = [](const QObject* o) {
        return o->objectName().isEmpty()
                   ? QString::fromLatin1(o->metaObject()->className())
                   : QStringLiteral("%1#%2").arg(QString::fromLatin1(o->metaObject()->className()), o->objectName());
    };
    if (!receiver->objectName().isEmpty() || !receiver->parent())
        return name(receiver);
    return QStringLiteral("%1 > %2").arg(name(receiver->parent()), name(receiver));
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
