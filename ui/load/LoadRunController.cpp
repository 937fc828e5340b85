#include "load/LoadRunController.h"

#include <QThread>

namespace rpcbench {

LoadRunController::LoadRunController(QObject* parent) : QObject(parent), m_thread(new QThread(this))
{
    qRegisterMetaType<rpcbench::LoadSecond>();
    m_thread->setObjectName(QStringLiteral("loadGenerator"));
    m_thread->start();
}

LoadRunController::~LoadRunController()
{
    // A generator still there is deleted on its thread by QThread::finished (deleteLater):
    // its connections close where they live. Results it posts meanwhile die with this object.
    m_thread->quit();
    m_thread->wait();
}

bool LoadRunController::start(const LoadOptions& options, QString* error)
{
    if (m_generator) {
        if (error)
            *error = tr("a load run is already going");
        return false;
    }
    QString invalid;
    LoadGenerator::buildRequest(options, &invalid); // the URL, the params' JSON, the ranges
    if (!invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return false;
    }
    const quint64 runId = ++m_runId;
    auto* generator = new LoadGenerator(options);
    generator->moveToThread(m_thread); // its timers are children and go along
    connect(m_thread, &QThread::finished, generator, &QObject::deleteLater);
    // Queued (the generator emits on the worker); an earlier run's points are dropped.
    connect(generator, &LoadGenerator::secondCompleted, this, [this, runId](const LoadSecond& point) {
        if (runId == m_runId && m_generator)
            emit secondCompleted(point);
    });
    // Direct, on the worker: the result is copied where it is written, then posted here. The
    // post goes after every queued secondCompleted() of the run (same receiver, same queue).
    connect(
        generator, &LoadGenerator::finished, generator,
        [this, generator, runId] {
            const LoadResult result = generator->result();
            QMetaObject::invokeMethod(
                this, [this, runId, result] { onGeneratorFinished(runId, result); }, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
    m_generator = generator;
    m_options = options;
    QMetaObject::invokeMethod(generator, &LoadGenerator::start, Qt::QueuedConnection);
    emit started();
    return true;
}

void LoadRunController::stop()
{
    if (m_generator)
        QMetaObject::invokeMethod(m_generator, &LoadGenerator::stop, Qt::QueuedConnection);
}

void LoadRunController::onGeneratorFinished(quint64 runId, const LoadResult& result)
{
    if (runId != m_runId || !m_generator)
        return;
    m_generator->deleteLater(); // posted to the worker: deleted there
    m_generator = nullptr;
    m_lastOptions = m_options;
    m_lastResult = result;
    emit finished(m_lastResult);
}

} // namespace rpcbench
