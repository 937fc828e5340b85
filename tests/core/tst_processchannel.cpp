// ProcessChannel with real child processes (/usr/bin/python3 and /bin/sh): the byte stream on
// stdin/stdout, stderr lines, one-line start failures, exit reasons with the stderr tail, the
// close() escalation (stdin EOF, SIGTERM, SIGKILL), environment and working directory.

#include "wire/ProcessChannel.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace rpcbench;
using namespace std::chrono_literals;

namespace {

const QString Python = QStringLiteral("/usr/bin/python3");

// A python child running `script`.
Endpoint pythonEndpoint(const QString& script, const QStringList& env = {}, const QString& dir = {})
{
    Endpoint ep;
    ep.carrier = Carrier::Process;
    ep.process.program = Python;
    ep.process.arguments = {QStringLiteral("-u"), QStringLiteral("-c"), script};
    ep.process.environment = env;
    ep.process.workingDirectory = dir;
    return ep;
}

Endpoint programEndpoint(const QString& program, const QString& dir = {})
{
    Endpoint ep;
    ep.carrier = Carrier::Process;
    ep.process.program = program;
    ep.process.workingDirectory = dir;
    return ep;
}

// Reads until `size` bytes arrived (or the time is up), reading on every readyRead.
QByteArray readExactly(ByteChannel& channel, qsizetype size, int timeoutMs = 10000)
{
    QByteArray got = channel.readAll();
    if (got.size() >= size)
        return got;
    QEventLoop loop;
    QObject::connect(&channel, &ByteChannel::readyRead, &loop, [&] {
        got += channel.readAll();
        if (got.size() >= size)
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return got;
}

// Opens the channel and waits for connected().
bool start(ProcessChannel& channel)
{
    QSignalSpy connected(&channel, &ByteChannel::connected);
    channel.open();
    return connected.wait(10000) && channel.isOpen();
}

const char* const EchoLoop = "import sys\n"
                             "for line in sys.stdin:\n"
                             "    sys.stdout.write(line)\n";

} // namespace

class TestProcessChannel : public QObject
{
    Q_OBJECT
private slots:
    void roundtrip_data();
    void roundtrip();
    void writeBeforeStarted();
    void stderrLines();
    void startFailures_data();
    void startFailures();
    void exitReasons_data();
    void exitReasons();
    void closeEscalates_data();
    void closeEscalates();
    void abortKillsAtOnce();
    void environmentAndWorkingDirectory();
    void peerDescription();
    void destructorKillsChild();
};

void TestProcessChannel::roundtrip_data()
{
    QTest::addColumn<qsizetype>("lineSize");
    QTest::addColumn<int>("lines");
    QTest::newRow("one short line") << qsizetype(10) << 1;
    QTest::newRow("many lines") << qsizetype(100) << 500;
    QTest::newRow("one 1 MiB line") << qsizetype(1 << 20) << 1;
}

// What we write to stdin comes back on stdout complete and in order, over the pipe buffer's
// size in both directions.
void TestProcessChannel::roundtrip()
{
    QFETCH(qsizetype, lineSize);
    QFETCH(int, lines);
    ProcessChannel channel(pythonEndpoint(QString::fromLatin1(EchoLoop)));
    QVERIFY(start(channel));
    QByteArray sent;
    for (int i = 0; i < lines; ++i) {
        QByteArray line(lineSize, char('a' + i % 26));
        line += '\n';
        sent += line;
        channel.write(line);
    }
    QCOMPARE(readExactly(channel, sent.size()), sent);

    QSignalSpy closed(&channel, &ByteChannel::closed);
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    channel.close(); // stdin EOF ends the loop: an orderly exit
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.first().first().toString(),
             QStringLiteral("process '%1' exited with code 0").arg(Python));
    QCOMPARE(errors.count(), 0);
    QVERIFY(!channel.isOpen());
}

// Bytes written between open() and connected() reach the child (QProcess queues them).
void TestProcessChannel::writeBeforeStarted()
{
    ProcessChannel channel(pythonEndpoint(QString::fromLatin1(EchoLoop)));
    QSignalSpy connected(&channel, &ByteChannel::connected);
    channel.open();
    channel.write("early\n");
    QCOMPARE(readExactly(channel, 6), QByteArray("early\n"));
    QCOMPARE(connected.count(), 1);
}

// Standard error arrives line by line, never in the stdout stream; a last line without a
// newline is flushed when the child exits.
void TestProcessChannel::stderrLines()
{
    ProcessChannel channel(pythonEndpoint(
        QStringLiteral("import sys\nsys.stderr.write('first\\nsecond\\r\\n')\nsys.stderr.flush()\n"
                       "sys.stdout.write('out\\n')\nsys.stderr.write('partial')\n")));
    QSignalSpy lines(&channel, &ByteChannel::stderrLine);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    QVERIFY(start(channel));
    QVERIFY(closed.wait(10000));
    QCOMPARE(lines.count(), 3);
    QCOMPARE(lines.at(0).first().toByteArray(), QByteArray("first"));
    QCOMPARE(lines.at(1).first().toByteArray(), QByteArray("second"));
    QCOMPARE(lines.at(2).first().toByteArray(), QByteArray("partial"));
    QCOMPARE(channel.readAll(), QByteArray("out\n"));
    QCOMPARE(channel.stderrTail(), (QList<QByteArray>{"first", "second", "partial"}));
}

void TestProcessChannel::startFailures_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("workingDirectory");
    QTest::addColumn<QString>("expected"); // %1: a temporary directory
    QTest::newRow("not on PATH") << "clangdx-does-not-exist" << QString()
                                 << "cannot start 'clangdx-does-not-exist': program not found";
    QTest::newRow("missing path") << "/nonexistent/tool" << QString()
                                  << "cannot start '/nonexistent/tool': program not found";
    QTest::newRow("not executable") << "%1/plain.txt" << QString()
                                    << "cannot start '%1/plain.txt': '%1/plain.txt' is not executable";
    QTest::newRow("a directory") << "%1" << QString() << "cannot start '%1': '%1' is not executable";
    QTest::newRow("bad working directory")
        << "/bin/cat"
        << "%1/missing"
        << "cannot start '/bin/cat': working directory '%1/missing' does not exist";
}

// A child that cannot start fails with one line naming the cause, errorOccurred then closed.
void TestProcessChannel::startFailures()
{
    QFETCH(QString, program);
    QFETCH(QString, workingDirectory);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile plain(dir.filePath(QStringLiteral("plain.txt")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("not a program\n");
    plain.close();
    const auto fill = [&](QString s) { return s.replace(QStringLiteral("%1"), dir.path()); };

    ProcessChannel channel(programEndpoint(fill(program), fill(workingDirectory)));
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    QSignalSpy connected(&channel, &ByteChannel::connected);
    channel.open();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().toString(), fill(expected));
    QCOMPARE(closed.first().first().toString(), fill(expected));
    QVERIFY(!fill(expected).contains(u'\n'));
    QCOMPARE(connected.count(), 0);
    QVERIFY(!channel.isOpen());
}

void TestProcessChannel::exitReasons_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("failure");
    QTest::addColumn<QString>("expectedSuffix");
    QTest::newRow("exit 0") << "import sys; sys.exit(0)" << false << "exited with code 0";
    QTest::newRow("exit 1 with stderr")
        << "import sys\nfor i in range(30): print('noise', i, file=sys.stderr)\n"
           "print('  fatal: no compile_commands.json  ', file=sys.stderr)\nsys.exit(1)"
        << true << "exited with code 1: noise 28 | noise 29 | fatal: no compile_commands.json";
    QTest::newRow("killed by SIGKILL") << "import os, signal, sys\nprint('about to die', "
                                          "file=sys.stderr)\nos.kill(os.getpid(), signal.SIGKILL)"
                                       << true << "was killed by signal 9 (SIGKILL): about to die";
    QTest::newRow("SIGSEGV") << "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)" << true
                             << "was killed by signal 11 (SIGSEGV)";
}

// The end names the exit code or the signal and quotes the last stderr lines; a non-zero exit
// or a signal is a failure (errorOccurred first), exit 0 is not.
void TestProcessChannel::exitReasons()
{
    QFETCH(QString, script);
    QFETCH(bool, failure);
    QFETCH(QString, expectedSuffix);
    ProcessChannel channel(pythonEndpoint(script));
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    QVERIFY(start(channel));
    QVERIFY(closed.wait(10000));
    const QString expected = QStringLiteral("process '%1' ").arg(Python) + expectedSuffix;
    QCOMPARE(closed.first().first().toString(), expected);
    QCOMPARE(errors.count(), failure ? 1 : 0);
    if (failure)
        QCOMPARE(errors.first().first().toString(), expected);
    QVERIFY(channel.stderrTail().size() <= ProcessChannel::TailLines);
}

void TestProcessChannel::closeEscalates_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expectedSuffix");
    // Ignores stdin EOF, dies on SIGTERM.
    QTest::newRow("terminate")
        << "import sys, time\nsys.stdin.read()\nprint('ready', flush=True)\ntime.sleep(60)"
        << "was killed by signal 15 (SIGTERM)";
    // Ignores SIGTERM too: killed after the second grace period.
    QTest::newRow("kill") << "import signal, sys, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                             "sys.stdin.read()\nprint('ready', flush=True)\ntime.sleep(60)"
                          << "was killed by signal 9 (SIGKILL)";
}

// close() closes stdin, then terminates, then kills: a child that ignores each step still ends,
// and the end is ours, not a failure.
void TestProcessChannel::closeEscalates()
{
    QFETCH(QString, script);
    QFETCH(QString, expectedSuffix);
    ProcessChannel channel(pythonEndpoint(script));
    channel.setGracePeriod(300ms);
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    QVERIFY(start(channel));
    channel.close();
    QCOMPARE(readExactly(channel, 6), QByteArray("ready\n")); // it saw EOF and kept running
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.first().first().toString(), QStringLiteral("process '%1' ").arg(Python) + expectedSuffix);
    QCOMPARE(errors.count(), 0);
}

// abort() ends the channel inside the call and kills the child.
void TestProcessChannel::abortKillsAtOnce()
{
    auto channel =
        std::make_unique<ProcessChannel>(pythonEndpoint(QStringLiteral("import time; time.sleep(60)")));
    QVERIFY(start(*channel));
    const qint64 pid = channel->processId();
    QVERIFY(pid > 0);
    QSignalSpy closed(channel.get(), &ByteChannel::closed);
    QSignalSpy errors(channel.get(), &ByteChannel::errorOccurred);
    channel->abort();
    QCOMPARE(closed.count(), 1);
    QVERIFY(closed.first().first().toString().contains(QStringLiteral("killed")));
    QVERIFY(!channel->isOpen());
    QTRY_VERIFY(!QFile::exists(QStringLiteral("/proc/%1").arg(pid))); // killed and reaped
    QCOMPARE(errors.count(), 0);
    QCOMPARE(closed.count(), 1); // the later finished() adds nothing
}

// "NAME=value" entries are added to the inherited environment; the working directory applies.
void TestProcessChannel::environmentAndWorkingDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("RPCBENCH_TEST_INHERITED", "inherited");
    ProcessChannel channel(pythonEndpoint(
        QStringLiteral(
            "import os\nprint(os.environ.get('RPCBENCH_A'), os.environ.get('RPCBENCH_TEST_INHERITED'),"
            " os.getcwd())"),
        {QStringLiteral("RPCBENCH_A=x=y")}, dir.path()));
    QSignalSpy closed(&channel, &ByteChannel::closed);
    QVERIFY(start(channel));
    QVERIFY(closed.wait(10000));
    const QByteArray expected = "x=y inherited " + QFileInfo(dir.path()).canonicalFilePath().toUtf8() + '\n';
    QCOMPARE(channel.readAll(), expected);
}

void TestProcessChannel::peerDescription()
{
    Endpoint ep = programEndpoint(QStringLiteral("clangd"));
    ep.process.arguments = {QStringLiteral("--log=error"), QStringLiteral("two words")};
    ProcessChannel channel(ep);
    QCOMPARE(channel.peerDescription(), QStringLiteral("exec:") + ep.process.commandLine());
    QVERIFY(channel.peerDescription().startsWith(QStringLiteral("exec:clangd --log=error ")));
}

// Destroying a channel whose child still runs kills and reaps it quickly (no zombie).
void TestProcessChannel::destructorKillsChild()
{
    auto channel =
        std::make_unique<ProcessChannel>(pythonEndpoint(QStringLiteral("import time; time.sleep(60)")));
    QVERIFY(start(*channel));
    const qint64 pid = channel->processId();
    QElapsedTimer timer;
    timer.start();
    channel.reset();
    QVERIFY(timer.elapsed() < 1000);
    QVERIFY(!QFile::exists(QStringLiteral("/proc/%1").arg(pid))); // reaped, not a zombie
}

QTEST_GUILESS_MAIN(TestProcessChannel)
#include "tst_processchannel.moc"
