#pragma once
// One GUI-under-load run: the real main window (shown, offscreen) starts its embedded server
// from the toolbar action with logging on, `rpcbench bench` drives it from another process at
// full speed, and meanwhile the GUI thread's stalls, the log's counters, memory and where the
// event loop spends its time are recorded. finished() carries the figures as JSON.

#include "load/LatencyHistogram.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

namespace rpcbench {

class LoadSampler;
class MainWindow;
class StallProbe;
class TimedApplication;

struct GuiLoadOptions
{
    QString benchPath;                           // the rpcbench executable
    QString scenario = QStringLiteral("follow"); // follow | reading
    int conns = 16;
    int depth = 8;
    double seconds = 30;
    int payload = 16;
    int capacity = 0;          // 0 = the window's own setting (default 100,000)
    int settleMs = 1500;       // after show(), before measuring
    int drainMs = 1500;        // measured after the load ends, while the log catches up
    int readingAfterMs = 2000; // "reading": when the user scrolls away from the bottom
    int probeIntervalMs = 1;
    int slowEventMs = 16; // top-level events at least this long are listed
    int benchCpu = -1;    // pin the load generator to this CPU; -1 = no pinning
    int serverNice = -1;  // comparison: the embedded server thread's nice (-1 = the window's default)
};

class GuiLoadRun : public QObject
{
    Q_OBJECT
public:
    GuiLoadRun(TimedApplication* app, GuiLoadOptions options, QObject* parent = nullptr);
    ~GuiLoadRun() override;

    void start(); // returns at once; finished() follows

signals:
    void finished(const QJsonObject& result, bool ok);

private:
    bool setUpWindow(QString* error);
    void startMeasuring();
    void startLoad();
    void enterReadingMode();
    void onLoadFinished(int exitCode, QProcess::ExitStatus status);
    void finish();
    void fail(const QString& error);
    QJsonObject windowState() const;
    QJsonObject threadCpu() const;

    TimedApplication* m_app;
    GuiLoadOptions m_options;
    QTemporaryDir m_scratch; // the window's settings file: the user's own are never touched
    std::unique_ptr<MainWindow> m_window;
    StallProbe* m_probe = nullptr;
    LoadSampler* m_sampler = nullptr;
    QProcess m_load;
    QByteArray m_loadOutput;
    QString m_loadError;
    QElapsedTimer m_clock;
    LatencyHistogram m_batchRows; // rows the log inserted per flush
    QHash<QString, double> m_cpuAtStart;
    double m_processCpuAtStart = 0;
    QString m_loadAvgBefore;
    bool m_done = false;
};

} // namespace rpcbench
