#include "window/Dialogs.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include <optional>

namespace rpcbench::Dialogs {

namespace {
std::optional<QString> g_nextFileName;
QString g_lastMessage;
QString g_lastQuestion;
QList<Answer> g_nextAnswers;
bool g_quiet = false;

std::optional<QString> takeNext()
{
    std::optional<QString> next = std::move(g_nextFileName);
    g_nextFileName.reset();
    return next;
}

void show(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text)
{
    g_lastMessage = text;
    if (g_quiet)
        return;
    auto* box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void askFile(QWidget* parent, QFileDialog::AcceptMode mode, const QString& title, const QString& defaultName,
             const QString& filter, FileCallback done)
{
    if (auto next = takeNext()) {
        if (!next->isEmpty())
            done(*next);
        return;
    }
    auto* dialog = new QFileDialog(parent, title, defaultName, filter);
    dialog->setAcceptMode(mode);
    dialog->setFileMode(mode == QFileDialog::AcceptSave ? QFileDialog::AnyFile : QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog, [done](const QString& path) {
        if (!path.isEmpty())
            done(path);
    });
    dialog->open();
}

QAbstractButton* addButton(QMessageBox* box, Answer answer)
{
    switch (answer) {
    case Answer::Save:
        return box->addButton(QMessageBox::Save);
    case Answer::Discard:
        return box->addButton(QMessageBox::Discard);
    case Answer::Cancel:
        return box->addButton(QMessageBox::Cancel);
    case Answer::Recover:
        return box->addButton(QObject::tr("Recover"), QMessageBox::AcceptRole);
    }
    return nullptr;
}

// The answer of a question nobody is there to see (quiet tests).
Answer quietAnswer(const QList<Answer>& answers)
{
    return answers.contains(Answer::Discard) ? Answer::Discard : answers.last();
}
} // namespace

void ask(QWidget* parent, const QString& title, const QString& text, const QList<Answer>& answers,
         AnswerCallback done)
{
    Q_ASSERT(!answers.isEmpty());
    g_lastQuestion = text;
    if (!g_nextAnswers.isEmpty()) {
        done(g_nextAnswers.takeFirst());
        return;
    }
    if (g_quiet) {
        done(quietAnswer(answers));
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QHash<QAbstractButton*, Answer> byButton;
    for (Answer answer : answers)
        byButton.insert(addButton(box, answer), answer);
    box->setDefaultButton(qobject_cast<QPushButton*>(byButton.key(answers.first())));
    box->setEscapeButton(byButton.key(answers.last()));
    // finished, not buttonClicked: closing the box any way at all must still answer.
    QObject::connect(box, &QDialog::finished, box, [box, byButton, done, escape = answers.last()] {
        QAbstractButton* button = box->clickedButton();
        done(button ? byButton.value(button, escape) : escape);
    });
    if (parent && !parent->isVisible())
        QTimer::singleShot(0, box, [box] { box->open(); });
    else
        box->open();
}

void setNextAnswer(Answer answer)
{
    g_nextAnswers.append(answer);
}

QString lastQuestion()
{
    return g_lastQuestion;
}

void resetAnswers()
{
    g_nextAnswers.clear();
    g_nextFileName.reset();
    g_lastQuestion.clear();
}

void saveFileName(QWidget* parent, const QString& title, const QString& defaultName, const QString& filter,
                  FileCallback done)
{
    askFile(parent, QFileDialog::AcceptSave, title, defaultName, filter, std::move(done));
}

void openFileName(QWidget* parent, const QString& title, const QString& filter, FileCallback done)
{
    askFile(parent, QFileDialog::AcceptOpen, title, QString(), filter, std::move(done));
}

void setNextFileName(const QString& name)
{
    g_nextFileName = name;
}

void showError(QWidget* parent, const QString& title, const QString& text)
{
    show(parent, QMessageBox::Warning, title, text);
}

void showInfo(QWidget* parent, const QString& title, const QString& text)
{
    show(parent, QMessageBox::Information, title, text);
}

QString lastMessage()
{
    return g_lastMessage;
}

void setQuiet(bool quiet)
{
    g_quiet = quiet;
}

} // namespace rpcbench::Dialogs
