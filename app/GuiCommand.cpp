// `rpcbench` without a sub-command: the test bench window.

#include "Commands.h"
#include "Version.h"

#ifdef RPCBENCH_HAVE_UI
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

namespace {

// Qt's own strings (standard dialogs' buttons) and ours in the user's language. The build
// embeds :/i18n/rpcbench_<lang>.qm for every shipped language (English, generated from the
// sources' tr() calls: the template a translator starts from); a missing one falls back to
// the source strings.
void installTranslators(QApplication& app)
{
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    auto* own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("rpcbench"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
}

} // namespace

int runGui(int& argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("rpcbench"));
    // resources/<appId>.desktop: Wayland and the task bars find the icon and name through it.
    QApplication::setDesktopFileName(QString::fromLatin1(rpcbench::build::appId));
    installTranslators(app);

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
