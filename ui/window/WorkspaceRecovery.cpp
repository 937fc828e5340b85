#include "window/WorkspaceRecovery.h"

#include "mock/Workspace.h"
#include "window/Dialogs.h"
#include "window/Settings.h"
#include "window/WorkspaceController.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QLockFile>

namespace rpcbench {

WorkspaceRecovery::WorkspaceRecovery(WorkspaceController* workspace, Settings& settings, QWidget* window)
    : QObject(workspace), m_workspace(workspace), m_settings(settings), m_window(window),
      m_lock(std::make_unique<QLockFile>(settings.autosavePath() + QStringLiteral(".lock")))
{
    // A lock left by a crashed process is stale (its process is gone) and taken over at once.
    QDir().mkpath(QFileInfo(autosavePath()).absolutePath());
    m_lock->setStaleLockTime(0);
    m_lock->tryLock(0);
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &WorkspaceRecovery::write);
    // Every change restarts the delay: the copy is written once the user pauses.
    connect(m_workspace, &WorkspaceController::edited, this, [this] {
        if (m_active)
            m_timer.start();
    });
    connect(m_workspace, &WorkspaceController::modifiedChanged, this, [this](bool modified) {
        if (m_active && !modified) {
            m_timer.stop();
            removeCopy(); // saved, or edited back to what was saved: nothing to recover
        }
    });
    connect(m_workspace, &WorkspaceController::fileChanged, this,
            [this](const QString& path) { m_settings.setLastWorkspace(path); });
}

WorkspaceRecovery::~WorkspaceRecovery() = default;

bool WorkspaceRecovery::isAutosaving() const
{
    return m_lock->isLocked();
}

QString WorkspaceRecovery::autosavePath() const
{
    return m_settings.autosavePath();
}

void WorkspaceRecovery::setDelay(int ms)
{
    m_timer.setInterval(ms);
}

QString WorkspaceRecovery::copyTime() const
{
    return QLocale().toString(QFileInfo(autosavePath()).lastModified(), QLocale::ShortFormat);
}

void WorkspaceRecovery::restore()
{
    if (!isAutosaving()) {
        reopenLast();
        emit status(
            tr("Another rpcbench window is running with these settings: this one does not autosave."));
        return; // never activated: the other window's copy is left alone
    }
    if (!QFileInfo::exists(autosavePath())) {
        reopenLast();
        activate();
        return;
    }
    Dialogs::ask(
        m_window, tr("Recover unsaved work"),
        tr("rpcbench did not close normally last time.\n\nRecover unsaved work from %1?").arg(copyTime()),
        {Dialogs::Answer::Recover, Dialogs::Answer::Discard}, [this](Dialogs::Answer answer) {
            if (answer == Dialogs::Answer::Recover) {
                recover();
            } else {
                removeCopy();
                reopenLast();
            }
            activate();
        });
}

void WorkspaceRecovery::activate()
{
    m_active = true;
    if (m_workspace->isModified())
        m_timer.start(); // recovered work: keep its copy current
}

void WorkspaceRecovery::recover()
{
    QString error;
    const QString when = copyTime();
    const auto copy = m_workspace->read(autosavePath(), &error);
    if (!copy) {
        emit status(tr("The unsaved work could not be recovered (%1); it was discarded.").arg(error));
        removeCopy();
        reopenLast();
        return;
    }
    // The copy's changes are relative to the file it was made from: open that file first, so
    // the title names it and the recovered work shows as its unsaved changes. If the file is
    // gone, the work stays untitled (and modified).
    const QString source = m_settings.autosaveSource();
    QString ignored;
    if (!source.isEmpty())
        m_workspace->load(source, &ignored);
    m_workspace->applyWorkspace(*copy);
    emit status(tr("Recovered unsaved work from %1; save it to keep it.").arg(when));
}

void WorkspaceRecovery::reopenLast()
{
    const QString last = m_settings.lastWorkspace();
    if (!m_settings.reopenLastWorkspace() || last.isEmpty())
        return;
    QString error;
    if (m_workspace->load(last, &error))
        emit status(tr("Reopened workspace %1").arg(QFileInfo(last).fileName()));
    else
        emit status(
            tr("Could not reopen the last workspace: %1. Starting with an empty workspace.").arg(error));
}

void WorkspaceRecovery::write()
{
    if (!m_active || !m_workspace->isModified())
        return;
    QString error;
    if (!m_workspace->capture().save(autosavePath(), &error)) {
        emit status(tr("Autosave failed: %1").arg(error));
        return;
    }
    m_settings.setAutosaveSource(m_workspace->currentFile());
    m_settings.sync(); // a crash right after must still find which file the copy belongs to
}

void WorkspaceRecovery::removeCopy()
{
    QFile::remove(autosavePath());
    m_settings.setAutosaveSource({});
}

void WorkspaceRecovery::discard()
{
    m_timer.stop();
    if (!m_active)
        return; // not ours to remove
    m_active = false;
    removeCopy();
    m_settings.sync();
}

} // namespace rpcbench
