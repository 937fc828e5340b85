// `rpcbench` without a sub-command: the test bench window.

#include "Commands.h"
#include "Version.h"

#ifdef RPCBENCH_HAVE_UI
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int runGui(int& argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("rpcbench"));
    // resources/<appId>.desktop: Wayland and the task bars find the icon and name through it.
    QApplication::setDesktopFileName(QString::fromLatin1(rpcbench::build::appId));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("JSON-RPC test bench"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption settingsOption(QStringLiteral("settings"),
                                      QStringLiteral("Use this INI file for settings."),
                                      QStringLiteral("FILE"));
    QCommandLineOption serveOption(QStringLiteral("start-server"),
                                   QStringLiteral("Start the embedded server at once."));
    parser.addOptions({settingsOption, serveOption});
    parser.process(app);

    rpcbench::MainWindow window(std::make_unique<rpcbench::Settings>(parser.value(settingsOption)));
    window.show();
    if (parser.isSet(serveOption))
        QTimer::singleShot(0, &window, &rpcbench::MainWindow::startServer);
    return app.exec();
}

#else

#include <cstdio>

int runGui(int&, char**)
{
    std::fputs("rpcbench was built without the GUI; try 'rpcbench serve'\n", stderr);
    return 70;
}

#endif
