// rpcbench-screenshot: the docs tool behind docs/make-screenshot.sh. It opens the real main
// window with throw-away settings, runs a short scripted session (ScreenshotTour) and saves
// the window as a PNG. Not part of the product binary.

#include "ScreenshotTour.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("rpcbench"));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2) {
        std::fputs("usage: rpcbench-screenshot FILE.png\n", stderr);
        return 64;
    }
    QTemporaryDir scratch; // screenshots never read or change the user's settings
    rpcbench::MainWindow window(
        std::make_unique<rpcbench::Settings>(scratch.filePath(QStringLiteral("screenshot.ini"))));
    window.resize(1440, 900);
    window.show();
    auto* tour = new rpcbench::ScreenshotTour(&window, args.at(1), &window);
    QObject::connect(tour, &rpcbench::ScreenshotTour::done, &app, [](bool ok, const QString& message) {
        std::fprintf(ok ? stdout : stderr, "rpcbench-screenshot: %s\n", qPrintable(message));
        QCoreApplication::exit(ok ? 0 : 1);
    });
    QTimer::singleShot(0, tour, &rpcbench::ScreenshotTour::start);
    return app.exec();
}
