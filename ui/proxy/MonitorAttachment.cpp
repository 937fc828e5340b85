#include "proxy/MonitorAttachment.h"

#include "proxy/MonitorClient.h"

#include <QInputDialog>
#include <QThread>

#include <utility>

namespace rpcbench {

MonitorAttachment::MonitorAttachment(std::shared_ptr<TrafficBus> bus, QObject* parent)
    : QObject(parent), m_bus(std::move(bus)), m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("proxyMonitor"));
    m_thread->start();
}

MonitorAttachment::~MonitorAttachment()
{
    if (MonitorClient* client = std::exchange(m_client, nullptr)) {
        disconnect(client, nullptr, this, nullptr);
        // Its socket belongs to the worker thread: it is closed there, before the thread ends.
        QMetaObject::invokeMethod(
            client, [client] { delete client; }, Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
}

QInputDialog* MonitorAttachment::prompt() const
{
    return m_prompt;
}

void MonitorAttachment::ask(QWidget* parent)
{
    if (m_prompt) {
        m_prompt->raise();
        return;
    }
    m_prompt = new QInputDialog(parent);
    m_prompt->setObjectName(QStringLiteral("attachProxyPrompt"));
    m_prompt->setAttribute(Qt::WA_DeleteOnClose);
    m_prompt->setWindowModality(Qt::WindowModal);
    m_prompt->setWindowTitle(tr("Attach to proxy"));
    m_prompt->setLabelText(tr("Monitor socket of a running proxy (rpcbench proxy … --monitor unix:/path):"));
    m_prompt->setTextValue(m_path.isEmpty() ? QStringLiteral("unix:") : m_path);
    connect(m_prompt, &QInputDialog::textValueSelected, this, [this](const QString& text) {
        if (!text.trimmed().isEmpty())
            attach(text.trimmed());
    });
    m_prompt->open();
}

void MonitorAttachment::attach(const QString& path)
{
    dropClient();
    m_path = path;
    auto* client = new MonitorClient(m_bus);
    m_client = client;
    client->moveToThread(m_thread);
    // A signal queued before a detach must not speak for the next client: each checks it is
    // still the current one.
    connect(client, &MonitorClient::attached, this, [this, client](const QString& where) {
        if (client != m_client)
            return;
        setAttached(true);
        emit status(tr("Attached to proxy monitor %1: its traffic shows in the log").arg(where));
        emit attached(where);
    });
    connect(client, &MonitorClient::failed, this, [this, client](const QString& reason) {
        if (client != m_client)
            return;
        setAttached(false);
        emit status(tr("Attach to proxy failed: %1").arg(reason));
        emit failed(reason);
    });
    connect(client, &MonitorClient::detached, this, [this, client](const QString& reason) {
        if (client != m_client)
            return;
        setAttached(false);
        emit status(tr("Detached from proxy: %1").arg(reason));
        emit detached(reason);
    });
    QMetaObject::invokeMethod(client, [client, path] { client->attach(path); });
}

void MonitorAttachment::detach()
{
    if (!m_client)
        return;
    const bool was = m_attached;
    dropClient();
    setAttached(false);
    if (was) {
        emit status(tr("Detached from proxy %1").arg(m_path));
        emit detached(tr("detached by the user"));
    }
}

void MonitorAttachment::dropClient()
{
    if (!m_client)
        return;
    // Its late signals (a queued "attached") must not reach this object any more.
    disconnect(m_client, nullptr, this, nullptr);
    MonitorClient* client = m_client;
    m_client = nullptr;
    QMetaObject::invokeMethod(client, [client] {
        client->detach();
        client->deleteLater();
    });
}

void MonitorAttachment::setAttached(bool attached)
{
    if (attached == m_attached)
        return;
    m_attached = attached;
    emit attachedChanged(attached);
}

} // namespace rpcbench
