#pragma once
// The "Proxy" toolbar, Proxy mode at a glance: a listen URL, an upstream URL and Start/Stop.
// Start adds a proxy with these two URLs to the ProxySet (or reuses the one that has them) and
// starts it; Stop stops it. Everything else (faults, breakpoints, more proxies) is in the
// Proxies panel, which lists the same set.
#include <QToolBar>

class QAction;
class QLineEdit;

namespace rpcbench {

class ProxySet;

class ProxyToolBar : public QToolBar
{
    Q_OBJECT
public:
    explicit ProxyToolBar(ProxySet* proxies, QWidget* parent = nullptr);

    QLineEdit* listenEdit() const { return m_listen; }
    QLineEdit* upstreamEdit() const { return m_upstream; }
    QAction* startStopAction() const { return m_startStop; }
    // The proxy with the toolbar's two URLs, or -1.
    int matchingProxy() const;

public slots:
    bool start(); // false with status() saying why
    void stop();

signals:
    void status(const QString& line);

private:
    void toggle();
    void updateState();

    ProxySet* m_proxies;
    QLineEdit* m_listen;
    QLineEdit* m_upstream;
    QAction* m_startStop;
};

} // namespace rpcbench
