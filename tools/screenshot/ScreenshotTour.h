#pragma once
// Drives the real window through a short session for docs/screenshot.png: starts the embedded
// server on a free port, makes a few calls (one through the form: add 1 + 2 + 3), waits for the
// replies and the log rows, selects something worth showing, and saves QWidget::grab().
// Event-driven throughout: each step waits on a signal or a polling timer, never sleeps.

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace rpcbench {

class MainWindow;

class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(MainWindow* window, const QString& path, QObject* parent = nullptr);
    void start();

signals:
    void done(bool ok, const QString& message);

private:
    void makeCalls();
    void composeAdd();
    void waitFor(std::function<bool()> condition, std::function<void()> then);
    void arrange();
    void capture();
    void fail(const QString& why);

    MainWindow* m_window;
    QString m_path;
    QTimer m_poll;
    QTimer m_deadline;
    std::function<bool()> m_condition;
    std::function<void()> m_then;
};

} // namespace rpcbench
