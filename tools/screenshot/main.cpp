// rpcbench-screenshot: the docs tool behind docs/make-screenshot.sh. It opens the real main
// window with throw-away settings, runs a short scripted session (ScreenshotTour) and saves
// the window as a PNG. Not part of the product binary.

#include "ScreenshotTour.h"
#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QApplication>
#include <QSize>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("rpcbench"));
    const QStringList args = QCoreApplication::arguments();
    // An optional window size (WIDTHxHEIGHT) shows how the layout holds up in small windows.
    QSize size(1440, 900);
    if (args.size() == 3) {
        const QStringList wh = args.at(2).split(QLatin1Char('x'));
        size = wh.size() == 2 ? QSize(wh.at(0).toInt(), wh.at(1).toInt()) : QSize();
    }
    if (args.size() < 2 || args.size() > 3 || size.width() < 320 || size.height() < 240) {
        std::fputs("usage: rpcbench-screenshot FILE.png [WIDTHxHEIGHT]   (default 1440x900)\n", stderr);
        return 64;
    }
    QTemporaryDir scratch; // screenshots never read or change the user's settings
    rpcbench::MainWindow window(
        std::make_unique<rpcbench::Settings>(scratch.filePath(QStringLiteral("screenshot.ini"))));
    window.resize(size);
    window.show();
    auto* tour = new rpcbench::ScreenshotTour(&window, args.at(1), &window);
    QObject::connect(tour, &rpcbench::ScreenshotTour::done, &app, [](bool ok, const QString& message) {
        std::fprintf(ok ? stdout : stderr, "rpcbench-screenshot: %s\n", qPrintable(message));
        QCoreApplication::exit(ok ? 0 : 1);
    });
    QTimer::singleShot(0, tour, &rpcbench::ScreenshotTour::start);
    return app.exec();
}
