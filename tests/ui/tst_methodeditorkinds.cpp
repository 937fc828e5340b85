// The method editor's subscription kinds: a "Subscription" mock (notification, interval, max
// events, params template) and an "Unsubscribe" mock round-trip through the dialog (save, then
// edit shows the same), mistakes are shown and change nothing, and a saved subscription really
// pushes its events to a raw loopback client of a running server. Screenshot in
// RPCBENCH_SCREENSHOT_DIR (default ./screenshots).

#include "DemoServerFixture.h"
#include "FocusChain.h"
#include "SocketProbe.h"
#include "mock/MockService.h"
#include "server/MethodEditorDialog.h"

#include <QComboBox>
#include <QDir>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTest>

using namespace rpcbench;

class TestMethodEditorKinds : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void subscribeRoundTrip();
    void unsubscribeRoundTrip();
    void mistakesAreShown_data();
    void mistakesAreShown();
    void savedSubscriptionPushesEvents();
    void subscribePageTabOrder();

private:
    MethodEditorDialog* editor(const QString& existing = {});
    template <typename T> static T* find(QWidget* parent, const QString& name)
    {
        auto* w = parent->findChild<T*>(name);
        if (!w)
            qFatal("no widget %s", qPrintable(name));
        return w;
    }
    static void chooseKind(MethodEditorDialog* d, UserHandlerKind kind)
    {
        auto* combo = find<QComboBox>(d, QStringLiteral("handlerKindCombo"));
        combo->setCurrentIndex(combo->findData(int(kind)));
    }
    static void fillSubscribe(MethodEditorDialog* d, const QString& notification, int interval, int max,
                              const QString& tmpl)
    {
        find<QLineEdit>(d, QStringLiteral("subscribeNotificationEdit"))->setText(notification);
        find<QSpinBox>(d, QStringLiteral("subscribeIntervalSpin"))->setValue(interval);
        find<QSpinBox>(d, QStringLiteral("subscribeMaxEventsSpin"))->setValue(max);
        find<QPlainTextEdit>(d, QStringLiteral("subscribeTemplateEdit"))->setPlainText(tmpl);
    }

    std::unique_ptr<DemoServerFixture> m_server;
    std::unique_ptr<MockService> m_mocks;
    std::unique_ptr<QWidget> m_parent;
};

void TestMethodEditorKinds::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    m_mocks = std::make_unique<MockService>(m_server->registry, nullptr);
    m_parent = std::make_unique<QWidget>();
}

void TestMethodEditorKinds::cleanup()
{
    m_parent.reset();
    m_mocks.reset();
    m_server.reset();
}

MethodEditorDialog* TestMethodEditorKinds::editor(const QString& existing)
{
    auto* d = new MethodEditorDialog(*m_mocks, existing, m_parent.get());
    d->show();
    return d;
}

void TestMethodEditorKinds::subscribeRoundTrip()
{
    MethodEditorDialog* d = editor();
    find<QLineEdit>(d, QStringLiteral("methodNameEdit"))->setText(QStringLiteral("eth_subscribe"));
    chooseKind(d, UserHandlerKind::Subscribe);
    QVERIFY(find<QWidget>(d, QStringLiteral("subscribeHandler"))->isVisible());
    QVERIFY(find<QLabel>(d, QStringLiteral("subscribeHint"))
                ->text()
                .contains(QStringLiteral("{{subscription}}")));
    fillSubscribe(d, QStringLiteral("eth_subscription"), 250, 5,
                  QStringLiteral(R"({"subscription": "{{subscription}}", "result": {"block": "{{n}}"}})"));
    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(QStringLiteral("method-editor-subscribe.png"));
    QVERIFY(d->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
    QVERIFY2(d->save(), qPrintable(d->problem()));

    const auto saved = m_mocks->method(QStringLiteral("eth_subscribe"));
    QVERIFY(saved);
    QCOMPARE(toString(saved->kind), QStringLiteral("subscribe"));
    QCOMPARE(saved->subscription.notification, QStringLiteral("eth_subscription"));
    QCOMPARE(saved->subscription.intervalMs, 250);
    QCOMPARE(saved->subscription.maxEvents, 5);
    QCOMPARE(saved->subscription.params.toObject().value(QLatin1String("subscription")).toString(),
             QStringLiteral("{{subscription}}"));

    // Edit shows what was saved, and saving unchanged changes nothing.
    MethodEditorDialog* again = editor(QStringLiteral("eth_subscribe"));
    QCOMPARE(find<QComboBox>(again, QStringLiteral("handlerKindCombo"))->currentData().toInt(),
             int(UserHandlerKind::Subscribe));
    QCOMPARE(find<QSpinBox>(again, QStringLiteral("subscribeIntervalSpin"))->value(), 250);
    QString error;
    const auto shown = again->method(&error);
    QVERIFY2(shown, qPrintable(error));
    QVERIFY(*shown == *saved);
    QVERIFY2(again->save(), qPrintable(again->problem()));
    QVERIFY(*m_mocks->method(QStringLiteral("eth_subscribe")) == *saved);

    // An empty template is the default one.
    MethodEditorDialog* third = editor(QStringLiteral("eth_subscribe"));
    find<QPlainTextEdit>(third, QStringLiteral("subscribeTemplateEdit"))->clear();
    QVERIFY(third->save());
    QVERIFY(m_mocks->method(QStringLiteral("eth_subscribe"))->subscription.params.isUndefined());
}

void TestMethodEditorKinds::unsubscribeRoundTrip()
{
    MethodEditorDialog* d = editor();
    find<QLineEdit>(d, QStringLiteral("methodNameEdit"))->setText(QStringLiteral("eth_unsubscribe"));
    d->setFocus();
    chooseKind(d, UserHandlerKind::Unsubscribe);
    QVERIFY(find<QLabel>(d, QStringLiteral("unsubscribeHint"))->isVisible());
    QVERIFY2(d->save(), qPrintable(d->problem()));
    const auto saved = m_mocks->method(QStringLiteral("eth_unsubscribe"));
    QVERIFY(saved);
    QCOMPARE(toString(saved->kind), QStringLiteral("unsubscribe"));
    MethodEditorDialog* again = editor(QStringLiteral("eth_unsubscribe"));
    QCOMPARE(find<QComboBox>(again, QStringLiteral("handlerKindCombo"))->currentData().toInt(),
             int(UserHandlerKind::Unsubscribe));
}

void TestMethodEditorKinds::mistakesAreShown_data()
{
    QTest::addColumn<QString>("notification");
    QTest::addColumn<QString>("tmpl");
    QTest::addColumn<QString>("problem"); // part of the one line shown
    QTest::newRow("broken template") << "eth_subscription"
                                     << R"({"result": )"
                                     << "event params are not valid JSON";
    QTest::newRow("no notification") << ""
                                     << ""
                                     << "notification";
}

void TestMethodEditorKinds::mistakesAreShown()
{
    QFETCH(QString, notification);
    QFETCH(QString, tmpl);
    QFETCH(QString, problem);
    MethodEditorDialog* d = editor();
    find<QLineEdit>(d, QStringLiteral("methodNameEdit"))->setText(QStringLiteral("eth_subscribe"));
    chooseKind(d, UserHandlerKind::Subscribe);
    fillSubscribe(d, notification, 100, 0, tmpl);
    QVERIFY(!d->save());
    QVERIFY2(d->problem().contains(problem), qPrintable(d->problem()));
    QVERIFY(!d->problem().contains(QLatin1Char('\n')));
    QVERIFY(!m_mocks->method(QStringLiteral("eth_subscribe")));
    QVERIFY(d->isVisible());
}

// What the editor saves is what the server runs: a client subscribes and gets maxEvents events.
void TestMethodEditorKinds::savedSubscriptionPushesEvents()
{
    QVERIFY(m_server->start());
    MethodEditorDialog* d = editor();
    find<QLineEdit>(d, QStringLiteral("methodNameEdit"))->setText(QStringLiteral("eth_subscribe"));
    chooseKind(d, UserHandlerKind::Subscribe);
    d->addParam(QStringLiteral("kind"), ParamType::String); // eth_subscribe("newHeads")
    fillSubscribe(d, QStringLiteral("eth_subscription"), 20, 3,
                  QStringLiteral(R"({"subscription": "{{subscription}}", "result": "{{n}}"})"));
    QVERIFY2(d->save(), qPrintable(d->problem()));

    SocketProbe client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})"
                "\n");
    const QList<QJsonValue> lines = client.waitForJsonLines(4);
    QVERIFY2(lines.size() == 4, client.received().constData());
    const QString id = lines.at(0).toObject().value(QLatin1String("result")).toString();
    QVERIFY2(!id.isEmpty(), qPrintable(QString::fromUtf8(client.received())));
    for (int n = 1; n <= 3; ++n) {
        const QJsonObject event = lines.at(n).toObject();
        QCOMPARE(event.value(QLatin1String("method")).toString(), QStringLiteral("eth_subscription"));
        const QJsonObject params = event.value(QLatin1String("params")).toObject();
        QCOMPARE(params.value(QLatin1String("subscription")).toString(), id);
        QCOMPARE(params.value(QLatin1String("result")).toInt(), n);
    }
}

// The subscription fields come right after the handler choice, in reading order.
void TestMethodEditorKinds::subscribePageTabOrder()
{
    MethodEditorDialog* d = editor();
    chooseKind(d, UserHandlerKind::Subscribe);
    d->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(d));
    const uitest::FocusWalk walk =
        uitest::walkTabChain(find<QComboBox>(d, QStringLiteral("handlerKindCombo")));
    const QString order = uitest::describe(walk.chain);
    QVERIFY2(!walk.stuck, qPrintable(order));
    qsizetype previous = 0; // the handler combo is first
    for (const char* name : {"subscribeNotificationEdit", "subscribeIntervalSpin", "subscribeMaxEventsSpin",
                             "subscribeTemplateEdit", "saveMethodButton"}) {
        const qsizetype at = uitest::positionIn(walk.chain, find<QWidget>(d, QLatin1String(name)));
        QVERIFY2(at > previous,
                 qPrintable(QStringLiteral("%1 at %2 in %3").arg(QLatin1String(name)).arg(at).arg(order)));
        previous = at;
    }
    QCOMPARE(uitest::positionIn(walk.chain, find<QWidget>(d, QStringLiteral("subscribeNotificationEdit"))),
             1);
}

QTEST_MAIN(TestMethodEditorKinds)
#include "tst_methodeditorkinds.moc"
