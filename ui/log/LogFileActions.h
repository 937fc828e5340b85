#pragma once
// Export and import of the traffic log, driven from the toolbar: asks for a file (through
// Dialogs, so tests answer ahead), runs a LogFileJob off the GUI thread with a progress dialog
// and Cancel, and reports the outcome. An import replaces the log only when the whole file
// was read; a broken file leaves the current log untouched and names the bad line.

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace rpcbench {

class LogFileJob;
class LogFilterModel;
class TrafficLogModel;

class LogFileActions : public QObject
{
    Q_OBJECT
public:
    LogFileActions(TrafficLogModel* log, LogFilterModel* filter, QWidget* window);

    bool isBusy() const { return m_job != nullptr; }
    void cancel();

public slots:
    void exportLog(); // the rows the filter shows (all rows without a filter)
    void importLog();
    void exportTo(const QString& path);
    void importFrom(const QString& path);

signals:
    // ok=false: message is the error (empty when cancelled).
    void finished(bool ok, const QString& message);

private:
    void watch(LogFileJob* job, const QString& title);
    void onFinished(bool ok, const QString& error);

    TrafficLogModel* m_log;
    LogFilterModel* m_filter;
    QWidget* m_window;
    LogFileJob* m_job = nullptr;
    QPointer<QProgressDialog> m_progress;
};

} // namespace rpcbench
