// `rpcbench` without a sub-command: the test bench window.

#include "Commands.h"

#ifdef RPCBENCH_HAVE_UI
#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "Settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int runGui(int& argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("rpcbench"));
    QApplication::setDesktopFileName(QStringLiteral("rpcbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("JSON-RPC test bench"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption settingsOption(QStringLiteral("settings"),
                                      QStringLiteral("Use this INI file for settings."),
                                      QStringLiteral("FILE"));
    QCommandLineOption serveOption(QStringLiteral("start-server"),
                                   QStringLiteral("Start the embedded server at once."));
    // For docs/make-screenshot.sh: run a short scripted session, save the window, quit.
    QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Save a screenshot and quit."), QStringLiteral("FILE"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({settingsOption, serveOption, screenshotOption});
    parser.process(app);

    const QString screenshot = parser.value(screenshotOption);
    QTemporaryDir scratch; // screenshots never read or change the user's settings
    const QString settingsFile = !screenshot.isEmpty() ? scratch.filePath(QStringLiteral("screenshot.ini"))
                                                       : parser.value(settingsOption);
    rpcbench::MainWindow window(std::make_unique<rpcbench::Settings>(settingsFile));
    if (!screenshot.isEmpty()) {
        window.resize(1440, 900);
        window.show();
        auto* tour = new rpcbench::ScreenshotTour(&window, screenshot, &window);
        QObject::connect(tour, &rpcbench::ScreenshotTour::done, &app, [](bool ok, const QString& message) {
            std::fprintf(ok ? stdout : stderr, "rpcbench: %s\n", qPrintable(message));
            QCoreApplication::exit(ok ? 0 : 1);
        });
        QTimer::singleShot(0, tour, &rpcbench::ScreenshotTour::start);
        return app.exec();
    }
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
