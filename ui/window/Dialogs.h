#pragma once
// Every file dialog, question and message box of the GUI goes through here, so tests can answer
// them ahead of time (setNextFileName, setNextAnswer) and never block on a modal window. Messages are shown
// window-modal with open(), never exec(): no nested event loop.

#include <QList>
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

// Window-modal questions. `done` runs with the button chosen; closing the box with Escape or
// the window's close button answers the last of `answers` (Cancel, or Discard when there is no
// Cancel). The first answer is the default button. A parent not shown yet (the window being
// built) gets its question once the event loop runs, so it appears over the window.
enum class Answer { Save, Discard, Cancel, Recover };
using AnswerCallback = std::function<void(Answer)>;
void ask(QWidget* parent, const QString& title, const QString& text, const QList<Answer>& answers,
         AnswerCallback done);

// Tests: the next questions answer these at once, in order. With setQuiet(true), a question
// nobody answered ahead answers Discard when offered (else its last answer), so tests that do
// not care about unsaved work behave as before it was tracked.
void setNextAnswer(Answer answer);
QString lastQuestion(); // the text of the last question asked
// Tests: forget answers given ahead and not used (setNextFileName too), and lastQuestion().
void resetAnswers();

// Shows a non-blocking warning; the text is kept for tests (lastMessage()).
void showError(QWidget* parent, const QString& title, const QString& text);
void showInfo(QWidget* parent, const QString& title, const QString& text);
QString lastMessage();
// Tests: suppress the message windows (they are still recorded).
void setQuiet(bool quiet);

} // namespace rpcbench::Dialogs
