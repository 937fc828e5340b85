#include "ProcStat.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <ctime>

#include <fcntl.h>
#include <sys/resource.h>
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
        const QString name =
            QString::fromUtf8(readAll(tasks.filePath(tid + QStringLiteral("/comm")))).trimmed();
        out[name] += cpuSecondsFromStat(readAll(tasks.filePath(tid + QStringLiteral("/stat"))));
    }
    return out;
}

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

qint64 threadRunQueueWaitNs()
{
    // Opened once per thread and re-read with pread: this runs for every GUI event.
    thread_local const int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[128];
    const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    // "<ns on CPU> <ns waiting on a run queue> <time slices>"
    const QList<QByteArray> fields = QByteArray(buf, int(n)).split(' ');
    return fields.size() >= 2 ? fields[1].toLongLong() : 0;
}

double processCpuSeconds()
{
    return cpuSecondsFromStat(readAll(QStringLiteral("/proc/self/stat")));
}

} // namespace rpcbench::procstat
