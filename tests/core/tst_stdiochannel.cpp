// StdioChannel over pipe pairs (the test constructor): reads, large writes that overflow the
// pipe buffer arrive complete and in order while nothing blocks, end of input is closed().

#include "wire/StdioChannel.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTest>
#include <QTimer>

#include <memory>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

using namespace rpcbench;

namespace {

// Two pipes: the test writes `toChannel` and reads `fromChannel`; the channel owns the other
// ends (it closes them).
struct Pipes
{
    int toChannel = -1;   // our write end of the channel's stdin
    int fromChannel = -1; // our read end of the channel's stdout
    std::unique_ptr<StdioChannel> channel;

    bool open()
    {
        int in[2];
        int out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
            return false;
        toChannel = in[1];
        fromChannel = out[0];
        channel = std::make_unique<StdioChannel>(in[0], out[1], nullptr);
        return true;
    }
    void closeInput() { ::close(std::exchange(toChannel, -1)); }
    ~Pipes()
    {
        channel.reset();
        if (toChannel >= 0)
            ::close(toChannel);
        if (fromChannel >= 0)
            ::close(fromChannel);
    }
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + (i * 7 + i / 251) % 26);
    return bytes;
}

bool writeAll(int fd, QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        const ssize_t n = ::write(fd, bytes.data(), size_t(bytes.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes = bytes.sliced(n);
    }
    return true;
}

// Reads `size` bytes from a (blocking) descriptor on the event loop: a notifier, so the
// channel's own write notifier keeps running while we read.
QByteArray readFd(int fd, qsizetype size, int timeoutMs = 10000)
{
    QByteArray got;
    QEventLoop loop;
    QSocketNotifier notifier(fd, QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        char buf[65536];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0)
            got.append(buf, n);
        if (n <= 0 || got.size() >= size)
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return got;
}

} // namespace

class TestStdioChannel : public QObject
{
    Q_OBJECT
private slots:
    void reads_data();
    void reads();
    void largeWritesArriveInOrder_data();
    void largeWritesArriveInOrder();
    void eofIsClosed();
    void eofWaitsForQueuedOutput();
    void closeFlushesThenEnds();
    void readBufferSizeHoldsBack();
    void brokenPipeIsAnError();
};

void TestStdioChannel::reads_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::newRow("one message") << QList<QByteArray>{"{\"jsonrpc\":\"2.0\"}\n"};
    QTest::newRow("three chunks") << QList<QByteArray>{"Content-Length: 2\r\n", "\r\n", "{}"};
    QTest::newRow("1 MiB") << QList<QByteArray>{pattern(1 << 20)};
}

// What the peer writes to our stdin is read in order, announced by readyRead.
void TestStdioChannel::reads()
{
    QFETCH(QList<QByteArray>, chunks);
    Pipes pipes;
    QVERIFY(pipes.open());
    QVERIFY(pipes.channel->isOpen());
    QCOMPARE(pipes.channel->peerDescription(), QStringLiteral("stdio"));
    const QByteArray expected = chunks.join();
    QByteArray got;
    connect(pipes.channel.get(), &ByteChannel::readyRead, this, [&] { got += pipes.channel->readAll(); });
    // The peer writes from a timer so that our event loop reads while it writes (a pipe holds
    // 64 KiB).
    qsizetype offset = 0;
    QTimer feeder;
    connect(&feeder, &QTimer::timeout, this, [&] {
        if (offset >= expected.size())
            return feeder.stop();
        const qsizetype n = std::min<qsizetype>(32 * 1024, expected.size() - offset);
        QVERIFY(writeAll(pipes.toChannel, QByteArrayView(expected).sliced(offset, n)));
        offset += n;
    });
    feeder.start(0);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), expected.size(), 10000);
    QCOMPARE(got, expected);
}

void TestStdioChannel::largeWritesArriveInOrder_data()
{
    QTest::addColumn<qsizetype>("chunkSize");
    QTest::addColumn<int>("chunks");
    QTest::newRow("one 1 MiB write") << qsizetype(1 << 20) << 1;
    QTest::newRow("1 MiB in 4 KiB writes") << qsizetype(4096) << 256;
    QTest::newRow("small writes") << qsizetype(100) << 50;
}

// Writes beyond the pipe's buffer are queued, not blocked on and not dropped: write() returns at
// once, and the peer reads every byte in order.
void TestStdioChannel::largeWritesArriveInOrder()
{
    QFETCH(qsizetype, chunkSize);
    QFETCH(int, chunks);
    Pipes pipes;
    QVERIFY(pipes.open());
    const QByteArray all = pattern(chunkSize * chunks);
    QSignalSpy written(pipes.channel.get(), &ByteChannel::bytesWritten);
    for (int i = 0; i < chunks; ++i)
        pipes.channel->write(QByteArrayView(all).sliced(i * chunkSize, chunkSize)); // never blocks
    const qint64 queued = pipes.channel->bytesToWrite();
    if (all.size() > 1 << 17)
        QVERIFY(queued > 0); // more than a pipe holds
    QCOMPARE(readFd(pipes.fromChannel, all.size()), all);
    QTRY_COMPARE(pipes.channel->bytesToWrite(), 0);
    qint64 reported = 0;
    for (const auto& args : written)
        reported += args.first().toLongLong();
    QCOMPARE(reported, queued);
}

// End of stdin is closed("stdin closed"), after the last bytes have been announced.
void TestStdioChannel::eofIsClosed()
{
    Pipes pipes;
    QVERIFY(pipes.open());
    QByteArray got;
    QSignalSpy closed(pipes.channel.get(), &ByteChannel::closed);
    QSignalSpy errors(pipes.channel.get(), &ByteChannel::errorOccurred);
    connect(pipes.channel.get(), &ByteChannel::readyRead, this, [&] { got += pipes.channel->readAll(); });
    QVERIFY(writeAll(pipes.toChannel, "last words"));
    pipes.closeInput();
    QVERIFY(closed.wait(5000));
    QCOMPARE(got, QByteArray("last words"));
    QCOMPARE(closed.first().first().toString(), QStringLiteral("stdin closed"));
    QCOMPARE(errors.count(), 0);
    QVERIFY(!pipes.channel->isOpen());
}

// The peer that hangs up still gets the replies queued before: closed() waits for them.
void TestStdioChannel::eofWaitsForQueuedOutput()
{
    Pipes pipes;
    QVERIFY(pipes.open());
    const QByteArray reply = pattern(512 * 1024);
    pipes.channel->write(reply);
    QVERIFY(pipes.channel->bytesToWrite() > 0);
    QSignalSpy closed(pipes.channel.get(), &ByteChannel::closed);
    pipes.closeInput();
    QTest::qWait(50);
    QCOMPARE(closed.count(), 0); // output still queued
    QCOMPARE(readFd(pipes.fromChannel, reply.size()), reply);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().first().toString(), QStringLiteral("stdin closed"));
}

// close() sends what is queued, then closes stdout: the peer reads everything, then EOF.
void TestStdioChannel::closeFlushesThenEnds()
{
    Pipes pipes;
    QVERIFY(pipes.open());
    const QByteArray reply = pattern(300 * 1024);
    pipes.channel->write(reply);
    QSignalSpy closed(pipes.channel.get(), &ByteChannel::closed);
    pipes.channel->close();
    QCOMPARE(closed.count(), 0);
    const QByteArray got = readFd(pipes.fromChannel, reply.size() + 1); // +1: wait for EOF
    QCOMPARE(got, reply);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.first().first().toString(), QStringLiteral("closed"));
}

// With a read buffer cap the channel stops reading: the pipe fills and holds the peer back.
void TestStdioChannel::readBufferSizeHoldsBack()
{
    Pipes pipes;
    QVERIFY(pipes.open());
    pipes.channel->setReadBufferSize(64 * 1024);
    ::fcntl(pipes.toChannel, F_SETFL, ::fcntl(pipes.toChannel, F_GETFL) | O_NONBLOCK);
    const QByteArray chunk = pattern(16 * 1024);
    qint64 accepted = 0;
    for (int i = 0; i < 200; ++i) { // let the channel read between our writes
        const ssize_t n = ::write(pipes.toChannel, chunk.constData(), size_t(chunk.size()));
        if (n > 0)
            accepted += n;
        QCoreApplication::processEvents();
    }
    // Capped buffer + a full pipe, far below the 3.2 MB offered.
    QVERIFY(pipes.channel->bytesAvailable() <= 64 * 1024 + 64 * 1024);
    QVERIFY(accepted < 200 * chunk.size());
    QByteArray got;
    connect(pipes.channel.get(), &ByteChannel::readyRead, this, [&] { got += pipes.channel->readAll(); });
    got += pipes.channel->readAll();
    QTRY_COMPARE(got.size(), accepted);
}

// A peer that closes its read end: the write fails with a one-line error (no SIGPIPE death).
void TestStdioChannel::brokenPipeIsAnError()
{
    Pipes pipes;
    QVERIFY(pipes.open());
    ::close(std::exchange(pipes.fromChannel, -1));
    QSignalSpy errors(pipes.channel.get(), &ByteChannel::errorOccurred);
    QSignalSpy closed(pipes.channel.get(), &ByteChannel::closed);
    pipes.channel->write("hello\n");
    QCOMPARE(errors.count(), 0); // write() emits nothing itself
    QVERIFY(closed.wait(5000));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().toString(), QStringLiteral("cannot write stdout: broken pipe"));
}

QTEST_GUILESS_MAIN(TestStdioChannel)
#include "tst_stdiochannel.moc"
