// rpcbench_guiload: the GUI-under-load benchmark of issue 5 (run by bench/gui-load.sh).
//
//   rpcbench_guiload [--bench PATH] [--scenario follow|reading] [--conns 16] [--depth 8]
//                    [--seconds 30] [--bench-cpu N] [--gui-cpu N] [--out FILE]
//
// Prints one JSON object with the figures (see GuiLoadRun); exit code 0 when the run completed
// (whether or not the targets were met), 1 when it could not run.

#include "GuiLoadRun.h"
#include "TimedApplication.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <malloc.h>
#include <sched.h>

#include <cstdio>

using namespace rpcbench;

namespace {

// Before any thread exists, so the server and client threads inherit it.
bool pinSelf(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0;
}

int cpuArgument(int argc, char** argv)
{
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--gui-cpu") == 0)
            return QByteArray(argv[i + 1]).toInt();
    }
    return -1;
}

QString defaultBenchPath()
{
    const QDir here(QCoreApplication::applicationDirPath());
    // build/bench/guiload/rpcbench_guiload -> build/app/rpcbench
    for (const QString& candidate :
         {here.filePath(QStringLiteral("../../app/rpcbench")), here.filePath(QStringLiteral("rpcbench"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

void addOptions(QCommandLineParser& p)
{
    p.setApplicationDescription(QStringLiteral(
        "Runs the real main window offscreen with its embedded server and logging on, drives it with "
        "`rpcbench bench` at full speed and reports the GUI thread's stalls, the log's counters and "
        "memory."));
    p.addHelpOption();
    const auto option = [&p](const char* name, const char* help, const char* value, const char* def) {
        p.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value),
                     QString::fromLatin1(def)});
    };
    option("bench", "The rpcbench executable (default: the build's app/rpcbench).", "path", "");
    option("scenario", "follow (log at the bottom, auto-scroll) or reading (user scrolled up, row selected).",
           "name", "follow");
    option("conns", "Connections of the load generator.", "count", "16");
    option("depth", "Calls in flight per connection.", "count", "8");
    option("seconds", "Measured seconds of load.", "seconds", "30");
    option("payload", "Echo payload bytes.", "bytes", "16");
    option("capacity", "Log capacity (0 = the window's default).", "rows", "0");
    option("bench-cpu", "Pin the load generator to this CPU (-1 = no pinning).", "cpu", "-1");
    option("gui-cpu", "Pin this process (GUI + server threads) to this CPU (-1 = no pinning).", "cpu", "-1");
    option("server-nice",
           "Comparison: run the embedded server thread this many nice steps below the GUI instead of the "
           "window's default (0 = same priority as the GUI; -1 = the default).",
           "steps", "-1");
    option("out", "Also write the JSON here.", "file", "");
}

bool readOptions(const QCommandLineParser& p, GuiLoadOptions* o, QString* error)
{
    bool ok = true;
    const auto number = [&](const char* name) {
        bool good = false;
        const double v = p.value(QString::fromLatin1(name)).toDouble(&good);
        if (!good && ok) {
            *error = QStringLiteral("--%1 must be a number").arg(QString::fromLatin1(name));
            ok = false;
        }
        return v;
    };
    o->benchPath = p.value(QStringLiteral("bench"));
    if (o->benchPath.isEmpty())
        o->benchPath = defaultBenchPath();
    o->scenario = p.value(QStringLiteral("scenario"));
    o->conns = int(number("conns"));
    o->depth = int(number("depth"));
    o->seconds = number("seconds");
    o->payload = int(number("payload"));
    o->capacity = int(number("capacity"));
    o->benchCpu = int(number("bench-cpu"));
    o->serverNice = int(number("server-nice"));
    if (!ok)
        return false;
    if (o->benchPath.isEmpty() || !QFileInfo(o->benchPath).isExecutable()) {
        *error = QStringLiteral("no rpcbench executable found; pass --bench PATH");
        return false;
    }
    if (o->scenario != QLatin1String("follow") && o->scenario != QLatin1String("reading")) {
        *error = QStringLiteral("--scenario must be follow or reading");
        return false;
    }
    if (o->conns < 1 || o->depth < 1 || o->seconds <= 0) {
        *error = QStringLiteral("--conns, --depth and --seconds must be positive");
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    // The same allocator settings as the real application (app/main.cpp), so memory figures
    // are the product's.
    mallopt(M_MMAP_THRESHOLD, 512 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const int guiCpu = cpuArgument(argc, argv);
    if (guiCpu >= 0 && !pinSelf(guiCpu))
        std::fprintf(stderr, "rpcbench_guiload: cannot pin to CPU %d; running unpinned\n", guiCpu);

    TimedApplication app(argc, argv);
    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);
    GuiLoadOptions options;
    QString error;
    if (!readOptions(parser, &options, &error)) {
        std::fprintf(stderr, "rpcbench_guiload: %s\n", qPrintable(error));
        return 2;
    }

    const QString outPath = parser.value(QStringLiteral("out"));
    int exitCode = 1;
    GuiLoadRun run(&app, options);
    QObject::connect(&run, &GuiLoadRun::finished, &app, [&](const QJsonObject& result, bool ok) {
        const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        if (!outPath.isEmpty()) {
            QFile out(outPath);
            if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size())
                std::fprintf(stderr, "rpcbench_guiload: cannot write %s\n", qPrintable(outPath));
        }
        if (!ok)
            std::fprintf(stderr, "rpcbench_guiload: %s\n",
                         qPrintable(result.value(QStringLiteral("error")).toString()));
        exitCode = ok ? 0 : 1;
        QCoreApplication::exit(exitCode);
    });
    run.start();
    app.exec();
    return exitCode;
}
