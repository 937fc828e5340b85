// "Send to client…": the params are checked as typed (Send disabled, a clear one-line reason),
// a notification reaches raw loopback clients (one, or all that can take pushes), a request's
// reply (result, error, timeout) is shown in the dialog, requests never go to "all", and a
// closed or plain-HTTP target is explained instead of sent to. Screenshots in RPCBENCH_SCREENSHOT_DIR
// (default ./screenshots).

#include "DemoServerFixture.h"
#include "FocusChain.h"
#include "SocketProbe.h"
#include "server/ConnectionsModel.h"
#include "server/SendToClientDialog.h"
#include "util/JsonText.h"

#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

using namespace rpcbench;

class TestSendToClient : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void paramsAreValidated_data();
    void paramsAreValidated();
    void notificationReachesClient();
    void notificationToAll();
    void requestReplyIsShown_data();
    void requestReplyIsShown();
    void requestTimeoutIsShown();
    void requestsGoToOneConnection();
    void tabOrderFollowsTheForm();
    void closedTargetIsExplained();
    void requestToClosingClientIsShown();
    void httpTargetIsExplained();

private:
    // A raw client that has spoken once, so the server knows its framing (JSON stream).
    quint64 connectClient(SocketProbe& probe);
    SendToClientDialog* dialog(quint64 target);
    // The first message the probe received with `method`, removed from its buffer.
    static QJsonObject takeMessage(SocketProbe& probe, const QString& method);

    std::unique_ptr<DemoServerFixture> m_server;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<QWidget> m_parent;
};

void TestSendToClient::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    QVERIFY(m_server->start());
    m_model = std::make_unique<ConnectionsModel>();
    m_model->setRefreshInterval(50);
    m_model->setServer(m_server->server.get());
    m_parent = std::make_unique<QWidget>();
}

void TestSendToClient::cleanup()
{
    m_parent.reset(); // the dialogs
    m_model.reset();
    m_server.reset();
}

quint64 TestSendToClient::connectClient(SocketProbe& probe)
{
    if (!probe.connectTo(m_server->port()))
        return 0;
    probe.send(R"({"jsonrpc":"2.0","id":"hello","method":"add","params":[1,2]})"
               "\n");
    if (!probe.waitFor([&] { return probe.received().contains("\"hello\""); }))
        return 0;
    probe.received().clear();
    const QString suffix = QStringLiteral(":%1").arg(probe.socket().localPort());
    quint64 id = 0;
    (void)QTest::qWaitFor([&] {
        for (const ConnectionInfo& c : m_model->connections()) {
            if (c.peer.endsWith(suffix) && c.canPush)
                id = c.id;
        }
        return id != 0;
    });
    return id;
}

SendToClientDialog* TestSendToClient::dialog(quint64 target)
{
    auto* d = new SendToClientDialog(m_server->server.get(), m_model.get(), target, m_parent.get());
    d->show();
    return d;
}

QJsonObject TestSendToClient::takeMessage(SocketProbe& probe, const QString& method)
{
    QJsonObject found;
    probe.waitFor([&] {
        for (const QByteArray& line : probe.received().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QLatin1String("method")).toString() == method) {
                found = o;
                return true;
            }
        }
        return false;
    });
    return found;
}

void TestSendToClient::paramsAreValidated_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("params");
    QTest::addColumn<QString>("problem"); // part of the reason; empty: fine
    QTest::newRow("no params") << "window/logMessage"
                               << ""
                               << "";
    QTest::newRow("object") << "window/logMessage"
                            << R"({"type": 3, "message": "hi"})"
                            << "";
    QTest::newRow("array") << "eth_subscription"
                           << "[1, 2]"
                           << "";
    QTest::newRow("broken") << "window/logMessage"
                            << R"({"type": )"
                            << "not valid JSON";
    QTest::newRow("scalar") << "window/logMessage"
                            << "42"
                            << "object or array";
    QTest::newRow("no method") << "  "
                               << "{}"
                               << "Enter the method";
}

void TestSendToClient::paramsAreValidated()
{
    QFETCH(QString, method);
    QFETCH(QString, params);
    QFETCH(QString, problem);
    SendToClientDialog* d = dialog(0);
    d->setMethod(method);
    d->setParamsText(params);
    QCOMPARE(d->sendButton()->isEnabled(), problem.isEmpty());
    QVERIFY2(problem.isEmpty() ? d->problem().isEmpty() : d->problem().contains(problem),
             qPrintable(d->problem()));
    if (!problem.isEmpty()) {
        QVERIFY(!d->send()); // even when called directly, nothing leaves
        QVERIFY(d->outcomes().isEmpty());
    }
}

void TestSendToClient::notificationReachesClient()
{
    SocketProbe probe;
    SocketProbe other;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    const quint64 otherId = connectClient(other);
    QVERIFY(otherId);
    SendToClientDialog* d = dialog(id);
    QCOMPARE(d->target(), id);
    d->setKind(SendToClientDialog::Kind::Notification);
    d->setMethod(QStringLiteral("window/logMessage"));
    d->setParamsText(QStringLiteral(R"({"type": 3, "message": "hello from the server"})"));
    QVERIFY2(d->send(), qPrintable(d->problem()));
    const QJsonObject message = takeMessage(probe, QStringLiteral("window/logMessage"));
    QCOMPARE(message.value(QLatin1String("jsonrpc")).toString(), QStringLiteral("2.0"));
    QVERIFY(!message.contains(QLatin1String("id")));
    QCOMPARE(message.value(QLatin1String("params")).toObject().value(QLatin1String("message")).toString(),
             QStringLiteral("hello from the server"));
    QVERIFY2(d->outcomes().contains(QStringLiteral("sent to 1 connection")), qPrintable(d->outcomes()));
    QCOMPARE(SendToClientDialog::recentMethods().value(0), QStringLiteral("window/logMessage"));
    // Only the chosen connection got it: a later message to the other one arrives alone.
    d->setTarget(otherId);
    d->setMethod(QStringLiteral("marker"));
    QVERIFY(d->send());
    QVERIFY(!takeMessage(other, QStringLiteral("marker")).isEmpty());
    QVERIFY(!other.received().contains("window/logMessage"));
}

void TestSendToClient::notificationToAll()
{
    SocketProbe a;
    SocketProbe b;
    QVERIFY(connectClient(a));
    QVERIFY(connectClient(b));
    SendToClientDialog* d = dialog(0);
    d->setMethod(QStringLiteral("notifications/message"));
    d->setParamsText(QStringLiteral(R"({"level": "info", "data": "to everyone"})"));
    QVERIFY2(d->send(), qPrintable(d->problem()));
    for (SocketProbe* probe : {&a, &b}) {
        const QJsonObject message = takeMessage(*probe, QStringLiteral("notifications/message"));
        QCOMPARE(message.value(QLatin1String("params")).toObject().value(QLatin1String("data")).toString(),
                 QStringLiteral("to everyone"));
    }
    QVERIFY2(d->outcomes().contains(QStringLiteral("sent to 2 connections")), qPrintable(d->outcomes()));
}

void TestSendToClient::requestReplyIsShown_data()
{
    QTest::addColumn<QByteArray>("answer"); // the reply's member after "id"
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("result") << QByteArray(R"("result":[{"tabSize":4}])")
                            << QStringList{QStringLiteral("result"), QStringLiteral("\"tabSize\": 4")};
    QTest::newRow("error") << QByteArray(
                                  R"("error":{"code":-32601,"message":"Method not found","data":"nope"})")
                           << QStringList{QStringLiteral("error -32601: Method not found"),
                                          QStringLiteral("data: \"nope\"")};
}

void TestSendToClient::requestReplyIsShown()
{
    QFETCH(QByteArray, answer);
    QFETCH(QStringList, shown);
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(id);
    d->setKind(SendToClientDialog::Kind::Request);
    QCOMPARE(d->target(), id);
    d->setMethod(QStringLiteral("workspace/configuration"));
    d->setParamsText(QStringLiteral(R"({"items": [{"section": "editor"}]})"));
    QSignalSpy replies(d, &SendToClientDialog::replyShown);
    QVERIFY2(d->send(), qPrintable(d->problem()));
    QVERIFY(d->outcomes().contains(QStringLiteral("awaiting the reply")));
    const QJsonObject request = takeMessage(probe, QStringLiteral("workspace/configuration"));
    QVERIFY(request.contains(QLatin1String("id")));
    probe.send(R"({"jsonrpc":"2.0","id":)" + JsonText::compact(request.value(QLatin1String("id"))) + "," +
               answer + "}\n");
    QVERIFY(replies.wait(5000));
    for (const QString& part : shown)
        QVERIFY2(d->outcomes().contains(part), qPrintable(part + QStringLiteral(" in ") + d->outcomes()));
    QVERIFY2(d->outcomes().contains(QStringLiteral(" in ")), qPrintable(d->outcomes())); // the latency

    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot =
        QDir(dir).filePath(QStringLiteral("send-to-client-%1.png").arg(QTest::currentDataTag()));
    QVERIFY(d->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
}

void TestSendToClient::requestTimeoutIsShown()
{
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(id);
    d->setKind(SendToClientDialog::Kind::Request);
    d->findChild<QSpinBox*>(QStringLiteral("sendTimeoutSpin"))->setValue(200);
    d->setMethod(QStringLiteral("sampling/createMessage"));
    QSignalSpy replies(d, &SendToClientDialog::replyShown);
    QVERIFY(d->send());
    QVERIFY(!takeMessage(probe, QStringLiteral("sampling/createMessage")).isEmpty()); // never answered
    QVERIFY(replies.wait(5000));
    QCOMPARE(toString(replies.at(0).at(1).value<CallResult>().status), toString(CallStatus::Timeout));
    QVERIFY2(d->outcomes().contains(QStringLiteral("✗ sampling/createMessage")), qPrintable(d->outcomes()));
}

// A request awaits one reply: "all" cannot be chosen for it.
void TestSendToClient::requestsGoToOneConnection()
{
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(0);
    QCOMPARE(d->target(), 0u);
    d->setKind(SendToClientDialog::Kind::Request);
    QCOMPARE(d->target(), id); // moved to the one connection that can take it
    auto* targets = d->findChild<QComboBox*>(QStringLiteral("sendTargetCombo"));
    auto* items = qobject_cast<QStandardItemModel*>(targets->model());
    QVERIFY(items);
    QCOMPARE(items->item(0)->data(Qt::UserRole).toULongLong(), 0u);
    QVERIFY(!items->item(0)->isEnabled());
    d->setKind(SendToClientDialog::Kind::Notification);
    QVERIFY(items->item(0)->isEnabled());
    targets->setCurrentIndex(0); // as the arrow keys do
    QCOMPARE(d->target(), 0u);
}

void TestSendToClient::tabOrderFollowsTheForm()
{
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(id);
    d->setKind(SendToClientDialog::Kind::Request);
    d->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(d));
    auto* kind = d->findChild<QComboBox*>(QStringLiteral("sendKindCombo"));
    const uitest::FocusWalk walk = uitest::walkTabChain(kind);
    const QString order = uitest::describe(walk.chain);
    QVERIFY2(!walk.stuck, qPrintable(order));
    qsizetype previous = -1;
    for (const char* name : {"sendKindCombo", "sendTargetCombo", "sendMethodCombo", "sendParamsEdit",
                             "sendTimeoutSpin", "sendToClientButton", "sendOutcomesView"}) {
        const qsizetype at = uitest::positionIn(walk.chain, d->findChild<QWidget*>(QLatin1String(name)));
        QVERIFY2(at > previous,
                 qPrintable(QStringLiteral("%1 at %2 in %3").arg(QLatin1String(name)).arg(at).arg(order)));
        previous = at;
    }
    const QString invisible = uitest::invisibleStop(walk.chain);
    QVERIFY2(invisible.isEmpty(), qPrintable(invisible + QStringLiteral(" in ") + order));
}

void TestSendToClient::closedTargetIsExplained()
{
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(id);
    d->setMethod(QStringLiteral("window/logMessage"));
    probe.socket().abort();
    QTRY_COMPARE(m_model->rowCount(), 0);
    auto* targets = d->findChild<QComboBox*>(QStringLiteral("sendTargetCombo"));
    QVERIFY2(targets->currentText().contains(QStringLiteral("closed")), qPrintable(targets->currentText()));
    QVERIFY(!d->send());
    QVERIFY2(d->problem().contains(QStringLiteral("#%1 has closed").arg(id)), qPrintable(d->problem()));
    QVERIFY(d->outcomes().isEmpty());
}

// The client leaves before it answers: the dialog says so instead of waiting forever.
void TestSendToClient::requestToClosingClientIsShown()
{
    SocketProbe probe;
    const quint64 id = connectClient(probe);
    QVERIFY(id);
    SendToClientDialog* d = dialog(id);
    d->setKind(SendToClientDialog::Kind::Request);
    d->setMethod(QStringLiteral("roots/list"));
    QSignalSpy replies(d, &SendToClientDialog::replyShown);
    QVERIFY(d->send());
    QVERIFY(!takeMessage(probe, QStringLiteral("roots/list")).isEmpty());
    probe.socket().abort();
    QVERIFY(replies.wait(5000));
    QCOMPARE(toString(replies.at(0).at(1).value<CallResult>().status), toString(CallStatus::TransportError));
    QVERIFY2(d->outcomes().contains(QStringLiteral("✗ roots/list to #%1").arg(id)),
             qPrintable(d->outcomes()));
}

// Plain HTTP cannot carry what the server starts: the target says so, and Send explains why.
void TestSendToClient::httpTargetIsExplained()
{
    SocketProbe http;
    QVERIFY(http.connectTo(m_server->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]})";
    http.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
              QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(http.waitFor([&] { return http.received().contains("\"result\""); }));
    QTRY_VERIFY(m_model->rowCount() == 1 && m_model->connection(0).transport == Transport::Http);
    const quint64 id = m_model->connection(0).id;
    SendToClientDialog* d = dialog(id);
    d->setMethod(QStringLiteral("window/logMessage"));
    auto* targets = d->findChild<QComboBox*>(QStringLiteral("sendTargetCombo"));
    QVERIFY2(targets->currentText().contains(QStringLiteral("cannot take pushes")),
             qPrintable(targets->currentText()));
    auto* note = d->findChild<QLabel*>(QStringLiteral("sendTargetNote"));
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("event stream")), qPrintable(note->text()));
    QVERIFY(d->sendButton()->isEnabled()); // pressing it tells why rather than doing nothing
    QVERIFY(!d->send());
    QVERIFY2(d->problem().contains(QStringLiteral("event stream")), qPrintable(d->problem()));
    QVERIFY(d->outcomes().isEmpty());
    QVERIFY(!http.received().contains("window/logMessage"));
}

QTEST_MAIN(TestSendToClient)
#include "tst_sendtoclient.moc"
