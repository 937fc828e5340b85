#include "GuiLoadRun.h"

#include "GuiLoadReport.h"
#include "LoadSampler.h"
#include "ProcStat.h"
#include "StallProbe.h"
#include "TimedApplication.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "server/RpcServer.h"
#include "window/BenchSession.h"
#include "window/MainWindow.h"
#include "window/Settings.h"
#include "window/StatusPanel.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QWindow>

#include <sched.h>

namespace rpcbench {

namespace {

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

// How long the run may take before the load generator is considered hung.
int watchdogMs(const GuiLoadOptions& o)
{
    return int(o.seconds * 1000) + 60'000;
}

} // namespace

GuiLoadRun::GuiLoadRun(TimedApplication* app, GuiLoadOptions options, QObject* parent)
    : QObject(parent), m_app(app), m_options(std::move(options))
{
    connect(&m_load, &QProcess::finished, this, &GuiLoadRun::onLoadFinished);
    connect(&m_load, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(QStringLiteral("cannot start %1: %2").arg(m_options.benchPath, m_load.errorString()));
    });
    connect(&m_load, &QProcess::readyReadStandardOutput, this,
            [this] { m_loadOutput += m_load.readAllStandardOutput(); });
    connect(&m_load, &QProcess::readyReadStandardError, this,
            [this] { m_loadError += QString::fromLocal8Bit(m_load.readAllStandardError()); });
}

GuiLoadRun::~GuiLoadRun()
{
    // QProcess's own destructor reaps the child; ending it first keeps that short.
    if (m_load.state() != QProcess::NotRunning)
        m_load.kill();
}

void GuiLoadRun::start()
{
    QString error;
    if (!setUpWindow(&error)) {
        QTimer::singleShot(0, this, [this, error] { fail(error); });
        return;
    }
    // Let the window lay out and paint before measuring: start-up is not what we measure.
    QTimer::singleShot(m_options.settleMs, this, &GuiLoadRun::startMeasuring);
}

bool GuiLoadRun::setUpWindow(QString* error)
{
    if (!m_scratch.isValid()) {
        *error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    auto settings = std::make_unique<Settings>(m_scratch.filePath(QStringLiteral("guiload.ini")));
    if (m_options.capacity > 0)
        settings->setLogCapacity(m_options.capacity);
    m_window = std::make_unique<MainWindow>(std::move(settings));
    m_window->resize(1440, 900);
    m_window->show();
    // Exactly what a user does: any free port, loopback, then the toolbar's Start action.
    m_window->portSpin()->setValue(0);
    m_window->bindCombo()->setCurrentText(QStringLiteral("127.0.0.1"));
    auto* startAction = m_window->findChild<QAction*>(QStringLiteral("actionStartServer"));
    if (!startAction) {
        *error = QStringLiteral("the window has no actionStartServer");
        return false;
    }
    // The window lowers its server thread's priority itself (BenchSession::EmbeddedServerNice);
    // a comparison run overrides that before the thread starts, as the product could.
    if (m_options.serverNice >= 0)
        m_window->session()->server()->setWorkerNice(m_options.serverNice);
    startAction->trigger();
    if (!m_window->session()->isServing()) {
        *error = QStringLiteral("the embedded server did not start");
        return false;
    }
    if (!m_window->session()->bus()->isEnabled()) {
        *error = QStringLiteral("logging (the traffic bus) is off");
        return false;
    }
    m_window->logPanel()->view()->scrollToBottom();
    return true;
}

void GuiLoadRun::startMeasuring()
{
    m_probe = new StallProbe(m_options.probeIntervalMs, this);
    m_sampler = new LoadSampler(m_window->logPanel()->model(), m_window->session()->server(), this);
    m_app->ignore(m_probe);
    m_app->ignore(m_sampler);
    m_loadAvgBefore = loadAverage();
    m_cpuAtStart = procstat::threadCpuSeconds();
    m_processCpuAtStart = procstat::processCpuSeconds();
    m_clock.start();
    connect(m_window->logPanel()->model(), &TrafficLogModel::flushed, this, [this](int inserted, int) {
        if (!m_done && inserted > 0)
            m_batchRows.record(quint64(inserted));
    });
    m_app->start(qint64(m_options.slowEventMs) * 1'000'000);
    m_probe->start();
    m_sampler->start();
    startLoad();
    if (m_options.scenario == QLatin1String("reading"))
        QTimer::singleShot(m_options.readingAfterMs, this, &GuiLoadRun::enterReadingMode);
    QTimer::singleShot(watchdogMs(m_options), this, [this] {
        if (m_load.state() != QProcess::NotRunning) {
            m_load.kill();
            fail(QStringLiteral("the load generator did not finish in time"));
        }
    });
}

void GuiLoadRun::startLoad()
{
    const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_window->session()->server()->port());
    const QStringList args{QStringLiteral("bench"),
                           QStringLiteral("--url"),
                           url,
                           QStringLiteral("--conns"),
                           QString::number(m_options.conns),
                           QStringLiteral("--depth"),
                           QString::number(m_options.depth),
                           QStringLiteral("--seconds"),
                           QString::number(m_options.seconds),
                           QStringLiteral("--payload"),
                           QString::number(m_options.payload),
                           QStringLiteral("--json")};
    const int cpu = m_options.benchCpu;
    if (cpu >= 0) {
        // Runs in the child between fork and exec: only async-signal-safe calls.
        m_load.setChildProcessModifier([cpu] {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(cpu, &set);
            sched_setaffinity(0, sizeof(set), &set);
        });
    }
    m_load.start(m_options.benchPath, args);
}

// The user scrolls up to read a message in the middle of the log and selects it: the view
// stops following, evictions above must keep the rows in place, the details pane shows it.
void GuiLoadRun::enterReadingMode()
{
    LogPanel* log = m_window->logPanel();
    const int rows = log->model()->rowCount();
    if (rows > 0)
        log->selectSourceRow(rows / 2);
}

void GuiLoadRun::onLoadFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_done)
        return;
    if (status != QProcess::NormalExit || exitCode != 0) {
        m_loadError += QStringLiteral(" (exit code %1)").arg(exitCode);
        fail(QStringLiteral("rpcbench bench failed: %1").arg(m_loadError.trimmed()));
        return;
    }
    // Keep measuring while the log drains what is still in the bus.
    QTimer::singleShot(m_options.drainMs, this, &GuiLoadRun::finish);
}

QJsonObject GuiLoadRun::windowState() const
{
    LogPanel* log = m_window->logPanel();
    QTableView* view = log->view();
    const int lastRow = view->model()->rowCount() - 1;
    const int bottomRow = view->rowAt(view->viewport()->height() - 1);
    QWindow* handle = m_window->windowHandle();
    return QJsonObject{
        {QStringLiteral("visible"), m_window->isVisible()},
        {QStringLiteral("exposed"), handle && handle->isExposed()},
        {QStringLiteral("platform"), QGuiApplication::platformName()},
        {QStringLiteral("following"), log->isFollowing()},
        {QStringLiteral("viewRows"), view->model()->rowCount()},
        {QStringLiteral("firstVisibleRow"), view->rowAt(0)},
        {QStringLiteral("lastVisibleRow"), bottomRow},
        {QStringLiteral("lastRowVisible"), lastRow >= 0 && (bottomRow == lastRow || bottomRow < 0)},
        {QStringLiteral("currentRow"), view->currentIndex().row()},
        {QStringLiteral("statusBarLog"), m_window->statusPanel()->logText()}};
}

QJsonObject GuiLoadRun::threadCpu() const
{
    const double wall = double(m_clock.elapsed()) / 1000.0;
    const QHash<QString, double> now = procstat::threadCpuSeconds();
    QJsonObject out;
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        const double used = it.value() - m_cpuAtStart.value(it.key());
        if (used >= 0.01 && wall > 0)
            out.insert(it.key(), 100.0 * used / wall);
    }
    if (wall > 0)
        out.insert(QStringLiteral("(whole process)"),
                   100.0 * (procstat::processCpuSeconds() - m_processCpuAtStart) / wall);
    return out;
}

void GuiLoadRun::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_probe->stop();
    m_sampler->stop();
    m_app->stop();
    using namespace guiloadreport;
    const QJsonObject stallsJson = stalls(*m_probe);
    const QJsonObject logJson = logCounters(*m_sampler, m_window->logPanel()->model()->capacity());
    const QJsonObject memoryJson = memory(*m_sampler);
    const QJsonObject load = QJsonDocument::fromJson(m_loadOutput.trimmed().split('\n').constLast()).object();
    const QJsonObject result{
        {QStringLiteral("scenario"), m_options.scenario},
        {QStringLiteral("ok"), true},
        {QStringLiteral("conns"), m_options.conns},
        {QStringLiteral("depth"), m_options.depth},
        {QStringLiteral("seconds"), m_options.seconds},
        {QStringLiteral("benchCpu"), m_options.benchCpu},
        {QStringLiteral("serverNice"), m_window->session()->server()->appliedWorkerNice()},
        {QStringLiteral("serverNiceComparison"), m_options.serverNice >= 0},
        {QStringLiteral("loadAverageBefore"), m_loadAvgBefore},
        {QStringLiteral("loadAverageAfter"), loadAverage()},
        {QStringLiteral("stalls"), stallsJson},
        {QStringLiteral("log"), logJson},
        {QStringLiteral("memory"), memoryJson},
        {QStringLiteral("window"), windowState()},
        {QStringLiteral("threadCpuPercent"), threadCpu()},
        {QStringLiteral("eventLoop"), eventLoop(*m_app)},
        {QStringLiteral("bench"), load},
        {QStringLiteral("flushRows"), QJsonObject{{QStringLiteral("flushes"), qint64(m_batchRows.count())},
                                                  {QStringLiteral("p50"), qint64(m_batchRows.percentile(50))},
                                                  {QStringLiteral("p99"), qint64(m_batchRows.percentile(99))},
                                                  {QStringLiteral("max"), qint64(m_batchRows.max())}}},
        {QStringLiteral("targets"), targets(stallsJson, logJson, memoryJson)}};
    emit finished(result, true);
}

void GuiLoadRun::fail(const QString& error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_probe)
        m_probe->stop();
    emit finished(QJsonObject{{QStringLiteral("scenario"), m_options.scenario},
                              {QStringLiteral("ok"), false},
                              {QStringLiteral("error"), error}},
                  false);
}

} // namespace rpcbench
