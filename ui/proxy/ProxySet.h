#pragma once
// The proxies the window runs (Proxy mode): each is a ProxyConfig and a Proxy publishing on the
// session's traffic bus, so the log shows their traffic with everything else. The Proxies panel
// edits the set, the intercept panel watches the queues of all of them, the workspace saves and
// loads their configs. A proxy exists (with its fault table and intercept queue) whether or not
// it runs: faults and breakpoints set while it is stopped apply when it starts.
//
// Index-based: indexes are positions in the set and shift on remove (signals say which).
#include "proxy/ProxyConfig.h"

#include <QObject>

#include <memory>
#include <vector>

namespace rpcbench {

class Proxy;
class TrafficBus;

class ProxySet : public QObject
{
    Q_OBJECT
public:
    explicit ProxySet(std::shared_ptr<TrafficBus> bus, QObject* parent = nullptr);
    ~ProxySet() override;

    int count() const { return int(m_entries.size()); }
    Proxy* proxy(int index) const;
    // The config as it stands: listen and upstream as set, faults and breakpoints read live from
    // the proxy's FaultTable and InterceptQueue (the GUI edits those directly).
    ProxyConfig config(int index) const;
    QList<ProxyConfig> configs() const;
    // The two URLs alone, without copying faults and breakpoints (views read them per cell).
    QString listen(int index) const { return m_entries.at(size_t(index)).listen; }
    QString upstream(int index) const { return m_entries.at(size_t(index)).upstream; }
    bool isRunning(int index) const;
    // "tcp://127.0.0.1:9001 → tcp://127.0.0.1:9000"
    QString title(int index) const;

    // Adds a stopped proxy; returns its index. The config is taken as is (ProxyConfig::fromJson
    // validated it, or the panel's dialog did).
    int add(const ProxyConfig& config);
    // Replaces listen/upstream/faults/breakpoints; a running proxy whose listen or upstream
    // changed is restarted (false with *error when it cannot listen again; it stays stopped).
    bool update(int index, const ProxyConfig& config, QString* error);
    void remove(int index); // stops it first
    // Replaces every proxy (a workspace was opened); all stopped.
    void setConfigs(const QList<ProxyConfig>& configs);

    bool start(int index, QString* error); // false with *error ("cannot listen on ...")
    void stop(int index);
    void stopAll();

signals:
    void proxyAdded(int index);
    void proxyAboutToBeRemoved(int index); // proxy(index) is still valid
    void proxyRemoved(int index);
    void stateChanged(int index, bool running);
    // Listen, upstream, faults or breakpoints of a proxy changed, or one was added or removed:
    // the workspace has unsaved changes.
    void configsChanged();
    // A proxy's notice (upstream unreachable, ...) prefixed with its listen URL.
    void notice(const QString& line);

private:
    struct Entry
    {
        QString listen;
        QString upstream;
        std::unique_ptr<Proxy> proxy;
    };
    void applyTo(Entry& entry, const ProxyConfig& config);
    int indexOf(const Proxy* proxy) const;

    std::shared_ptr<TrafficBus> m_bus;
    std::vector<Entry> m_entries;
};

} // namespace rpcbench
