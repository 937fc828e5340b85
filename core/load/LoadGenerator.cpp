#include "load/LoadGenerator.h"

#include "load/LoadCycle.h"
#include "load/LoadMix.h"
#include "load/OpenLoopDriver.h"
#include "traffic/TrafficBus.h"
#include "util/Log.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rpcbench {

namespace {
constexpr int kMaxConnections = 10'000;
constexpr int kMaxDepth = 100'000;
constexpr qsizetype kMaxPayload = 256 * 1024 * 1024;
constexpr int kTickMs = 200;
} // namespace

double processCpuSeconds()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    auto secs = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

LoadGenerator::LoadGenerator(LoadOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_phaseTimer(new QTimer(this)),
      m_tickTimer(new QTimer(this))
{
    qRegisterMetaType<LoadSecond>(); // secondCompleted() crosses threads when a GUI drives the run
    m_phaseTimer->setSingleShot(true);
    m_phaseTimer->setTimerType(Qt::PreciseTimer);
    connect(m_phaseTimer, &QTimer::timeout, this, &LoadGenerator::onPhaseTimer);
    // A few ticks a second: a second's point goes out promptly even when no reply comes.
    m_tickTimer->setInterval(kTickMs);
    connect(m_tickTimer, &QTimer::timeout, this, [this] { m_series.advance(loadClockNs()); });
    m_series.setCallback([this](const LoadSecond& point) { emit secondCompleted(point); });
}

LoadGenerator::~LoadGenerator()
{
    stopConnections();
}

QString LoadGenerator::validate(const LoadOptions& o)
{
    QString error;
    const auto endpoint = target(o, &error);
    if (!endpoint)
        return error;
    if (o.rawEcho && endpoint->carrier == Carrier::WebSocket)
        return QStringLiteral("the raw echo baseline needs a byte stream (not %1)").arg(endpoint->scheme());
    if (o.connections < 1 || o.connections > kMaxConnections)
        return QStringLiteral("connections must be between 1 and %1").arg(kMaxConnections);
    if (o.depth < 1 || o.depth > kMaxDepth)
        return QStringLiteral("depth must be between 1 and %1").arg(kMaxDepth);
    if (!(o.seconds > 0) || o.seconds > 86400)
        return QStringLiteral("seconds must be greater than 0 (and at most a day)");
    if (!(o.warmupSeconds >= 0) || o.warmupSeconds > 3600)
        return QStringLiteral("warm-up must be between 0 and 3600 seconds");
    if (o.payloadBytes < 0 || o.payloadBytes > kMaxPayload)
        return QStringLiteral("payload must be between 0 and %1 bytes").arg(kMaxPayload);
    if (o.method.isEmpty() && !o.params.isEmpty() && o.mix.isEmpty())
        return QStringLiteral("params given without a method");
    if (!o.mix.isEmpty()) {
        if (o.rawEcho)
            return QStringLiteral("a mix of calls does not apply to the raw echo baseline");
        if (const QString invalid = LoadMix::validate(o.mix); !invalid.isEmpty())
            return invalid;
    }
    if (o.logEveryNth < 0)
        return QStringLiteral("logEveryNth must be 0 (off) or more");
    if (o.logEveryNth > 0 && !o.bus)
        return QStringLiteral("sampled traffic logging needs a traffic bus");
    if (o.logEveryNth > 0 && o.rawEcho)
        return QStringLiteral("the raw echo baseline has no JSON-RPC traffic to log");
    if (o.dialect == Dialect::Unknown)
        return QStringLiteral("unknown dialect");
    if (o.rate != 0 || o.rampSeconds != 0 || o.rampFromRate != 0)
        return RateScheduler::validate(o.ratePlan());
    return {};
}

std::optional<Endpoint> LoadGenerator::target(const LoadOptions& o, QString* error)
{
    if (o.endpoint.isValid())
        return o.endpoint;
    return Endpoint::parse(o.url, error);
}

QByteArray LoadGenerator::buildRequest(const LoadOptions& o, QString* error)
{
    const QString invalid = validate(o);
    if (!invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return {};
    }
    const Endpoint endpoint = *target(o);
    if (!o.mix.isEmpty()) {
        const auto cycle = LoadCycle::build(o.mix, endpoint, o.dialect, 1, error);
        return cycle ? cycle->bytes : QByteArray();
    }
    const QByteArray json = o.method.isEmpty() ? LoadRequest::buildEcho(o.payloadBytes, o.dialect)
                                               : LoadRequest::buildCall(o.method, o.params, o.dialect, error);
    if (json.isEmpty())
        return {};
    return LoadRequest::frame(endpoint, json);
}

void LoadGenerator::start()
{
    if (m_phase != Phase::Idle)
        return;
    QString error;
    const auto fail = [this](const QString& why) {
        m_phase = Phase::Connecting; // so finish() runs once
        QTimer::singleShot(0, this, [this, why] { finish(why); });
    };
    const QByteArray request = m_options.mix.isEmpty() ? buildRequest(m_options, &error) : QByteArray();
    const QString invalid = m_options.mix.isEmpty() ? QString() : validate(m_options);
    if (!invalid.isEmpty() || (m_options.mix.isEmpty() && request.isEmpty())) {
        fail(invalid.isEmpty() ? error : invalid);
        return;
    }
    m_target = *target(m_options);
    std::shared_ptr<const LoadCycle> cycle;
    if (!m_options.mix.isEmpty()) {
        cycle = LoadCycle::build(m_options.mix, m_target, m_options.dialect, m_options.depth, &error);
        if (!cycle) {
            fail(error);
            return;
        }
        m_counters.mixSent.assign(size_t(m_options.mix.size()), 0);
        m_counters.mixAnswered.assign(size_t(m_options.mix.size()), 0);
    }
    m_result.requestBytes = cycle ? cycle->averageRequestBytes : request.size();
    if (m_options.logEveryNth > 0) {
        m_counters.bus = m_options.bus.get();
        m_counters.sampleEvery = m_options.logEveryNth;
        m_counters.sampleCountdown = m_options.logEveryNth;
    }
    // The unframed JSON of the single request: the raw bytes of its sampled log events.
    QByteArray json;
    if (!cycle && m_counters.sampleEvery > 0)
        json = m_options.method.isEmpty()
                   ? LoadRequest::buildEcho(m_options.payloadBytes, m_options.dialect)
                   : LoadRequest::buildCall(m_options.method, m_options.params, m_options.dialect, &error);
    const ReplyScanner::Mode mode =
        m_options.rawEcho ? ReplyScanner::Mode::Raw : ReplyScanner::modeFor(m_target.transport);

    m_phase = Phase::Connecting;
    m_counters.series = &m_series;
    m_counters.openLoop = m_options.openLoop();
    if (m_counters.openLoop)
        m_driver = new OpenLoopDriver(m_options.ratePlan(), &loadClockNs, this);
    m_connections.reserve(size_t(m_options.connections));
    for (int i = 0; i < m_options.connections; ++i) {
        // Connections start at different places of the cycle, so the run is close to the mix
        // at every moment.
        auto* c = cycle ? new LoadConnection(cycle, int(qint64(i) * cycle->length / m_options.connections),
                                             mode, m_options.depth, &m_counters, this)
                        : new LoadConnection(request, mode, m_options.depth, &m_counters, this);
        if (!json.isEmpty())
            c->setRequestJson(json);
        c->setHandshake(m_options.init, m_options.initResolver);
        connect(c, &LoadConnection::connected, this, &LoadGenerator::onConnected);
        connect(c, &LoadConnection::failed, this, &LoadGenerator::onConnectionFailed);
        m_connections.push_back(c);
        if (m_driver)
            m_driver->addConnection(c);
    }
    m_alive = m_options.connections;
    qCDebug(lcLoad).noquote() << "load: opening" << m_options.connections << "connections to" << targetText()
                              << "depth" << m_options.depth;
    m_phaseTimer->start(connectTimeoutMs());
    // Opened from the event loop: a channel may fail inside open() (a process that cannot
    // start), and finished() must never come from inside start().
    QTimer::singleShot(0, this, [this] {
        for (LoadConnection* c : m_connections)
            c->open(m_target);
    });
}

// Connecting includes the handshake: each of its steps may take its own timeout.
int LoadGenerator::connectTimeoutMs() const
{
    qint64 ms = m_options.connectTimeoutMs;
    for (const LoadInitStep& step : m_options.init)
        ms += std::max(0, step.timeoutMs);
    return int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
}

// "127.0.0.1:5000" for plain TCP (as always), the URL for every other target.
QString LoadGenerator::targetText() const
{
    if (m_target.carrier == Carrier::Tcp && !m_target.tls)
        return m_target.authority();
    return m_target.toString();
}

void LoadGenerator::stop()
{
    if (isRunning())
        finish(m_phase == Phase::Measuring ? QString()
                                           : QStringLiteral("stopped before the measurement began"));
}

void LoadGenerator::onConnected()
{
    if (m_phase != Phase::Connecting || ++m_connected < m_options.connections)
        return;
    if (m_driver) { // open loop: no warm-up, the schedule starts with the measurement
        beginMeasuring();
        m_driver->start();
        return;
    }
    // Every connection is up (and already sending): the warm-up starts now.
    m_phase = Phase::Warmup;
    const int warmupMs = int(std::lround(m_options.warmupSeconds * 1000));
    if (warmupMs > 0)
        m_phaseTimer->start(warmupMs);
    else
        beginMeasuring();
}

void LoadGenerator::beginMeasuring()
{
    m_phase = Phase::Measuring;
    m_counters.recording = true;
    m_cpuAtStart = processCpuSeconds();
    m_measureStartNs = loadClockNs();
    m_series.start(m_measureStartNs);
    m_tickTimer->start();
    m_phaseTimer->start(int(std::lround(m_options.seconds * 1000)));
}

void LoadGenerator::onPhaseTimer()
{
    switch (m_phase) {
    case Phase::Connecting:
        finish(QStringLiteral("cannot connect to %1 within %2 ms%3")
                   .arg(targetText())
                   .arg(connectTimeoutMs())
                   .arg(m_options.init.isEmpty() ? QString() : QStringLiteral(" (handshake included)")));
        break;
    case Phase::Warmup:
        beginMeasuring();
        break;
    case Phase::Measuring:
        finish({});
        break;
    case Phase::Idle:
    case Phase::Done:
        break;
    }
}

void LoadGenerator::onConnectionFailed(const QString& error)
{
    if (m_phase == Phase::Connecting) {
        static const QString handshake = QStringLiteral("handshake: ");
        if (error.startsWith(handshake))
            finish(QStringLiteral("handshake with %1 failed: %2")
                       .arg(targetText(), error.mid(handshake.size())));
        else
            finish(QStringLiteral("cannot connect to %1: %2").arg(targetText(), error));
        return;
    }
    ++m_result.connectionErrors;
    qCDebug(lcLoad).noquote() << "load: connection lost:" << error;
    if (--m_alive == 0)
        finish(QStringLiteral("every connection was lost (last: %1)").arg(error));
}

void LoadGenerator::stopConnections()
{
    m_counters.sending = false;
    if (m_driver)
        m_driver->stop();
    for (LoadConnection* c : m_connections)
        c->stop();
}

void LoadGenerator::finish(const QString& error)
{
    if (m_phase == Phase::Done)
        return;
    const bool measured = m_phase == Phase::Measuring;
    m_phase = Phase::Done;
    m_phaseTimer->stop();
    m_tickTimer->stop();
    m_counters.recording = false;
    if (measured) {
        const qint64 endNs = loadClockNs();
        m_result.elapsedSeconds = double(endNs - m_measureStartNs) / 1e9;
        m_result.cpuSeconds = processCpuSeconds() - m_cpuAtStart;
        m_series.finish(endNs);
        m_result.timeSeries = m_series.points();
        if (m_driver)
            collectOpenLoop(endNs);
    }
    stopConnections();
    m_result.calls = m_counters.calls;
    m_result.sent = m_counters.sent;
    m_result.loggedCalls = m_counters.loggedCalls;
    m_result.loggedReplies = m_counters.loggedReplies;
    collectPerCall();
    m_result.errors = m_counters.errors;
    m_result.errorsByCode = m_counters.errorsByCode;
    m_result.unexpectedReplies = m_counters.unexpectedReplies;
    m_result.latency = m_counters.latency;
    m_result.callsPerSecond =
        m_result.elapsedSeconds > 0 ? double(m_result.calls) / m_result.elapsedSeconds : 0;
    m_result.error = error;
    m_result.ok = error.isEmpty();
    qCDebug(lcLoad).noquote() << "load: finished," << m_result.calls << "calls"
                              << (error.isEmpty() ? QString() : "error: " + error);
    emit finished();
}

void LoadGenerator::collectPerCall()
{
    m_result.perCall.clear();
    if (m_counters.mixSent.empty())
        return;
    for (qsizetype i = 0; i < m_options.mix.size(); ++i) {
        const LoadCall& call = m_options.mix.at(i);
        m_result.perCall.append({LoadMix::displayName(call), call.method, call.notification, call.weight,
                                 m_counters.mixSent[size_t(i)], m_counters.mixAnswered[size_t(i)]});
    }
}

void LoadGenerator::collectOpenLoop(qint64 endNs)
{
    const RateScheduler& s = m_driver->scheduler();
    OpenLoopResult open;
    open.sent = s.taken();
    open.late = s.late();
    open.notSent = m_driver->notSent(endNs);
    open.inFlightAtEnd = m_driver->inFlight();
    open.lateness = s.lateness();
    m_result.openLoop = open;
}

} // namespace rpcbench
