#include "collections/CollectionRunController.h"

#include <QThread>

namespace rpcbench {

CollectionRunController::CollectionRunController(QObject* parent)
    : QObject(parent), m_thread(new QThread(this))
{
    qRegisterMetaType<rpcbench::CallReport>();
    qRegisterMetaType<rpcbench::RunReport>();
    m_thread->setObjectName(QStringLiteral("collectionRunner"));
    m_thread->start();
}

CollectionRunController::~CollectionRunController()
{
    // A runner still there is deleted by the thread's finished() (deleteLater, on its thread):
    // its sockets close where they live.
    m_thread->quit();
    m_thread->wait();
}

bool CollectionRunController::start(int index, const Collection& collection, const QString& path,
                                    const Variables& variables, const RunOptions& options, QString* error)
{
    if (m_runner) {
        if (error)
            *error = tr("a run is already going");
        return false;
    }
    auto* runner = new CollectionRunner(collection, variables, options);
    runner->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, runner, &QObject::deleteLater);
    // Connected before start(): its first step runs on the worker thread at once.
    connect(runner, &CollectionRunner::callStarted, this,
            [this, index](int, const QString& callPath) { emit callStarted(index, callPath); });
    connect(runner, &CollectionRunner::callFinished, this,
            [this, index](int, const CallReport& report) { emit callFinished(index, report); });
    connect(runner, &CollectionRunner::finished, this, [this, runner, index](const RunReport& report) {
        runner->deleteLater();
        if (m_runner == runner)
            m_runner = nullptr;
        emit finished(index, report);
    });
    // start() only fills the queue and posts its first step to the runner's (worker) thread;
    // the runner does nothing there before that event.
    if (!runner->start(path, error)) {
        runner->deleteLater();
        return false;
    }
    m_runner = runner;
    m_index = index;
    int calls = 0;
    for (const Collection::Entry& entry : collection.calls())
        calls += path.isEmpty() || entry.path == path || entry.path.startsWith(path + QLatin1Char('/'));
    emit started(index, calls);
    return true;
}

void CollectionRunController::stop()
{
    if (m_runner)
        QMetaObject::invokeMethod(m_runner, &CollectionRunner::stop, Qt::QueuedConnection);
}

} // namespace rpcbench
