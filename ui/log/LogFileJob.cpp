#include "log/LogFileJob.h"

#include "traffic/JsonLinesIo.h"

#include <QFile>
#include <QSaveFile>
#include <QThread>

namespace rpcbench {

LogFileJob::LogFileJob(Kind kind, const QString& path, QObject* parent)
    : QObject(parent), m_kind(kind), m_path(path)
{}

LogFileJob* LogFileJob::startExport(const QString& path, std::vector<TrafficEvent> events, QObject* parent)
{
    auto* job = new LogFileJob(Kind::Export, path, parent);
    job->m_events = std::move(events);
    job->m_count = qsizetype(job->m_events.size());
    job->start();
    return job;
}

LogFileJob* LogFileJob::startImport(const QString& path, QObject* parent)
{
    auto* job = new LogFileJob(Kind::Import, path, parent);
    job->start();
    return job;
}

LogFileJob::~LogFileJob()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

void LogFileJob::start()
{
    m_thread.reset(QThread::create([this] { run(); }));
    // QThread::finished is emitted on the worker; `this` lives here, so the slot runs queued.
    connect(m_thread.get(), &QThread::finished, this, [this] { emit finished(m_ok, m_error); });
    m_thread->start(QThread::LowPriority);
}

void LogFileJob::cancel()
{
    m_cancel.store(true, std::memory_order_relaxed);
}

bool LogFileJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void LogFileJob::run()
{
    m_ok = m_kind == Kind::Export ? runExport() : runImport();
}

void LogFileJob::report(qint64 done, qint64 total)
{
    const int percent = total > 0 ? int(done * 100 / total) : 100;
    if (percent != m_lastPercent) {
        m_lastPercent = percent;
        emit progress(percent); // queued to the GUI thread's receivers
    }
}

bool LogFileJob::runExport()
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("Cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const JsonLinesIo::Progress progress{[this](qint64 d, qint64 t) { report(d, t); }, &m_cancel};
    if (!JsonLinesIo::write(file, m_events, progress, &m_error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        m_error = QStringLiteral("Cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    m_events.clear();
    return true;
}

bool LogFileJob::runImport()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("Cannot open %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const JsonLinesIo::Progress progress{[this](qint64 d, qint64 t) { report(d, t); }, &m_cancel};
    std::optional<std::vector<TrafficEvent>> events = JsonLinesIo::read(file, progress, &m_error);
    if (!events)
        return false;
    m_events = std::move(*events);
    m_count = qsizetype(m_events.size());
    return true;
}

} // namespace rpcbench
