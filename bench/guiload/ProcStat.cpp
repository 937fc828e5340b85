#include "ProcStat.h"

#include <QDir>
#include <QFile>

#include <unistd.h>

namespace rpcbench::procstat {

namespace {

qint64 statusField(const char* field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    // Not readLine() on a loop of small reads: /proc files are read whole in one go.
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// utime + stime from a /proc .../stat line; the command name in parentheses may hold spaces.
double cpuSecondsFromStat(const QByteArray& stat)
{
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After the name: state(0) ppid(1) ... utime is field 14 overall, i.e. index 11 here.
    if (fields.size() < 13)
        return 0;
    const double ticks = double(fields[11].toLongLong() + fields[12].toLongLong());
    return ticks / double(sysconf(_SC_CLK_TCK));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

qint64 rssKb()
{
    return statusField("VmRSS");
}

qint64 peakRssKb()
{
    return statusField("VmHWM");
}

QHash<QString, double> threadCpuSeconds()
{
    QHash<QString, double> out;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString name = QString::fromUtf8(readAll(tasks.filePath(tid + QStringLiteral("/comm")))).trimmed();
        out[name] += cpuSecondsFromStat(readAll(tasks.filePath(tid + QStringLiteral("/stat"))));
    }
    return out;
}

double processCpuSeconds()
{
    return cpuSecondsFromStat(readAll(QStringLiteral("/proc/self/stat")));
}

} // namespace rpcbench::procstat
