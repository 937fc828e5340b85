// "Connection…" for the client's target: the dialog gives back exactly the Endpoint it was
// given (headers, auth, TLS, process), secrets are masked until the user asks to see them, OK
// hands the endpoint to the client, and the target bar marks an unverified TLS target and one
// carrying credentials.

#include "client/ClientPanel.h"
#include "client/ConnectionSettingsDialog.h"
#include "client/HandshakeEditor.h"
#include "client/RpcClient.h"
#include "client/TargetBar.h"
#include "server/ListenEndpoints.h"
#include "window/BenchSession.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace rpcbench;

namespace {

Endpoint httpsTarget()
{
    Endpoint e = *Endpoint::parse(QStringLiteral("https://api.example:8443/rpc"));
    ConnectOptions& o = e.options;
    o.headers = {{"X-Trace", "on"}, {"X-Api-Key", "k3y"}};
    o.bearerToken = QStringLiteral("t0ken");
    o.basicUser = QStringLiteral("alice:pa55:word"); // a colon in the password stays in it
    o.caCertificates = {QStringLiteral("/etc/ca.pem"), QStringLiteral("/tmp/b.pem")};
    o.insecure = true;
    o.clientCertificate = QStringLiteral("/tmp/c.pem");
    o.clientKey = QStringLiteral("/tmp/k.pem");
    o.sse = true;
    o.maxReplyBytes = 12345; // not a whole KiB: kept to the byte while the field is untouched
    return e;
}

Endpoint processTarget()
{
    Endpoint e = *Endpoint::forCommand(QStringLiteral("python3 -c 'print(1)' --flag"), Transport::Lsp);
    e.process.workingDirectory = QStringLiteral("/tmp");
    e.process.environment = {QStringLiteral("A=1"), QStringLiteral("B=two words")};
    return e;
}

template <class T> T* child(const QObject* parent, const QString& name)
{
    T* found = parent->findChild<T*>(name);
    if (!found)
        qWarning("no %s", qPrintable(name));
    return found;
}

} // namespace

class TestConnectionSettings : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void roundTrip_data();
    void roundTrip();
    void secretsMasked();
    void badHeaderRefused();
    void okAppliesToClientAndMarksTarget();
    void launchAProcess();
    void workspaceKeepsSettings_data();
    void workspaceKeepsSettings();
    void handshakeRoundTrip_data();
    void handshakeRoundTrip();
    void invalidHandshakeDisablesOk_data();
    void invalidHandshakeDisablesOk();
    void screenshot();

private:
    ConnectionSettingsDialog* openDialog();

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<RpcClient> m_client;
    std::unique_ptr<ClientPanel> m_panel;
};

void TestConnectionSettings::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(QStringLiteral("s.ini")));
    m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("s.ini")));
    m_client = std::make_unique<RpcClient>();
    m_panel = std::make_unique<ClientPanel>(m_client.get(), *m_settings);
    m_panel->resize(900, 640);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestConnectionSettings::cleanup()
{
    m_panel.reset();
    m_client.reset();
    m_settings.reset();
}

ConnectionSettingsDialog* TestConnectionSettings::openDialog()
{
    QTest::mouseClick(m_panel->targetBar()->connectionButton(), Qt::LeftButton);
    ConnectionSettingsDialog* dialog = m_panel->findChild<ConnectionSettingsDialog*>();
    // open() shows it at once (window-modal, no event loop of its own).
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

void TestConnectionSettings::roundTrip_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("saveSecrets");
    QTest::newRow("https with everything") << httpsTarget() << true;
    QTest::newRow("process") << processTarget() << false;
    Endpoint ws = *Endpoint::parse(QStringLiteral("wss://127.0.0.1:9/socket"));
    ws.options.headers = {{"Cookie", "a=b"}};
    QTest::newRow("wss with a cookie") << ws << false;
    QTest::newRow("plain tcp, nothing set")
        << *Endpoint::parse(QStringLiteral("tcp://127.0.0.1:5000")) << false;
}

void TestConnectionSettings::roundTrip()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, saveSecrets);
    ConnectionSettingsDialog dialog(endpoint, saveSecrets);
    QString error;
    const auto back = dialog.endpoint(&error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->toString(), endpoint.toString());
    QCOMPARE(back->process, endpoint.process);
    QCOMPARE(back->options.headers, endpoint.options.headers);
    QCOMPARE(back->options.basicUser, endpoint.options.basicUser);
    QVERIFY(*back == endpoint);
    QCOMPARE(dialog.saveSecrets(), saveSecrets);
    QCOMPARE(dialog.target().options, endpoint.options);
}

void TestConnectionSettings::secretsMasked()
{
    ConnectionSettingsDialog dialog(httpsTarget(), false);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // Row 0 is X-Trace (plain), row 1 X-Api-Key (a secret).
    QCOMPARE(dialog.headerValueEdit(0)->echoMode(), QLineEdit::Normal);
    QVERIFY(!dialog.headerShowButton(0)->isEnabled());
    QCOMPARE(dialog.headerValueEdit(1)->echoMode(), QLineEdit::Password);
    QTest::mouseClick(dialog.headerShowButton(1), Qt::LeftButton);
    QCOMPARE(dialog.headerValueEdit(1)->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(dialog.headerShowButton(1), Qt::LeftButton);
    QCOMPARE(dialog.headerValueEdit(1)->echoMode(), QLineEdit::Password);

    // A header renamed to a secret-looking name is masked as the name is typed.
    dialog.addHeader(QStringLiteral("X-Plain"), QStringLiteral("visible"));
    QCOMPARE(dialog.headerValueEdit(2)->echoMode(), QLineEdit::Normal);
    auto* name = qobject_cast<QLineEdit*>(dialog.findChild<QTableWidget*>()->cellWidget(2, 0));
    QVERIFY(name);
    name->setText(QStringLiteral("X-Session-Token"));
    QCOMPARE(dialog.headerValueEdit(2)->echoMode(), QLineEdit::Password);

    for (const QString& field : {QStringLiteral("bearerTokenEdit"), QStringLiteral("passwordEdit")}) {
        auto* edit = child<QLineEdit>(&dialog, field);
        QVERIFY(edit);
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        auto* show = child<QToolButton>(&dialog, field + QStringLiteral("Show"));
        QVERIFY(show);
        show->click();
        QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    }
    QCOMPARE(child<QLineEdit>(&dialog, QStringLiteral("userEdit"))->echoMode(), QLineEdit::Normal);
}

void TestConnectionSettings::badHeaderRefused()
{
    ConnectionSettingsDialog dialog(*Endpoint::parse(QStringLiteral("http://127.0.0.1:1/")), false);
    dialog.addHeader(QStringLiteral("Bad Name"), QStringLiteral("x"));
    dialog.show();
    dialog.accept();
    QVERIFY(dialog.isVisible()); // refused
    auto* problem = child<QLabel>(&dialog, QStringLiteral("connectionProblem"));
    QVERIFY(problem && problem->isVisible());
    QVERIFY2(problem->text().contains(QStringLiteral("invalid header name 'Bad Name'")),
             qPrintable(problem->text()));
}

void TestConnectionSettings::okAppliesToClientAndMarksTarget()
{
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(QStringLiteral("https://127.0.0.1:1/rpc"));
    QVERIFY(!bar->insecureMark()->isVisibleTo(m_panel.get()));
    QVERIFY(!bar->secretsMark()->isVisibleTo(m_panel.get()));

    ConnectionSettingsDialog* dialog = openDialog();
    QVERIFY(dialog);
    child<QCheckBox>(dialog, QStringLiteral("insecureCheck"))->setChecked(true);
    child<QLineEdit>(dialog, QStringLiteral("bearerTokenEdit"))->setText(QStringLiteral("s3cret"));
    dialog->addHeader(QStringLiteral("X-Trace"), QStringLiteral("1"));
    QTest::keyClick(dialog, Qt::Key_Return); // OK is the default button
    QTRY_VERIFY(!m_panel->findChild<ConnectionSettingsDialog*>());

    QVERIFY(bar->insecureMark()->isVisibleTo(m_panel.get()));
    QCOMPARE(bar->insecureMark()->toolTip(), QStringLiteral("TLS certificates are not verified"));
    QVERIFY(bar->secretsMark()->isVisibleTo(m_panel.get()));
    QTRY_VERIFY(m_client->endpoint().options.insecure);
    QCOMPARE(m_client->endpoint().options.bearerToken, QStringLiteral("s3cret"));
    QCOMPARE(m_client->endpoint().options.headers, HttpHeaderList({{"X-Trace", "1"}}));
    QCOMPARE(m_client->endpoint().toString(), QStringLiteral("https://127.0.0.1:1/rpc"));

    // The settings belong to that target: another URL has none, and coming back restores them.
    bar->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:2"));
    QVERIFY(!bar->insecureMark()->isVisibleTo(m_panel.get()));
    QVERIFY(bar->endpoint()->options == ConnectOptions{});
    bar->urlEdit()->setText(QStringLiteral("https://127.0.0.1:1/rpc"));
    QVERIFY(bar->insecureMark()->isVisibleTo(m_panel.get()));
    QCOMPARE(bar->endpoint()->options.bearerToken, QStringLiteral("s3cret"));
}

void TestConnectionSettings::launchAProcess()
{
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:5000"));
    ConnectionSettingsDialog* dialog = openDialog();
    QVERIFY(dialog);
    child<QGroupBox>(dialog, QStringLiteral("processBox"))->setChecked(true);
    child<QLineEdit>(dialog, QStringLiteral("commandEdit"))->setText(QStringLiteral("python3 -m pylsp"));
    auto* framing = child<QComboBox>(dialog, QStringLiteral("framingCombo"));
    framing->setCurrentIndex(framing->findData(int(Transport::Lsp)));
    child<QLineEdit>(dialog, QStringLiteral("workingDirEdit"))->setText(QDir::tempPath());
    child<QPlainTextEdit>(dialog, QStringLiteral("environmentEdit"))
        ->setPlainText(QStringLiteral("X=1\n\nY=2\n"));
    dialog->accept();
    QTRY_VERIFY(!m_panel->findChild<ConnectionSettingsDialog*>());

    QCOMPARE(bar->urlEdit()->text(), QStringLiteral("exec+lsp:python3 -m pylsp"));
    QTRY_VERIFY(m_client->endpoint().carrier == Carrier::Process);
    QVERIFY(m_client->endpoint().transport == Transport::Lsp);
    QCOMPARE(m_client->endpoint().process.workingDirectory, QDir::tempPath());
    QCOMPARE(m_client->endpoint().process.environment, QStringList({"X=1", "Y=2"}));

    // Opened again, the dialog shows the process page as it was left.
    dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(child<QGroupBox>(dialog, QStringLiteral("processBox"))->isChecked());
    QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("commandEdit"))->text(),
             QStringLiteral("python3 -m pylsp"));
    dialog->reject();
}

// The window's workspace holds each target's settings and the server's extra endpoints; the
// secrets only when "Save secrets in the workspace" was ticked.
void TestConnectionSettings::workspaceKeepsSettings_data()
{
    QTest::addColumn<bool>("saveSecrets");
    QTest::newRow("secrets for the session only") << false;
    QTest::newRow("secrets saved") << true;
}

void TestConnectionSettings::workspaceKeepsSettings()
{
    QFETCH(bool, saveSecrets);
    BenchSession session;
    ClientPanel panel(session.client(), *m_settings);
    QSpinBox port;
    port.setRange(0, 65535);
    QComboBox bind;
    bind.setEditable(true);
    bind.setCurrentText(QStringLiteral("127.0.0.1"));
    ListenEndpoints listen(session.server());
    WorkspaceController workspace({&session, &panel, &port, &bind, &panel, &listen});
    QVERIFY(!workspace.isModified());

    panel.urlEdit()->setText(QStringLiteral("https://api.example/rpc"));
    WorkspaceTarget target;
    target.options.bearerToken = QStringLiteral("t0psecret");
    target.options.headers = {{"X-Trace", "on"}};
    target.options.insecure = true;
    target.saveSecrets = saveSecrets;
    panel.targetBar()->setTargets({{TargetBar::targetKey(panel.urlEdit()->text()), target}});
    QString error;
    const QString socket = QStringLiteral("unix:") + m_dir.filePath(QStringLiteral("w.sock"));
    QVERIFY2(listen.add({socket, {}, {}}, &error), qPrintable(error));
    QVERIFY(workspace.isModified());

    const QString path = m_dir.filePath(QStringLiteral("t.rpcbench.json"));
    QVERIFY(workspace.saveTo(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(bytes.contains("t0psecret"), saveSecrets);
    QVERIFY(bytes.contains("X-Trace"));
    QVERIFY(bytes.contains(socket.toUtf8()));

    panel.targetBar()->setTargets({});
    listen.setListeners({});
    QVERIFY2(workspace.load(path, &error), qPrintable(error));
    const auto endpoint = panel.targetBar()->endpoint();
    QVERIFY(endpoint);
    QVERIFY(endpoint->options.insecure);
    QCOMPARE(endpoint->options.headers, target.options.headers);
    QCOMPARE(endpoint->options.bearerToken, saveSecrets ? QStringLiteral("t0psecret") : QString());
    QVERIFY(panel.targetBar()->insecureMark()->isVisibleTo(&panel));
    QCOMPARE(listen.listeners().size(), 1);
    QVERIFY(!workspace.isModified());
}

void TestConnectionSettings::handshakeRoundTrip_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("lastMethod");
    QTest::newRow("LSP") << "loadLspInitButton"
                         << "lsp-init.json"
                         << "initialized";
    QTest::newRow("MCP") << "loadMcpInitButton"
                         << "mcp-init.json"
                         << "notifications/initialized";
}

void TestConnectionSettings::handshakeRoundTrip()
{
    // Load LSP/MCP fill the editor from the shipped example; OK stores it with the target; the
    // dialog opened again shows it; the workspace saves it.
    QFETCH(QString, button);
    QFETCH(QString, file);
    QFETCH(QString, lastMethod);
    TargetBar* bar = m_panel->targetBar();
    bar->urlEdit()->setText(QStringLiteral("tcp://127.0.0.1:7"));
    ConnectionSettingsDialog* dialog = openDialog();
    QVERIFY(dialog);
    QTest::mouseClick(child<QPushButton>(dialog, button), Qt::LeftButton);
    HandshakeEditor* editor = dialog->handshakeEditor();
    QVERIFY2(editor->problemLabel()->isHidden(), qPrintable(editor->problemLabel()->text()));
    QFile example(QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/") + file);
    QVERIFY(example.open(QIODevice::ReadOnly));
    const QJsonArray expected = QJsonDocument::fromJson(example.readAll()).array();
    QCOMPARE(editor->init(), std::optional<QJsonArray>(expected));
    QCOMPARE(expected.last().toObject().value("method").toString(), lastMethod);
    QTest::keyClick(dialog, Qt::Key_Return);
    QTRY_VERIFY(!m_panel->findChild<ConnectionSettingsDialog*>());
    QCOMPARE(bar->init(), expected);
    QCOMPARE(bar->targets().value(QStringLiteral("tcp://127.0.0.1:7")).init, expected);

    dialog = openDialog(); // shown again as stored
    QVERIFY(dialog);
    QCOMPARE(dialog->handshakeEditor()->init(), std::optional<QJsonArray>(expected));
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("clearInitButton")), Qt::LeftButton);
    QTest::keyClick(dialog, Qt::Key_Return);
    QTRY_VERIFY(!m_panel->findChild<ConnectionSettingsDialog*>());
    QCOMPARE(bar->init(), QJsonArray{});
}

void TestConnectionSettings::invalidHandshakeDisablesOk_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem");
    QTest::newRow("not JSON") << "[{\"method\": "
                              << "Handshake: ";
    QTest::newRow("no method") << "[{\"params\": {}}]"
                               << "Handshake: init[0]";
    QTest::newRow("not a list") << "{\"method\": \"initialize\"}"
                                << "Handshake: ";
}

void TestConnectionSettings::invalidHandshakeDisablesOk()
{
    QFETCH(QString, text);
    QFETCH(QString, problem);
    ConnectionSettingsDialog dialog(*Endpoint::parse(QStringLiteral("tcp://127.0.0.1:7")), false);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    dialog.handshakeEditor()->editor()->setPlainText(text);
    QVERIFY(!ok->isEnabled());
    const QString shown = dialog.handshakeEditor()->problemLabel()->text();
    QVERIFY2(shown.startsWith(problem), qPrintable(shown));
    QVERIFY(!dialog.handshakeEditor()->problemLabel()->isHidden());
    dialog.handshakeEditor()->editor()->setPlainText(
        QStringLiteral("[{\"method\": \"initialize\", \"params\": {}}]"));
    QVERIFY(ok->isEnabled());
    QVERIFY(dialog.handshakeEditor()->problemLabel()->isHidden());
}

void TestConnectionSettings::screenshot()
{
    ConnectionSettingsDialog dialog(httpsTarget(), false);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    dialog.handshakeEditor()->loadExample(QStringLiteral("mcp-init.json"));
    for (int tab : {0, 2, 3}) {
        dialog.findChild<QTabWidget*>(QStringLiteral("connectionTabs"))->setCurrentIndex(tab);
        const QString shot = QDir(dir).filePath(QStringLiteral("connection-settings-%1.png").arg(tab));
        QVERIFY(dialog.grab().save(shot));
        qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
    }
}

QTEST_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
