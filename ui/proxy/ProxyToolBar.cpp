#include "proxy/ProxyToolBar.h"

#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"
#include "server/ListenSpec.h"
#include "wire/Endpoint.h"

#include <QAction>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>

namespace rpcbench {

namespace {

QLineEdit* urlEdit(const QString& name, const QString& placeholder, const QString& tip, QWidget* parent)
{
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    // Compact: the toolbar shares the window with the main one at 1024 px.
    edit->setMinimumWidth(edit->fontMetrics().horizontalAdvance(placeholder) + 40);
    edit->setMaximumWidth(edit->minimumWidth() * 2);
    return edit;
}

} // namespace

ProxyToolBar::ProxyToolBar(ProxySet* proxies, QWidget* parent)
    : QToolBar(tr("Proxy"), parent), m_proxies(proxies),
      m_listen(urlEdit(QStringLiteral("proxyListenUrl"), QStringLiteral("tcp://127.0.0.1:9001"),
                       tr("Where your client connects instead of your server"), this)),
      m_upstream(urlEdit(QStringLiteral("proxyUpstreamUrl"), QStringLiteral("tcp://127.0.0.1:9000"),
                         tr("Your server: the proxy forwards every message there"), this)),
      m_startStop(new QAction(QIcon(QStringLiteral(":/icons/start.svg")), tr("Start proxy"), this))
{
    setObjectName(QStringLiteral("proxyToolBar"));
    // Compact: a second toolbar row must not cost the height 1024×640 needs for the panels.
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setIconSize(QSize(16, 16));
    layout()->setContentsMargins(0, 0, 0, 0);
    layout()->setSpacing(2);
    m_startStop->setObjectName(QStringLiteral("actionStartStopProxy"));
    addWidget(new QLabel(tr(" Proxy "), this));
    addWidget(m_listen);
    addWidget(new QLabel(QStringLiteral(" \u2192 "), this));
    addWidget(m_upstream);
    addAction(m_startStop);
    connect(m_startStop, &QAction::triggered, this, &ProxyToolBar::toggle);
    for (QLineEdit* edit : {m_listen, m_upstream}) {
        connect(edit, &QLineEdit::textChanged, this, &ProxyToolBar::updateState);
        connect(edit, &QLineEdit::returnPressed, this, &ProxyToolBar::start);
    }
    connect(m_proxies, &ProxySet::stateChanged, this, &ProxyToolBar::updateState);
    connect(m_proxies, &ProxySet::configsChanged, this, &ProxyToolBar::updateState);
    updateState();
}

int ProxyToolBar::matchingProxy() const
{
    const QString listen = m_listen->text().trimmed();
    const QString upstream = m_upstream->text().trimmed();
    for (int i = 0; i < m_proxies->count(); ++i) {
        if (m_proxies->listen(i) == listen && m_proxies->upstream(i) == upstream)
            return i;
    }
    return -1;
}

bool ProxyToolBar::start()
{
    int index = matchingProxy();
    if (index >= 0 && m_proxies->isRunning(index))
        return true;
    if (index < 0) {
        // Checked here so a typo is one line in the status bar, not a dead proxy in the list.
        ProxyConfig config;
        config.listen = m_listen->text().trimmed();
        config.upstream = m_upstream->text().trimmed();
        QString problem;
        if (!ListenSpec::parse(config.listen, &problem)) {
            emit status(tr("Proxy listen URL %1: %2").arg(config.listen, problem));
            return false;
        }
        if (!Endpoint::parse(config.upstream, &problem)) {
            emit status(tr("Proxy upstream %1: %2").arg(config.upstream, problem));
            return false;
        }
        index = m_proxies->add(config);
    }
    QString error;
    if (!m_proxies->start(index, &error)) {
        emit status(tr("Proxy: %1").arg(error));
        return false;
    }
    const auto endpoints = m_proxies->proxy(index)->listeningEndpoints();
    emit status(tr("Proxy listening on %1, forwarding to %2")
                    .arg(endpoints.isEmpty() ? m_listen->text() : endpoints.constFirst().toString(),
                         m_upstream->text().trimmed()));
    return true;
}

void ProxyToolBar::stop()
{
    const int index = matchingProxy();
    if (index >= 0 && m_proxies->isRunning(index)) {
        m_proxies->stop(index);
        emit status(tr("Proxy %1 stopped").arg(m_proxies->title(index)));
    }
}

void ProxyToolBar::toggle()
{
    const int index = matchingProxy();
    if (index >= 0 && m_proxies->isRunning(index))
        stop();
    else
        start();
}

void ProxyToolBar::updateState()
{
    const int index = matchingProxy();
    const bool running = index >= 0 && m_proxies->isRunning(index);
    m_startStop->setText(running ? tr("Stop proxy") : tr("Start proxy"));
    m_startStop->setIcon(
        QIcon(running ? QStringLiteral(":/icons/stop.svg") : QStringLiteral(":/icons/start.svg")));
    m_startStop->setEnabled(!m_listen->text().trimmed().isEmpty() && !m_upstream->text().trimmed().isEmpty());
}

} // namespace rpcbench
