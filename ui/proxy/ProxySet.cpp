#include "proxy/ProxySet.h"

#include "proxy/Proxy.h"
#include "server/ListenSpec.h"
#include "traffic/TrafficBus.h"
#include "wire/Endpoint.h"

namespace rpcbench {

ProxySet::ProxySet(std::shared_ptr<TrafficBus> bus, QObject* parent) : QObject(parent), m_bus(std::move(bus))
{}

ProxySet::~ProxySet()
{
    // The proxies' signals must not reach a half-destroyed set.
    for (Entry& entry : m_entries)
        disconnect(entry.proxy.get(), nullptr, this, nullptr);
}

Proxy* ProxySet::proxy(int index) const
{
    return m_entries.at(size_t(index)).proxy.get();
}

ProxyConfig ProxySet::config(int index) const
{
    const Entry& entry = m_entries.at(size_t(index));
    ProxyConfig config;
    config.listen = entry.listen;
    config.upstream = entry.upstream;
    config.faults = entry.proxy->faults()->all();
    config.intercept = entry.proxy->intercept()->rules();
    config.interceptTimeoutMs = entry.proxy->intercept()->timeoutMs();
    return config;
}

QList<ProxyConfig> ProxySet::configs() const
{
    QList<ProxyConfig> all;
    for (int i = 0; i < count(); ++i)
        all << config(i);
    return all;
}

bool ProxySet::isRunning(int index) const
{
    return proxy(index)->isRunning();
}

QString ProxySet::title(int index) const
{
    const Entry& entry = m_entries.at(size_t(index));
    return QStringLiteral("%1 \u2192 %2").arg(entry.listen, entry.upstream);
}

int ProxySet::indexOf(const Proxy* proxy) const
{
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].proxy.get() == proxy)
            return int(i);
    return -1;
}

void ProxySet::applyTo(Entry& entry, const ProxyConfig& config)
{
    entry.listen = config.listen;
    entry.upstream = config.upstream;
    entry.proxy->faults()->replaceAll(config.faults);
    entry.proxy->intercept()->setRules(config.intercept);
    entry.proxy->intercept()->setTimeoutMs(config.interceptTimeoutMs);
    if (const auto upstream = Endpoint::parse(config.upstream))
        entry.proxy->setUpstream(*upstream);
}

int ProxySet::add(const ProxyConfig& config)
{
    Entry entry;
    entry.proxy = std::make_unique<Proxy>(m_bus);
    Proxy* proxy = entry.proxy.get();
    applyTo(entry, config);
    connect(proxy, &Proxy::notice, this, [this, proxy](const QString& line) {
        const int index = indexOf(proxy);
        emit notice(index < 0 ? line : QStringLiteral("%1: %2").arg(m_entries[size_t(index)].listen, line));
    });
    const auto report = [this, proxy](bool running) {
        if (const int index = indexOf(proxy); index >= 0)
            emit stateChanged(index, running);
    };
    connect(proxy, &Proxy::started, this, [report] { report(true); });
    connect(proxy, &Proxy::stopped, this, [report] { report(false); });
    connect(proxy->faults().get(), &FaultTable::changed, this, &ProxySet::configsChanged);
    // Rules edited straight on the queue (the Intercept panel) are workspace work too.
    connect(proxy->intercept().get(), &InterceptQueue::rulesChanged, this, &ProxySet::configsChanged);
    m_entries.push_back(std::move(entry));
    const int index = count() - 1;
    emit proxyAdded(index);
    emit configsChanged();
    return index;
}

bool ProxySet::update(int index, const ProxyConfig& config, QString* error)
{
    Entry& entry = m_entries.at(size_t(index));
    const bool restart =
        isRunning(index) && (entry.listen != config.listen || entry.upstream != config.upstream);
    applyTo(entry, config);
    emit configsChanged();
    if (!restart)
        return true;
    stop(index);
    return start(index, error);
}

void ProxySet::remove(int index)
{
    emit proxyAboutToBeRemoved(index);
    std::unique_ptr<Proxy> gone = std::move(m_entries.at(size_t(index)).proxy);
    disconnect(gone.get(), nullptr, this, nullptr);
    gone->stop();
    m_entries.erase(m_entries.begin() + index);
    emit proxyRemoved(index);
    emit configsChanged();
}

void ProxySet::setConfigs(const QList<ProxyConfig>& configs)
{
    while (count() > 0)
        remove(count() - 1);
    for (const ProxyConfig& config : configs)
        add(config);
}

bool ProxySet::start(int index, QString* error)
{
    const Entry& entry = m_entries.at(size_t(index));
    QString problem;
    const auto listen = ListenSpec::parse(entry.listen, &problem);
    if (!listen) {
        if (error)
            *error = problem;
        return false;
    }
    if (!Endpoint::parse(entry.upstream, &problem)) {
        if (error)
            *error = QStringLiteral("upstream %1: %2").arg(entry.upstream, problem);
        return false;
    }
    if (!entry.proxy->start({*listen})) {
        if (error)
            *error = entry.proxy->errorString();
        return false;
    }
    return true;
}

void ProxySet::stop(int index)
{
    proxy(index)->stop();
}

void ProxySet::stopAll()
{
    for (int i = 0; i < count(); ++i)
        stop(i);
}

} // namespace rpcbench
