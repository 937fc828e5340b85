#pragma once
// Every file dialog and message box of the GUI goes through here, so tests can answer them
// ahead of time (setNextFileName) and never block on a modal window. Messages are shown
// window-modal with open(), never exec(): no nested event loop.

#include <QString>

#include <functional>

class QWidget;

namespace rpcbench::Dialogs {

// Window-modal file dialogs; `done` runs with the chosen path (never with an empty one; a
// cancelled dialog calls nothing).
using FileCallback = std::function<void(const QString& path)>;
void saveFileName(QWidget* parent, const QString& title, const QString& defaultName, const QString& filter,
                  FileCallback done);
void openFileName(QWidget* parent, const QString& title, const QString& filter, FileCallback done);

// Tests: the next file dialog answers `name` at once (empty = as if cancelled).
void setNextFileName(const QString& name);

// Shows a non-blocking warning; the text is kept for tests (lastMessage()).
void showError(QWidget* parent, const QString& title, const QString& text);
void showInfo(QWidget* parent, const QString& title, const QString& text);
QString lastMessage();
// Tests: suppress the message windows (they are still recorded).
void setQuiet(bool quiet);

} // namespace rpcbench::Dialogs
