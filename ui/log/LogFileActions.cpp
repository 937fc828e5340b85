#include "log/LogFileActions.h"

#include "log/LogFileJob.h"
#include "log/LogFilterModel.h"
#include "log/TrafficLogModel.h"
#include "window/Dialogs.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProgressDialog>
#include <QWidget>

namespace rpcbench {

namespace {
const QString Filter = QStringLiteral("JSON Lines (*.jsonl *.ndjson);;All files (*)");
} // namespace

LogFileActions::LogFileActions(TrafficLogModel* log, LogFilterModel* filter, QWidget* window)
    : QObject(window), m_log(log), m_filter(filter), m_window(window)
{}

void LogFileActions::exportLog()
{
    if (m_job)
        return;
    const QString name = QStringLiteral("rpcbench-%1.jsonl")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    Dialogs::saveFileName(m_window, tr("Export log"), QDir::home().filePath(name), Filter,
                          [this](const QString& path) { exportTo(path); });
}

void LogFileActions::importLog()
{
    if (m_job)
        return;
    Dialogs::openFileName(m_window, tr("Import log"), Filter,
                          [this](const QString& path) { importFrom(path); });
}

void LogFileActions::exportTo(const QString& path)
{
    if (m_job)
        return;
    // Copying the events is cheap (payloads are shared); the file is written on the worker.
    std::vector<TrafficEvent> events =
        m_filter && m_filter->isActive() ? m_log->events(m_filter->sourceRows()) : m_log->allEvents();
    watch(LogFileJob::startExport(path, std::move(events), this), tr("Exporting the log…"));
}

void LogFileActions::importFrom(const QString& path)
{
    if (m_job)
        return;
    watch(LogFileJob::startImport(path, this), tr("Importing %1…").arg(QFileInfo(path).fileName()));
}

void LogFileActions::watch(LogFileJob* job, const QString& title)
{
    m_job = job;
    m_progress = new QProgressDialog(title, tr("Cancel"), 0, 100, m_window);
    m_progress->setObjectName(QStringLiteral("logFileProgress"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(400); // quick jobs finish without a flash
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setValue(0);
    connect(job, &LogFileJob::progress, m_progress, &QProgressDialog::setValue);
    connect(m_progress, &QProgressDialog::canceled, job, &LogFileJob::cancel);
    connect(job, &LogFileJob::finished, this, &LogFileActions::onFinished);
}

void LogFileActions::cancel()
{
    if (m_job)
        m_job->cancel();
}

void LogFileActions::onFinished(bool ok, const QString& error)
{
    LogFileJob* job = m_job;
    m_job = nullptr;
    if (m_progress)
        m_progress->deleteLater();
    job->deleteLater();
    const bool importing = job->kind() == LogFileJob::Kind::Import;
    QString message;
    if (ok && importing) {
        m_log->replaceAll(job->takeEvents());
        message = tr("Imported %1 messages from %2").arg(job->itemCount()).arg(job->path());
    } else if (ok) {
        message = tr("Exported %1 messages to %2").arg(job->itemCount()).arg(job->path());
    } else if (!error.isEmpty()) {
        message =
            importing
                ? tr("Cannot import %1: %2\nThe current log was left as it was.").arg(job->path(), error)
                : tr("Cannot export the log: %1").arg(error);
        Dialogs::showError(m_window, importing ? tr("Import failed") : tr("Export failed"), message);
    }
    emit finished(ok, message);
}

} // namespace rpcbench
