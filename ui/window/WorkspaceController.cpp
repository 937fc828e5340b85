#include "window/WorkspaceController.h"

#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "engine/Engine.h"
#include "mock/MockService.h"
#include "openrpc/OpenRpcImport.h"
#include "protocol/RpcTypes.h"
#include "window/BenchSession.h"
#include "window/Dialogs.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QSpinBox>

namespace rpcbench {

namespace {

const QString kFilter =
    QStringLiteral("rpcbench workspaces (*.rpcbench.json);;JSON files (*.json);;All files (*)");

} // namespace

WorkspaceController::WorkspaceController(const Parts& parts, QObject* parent)
    : QObject(parent), m_parts(parts)
{}

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
    w.history = m_parts.client->history()->toJson();
    w.savedCalls = m_savedCalls;
    return w;
}

void WorkspaceController::applyWorkspace(const Workspace& w)
{
    m_parts.session->engine()->applyWorkspace(w); // limits: from the server's next start on
    m_parts.port->setValue(w.server.port);
    m_parts.bind->setCurrentText(w.server.bind);
    setClientTarget(w.client.url, w.client.dialect);
    m_parts.client->history()->load(w.history);
    m_savedCalls = w.savedCalls;
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
    m_file = path;
    emit fileChanged(path);
    emit status(tr("Workspace saved to %1").arg(QFileInfo(path).fileName()));
    return true;
}

bool WorkspaceController::openFrom(const QString& path)
{
    QString error;
    const auto w = m_parts.session->engine()->readWorkspace(path, &error);
    if (!w) {
        Dialogs::showError(m_parts.window, tr("Cannot open the workspace"),
                           tr("%1\n\nNothing was changed.").arg(error));
        return false;
    }
    applyWorkspace(*w);
    m_file = path;
    emit fileChanged(path);
    emit status(
        tr("Workspace %1 opened: %2 user methods").arg(QFileInfo(path).fileName()).arg(w->methods.size()));
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

void WorkspaceController::saveWorkspace()
{
    const QString suggested =
        m_file.isEmpty() ? QStringLiteral("mock%1").arg(QLatin1StringView(Workspace::fileSuffix)) : m_file;
    Dialogs::saveFileName(m_parts.window, tr("Save workspace"), suggested, kFilter, [this](QString path) {
        if (!path.endsWith(u".json"))
            path += QLatin1StringView(Workspace::fileSuffix);
        saveTo(path);
    });
}

void WorkspaceController::openWorkspace()
{
    Dialogs::openFileName(m_parts.window, tr("Open workspace"), kFilter,
                          [this](const QString& path) { openFrom(path); });
}

void WorkspaceController::importOpenRpc()
{
    Dialogs::openFileName(m_parts.window, tr("Import OpenRPC document"),
                          tr("OpenRPC documents (*.json);;All files (*)"),
                          [this](const QString& path) { importFrom(path); });
}

} // namespace rpcbench
