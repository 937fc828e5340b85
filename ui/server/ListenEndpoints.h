#pragma once
// The embedded server's extra endpoints ("Listen on…" in the toolbar, saved in the workspace):
// Unix sockets, TLS ports, more TCP ports, besides the port and bind address in the toolbar.
// They are configuration first: kept while the server is stopped and opened each time it starts;
// one added while it runs is opened at once (and refused, with the reason, if it cannot be).

#include "mock/Workspace.h"

#include <QList>
#include <QObject>

namespace rpcbench {

class RpcServer;

class ListenEndpoints : public QObject
{
    Q_OBJECT
public:
    explicit ListenEndpoints(RpcServer* server, QObject* parent = nullptr);

    QList<WorkspaceListener> listeners() const;
    // Replaces the list (a workspace was opened); reopened at once when the server runs.
    void setListeners(const QList<WorkspaceListener>& listeners);
    // False with a one-line *error when the URL is not one a server listens on, a TLS URL lacks
    // its certificate or key, or (while running) the endpoint cannot be opened.
    bool add(const WorkspaceListener& listener, QString* error);
    void remove(int index);
    // Where listener `index` listens now (port 0 resolved); empty while it does not.
    QString boundUrl(int index) const;

signals:
    void changed();
    void failed(const QString& message); // an endpoint could not be reopened on start

private:
    struct Entry
    {
        WorkspaceListener config;
        QString bound;
    };
    bool open(Entry& entry, QString* error);
    void close(Entry& entry);
    void openAll();

    RpcServer* m_server;
    QList<Entry> m_entries;
};

} // namespace rpcbench
