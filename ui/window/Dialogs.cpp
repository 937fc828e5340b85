#include "window/Dialogs.h"

#include <QFileDialog>
#include <QMessageBox>

#include <optional>

namespace rpcbench::Dialogs {

namespace {
std::optional<QString> g_nextFileName;
QString g_lastMessage;
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
} // namespace

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
