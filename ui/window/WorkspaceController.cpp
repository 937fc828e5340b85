#include "window/WorkspaceController.h"

#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "client/IncomingPanel.h"
#include "client/TargetBar.h"
#include "collections/CollectionStore.h"
#include "dispatch/FaultTable.h"
#include "dispatch/MethodRegistry.h"
#include "engine/Engine.h"
#include "mock/MockService.h"
#include "openrpc/OpenRpcImport.h"
#include "protocol/RpcTypes.h"
#include "proxy/ProxySet.h"
#include "server/ListenEndpoints.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"
#include "window/Settings.h"

#include <QComboBox>
#include <QFileInfo>
#include <QJsonObject>
#include <QLineEdit>
#include <QSpinBox>

namespace rpcbench {

namespace {

const QString kFilter =
    QStringLiteral("rpcbench workspaces (*.rpcbench.json);;JSON files (*.json);;All files (*)");

} // namespace

WorkspaceController::WorkspaceController(const Parts& parts, QObject* parent)
    : QObject(parent), m_parts(parts)
{
    watchEdits();
    markClean(); // what the window starts with (settings) is nothing to save
}

WorkspaceController::~WorkspaceController() = default;

MockService* WorkspaceController::mocks() const
{
    return m_parts.session->engine()->mocks();
}

Workspace WorkspaceController::capture() const
{
    Workspace w;
    m_parts.session->engine()->saveTo(w);
    w.server.port = m_parts.port->value();
    w.server.bind = m_parts.bind->currentText().trimmed();
    w.client.url = m_parts.client->urlEdit()->text().trimmed();
    w.client.dialect = toString(m_parts.client->dialect());
    w.client.targets = m_parts.client->targetBar()->targets();
    const IncomingPanel* incoming = m_parts.client->incomingPanel();
    w.client.holdUnanswered = incoming->holding();
    w.client.holdTimeoutMs = incoming->holdTimeoutMs();
    w.client.groupBy = incoming->groupBy();
    if (m_parts.listeners)
        w.server.listeners = m_parts.listeners->listeners();
    w.history = m_parts.client->history()->toJson();
    w.savedCalls = m_savedCalls;
    w.collections = m_parts.collections ? m_parts.collections->collections() : m_collections;
    w.environments = m_parts.collections ? m_parts.collections->environments() : m_environments;
    if (m_parts.proxies)
        w.proxies = m_parts.proxies->configs();
    return w;
}

void WorkspaceController::applyWorkspace(const Workspace& w)
{
    m_applying = true;
    m_parts.session->engine()->applyWorkspace(w); // limits: from the server's next start on
    m_parts.port->setValue(w.server.port);
    m_parts.bind->setCurrentText(w.server.bind);
    m_parts.client->targetBar()->setTargets(w.client.targets);
    setClientTarget(w.client.url, w.client.dialect);
    m_parts.client->incomingPanel()->setHolding(w.client.holdUnanswered, w.client.holdTimeoutMs);
    m_parts.client->incomingPanel()->setGroupBy(w.client.groupBy);
    if (m_parts.listeners)
        m_parts.listeners->setListeners(w.server.listeners);
    m_parts.client->history()->load(w.history);
    m_savedCalls = w.savedCalls;
    if (m_parts.collections) {
        m_parts.collections->setAll(w.collections, w.environments);
    } else {
        m_collections = w.collections;
        m_environments = w.environments;
    }
    if (m_parts.proxies)
        m_parts.proxies->setConfigs(w.proxies); // all stopped: opening a file never starts listening
    m_applying = false;
    recheck();
}

Workspace WorkspaceController::defaults()
{
    Workspace w;
    w.server.port = Settings::DefaultServerPort; // the GUI's default, not `serve`'s
    return w;
}

QString WorkspaceController::displayName() const
{
    return m_file.isEmpty() ? tr("Untitled") : QFileInfo(m_file).fileName();
}

void WorkspaceController::watchEdits()
{
    const auto check = [this] { recheck(); };
    // The registry reports built-ins switched on or off too, which MockService does not.
    connect(m_parts.session->registry().get(), &MethodRegistry::methodsChanged, this, check);
    connect(mocks(), &MockService::methodsChanged, this, check);
    connect(m_parts.session->engine()->clientMocks(), &MockService::methodsChanged, this, check);
    connect(m_parts.client->incomingPanel(), &IncomingPanel::holdingChanged, this, check);
    connect(m_parts.client->incomingPanel(), &IncomingPanel::groupByChanged, this, check);
    connect(&mocks()->faults(), &FaultTable::changed, this, check);
    connect(m_parts.port, &QSpinBox::valueChanged, this, check);
    connect(m_parts.bind, &QComboBox::currentTextChanged, this, check);
    connect(m_parts.client->urlEdit(), &QLineEdit::textChanged, this, check);
    connect(m_parts.client->targetBar(), &TargetBar::targetsChanged, this, check);
    if (m_parts.listeners)
        connect(m_parts.listeners, &ListenEndpoints::changed, this, check);
    if (m_parts.proxies)
        connect(m_parts.proxies, &ProxySet::configsChanged, this, check);
    if (m_parts.collections)
        connect(m_parts.collections, &CollectionStore::changed, this, check);
    if (auto* combo = m_parts.client->findChild<QComboBox*>(QStringLiteral("dialectCombo")))
        connect(combo, &QComboBox::currentIndexChanged, this, check);
}

QJsonObject WorkspaceController::comparable() const
{
    QJsonObject json = capture().toJson();
    json.remove(QStringLiteral("history"));
    return json;
}

void WorkspaceController::recheck()
{
    if (m_applying)
        return;
    const bool modified = comparable() != m_clean;
    if (modified)
        emit edited();
    if (modified != m_modified) {
        m_modified = modified;
        emit modifiedChanged(modified);
    }
}

void WorkspaceController::markClean()
{
    m_clean = comparable();
    if (m_modified) {
        m_modified = false;
        emit modifiedChanged(false);
    }
}

void WorkspaceController::setFile(const QString& path)
{
    m_file = path;
    emit fileChanged(path);
}

void WorkspaceController::confirmDiscard(const QString& doing, std::function<void()> proceed)
{
    if (!m_modified) {
        proceed();
        return;
    }
    Dialogs::ask(
        m_parts.window, tr("Unsaved changes"),
        tr("The workspace %1 has unsaved changes.\n\nSave them before %2?").arg(displayName(), doing),
        {Dialogs::Answer::Save, Dialogs::Answer::Discard, Dialogs::Answer::Cancel},
        [this, proceed = std::move(proceed)](Dialogs::Answer answer) {
            if (answer == Dialogs::Answer::Save)
                save(proceed);
            else if (answer == Dialogs::Answer::Discard)
                proceed();
        });
}

std::optional<Workspace> WorkspaceController::read(const QString& path, QString* error) const
{
    return m_parts.session->engine()->readWorkspace(path, error);
}

bool WorkspaceController::load(const QString& path, QString* error)
{
    const auto w = read(path, error);
    if (!w)
        return false;
    applyWorkspace(*w);
    setFile(path);
    markClean();
    return true;
}

void WorkspaceController::setClientTarget(const QString& url, const QString& dialect)
{
    // ClientPanel has no setter for its target; its own widgets carry it (and persist it).
    m_parts.client->urlEdit()->setText(url);
    if (auto* combo = m_parts.client->findChild<QComboBox*>(QStringLiteral("dialectCombo")))
        combo->setCurrentIndex(std::max(0, combo->findData(dialect)));
    emit m_parts.client->urlEdit()->editingFinished(); // makes the panel take the new target
}

bool WorkspaceController::saveTo(const QString& path)
{
    QString error;
    if (!capture().save(path, &error)) {
        Dialogs::showError(m_parts.window, tr("Cannot save the workspace"), error);
        return false;
    }
    setFile(path);
    markClean();
    emit status(tr("Workspace saved to %1").arg(QFileInfo(path).fileName()));
    return true;
}

bool WorkspaceController::openFrom(const QString& path)
{
    QString error;
    if (!load(path, &error)) {
        Dialogs::showError(m_parts.window, tr("Cannot open the workspace"),
                           tr("%1\n\nNothing was changed.").arg(error));
        return false;
    }
    emit status(tr("Workspace %1 opened: %2 user methods")
                    .arg(QFileInfo(path).fileName())
                    .arg(mocks()->methods().size()));
    return true;
}

bool WorkspaceController::importFrom(const QString& path)
{
    QString error;
    QStringList skipped;
    const auto methods = OpenRpcImport::fromFile(path, &error, &skipped);
    if (!methods) {
        Dialogs::showError(m_parts.window, tr("Cannot import the OpenRPC document"), error);
        return false;
    }
    int added = 0;
    for (const UserMethod& m : *methods) {
        // A method imported again replaces the earlier import; built-in names are kept.
        MockService* mocks = this->mocks();
        const bool ok = mocks->isUserMethod(m.name) ? mocks->updateMethod(m.name, m, &error)
                                                    : mocks->addMethod(m, &error);
        if (ok)
            ++added;
        else
            skipped << QStringLiteral("%1: %2").arg(m.name, error);
    }
    QString text = tr("Imported %1 %2 from %3 as mocks.")
                       .arg(added)
                       .arg(added == 1 ? tr("method") : tr("methods"), QFileInfo(path).fileName());
    if (!skipped.isEmpty())
        text += tr("\n\nSkipped:\n%1").arg(skipped.join(u'\n'));
    Dialogs::showInfo(m_parts.window, tr("OpenRPC import"), text);
    emit status(text.section(u'\n', 0, 0));
    return added > 0;
}

void WorkspaceController::save(std::function<void()> saved)
{
    if (m_file.isEmpty()) {
        saveAs(std::move(saved));
        return;
    }
    if (saveTo(m_file) && saved)
        saved();
}

void WorkspaceController::saveAs(std::function<void()> saved)
{
    const QString suggested =
        m_file.isEmpty() ? QStringLiteral("mock%1").arg(QLatin1StringView(Workspace::fileSuffix)) : m_file;
    Dialogs::saveFileName(m_parts.window, tr("Save workspace"), suggested, kFilter,
                          [this, saved = std::move(saved)](QString path) {
                              if (!path.endsWith(u".json"))
                                  path += QLatin1StringView(Workspace::fileSuffix);
                              if (saveTo(path) && saved)
                                  saved();
                          });
}

void WorkspaceController::saveWorkspace()
{
    save();
}

void WorkspaceController::saveWorkspaceAs()
{
    saveAs();
}

void WorkspaceController::openWorkspace()
{
    confirmDiscard(tr("opening another workspace"), [this] {
        Dialogs::openFileName(m_parts.window, tr("Open workspace"), kFilter,
                              [this](const QString& path) { openFrom(path); });
    });
}

void WorkspaceController::newWorkspace()
{
    confirmDiscard(tr("starting a new workspace"), [this] {
        Workspace w = defaults();
        // The call history records what was done, not what a workspace sets up: it stays.
        w.history = m_parts.client->history()->toJson();
        applyWorkspace(w);
        setFile({});
        markClean();
        emit status(tr("New workspace"));
    });
}

void WorkspaceController::importOpenRpc()
{
    Dialogs::openFileName(m_parts.window, tr("Import OpenRPC document"),
                          tr("OpenRPC documents (*.json);;All files (*)"),
                          [this](const QString& path) { importFrom(path); });
}

} // namespace rpcbench
