#pragma once
// Exports or imports a traffic log file on a worker thread so a 100,000-row log never blocks
// the window. Progress crosses to the GUI thread only when the percentage changes (queued
// signals); cancel() stops between lines. An export writes through QSaveFile, so a cancelled
// or failed export leaves no half file; an import hands its events over only on success.

#include "traffic/TrafficEvent.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace rpcbench {

class LogFileJob : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Export, Import };

    static LogFileJob* startExport(const QString& path, std::vector<TrafficEvent> events,
                                   QObject* parent = nullptr);
    static LogFileJob* startImport(const QString& path, QObject* parent = nullptr);
    ~LogFileJob() override; // cancels and joins the worker

    Kind kind() const { return m_kind; }
    QString path() const { return m_path; }
    void cancel();
    bool isRunning() const;
    // After finished(true, ...): the imported events (moves them out).
    std::vector<TrafficEvent> takeEvents() { return std::move(m_events); }
    qsizetype itemCount() const { return m_count; }

signals:
    void progress(int percent);
    // ok=false: `error` names the problem, or is empty when the job was cancelled.
    void finished(bool ok, const QString& error);

private:
    LogFileJob(Kind kind, const QString& path, QObject* parent);
    void start();
    void run(); // on the worker thread
    bool runExport();
    bool runImport();
    void report(qint64 done, qint64 total);

    const Kind m_kind;
    const QString m_path;
    std::vector<TrafficEvent> m_events;
    qsizetype m_count = 0;
    QString m_error;
    bool m_ok = false;
    std::atomic<bool> m_cancel{false};
    int m_lastPercent = -1; // worker thread only
    std::unique_ptr<QThread> m_thread;
};

} // namespace rpcbench
