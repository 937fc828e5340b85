#pragma once
// Runs a LoadGenerator for the GUI on a worker thread of its own: its sockets, timers and
// per-call work never touch the GUI thread. start() posts the run to the worker; each closed
// second and the end of the run come back queued, on the GUI thread, with the final LoadResult
// copied on the worker (where the generator lives) before it crosses. One run at a time; a
// run's late signals never reach the next one (each run has an id). Destroying the controller
// mid-run ends the thread, and the generator is deleted there (QThread::finished).

#include "load/LoadGenerator.h"

#include <QObject>

class QThread;

namespace rpcbench {

class LoadRunController : public QObject
{
    Q_OBJECT
public:
    explicit LoadRunController(QObject* parent = nullptr);
    ~LoadRunController() override; // ends a run and the thread

    // Starts a run; false with *error when one is going or the options are bad (nothing starts).
    bool start(const LoadOptions& options, QString* error = nullptr);
    // Ends the run early; finished() follows with the figures measured so far.
    void stop();
    bool isRunning() const { return m_generator != nullptr; }
    QThread* workerThread() const { return m_thread; }

    // The last finished run (empty before the first one ends).
    const LoadOptions& lastOptions() const { return m_lastOptions; }
    const LoadResult& lastResult() const { return m_lastResult; }

signals:
    void started();
    void secondCompleted(const rpcbench::LoadSecond& point);
    void finished(const rpcbench::LoadResult& result);

private:
    void onGeneratorFinished(quint64 runId, const LoadResult& result);

    QThread* m_thread;
    // Lives on m_thread; cleared here (GUI thread) when its result arrives, and only then
    // handed to deleteLater, so stop() never posts to a deleted generator.
    LoadGenerator* m_generator = nullptr;
    quint64 m_runId = 0;
    LoadOptions m_options; // of the run going
    LoadOptions m_lastOptions;
    LoadResult m_lastResult;
};

} // namespace rpcbench
