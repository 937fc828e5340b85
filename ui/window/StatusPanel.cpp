#include "window/StatusPanel.h"

#include "log/TrafficLogModel.h"
#include "server/RpcServer.h"
#include "window/BenchSession.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace rpcbench {

namespace {
QLabel* addField(QStatusBar* bar, const QString& name, const QString& tip)
{
    auto* label = new QLabel(bar);
    label->setObjectName(name);
    label->setToolTip(tip);
    bar->addPermanentWidget(label);
    return label;
}
} // namespace

StatusPanel::StatusPanel(BenchSession* session, TrafficLogModel* log, QStatusBar* bar)
    : QObject(bar), m_session(session), m_log(log),
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
    m_timer.start(1000);
    m_clock.start();
    refresh();
}

QString StatusPanel::serverText() const
{
    return m_server->text();
}

QString StatusPanel::connectionsText() const
{
    return m_connections->text();
}

QString StatusPanel::logText() const
{
    return m_logSize->text();
}

void StatusPanel::refresh()
{
    const ServerStats stats = m_session->server()->stats();
    const double seconds = qMax<qint64>(1, m_clock.restart()) / 1000.0;
    const quint64 delta = stats.messagesIn >= m_lastMessages ? stats.messagesIn - m_lastMessages : 0;
    m_lastMessages = stats.messagesIn;
    if (m_session->isServing()) {
        m_server->setText(tr("● Listening on %1").arg(m_session->listeningAddress()));
        m_connections->setText(tr("%n connection(s)", nullptr, stats.openConnections));
        m_rate->setText(tr("%1 calls/s").arg(QLocale().toString(qRound64(double(delta) / seconds))));
    } else {
        m_server->setText(tr("○ Server stopped"));
        m_connections->setText(QString());
        m_rate->setText(QString());
    }
    m_connections->setVisible(m_session->isServing());
    m_rate->setVisible(m_session->isServing());
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
    m_logSize->setText(text);
}

} // namespace rpcbench
