#pragma once
// File > "Attach to proxy…": watches a headless proxy (`rpcbench proxy --monitor unix:/path`,
// e.g. one an editor started) from the window. A MonitorClient on its own thread reads the
// proxy's events from the socket and publishes them on the window's traffic bus, so the log
// shows them like its own traffic; the GUI thread does no I/O. One proxy at a time: attaching
// again detaches first.
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QInputDialog;
class QThread;
class QWidget;

namespace rpcbench {

class MonitorClient;
class TrafficBus;

class MonitorAttachment : public QObject
{
    Q_OBJECT
public:
    explicit MonitorAttachment(std::shared_ptr<TrafficBus> bus, QObject* parent = nullptr);
    ~MonitorAttachment() override;

    bool isAttached() const { return m_attached; }
    QString path() const { return m_path; }
    // The socket path prompt (window-modal, open()), or null.
    QInputDialog* prompt() const;

public slots:
    // Asks for the socket path without blocking; attach() follows on OK.
    void ask(QWidget* parent);
    void attach(const QString& path); // attached() or failed() follow
    void detach();

signals:
    void attached(const QString& path);
    void failed(const QString& reason);
    void detached(const QString& reason);
    void attachedChanged(bool attached);
    void status(const QString& line); // for the status bar

private:
    void setAttached(bool attached);
    void dropClient();

    std::shared_ptr<TrafficBus> m_bus;
    QThread* m_thread;                 // child; runs while the attachment lives
    MonitorClient* m_client = nullptr; // lives on m_thread, deleted there
    QPointer<QInputDialog> m_prompt;
    QString m_path;
    bool m_attached = false;
};

} // namespace rpcbench
