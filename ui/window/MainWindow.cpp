#include "window/MainWindow.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientMethodsDialog.h"
#include "client/ClientPanel.h"
#include "client/HistoryPanel.h"
#include "client/IncomingPanel.h"
#include "client/TargetBar.h"
#include "collections/CollectionStore.h"
#include "collections/CollectionsPanel.h"
#include "dispatch/MethodRegistry.h"
#include "engine/Engine.h"
#include "load/LoadPanel.h"
#include "load/LoadTarget.h"
#include "log/LogFileActions.h"
#include "log/LogPanel.h"
#include "log/SaveAsTestsDialog.h"
#include "log/TrafficLogModel.h"
#include "proxy/InterceptPanel.h"
#include "proxy/MonitorAttachment.h"
#include "proxy/ProxyPanel.h"
#include "proxy/ProxySet.h"
#include "proxy/ProxyToolBar.h"
#include "server/ListenEndpoints.h"
#include "server/ListenEndpointsDialog.h"
#include "server/MethodsModel.h"
#include "server/ServerPanel.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/DockProportions.h"
#include "window/HelpMenu.h"
#include "window/Settings.h"
#include "window/StatusPanel.h"
#include "window/WorkspaceController.h"
#include "window/WorkspaceRecovery.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

// The icons live in the static rpcbench_ui library, whose resource initializer the linker
// would otherwise drop; Q_INIT_RESOURCE has to be called from the global namespace.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace rpcbench {

MainWindow::MainWindow(std::unique_ptr<Settings> settings, QWidget* parent)
    : QMainWindow(parent), m_settings(std::move(settings)), m_session(new BenchSession(this)),
      m_serverPanel(new ServerPanel(m_session->registry())),
      m_clientPanel(new ClientPanel(m_session->client(), *m_settings)),
      m_logPanel(new LogPanel(m_session->bus(), m_settings->logCapacity())),
      m_logFiles(new LogFileActions(m_logPanel->model(), m_logPanel->filterModel(), this)),
      m_listen(new ListenEndpoints(m_session->server(), this)),
      m_proxies(new ProxySet(m_session->bus(), this)), m_proxyPanel(new ProxyPanel(m_proxies)),
      m_interceptPanel(new InterceptPanel(m_proxies)),
      m_monitor(new MonitorAttachment(m_session->bus(), this)), m_collections(new CollectionStore(this)),
      m_collectionsPanel(new CollectionsPanel(m_collections)), m_loadPanel(new LoadPanel(m_collections))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/rpcbench.svg")));
    setCentralWidget(m_clientPanel);
    createActions();
    createToolBar();
    createProxyActions();
    createCollectionActions();
    connectLoadPanel();
    m_workspace = new WorkspaceController(
        {m_session, m_clientPanel, m_port, m_bind, this, m_listen, m_proxies, m_collections}, this);
    connect(m_listen, &ListenEndpoints::failed, this, &MainWindow::showStatus);
    m_serverPanel->setMockService(m_workspace->mocks());
    m_serverPanel->setServer(m_session->server());
    m_recovery = new WorkspaceRecovery(m_workspace, *m_settings, this);
    connect(m_workspace, &WorkspaceController::status, this, &MainWindow::showStatus);
    connect(m_recovery, &WorkspaceRecovery::status, this, &MainWindow::showStatus);
    connect(m_workspace, &WorkspaceController::fileChanged, this, &MainWindow::updateTitle);
    connect(m_workspace, &WorkspaceController::modifiedChanged, this, &MainWindow::setWindowModified);
    createWorkspaceActions();
    createDocks();
    createMenus();
    new HelpMenu(this);
    m_status = new StatusPanel(m_session, m_logPanel->model(), statusBar());

    const auto methodsChanged = [this] {
        m_logPanel->setMethodNames(m_serverPanel->model()->names());
        m_clientPanel->setLocalMethods(m_session->registry()->methods());
    };
    connect(m_serverPanel->model(), &QAbstractItemModel::modelReset, this, methodsChanged);
    connect(m_session, &BenchSession::serverStateChanged, this, &MainWindow::onServerStateChanged);
    connect(m_logPanel, &LogPanel::capacityChanged, this,
            [this](int rows) { m_settings->setLogCapacity(rows); });
    connect(m_clientPanel, &ClientPanel::connectionStateChanged, this, [this](ClientState state) {
        action(QStringLiteral("actionDisconnect"))->setEnabled(state != ClientState::Disconnected);
    });
    action(QStringLiteral("actionDisconnect"))->setEnabled(false);
    connect(m_serverPanel, &ServerPanel::callRequested, m_clientPanel, &ClientPanel::loadMethod);
    // "Send again…" from the log only fills the composer: the user sends, maybe to another URL.
    connect(m_logPanel, &LogPanel::resendRequested, m_clientPanel, &ClientPanel::loadRawRequest);
    connect(m_clientPanel, &ClientPanel::statusMessage, this, &MainWindow::showStatus);
    m_clientPanel->setClientMethods(m_session->engine()->clientRegistry());
    m_clientPanel->incomingPanel()->clientMethodsButton()->setDefaultAction(
        action(QStringLiteral("actionClientMethods")));
    connect(m_logFiles, &LogFileActions::finished, this, [this](bool, const QString& message) {
        if (!message.isEmpty())
            statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 10'000);
    });
    methodsChanged();
    restoreLayout();
    onServerStateChanged(false);
    updateTitle();
    m_recovery->restore(); // may ask "Recover unsaved work?" once the window shows
}

MainWindow::~MainWindow()
{
    // The session is a child and outlives this destructor's body; its "stopped" signal must
    // not reach a half-destroyed window.
    disconnect(m_session, nullptr, this, nullptr);
    m_proxies->stopAll(); // their servers' threads end before the session's
    m_session->stopServer();
    // The workspace watches the panels' widgets; it must not compare a half-destroyed window.
    delete m_workspace; // and its WorkspaceRecovery
    m_workspace = nullptr;
    m_recovery = nullptr;
    // The panels write to m_settings (history, target) until they die; members go before the
    // QWidget base deletes its children, so the panels go first, explicitly.
    delete takeCentralWidget();
    qDeleteAll(findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly));
    delete m_monitor; // its thread publishes on the session's bus
    delete m_proxyBar;
    delete m_proxies;
}

QAction* MainWindow::addAction(const QString& name, const QString& text, const QString& icon,
                               const QKeySequence& shortcut)
{
    auto* action = new QAction(text, this);
    action->setObjectName(name);
    if (!icon.isEmpty())
        action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)));
    }
    QWidget::addAction(action); // window-wide shortcuts even without a menu entry
    return action;
}

QAction* MainWindow::action(const QString& name) const
{
    return findChild<QAction*>(name);
}

void MainWindow::createActions()
{
    connect(addAction(QStringLiteral("actionStartServer"), tr("Start server"), QStringLiteral("start")),
            &QAction::triggered, this, &MainWindow::startServer);
    connect(addAction(QStringLiteral("actionStopServer"), tr("Stop server"), QStringLiteral("stop")),
            &QAction::triggered, this, &MainWindow::stopServer);
    connect(addAction(QStringLiteral("actionListenOn"), tr("Listen on…"), QString()), &QAction::triggered,
            this, &MainWindow::editListenEndpoints);
    action(QStringLiteral("actionListenOn"))
        ->setToolTip(tr("More endpoints for the server: Unix sockets, TLS ports (https://, tcp+tls://), …"));
    connect(addAction(QStringLiteral("actionConnect"), tr("Connect"), QStringLiteral("connect")),
            &QAction::triggered, m_clientPanel, &ClientPanel::connectToServer);
    connect(addAction(QStringLiteral("actionDisconnect"), tr("Disconnect"), QStringLiteral("disconnect")),
            &QAction::triggered, m_clientPanel, &ClientPanel::disconnectFromServer);
    connect(addAction(QStringLiteral("actionClientMethods"), tr("Client methods…"), QString()),
            &QAction::triggered, this, &MainWindow::editClientMethods);
    connect(addAction(QStringLiteral("actionConnectionSettings"), tr("Connection settings…"),
                      QStringLiteral("connection-settings")),
            &QAction::triggered, m_clientPanel->targetBar(), &TargetBar::editConnection);
    QAction* pause = addAction(QStringLiteral("actionPauseLog"), tr("Pause log"), QStringLiteral("pause"));
    pause->setCheckable(true);
    connect(pause, &QAction::toggled, this, [this, pause](bool paused) {
        m_logPanel->model()->setPaused(paused);
        pause->setText(paused ? tr("Resume log") : tr("Pause log"));
    });
    connect(addAction(QStringLiteral("actionClearLog"), tr("Clear log"), QStringLiteral("clear")),
            &QAction::triggered, m_logPanel->model(), &TrafficLogModel::clear);
    connect(addAction(QStringLiteral("actionExportLog"), tr("Export log…"), QStringLiteral("export"),
                      QKeySequence(Qt::CTRL | Qt::Key_E)),
            &QAction::triggered, m_logFiles, &LogFileActions::exportLog);
    connect(addAction(QStringLiteral("actionImportLog"), tr("Import log…"), QStringLiteral("import"),
                      QKeySequence::Open),
            &QAction::triggered, m_logFiles, &LogFileActions::importLog);
    QAction* send = addAction(QStringLiteral("actionSend"), tr("Send"), QStringLiteral("send"),
                              QKeySequence(Qt::CTRL | Qt::Key_Return));
    send->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connect(send, &QAction::triggered, m_clientPanel->composer(), &CallComposer::send);
    connect(addAction(QStringLiteral("actionResend"), tr("Re-send last call"), QStringLiteral("rerun"),
                      QKeySequence(Qt::Key_F5)),
            &QAction::triggered, m_clientPanel, &ClientPanel::resendLast);
    connect(addAction(QStringLiteral("actionFocusFilter"), tr("Filter log"), QString(),
                      QKeySequence(Qt::CTRL | Qt::Key_L)),
            &QAction::triggered, m_logPanel, &LogPanel::focusFilter);
    connect(addAction(QStringLiteral("actionQuit"), tr("Quit"), QString(), QKeySequence::Quit),
            &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createWorkspaceActions()
{
    connect(
        addAction(QStringLiteral("actionNewWorkspace"), tr("New workspace"), QString(), QKeySequence::New),
        &QAction::triggered, m_workspace, &WorkspaceController::newWorkspace);
    connect(addAction(QStringLiteral("actionOpenWorkspace"), tr("Open workspace…"), QStringLiteral("import"),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)),
            &QAction::triggered, m_workspace, &WorkspaceController::openWorkspace);
    connect(addAction(QStringLiteral("actionSaveWorkspace"), tr("Save workspace"), QStringLiteral("export"),
                      QKeySequence::Save),
            &QAction::triggered, m_workspace, &WorkspaceController::saveWorkspace);
    connect(addAction(QStringLiteral("actionSaveWorkspaceAs"), tr("Save workspace as…"), QString(),
                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            &QAction::triggered, m_workspace, &WorkspaceController::saveWorkspaceAs);
    connect(addAction(QStringLiteral("actionImportOpenRpc"), tr("Import OpenRPC document…"), QString()),
            &QAction::triggered, m_workspace, &WorkspaceController::importOpenRpc);
    QAction* reopen =
        addAction(QStringLiteral("actionReopenLast"), tr("Reopen last workspace on start"), QString());
    reopen->setCheckable(true);
    reopen->setChecked(m_settings->reopenLastWorkspace());
    connect(reopen, &QAction::toggled, this, [this](bool on) { m_settings->setReopenLastWorkspace(on); });
}

void MainWindow::createToolBar()
{
    QToolBar* bar = QMainWindow::addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(action(QStringLiteral("actionStartServer")));
    bar->addAction(action(QStringLiteral("actionStopServer")));
    m_port = new QSpinBox(bar);
    m_port->setObjectName(QStringLiteral("serverPortSpin"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free"));
    m_port->setValue(m_settings->serverPort());
    m_port->setToolTip(tr("Port of the embedded server (0 = any free port)"));
    m_port->setMinimumWidth(m_port->sizeHint().width()); // "any free" and 65535 stay readable
    m_bind = new QComboBox(bar);
    m_bind->setObjectName(QStringLiteral("bindAddressCombo"));
    m_bind->setEditable(true);
    m_bind->addItems({QStringLiteral("127.0.0.1"), QStringLiteral("::1"), QStringLiteral("0.0.0.0")});
    m_bind->setCurrentText(m_settings->bindAddress());
    m_bind->setToolTip(tr("Address to listen on; 0.0.0.0 lets other machines call the server"));
    m_bind->setMinimumContentsLength(15); // 255.255.255.255
    m_bind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    bar->addWidget(new QLabel(tr(" Port "), bar));
    bar->addWidget(m_port);
    bar->addWidget(new QLabel(tr(" Bind "), bar));
    bar->addWidget(m_bind);
    bar->addAction(action(QStringLiteral("actionListenOn")));
    bar->addSeparator();
    bar->addAction(action(QStringLiteral("actionConnect")));
    bar->addAction(action(QStringLiteral("actionDisconnect")));
    bar->addSeparator();
    // The log's actions as icons (their text is the tooltip): with text, the toolbar needs more
    // than 1024 px and hides the last ones behind "»".
    for (const char* name : {"actionPauseLog", "actionClearLog", "actionExportLog", "actionImportLog"}) {
        QAction* logAction = action(QLatin1String(name));
        bar->addAction(logAction);
        if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(logAction)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
}

void MainWindow::createProxyActions()
{
    // Its own row: the main toolbar already needs most of 1024 px.
    addToolBarBreak();
    m_proxyBar = new ProxyToolBar(m_proxies, this);
    QMainWindow::addToolBar(m_proxyBar);
    connect(m_proxyBar, &ProxyToolBar::status, this, &MainWindow::showStatus);
    connect(m_proxies, &ProxySet::proxyAdded, m_proxyBar, &QWidget::show);
    connect(m_proxyPanel, &ProxyPanel::status, this, &MainWindow::showStatus);
    connect(m_monitor, &MonitorAttachment::status, this, &MainWindow::showStatus);
    m_proxyPanel->setMethodSource(m_logPanel->model(), TrafficLogModel::MethodColumn);
    connect(addAction(QStringLiteral("actionAttachProxy"), tr("Attach to proxy…"), QString()),
            &QAction::triggered, this, [this] { m_monitor->ask(this); });
    QAction* detach = addAction(QStringLiteral("actionDetachProxy"), tr("Detach from proxy"), QString());
    detach->setEnabled(false);
    connect(detach, &QAction::triggered, m_monitor, &MonitorAttachment::detach);
    connect(m_monitor, &MonitorAttachment::attachedChanged, detach, &QAction::setEnabled);
}

void MainWindow::createCollectionActions()
{
    connect(addAction(QStringLiteral("actionSaveToCollection"), tr("Save to collection"), QString()),
            &QAction::triggered, this, &MainWindow::saveToCollection);
    action(QStringLiteral("actionSaveToCollection"))
        ->setToolTip(tr("Keep the composed call in the selected collection (Collections panel)"));
    // Calls without a target of their own go where the client panel would send them.
    m_collectionsPanel->setDefaultTarget([this] {
        const QString url = m_clientPanel->effectiveUrl();
        return url.isEmpty() ? m_session->serverUrl() : url;
    });
    m_collectionsPanel->setTrafficBus(m_session->bus());
    connect(m_collectionsPanel, &CollectionsPanel::status, this, &MainWindow::showStatus);
    connect(m_logPanel, &LogPanel::saveAsTestsRequested, this, &MainWindow::saveAsTests);
    connect(m_clientPanel->historyPanel(), &HistoryPanel::saveRequested, this, &MainWindow::saveHistoryEntry);
}

void MainWindow::saveHistoryEntry(const HistoryEntry& entry)
{
    SavedCall call;
    call.method = entry.method;
    call.params = entry.params;
    call.notification = entry.notification;
    // A call to the embedded server keeps no URL: its port may differ next time.
    call.target = entry.url == m_session->serverUrl() ? QString() : entry.url;
    call.dialect = entry.dialect;
    keepInCollection(call);
}

void MainWindow::keepInCollection(const SavedCall& call)
{
    m_collectionsPanel->saveCall(call);
    QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("collectionsDock"));
    dock->show();
    dock->raise();
}

void MainWindow::connectLoadPanel()
{
    m_loadPanel->setTrafficBus(m_session->bus()); // only "Log every Nth call" publishes on it
    m_loadPanel->setComposerSource([this] {
        LoadComposerCall call;
        call.url = m_clientPanel->effectiveUrl();
        call.dialect = m_clientPanel->dialect();
        const CallComposer* composer = m_clientPanel->composer();
        if (const auto request = composer->request()) {
            call.method = request->method;
            call.params = request->params;
        } else {
            call.error = composer->errors().join(QStringLiteral("; "));
        }
        if (call.url.isEmpty() && call.error.isEmpty())
            call.error = tr("no target: enter a URL or start the server");
        return call;
    });
    // "Copy as command" of a collection run names the workspace file (`bench --from-collection`).
    m_loadPanel->setWorkspaceFile([this] { return m_workspace ? m_workspace->currentFile() : QString(); });
    m_loadPanel->setTargetSettings([this](LoadOptions* options, QString* error) {
        return LoadTarget::apply(*m_clientPanel->targetBar(), options, error);
    });
    connect(m_loadPanel, &LoadPanel::status, this, &MainWindow::showStatus);
}

void MainWindow::saveAsTests(const std::vector<TrafficEvent>& rows)
{
    auto* dialog = new SaveAsTestsDialog(m_collections, rows, this); // deletes itself on close
    connect(dialog, &SaveAsTestsDialog::saved, this, [this](int count, const QString& name) {
        showStatus(tr("Saved %1 tests to the collection \"%2\"").arg(count).arg(name));
        QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("collectionsDock"));
        dock->show();
        dock->raise();
    });
    dialog->open();
}

bool MainWindow::saveToCollection()
{
    const CallComposer* composer = m_clientPanel->composer();
    const auto request = composer->request();
    if (!request) {
        showStatus(tr("Cannot save the call: %1").arg(composer->errors().join(QStringLiteral("; "))));
        return false;
    }
    SavedCall call;
    call.method = request->method;
    call.params = request->params;
    call.notification = request->notification;
    call.target = m_clientPanel->urlEdit()->text().trimmed(); // empty: the embedded server
    call.dialect = toString(m_clientPanel->dialect());
    keepInCollection(call);
    return true;
}

ClientMethodsDialog* MainWindow::clientMethodsDialog() const
{
    return m_clientMethods;
}

void MainWindow::editClientMethods()
{
    if (m_clientMethods) {
        m_clientMethods->raise();
        m_clientMethods->activateWindow();
        return;
    }
    m_clientMethods = new ClientMethodsDialog(*m_session->engine()->clientMocks(), this);
    m_clientMethods->setAttribute(Qt::WA_DeleteOnClose);
    m_clientMethods->setWindowModality(Qt::WindowModal);
    m_clientMethods->open();
}

void MainWindow::createMenus()
{
    const auto menu = [this](const QString& title, std::initializer_list<const char*> names) {
        QMenu* m = menuBar()->addMenu(title);
        for (const char* name : names) {
            if (name)
                m->addAction(action(QLatin1String(name)));
            else
                m->addSeparator();
        }
        return m;
    };
    menu(tr("&File"),
         {"actionNewWorkspace", "actionOpenWorkspace", "actionSaveWorkspace", "actionSaveWorkspaceAs",
          "actionImportOpenRpc", nullptr, "actionReopenLast", nullptr, "actionImportLog", "actionExportLog",
          nullptr, "actionAttachProxy", "actionDetachProxy", nullptr, "actionQuit"});
    menu(tr("&Server"), {"actionStartServer", "actionStopServer", nullptr, "actionListenOn"});
    menu(tr("&Client"),
         {"actionConnect", "actionDisconnect", "actionConnectionSettings", "actionClientMethods", nullptr,
          "actionSend", "actionResend", "actionSaveToCollection"});
    menu(tr("&Log"), {"actionPauseLog", "actionClearLog", "actionFocusFilter"});
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_proxyBar->toggleViewAction());
}

void MainWindow::createDocks()
{
    const auto dock = [this](const QString& name, const QString& title, QWidget* panel,
                             Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(panel);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                       QDockWidget::DockWidgetClosable);
        addDockWidget(area, d);
        return d;
    };
    dock(QStringLiteral("serverDock"), tr("Server — registered methods"), m_serverPanel,
         Qt::LeftDockWidgetArea);
    dock(QStringLiteral("logDock"), tr("Traffic log"), m_logPanel, Qt::BottomDockWidgetArea);
    // Proxy mode shares the left column with the server: a tab away, not more space taken. Closed
    // on first run (View menu, or shown with the first proxy): a tab bar nobody uses would cost
    // the height that 1024×640 does not have.
    QDockWidget* server = findChild<QDockWidget*>(QStringLiteral("serverDock"));
    QDockWidget* proxies =
        dock(QStringLiteral("proxiesDock"), tr("Proxies"), m_proxyPanel, Qt::LeftDockWidgetArea);
    QDockWidget* intercept =
        dock(QStringLiteral("interceptDock"), tr("Intercept"), m_interceptPanel, Qt::LeftDockWidgetArea);
    QDockWidget* collections = dock(QStringLiteral("collectionsDock"), tr("Collections"), m_collectionsPanel,
                                    Qt::LeftDockWidgetArea);
    tabifyDockWidget(server, proxies);
    tabifyDockWidget(server, intercept);
    tabifyDockWidget(server, collections);
    // Load runs share the bottom with the log; closed on first run (View > Load).
    QDockWidget* log = findChild<QDockWidget*>(QStringLiteral("logDock"));
    QDockWidget* load = dock(QStringLiteral("loadDock"), tr("Load"), m_loadPanel, Qt::BottomDockWidgetArea);
    tabifyDockWidget(log, load);
    log->raise();
    load->hide();
    server->raise();
    proxies->hide();
    intercept->hide();
    collections->hide(); // View > Collections, or shown by "Save to collection"

    connect(m_proxies, &ProxySet::proxyAdded, proxies, [proxies] {
        proxies->show();
        proxies->raise();
    });
    // A paused message needs a decision (or it is forwarded at the timeout): its queue comes to
    // the front when hidden or behind another tab (still "visible" there, but with nothing
    // showing). Queued: not in the middle of the row insertion.
    connect(
        m_interceptPanel, &InterceptPanel::messageHeld, intercept,
        [intercept] {
            if (intercept->isVisible() && !intercept->visibleRegion().isEmpty())
                return;
            intercept->show();
            intercept->raise();
        },
        Qt::QueuedConnection);
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
}

void MainWindow::restoreLayout()
{
    if (!restoreGeometry(m_settings->windowGeometry()))
        resize(1440, 900);
    auto* proportions = new DockProportions(this); // docks keep their share when the window is resized
    if (!restoreState(m_settings->windowState())) {
        // First run: room for the methods table on the left, a log that shows a dozen rows —
        // as shares, so a first start in a small window is laid out as well as a large one.
        proportions->setInitialShares({{findChild<QDockWidget*>(QStringLiteral("serverDock")), 0.35},
                                       {findChild<QDockWidget*>(QStringLiteral("logDock")), 0.4}});
        // Proxy mode is opt-in (View menu, or a proxy added): its row is not taken from everyone.
        m_proxyBar->hide();
    }
    for (QSplitter* splitter :
         {m_serverPanel->splitter(), m_clientPanel->splitter(), m_logPanel->splitter()}) {
        if (!splitter->restoreState(m_settings->splitterState(splitter->objectName())))
            splitter->setSizes(splitter == m_serverPanel->splitter()
                                   ? QList<int>{700, 300}   // first run: the methods table first
                                   : QList<int>{550, 450}); // a little more for the first part
    }
}

void MainWindow::saveLayout()
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    for (QSplitter* splitter : {m_serverPanel->splitter(), m_clientPanel->splitter(), m_logPanel->splitter()})
        m_settings->setSplitterState(splitter->objectName(), splitter->saveState());
    m_settings->setServerPort(quint16(m_port->value()));
    m_settings->setBindAddress(m_bind->currentText().trimmed());
    m_settings->sync();
}

bool MainWindow::startServer()
{
    QString error;
    const QString bind = m_bind->currentText().trimmed();
    if (!m_session->startServer(bind, quint16(m_port->value()), &error)) {
        statusBar()->showMessage(error, 15'000);
        Dialogs::showError(this, tr("Cannot start the server"),
                           tr("%1\n\nPick another port, or 0 for any free port.").arg(error));
        return false;
    }
    m_settings->setServerPort(quint16(m_port->value()));
    m_settings->setBindAddress(bind);
    // Replaces an earlier failure ("port in use"), which would now be wrong.
    if (bind == QLatin1String("0.0.0.0") || bind == QLatin1String("::"))
        statusBar()->showMessage(tr("Listening on every interface: other machines can call this server."),
                                 15'000);
    else
        statusBar()->clearMessage(); // the permanent field shows where it listens
    return true;
}

void MainWindow::stopServer()
{
    m_session->stopServer();
}

void MainWindow::editListenEndpoints()
{
    auto* dialog = new ListenEndpointsDialog(m_listen, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
}

void MainWindow::onServerStateChanged(bool listening)
{
    action(QStringLiteral("actionStartServer"))->setEnabled(!listening);
    action(QStringLiteral("actionStopServer"))->setEnabled(listening);
    m_port->setEnabled(!listening);
    m_bind->setEnabled(!listening);
    m_clientPanel->setEmbeddedUrl(m_session->serverUrl());
}

void MainWindow::updateTitle()
{
    // Ends with the application display name, so the platform does not append it again.
    setWindowTitle(QStringLiteral("%1[*] — rpcbench").arg(m_workspace->displayName()));
    setWindowModified(m_workspace->isModified());
}

void MainWindow::showStatus(const QString& text)
{
    statusBar()->showMessage(text, 10'000);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_closeConfirmed) {
        // Answered at once (nothing unsaved, or a test's answer): this event decides. Answered
        // later from the question box: this event is refused and the answer closes again.
        m_inCloseEvent = true;
        m_workspace->confirmDiscard(tr("quitting"), [this] {
            m_closeConfirmed = true;
            if (!m_inCloseEvent)
                close();
        });
        m_inCloseEvent = false;
        if (!m_closeConfirmed) {
            event->ignore();
            return;
        }
    }
    m_closeConfirmed = false; // a window shown again asks again
    m_recovery->discard();    // saved, discarded or clean: no copy to offer back
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace rpcbench
