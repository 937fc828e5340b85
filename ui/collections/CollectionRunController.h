#pragma once
// Runs a collection (or a folder, or one call) for the GUI: a CollectionRunner on a worker
// thread of its own, because its RpcClients do their socket I/O on the thread they live on and
// the GUI thread does none. Reports come back queued, on the GUI thread. One run at a time.
#include "runner/CollectionRunner.h"

#include <QObject>

class QThread;

namespace rpcbench {

class CollectionRunController : public QObject
{
    Q_OBJECT
public:
    explicit CollectionRunController(QObject* parent = nullptr);
    ~CollectionRunController() override; // stops a run and ends the thread

    // Starts `path` ("" = all) of `collection`; false with *error when a run is going or
    // nothing matches. `index` is the collection's index in the store, passed back in signals.
    bool start(int index, const Collection& collection, const QString& path, const Variables& variables,
               const RunOptions& options, QString* error = nullptr);
    void stop();
    bool isRunning() const { return m_runner != nullptr; }
    int collectionIndex() const { return m_index; }

signals:
    void started(int collection, int calls);
    void callStarted(int collection, const QString& path);
    void callFinished(int collection, const rpcbench::CallReport& report);
    void finished(int collection, const rpcbench::RunReport& report);

private:
    QThread* m_thread;
    // Lives on m_thread; cleared when its finished() arrives here (it is deleted after that).
    CollectionRunner* m_runner = nullptr;
    int m_index = -1;
};

} // namespace rpcbench
