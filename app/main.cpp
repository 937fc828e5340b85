// Entry point: `rpcbench` alone opens the GUI; a sub-command runs headless.

#include "Commands.h"
#include "Version.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>
#include <malloc.h>

namespace {

void printUsage()
{
    std::fputs("usage: rpcbench [COMMAND] [OPTIONS]\n\n"
               "With no command, opens the test bench window:\n"
               "  --start-server    start the embedded server at once\n"
               "  --settings FILE   use this INI file for settings\n\n"
               "Options:\n"
               "  -h, --help        print this help\n"
               "  -V, --version     print the version and the commit it was built from\n\n"
               "Commands:\n"
               "  serve     run the JSON-RPC server headless\n"
               "  call      call a method on a JSON-RPC server\n"
               "  methods   list a server's methods\n"
               "  listen    print the requests and notifications a server sends\n"
               "  bench     load-test a server\n"
               "  proxy     sit between a client and its server: forward, log, inject faults\n"
               "  replay    send recorded requests again and compare the replies\n"
               "  test      run a workspace's saved calls and check their assertions\n\n"
               "Run 'rpcbench COMMAND --help' for a command's options.\n",
               stdout);
}

QStringList argsFrom(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

} // namespace

int main(int argc, char** argv)
{
    // Big messages (MiB-sized payloads) must give their memory back when done. glibc raises
    // its mmap threshold after freeing a large block, after which big buffers come from the
    // heap and stay resident; a fixed threshold keeps them mmapped and returned on free.
    mallopt(M_MMAP_THRESHOLD, 512 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    QCoreApplication::setOrganizationName(QStringLiteral("rpcbench"));
    QCoreApplication::setApplicationName(QStringLiteral("rpcbench"));
    // The plain version: the OpenRPC document and the peers see it; the commit is for people.
    QCoreApplication::setApplicationVersion(QString::fromLatin1(rpcbench::build::version));

    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
            printUsage();
            return 0;
        }
        // Before the GUI: --version must work without a display (scripts, packaging checks).
        if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0)) {
            std::printf("rpcbench %s\n", rpcbench::build::versionLine);
            return 0;
        }
        return runGui(argc, argv);
    }
    const char* command = argv[1];
    // Headless commands use Qt's plain UNIX event dispatcher: the glib one adds a poll round
    // and a few per cent of CPU per event on the server's hot path.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    // The sub-command sees "rpcbench <command> options..." as its argument list.
    const QStringList args = argsFrom(argc, argv);
    if (std::strcmp(command, "serve") == 0)
        return runServe(args);
    if (std::strcmp(command, "call") == 0)
        return runCall(args);
    if (std::strcmp(command, "methods") == 0)
        return runMethods(args);
    if (std::strcmp(command, "bench") == 0)
        return runBench(args);
    if (std::strcmp(command, "listen") == 0)
        return runListen(args);
    if (std::strcmp(command, "proxy") == 0)
        return runProxy(args);
    if (std::strcmp(command, "replay") == 0)
        return runReplay(args);
    if (std::strcmp(command, "test") == 0)
        return runTest(args);
    if (std::strcmp(command, "help") == 0) {
        printUsage();
        return 0;
    }
    std::fprintf(stderr, "rpcbench: unknown command '%s'\n", command);
    printUsage();
    return 64;
}
