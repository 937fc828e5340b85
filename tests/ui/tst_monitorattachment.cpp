// MonitorAttachment against a real ProxyMonitor (what `rpcbench proxy --monitor` serves): events
// fed to the monitor arrive on the GUI's bus and in the window's log, the status line says
// attached / detached / failed, Detach stops the flow, and a bad path is a one-line failure.
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "proxy/MonitorAttachment.h"
#include "proxy/ProxyMonitor.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QAction>
#include <QInputDialog>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

std::vector<TrafficEvent> sampleEvents(const QString& method)
{
    TrafficEvent request;
    request.timestampUs = 1732540000000000;
    request.connectionId = 3;
    request.peer = "127.0.0.1:4000";
    request.side = Side::Proxy;
    request.direction = Direction::In;
    request.summary.kind = MessageKind::Request;
    request.summary.dialect = Dialect::JsonRpc2;
    request.summary.method = method;
    request.summary.idJson = "7";
    request.raw = QStringLiteral(R"({"jsonrpc":"2.0","id":7,"method":"%1"})").arg(method).toUtf8();
    TrafficEvent reply = request;
    reply.timestampUs += 500;
    reply.direction = Direction::Out;
    reply.summary.kind = MessageKind::Response;
    reply.raw = R"({"jsonrpc":"2.0","id":7,"result":true})";
    reply.latencyUs = 500;
    reply.upstreamUs = 300;
    return {request, reply};
}

} // namespace

class TestMonitorAttachment : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { Dialogs::setQuiet(true); }
    void eventsReachTheBus();
    void badPathFails();
    void proxyGoingAwayDetaches();
    void windowAttachesThroughThePrompt();

private:
    QTemporaryDir m_dir;
    QString socketPath(const QString& name = QStringLiteral("monitor.sock")) const
    {
        return m_dir.filePath(name);
    }
};

void TestMonitorAttachment::eventsReachTheBus()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(), &error), qPrintable(error));
    auto bus = std::make_shared<TrafficBus>();
    MonitorAttachment attachment(bus);
    QSignalSpy attached(&attachment, &MonitorAttachment::attached);
    QSignalSpy status(&attachment, &MonitorAttachment::status);
    attachment.attach("unix:" + socketPath());
    QTRY_COMPARE(attached.count(), 1);
    QVERIFY(attachment.isAttached());
    QVERIFY(status.last().first().toString().startsWith(QLatin1String("Attached")));
    QTRY_COMPARE(monitor.monitorCount(), 1);

    monitor.feed(sampleEvents(QStringLiteral("initialize")));
    std::vector<TrafficEvent> got;
    QTRY_VERIFY([&] {
        for (TrafficEvent& e : bus->drain())
            got.push_back(std::move(e));
        return got.size() == 2;
    }());
    QCOMPARE(got[0].summary.method, QStringLiteral("initialize"));
    QVERIFY(got[0].side == Side::Proxy);
    QCOMPARE(got[1].upstreamUs, 300);

    QSignalSpy detached(&attachment, &MonitorAttachment::detached);
    attachment.detach();
    QCOMPARE(detached.count(), 1);
    QVERIFY(!attachment.isAttached());
    QTRY_COMPARE(monitor.monitorCount(), 0);
    monitor.feed(sampleEvents(QStringLiteral("late")));
    // Detached means nothing more arrives: the monitor has nobody to send to.
    QCOMPARE(monitor.monitorCount(), 0);
    QVERIFY(bus->drain().empty());
}

void TestMonitorAttachment::badPathFails()
{
    MonitorAttachment attachment(std::make_shared<TrafficBus>());
    QSignalSpy failed(&attachment, &MonitorAttachment::failed);
    QSignalSpy status(&attachment, &MonitorAttachment::status);
    attachment.attach("unix:" + socketPath(QStringLiteral("nobody-here.sock")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(!attachment.isAttached());
    const QString line = status.last().first().toString();
    QVERIFY2(line.startsWith(QLatin1String("Attach to proxy failed")) && !line.contains(u'\n'),
             qPrintable(line));
}

void TestMonitorAttachment::proxyGoingAwayDetaches()
{
    auto monitor = std::make_unique<ProxyMonitor>();
    QString error;
    QVERIFY2(monitor->listen(socketPath(QStringLiteral("gone.sock")), &error), qPrintable(error));
    MonitorAttachment attachment(std::make_shared<TrafficBus>());
    QSignalSpy attachedChanged(&attachment, &MonitorAttachment::attachedChanged);
    QSignalSpy detached(&attachment, &MonitorAttachment::detached);
    attachment.attach(socketPath(QStringLiteral("gone.sock"))); // a bare path works too
    QTRY_VERIFY(attachment.isAttached());
    QTRY_COMPARE(monitor->monitorCount(), 1);
    monitor.reset();
    QTRY_COMPARE(detached.count(), 1);
    QVERIFY(!attachment.isAttached());
    QCOMPARE(attachedChanged.count(), 2);
}

void TestMonitorAttachment::windowAttachesThroughThePrompt()
{
    ProxyMonitor monitor;
    QString error;
    QVERIFY2(monitor.listen(socketPath(QStringLiteral("window.sock")), &error), qPrintable(error));
    QTemporaryDir settingsDir;
    MainWindow window(std::make_unique<Settings>(settingsDir.filePath("settings.ini")));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* attach = window.findChild<QAction*>(QStringLiteral("actionAttachProxy"));
    auto* detach = window.findChild<QAction*>(QStringLiteral("actionDetachProxy"));
    QVERIFY(attach && detach);
    QVERIFY(!detach->isEnabled());
    attach->trigger();
    QInputDialog* prompt = window.monitorAttachment()->prompt();
    QVERIFY(prompt && prompt->isVisible()); // open(), not exec(): we got here
    prompt->setTextValue("unix:" + socketPath(QStringLiteral("window.sock")));
    prompt->accept();
    QTRY_VERIFY(detach->isEnabled());
    QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("Attached")),
             qPrintable(window.statusBar()->currentMessage()));
    QTRY_COMPARE(monitor.monitorCount(), 1);

    monitor.feed(sampleEvents(QStringLiteral("textDocument/hover")));
    TrafficLogModel* log = window.logPanel()->model();
    QTRY_COMPARE(log->rowCount(), 2);
    QCOMPARE(log->index(0, TrafficLogModel::MethodColumn).data().toString(),
             QStringLiteral("textDocument/hover"));

    detach->trigger();
    QVERIFY(!detach->isEnabled());
    QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("Detached")),
             qPrintable(window.statusBar()->currentMessage()));
    QTRY_COMPARE(monitor.monitorCount(), 0);
}

QTEST_MAIN(TestMonitorAttachment)
#include "tst_monitorattachment.moc"
