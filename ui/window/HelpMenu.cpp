#include "window/HelpMenu.h"

#include "window/Dialogs.h"
#include "window/ShortcutsDialog.h"

#include <QAction>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QMainWindow>
#include <QMenuBar>
#include <QUrl>

#ifndef RPCBENCH_VERSION
#define RPCBENCH_VERSION "unknown"
#endif

namespace rpcbench {

HelpMenu::HelpMenu(QMainWindow* window) : QObject(window), m_window(window)
{
    QMenu* menu = window->menuBar()->addMenu(tr("&Help"));
    const auto add = [&](const QString& name, const QString& text) {
        auto* action = new QAction(text, window);
        action->setObjectName(name);
        menu->addAction(action);
        return action;
    };
    connect(add(QStringLiteral("actionShortcuts"), tr("&Keyboard shortcuts")), &QAction::triggered, this,
            &HelpMenu::showShortcuts);
    QAction* docs = add(QStringLiteral("actionOpenDocs"), tr("Open &documentation folder"));
    connect(docs, &QAction::triggered, this, &HelpMenu::openDocs);
    const QString folder = docsFolder();
    docs->setEnabled(!folder.isEmpty());
    docs->setToolTip(folder.isEmpty() ? tr("No documentation folder was found next to rpcbench") : folder);
    menu->setToolTipsVisible(true);
    menu->addSeparator();
    QAction* about = add(QStringLiteral("actionAbout"), tr("&About rpcbench"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &HelpMenu::about);
}

QString HelpMenu::aboutText()
{
    const QString version = QCoreApplication::applicationVersion().isEmpty()
                                ? QStringLiteral(RPCBENCH_VERSION)
                                : QCoreApplication::applicationVersion();
    return tr("rpcbench %1\n"
              "A JSON-RPC test bench: an embedded server with mock methods, a client and a traffic log.\n\n"
              "Built with Qt %2, running on Qt %3.\n\n"
              "Licenses:\n"
              "• Qt is used under the GNU Lesser General Public License v3 (LGPLv3); it is linked "
              "dynamically, so it can be replaced by another build of Qt %4. Qt's sources: "
              "https://download.qt.io/\n"
              "• rpcbench: see the license notes distributed with rpcbench.")
        .arg(version, QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
             QStringLiteral("%1.%2").arg(QT_VERSION_MAJOR).arg(QT_VERSION_MINOR));
}

QString HelpMenu::docsFolder()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    QStringList candidates{bin.filePath(QStringLiteral("../share/doc/rpcbench")),
                           bin.filePath(QStringLiteral("docs")), bin.filePath(QStringLiteral("../docs"))};
#ifdef RPCBENCH_DOCS_DIR
    candidates << QStringLiteral(RPCBENCH_DOCS_DIR);
#endif
    for (const QString& candidate : candidates) {
        if (QDir(candidate).exists(QStringLiteral("DESIGN.md")) ||
            QDir(candidate).exists(QStringLiteral("README.md")))
            return QDir::cleanPath(QDir(candidate).absolutePath());
    }
    return {};
}

void HelpMenu::about()
{
    Dialogs::showInfo(m_window, tr("About rpcbench"), aboutText());
}

void HelpMenu::showShortcuts()
{
    auto* dialog = new ShortcutsDialog(m_window->findChildren<QAction*>(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

bool HelpMenu::openDocs()
{
    const QString folder = docsFolder();
    return !folder.isEmpty() && QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

} // namespace rpcbench
