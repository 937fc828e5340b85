#include "window/StatusPanel.h"

#include "log/TrafficLogModel.h"
#include "server/RpcServer.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"
#include "window/BenchSession.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace rpcbench {

namespace {
// Each field elides its text (in full in the tooltip): four long fields must not make the
// window wider than a 1024-pixel screen.
ElidedLabel* addField(QStatusBar* bar, const QString& name, const QString& description)
{
    auto* label = new ElidedLabel(bar);
    label->setObjectName(name);
    // Its full width when there is room, less only when there is not.
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    label->setExtraToolTip(description);
    bar->addPermanentWidget(label);
    return label;
}

QLabel* addIcon(QStatusBar* bar, const QString& name)
{
    auto* label = new QLabel(bar);
    label->setObjectName(name);
    bar->addPermanentWidget(label);
    return label;
}
} // namespace

StatusPanel::StatusPanel(BenchSession* session, TrafficLogModel* log, QStatusBar* bar)
    : QObject(bar), m_session(session), m_log(log),
      m_serverIcon(addIcon(bar, QStringLiteral("statusServerIcon"))),
      m_server(addField(bar, QStringLiteral("statusServer"), tr("Embedded server"))),
      m_connections(
          addField(bar, QStringLiteral("statusConnections"), tr("Open connections to the embedded server"))),
      m_rate(addField(bar, QStringLiteral("statusRate"),
                      tr("Calls received per second by the embedded server"))),
      m_logSize(addField(bar, QStringLiteral("statusLog"),
                         tr("Messages in the log; evicted = pushed out by the cap")))
{
    connect(&m_timer, &QTimer::timeout, this, &StatusPanel::refresh);
    connect(m_log, &TrafficLogModel::countersChanged, this, &StatusPanel::updateLog);
    connect(m_session, &BenchSession::serverStateChanged, this, &StatusPanel::refresh);
    connect(m_session->server(), &RpcServer::listenersChanged, this, &StatusPanel::refresh);
    m_timer.start(1000);
    m_clock.start();
    refresh();
}

QString StatusPanel::serverText() const
{
    return m_server->fullText();
}

QString StatusPanel::connectionsText() const
{
    return m_connections->fullText();
}

QString StatusPanel::logText() const
{
    return m_logSize->fullText();
}

QString StatusPanel::listeningText() const
{
    // The toolbar's port first, as "address:port"; then every extra endpoint ("Listen on…") as
    // its URL: "127.0.0.1:5000 · unix:/tmp/rpcbench.sock · https://127.0.0.1:8443".
    QStringList shown{m_session->listeningAddress()};
    const QList<Endpoint> endpoints = m_session->server()->listeningEndpoints();
    for (qsizetype i = 1; i < endpoints.size(); ++i)
        shown << endpoints.at(i).toString();
    return shown.join(QStringLiteral(" · "));
}

void StatusPanel::refresh()
{
    const ServerStats stats = m_session->server()->stats();
    const double seconds = qMax<qint64>(1, m_clock.restart()) / 1000.0;
    const quint64 delta = stats.messagesIn >= m_lastMessages ? stats.messagesIn - m_lastMessages : 0;
    m_lastMessages = stats.messagesIn;
    const bool serving = m_session->isServing();
    // An icon beside plain text: "●" and "○" are empty boxes in the stock fonts.
    if (serving != m_shownServing) {
        m_shownServing = serving;
        StatusIcons::setPixmap(m_serverIcon, serving ? StatusIcon::Connected : StatusIcon::Disconnected);
    }
    if (serving) {
        m_server->setFullText(tr("Listening on %1").arg(listeningText()));
        m_connections->setFullText(tr("%n connection(s)", nullptr, stats.openConnections));
        m_rate->setFullText(tr("%1 calls/s").arg(QLocale().toString(qRound64(double(delta) / seconds))));
    } else {
        m_server->setFullText(tr("Server stopped"));
        m_connections->setFullText(QString());
        m_rate->setFullText(QString());
    }
    m_connections->setVisible(serving);
    m_rate->setVisible(serving);
    updateLog();
}

void StatusPanel::updateLog()
{
    const QLocale locale;
    QString text = tr("Log: %1 messages").arg(locale.toString(m_log->rowCount()));
    text += tr(", %1 evicted").arg(locale.toString(m_log->evictedCount()));
    if (m_log->isPaused())
        text += tr(", paused (%1 waiting)").arg(locale.toString(m_log->pendingCount()));
    if (m_log->busDroppedCount())
        text += tr(", %1 dropped").arg(locale.toString(m_log->busDroppedCount()));
    m_logSize->setFullText(text);
}

} // namespace rpcbench
