#pragma once
// The window's Help menu: About (versions and licenses), Keyboard shortcuts (generated from the
// window's actions) and Open documentation folder (disabled, with the reason as its tooltip,
// when no docs folder is found next to the binary or in the source tree).

#include <QObject>
#include <QString>

class QMainWindow;

namespace rpcbench {

class HelpMenu : public QObject
{
    Q_OBJECT
public:
    explicit HelpMenu(QMainWindow* window); // adds "&Help" to the window's menu bar

    static QString aboutText();
    // The first existing docs folder: installed (share/doc/rpcbench), beside the binary, or the
    // source tree's docs/ (a build run in place). Empty when there is none.
    static QString docsFolder();

    void about();
    void showShortcuts();
    bool openDocs();

private:
    QMainWindow* m_window;
};

} // namespace rpcbench
