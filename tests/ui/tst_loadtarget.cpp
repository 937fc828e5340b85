// LoadTarget: the Load panel reaches its target with the client's connection settings for it.
// apply() fills the endpoint (headers, auth, TLS files) and the handshake from a TargetBar's
// saved settings and refuses a malformed handshake; a Load panel run against an independent
// HTTPS server that requires a bearer token (tests/support/https_bearer_server.py, certificates
// made at test time) succeeds with the saved token and CA, and without them every reply counts
// as "HTTP 401"; a saved handshake runs once per connection before the load (server-side
// counts); "Copy as command" carries the options with the token masked.

#include "DemoServerFixture.h"
#include "HttpsBearerServer.h"

#include "client/TargetBar.h"
#include "collections/CollectionStore.h"
#include "load/LoadPanel.h"
#include "load/LoadReport.h"
#include "load/LoadRunController.h"
#include "load/LoadTarget.h"
#include "widgets/ElidedLabel.h"
#include "window/Dialogs.h"

#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace rpcbench;

namespace {

const QString kToken = QStringLiteral("t0ken-load-42");

QJsonArray echoHandshake()
{
    return QJsonArray{QJsonObject{{"method", "echo"}, {"params", QJsonArray{"hello"}}}};
}

} // namespace

class TestLoadTarget : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void applyUsesSavedSettings();
    void applyRefusesBadInput_data();
    void applyRefusesBadInput();
    void runWithTokenAndCa();
    void runWithoutSettingsCountsHttp401();
    void handshakeOnEveryConnection();

private:
    void saveTarget(const QString& url, const WorkspaceTarget& target);
    LoadResult run(const QString& url, const QString& method, const QString& params, int connections = 1);
    QString httpsUrl() const { return QStringLiteral("https://127.0.0.1:%1/rpc").arg(m_https.port()); }

    HttpsBearerServer m_https;
    DemoServerFixture m_demo;
    CollectionStore m_store;
    std::unique_ptr<TargetBar> m_bar;
    std::unique_ptr<LoadPanel> m_panel;
};

void TestLoadTarget::initTestCase()
{
    Dialogs::setQuiet(true);
    QVERIFY(m_demo.start());
    if (m_https.canRun()) // else the HTTPS cases skip, naming the reason
        QVERIFY2(m_https.start(kToken), qPrintable(m_https.why()));
}

void TestLoadTarget::init()
{
    m_bar = std::make_unique<TargetBar>(QString(), QStringLiteral("2.0"));
    m_panel = std::make_unique<LoadPanel>(&m_store);
    m_panel->setTargetSettings(
        [this](LoadOptions* options, QString* error) { return LoadTarget::apply(*m_bar, options, error); });
    m_panel->resize(1100, 420);
    m_panel->show();
}

void TestLoadTarget::cleanup()
{
    m_panel.reset();
    m_bar.reset();
}

void TestLoadTarget::saveTarget(const QString& url, const WorkspaceTarget& target)
{
    QMap<QString, WorkspaceTarget> targets = m_bar->targets();
    targets.insert(TargetBar::targetKey(url), target);
    m_bar->setTargets(targets);
}

LoadResult TestLoadTarget::run(const QString& url, const QString& method, const QString& params,
                               int connections)
{
    m_panel->findChild<QLineEdit*>(QStringLiteral("loadUrl"))->setText(url);
    m_panel->findChild<QLineEdit*>(QStringLiteral("loadMethod"))->setText(method);
    m_panel->findChild<QLineEdit*>(QStringLiteral("loadParams"))->setText(params);
    m_panel->findChild<QSpinBox*>(QStringLiteral("loadConnections"))->setValue(connections);
    m_panel->findChild<QDoubleSpinBox*>(QStringLiteral("loadDuration"))->setValue(0.6);
    QSignalSpy finished(m_panel->controller(), &LoadRunController::finished);
    if (!m_panel->start() || !finished.wait(20'000))
        return LoadResult{false, m_panel->messageLabel()->text()};
    return m_panel->controller()->lastResult();
}

void TestLoadTarget::applyUsesSavedSettings()
{
    const QString url = QStringLiteral("https://127.0.0.1:4443/rpc");
    WorkspaceTarget target;
    target.options.bearerToken = kToken;
    target.options.caCertificates = {QStringLiteral("/tmp/ca.pem")};
    target.options.headers.append(qMakePair(QByteArray("X-Trace"), QByteArray("load")));
    target.init = echoHandshake();
    saveTarget(url, target);

    LoadOptions o;
    o.url = url;
    QString error;
    QVERIFY2(LoadTarget::apply(*m_bar, &o, &error), qPrintable(error));
    QVERIFY(o.endpoint.isValid());
    QCOMPARE(o.endpoint.options.bearerToken, kToken);
    QCOMPARE(o.endpoint.options.caCertificates, QStringList{QStringLiteral("/tmp/ca.pem")});
    QCOMPARE(o.endpoint.options.headers.size(), 1);
    QCOMPARE(o.init.size(), 1);
    QCOMPARE(o.init.at(0).method, QStringLiteral("echo"));
    QVERIFY(o.initResolver);

    // Another URL: no settings, no handshake (and nothing left from a previous apply).
    o.url = QStringLiteral("tcp://127.0.0.1:5000");
    QVERIFY(LoadTarget::apply(*m_bar, &o, &error));
    QVERIFY(o.endpoint.options.bearerToken.isEmpty());
    QVERIFY(o.init.isEmpty());
}

void TestLoadTarget::applyRefusesBadInput_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QJsonArray>("init");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bad url") << QStringLiteral("gopher://x") << QJsonArray() << QStringLiteral("gopher");
    QTest::newRow("handshake without method")
        << QStringLiteral("tcp://127.0.0.1:5001") << QJsonArray{QJsonObject{{"params", QJsonArray{}}}}
        << QStringLiteral("handshake");
}

void TestLoadTarget::applyRefusesBadInput()
{
    QFETCH(QString, url);
    QFETCH(QJsonArray, init);
    QFETCH(QString, expected);
    if (!init.isEmpty()) {
        WorkspaceTarget target;
        target.init = init;
        saveTarget(url, target);
    }
    LoadOptions o;
    o.url = url;
    QString error;
    QVERIFY(!LoadTarget::apply(*m_bar, &o, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    // In the panel: the message names it and nothing starts.
    m_panel->findChild<QLineEdit*>(QStringLiteral("loadUrl"))->setText(url);
    QVERIFY(!m_panel->start());
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->messageLabel()->text().contains(expected), qPrintable(m_panel->messageLabel()->text()));
}

void TestLoadTarget::runWithTokenAndCa()
{
    if (m_https.port() == 0)
        QSKIP(qPrintable(m_https.why()));
    WorkspaceTarget target;
    target.options.bearerToken = kToken;
    target.options.caCertificates = {m_https.certs().caCert()};
    saveTarget(httpsUrl(), target);
    const LoadResult r = run(httpsUrl(), QStringLiteral("add"), QStringLiteral("[1, 2]"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, quint64(0));
    QCOMPARE(LoadReport::targetSettings(m_panel->controller()->lastOptions()),
             QStringLiteral("With the target's connection settings: a bearer token, TLS files."));
    const QString command = m_panel->command();
    QVERIFY2(command.contains(QStringLiteral("--bearer \"$RPCBENCH_TOKEN\"")), qPrintable(command));
    QVERIFY2(command.contains(QStringLiteral("--cacert ") + m_https.certs().caCert()), qPrintable(command));
    QVERIFY(!command.contains(kToken));
}

void TestLoadTarget::runWithoutSettingsCountsHttp401()
{
    if (m_https.port() == 0)
        QSKIP(qPrintable(m_https.why()));
    WorkspaceTarget target; // trusts the test CA, but sends no token
    target.options.caCertificates = {m_https.certs().caCert()};
    saveTarget(httpsUrl(), target);
    const LoadResult r = run(httpsUrl(), QStringLiteral("add"), QStringLiteral("[1, 2]"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.calls > 0);
    QCOMPARE(r.errors, r.calls);
    QVERIFY((r.errorsByCode == std::map<qint64, quint64>{{ReplyScanner::kHttpStatusKey + 401, r.calls}}));
    QCOMPARE(m_panel->errorsLabel()->fullText(), QStringLiteral("Errors: %1 (HTTP 401 ×%1)").arg(r.calls));
}

void TestLoadTarget::handshakeOnEveryConnection()
{
    const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(m_demo.port());
    WorkspaceTarget target;
    target.init = echoHandshake();
    saveTarget(url, target);
    const auto before = m_demo.registry->find(QStringLiteral("echo"))->stats->calls.load();
    const LoadResult r = run(url, QStringLiteral("add"), QStringLiteral("[1, 2]"), 3);
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.calls > 0);
    QTRY_COMPARE(m_demo.registry->find(QStringLiteral("echo"))->stats->calls.load() - before, quint64(3));
    QVERIFY2(m_panel->command().contains(QStringLiteral("--init HANDSHAKE.json")),
             qPrintable(m_panel->command()));
}

QTEST_MAIN(TestLoadTarget)
#include "tst_loadtarget.moc"
