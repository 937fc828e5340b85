#include "server/ListenEndpoints.h"

#include "server/ListenSpec.h"
#include "server/RpcServer.h"

#include <QSet>

namespace rpcbench {

namespace {

std::optional<ListenSpec> specFor(const WorkspaceListener& listener, QString* error)
{
    auto spec = ListenSpec::parse(listener.url.trimmed(), error);
    if (!spec)
        return std::nullopt;
    spec->tlsCertificate = listener.tlsCertificate;
    spec->tlsKey = listener.tlsKey;
    if (spec->isTls() && (spec->tlsCertificate.isEmpty() || spec->tlsKey.isEmpty())) {
        *error = QObject::tr("%1 needs a TLS certificate and key").arg(spec->endpoint.toString());
        return std::nullopt;
    }
    return spec;
}

QSet<QString> boundUrls(const RpcServer* server)
{
    QSet<QString> urls;
    for (const Endpoint& e : server->listeningEndpoints())
        urls.insert(e.toString());
    return urls;
}

} // namespace

ListenEndpoints::ListenEndpoints(RpcServer* server, QObject* parent) : QObject(parent), m_server(server)
{
    connect(m_server, &RpcServer::started, this, &ListenEndpoints::openAll);
    connect(m_server, &RpcServer::stopped, this, [this] {
        for (Entry& e : m_entries)
            e.bound.clear();
        emit changed();
    });
}

QList<WorkspaceListener> ListenEndpoints::listeners() const
{
    QList<WorkspaceListener> list;
    for (const Entry& e : m_entries)
        list << e.config;
    return list;
}

void ListenEndpoints::setListeners(const QList<WorkspaceListener>& listeners)
{
    if (listeners == this->listeners())
        return;
    for (Entry& e : m_entries)
        close(e);
    m_entries.clear();
    for (const WorkspaceListener& l : listeners)
        m_entries.append(Entry{l, {}});
    if (m_server->isListening())
        openAll();
    emit changed();
}

bool ListenEndpoints::add(const WorkspaceListener& listener, QString* error)
{
    Entry entry{listener, {}};
    if (!specFor(listener, error) || (m_server->isListening() && !open(entry, error)))
        return false;
    m_entries.append(entry);
    emit changed();
    return true;
}

void ListenEndpoints::remove(int index)
{
    if (index < 0 || index >= m_entries.size())
        return;
    close(m_entries[index]);
    m_entries.removeAt(index);
    emit changed();
}

QString ListenEndpoints::boundUrl(int index) const
{
    return index >= 0 && index < m_entries.size() ? m_entries.at(index).bound : QString();
}

bool ListenEndpoints::open(Entry& entry, QString* error)
{
    const auto spec = specFor(entry.config, error);
    if (!spec)
        return false;
    // The server names its endpoints as bound (port 0 resolved): the new one is the one added.
    const QSet<QString> before = boundUrls(m_server);
    if (!m_server->addListener(*spec, error))
        return false;
    const QSet<QString> added = boundUrls(m_server) - before;
    entry.bound = added.isEmpty() ? spec->endpoint.toString() : *added.cbegin();
    return true;
}

void ListenEndpoints::close(Entry& entry)
{
    if (!entry.bound.isEmpty())
        m_server->removeListener(entry.bound);
    entry.bound.clear();
}

void ListenEndpoints::openAll()
{
    for (Entry& e : m_entries) {
        QString error;
        if (e.bound.isEmpty() && !open(e, &error))
            emit failed(tr("Cannot listen on %1: %2").arg(e.config.url, error));
    }
    emit changed();
}

} // namespace rpcbench
