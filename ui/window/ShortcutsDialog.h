#pragma once
// Help > Keyboard shortcuts: every action of the window that has a shortcut, listed from the
// actions themselves, so the list cannot drift from what the keys really do.

#include <QDialog>
#include <QList>
#include <QString>

#include <utility>

class QAction;

namespace rpcbench {

class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    // One row per action with a shortcut: its text (without "&" and "…") and its key sequences
    // in the platform's notation ("Ctrl+Return, Ctrl+Enter"), sorted by text.
    static QList<std::pair<QString, QString>> rows(const QList<QAction*>& actions);

    explicit ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);
};

} // namespace rpcbench
