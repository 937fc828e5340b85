// ConnectionOutput on a real loopback TcpChannel: coalescing, JSON lines, trickled replies and
// the lingering close, observed from a plain QTcpSocket peer.

#include "server/ConnectionOutput.h"
#include "wire/TcpChannel.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace rpcbench;

namespace {

// Our side (a TcpChannel with a ConnectionOutput) and a peer that records what it receives.
struct Fixture
{
    QTcpServer listener;
    QTcpSocket peer;
    QByteArray received;
    bool peerSawEnd = false;
    std::unique_ptr<TcpChannel> channel;
    std::unique_ptr<ConnectionOutput> output;

    bool open()
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return false;
        QObject::connect(&peer, &QTcpSocket::readyRead, [this] { received += peer.readAll(); });
        QObject::connect(&peer, &QTcpSocket::disconnected, [this] { peerSawEnd = true; });
        peer.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!QTest::qWaitFor([this] { return listener.hasPendingConnections(); }))
            return false;
        channel = std::make_unique<TcpChannel>(listener.nextPendingConnection());
        output = std::make_unique<ConnectionOutput>(*channel);
        return QTest::qWaitFor([this] { return peer.state() == QAbstractSocket::ConnectedState; });
    }
};

} // namespace

class TestConnectionOutput : public QObject
{
    Q_OBJECT

private slots:
    void batchLeavesInOneWriteAtEndBatch()
    {
        Fixture f;
        QVERIFY(f.open());
        f.output->beginBatch();
        f.output->write("HTTP/1.1 100 Continue\r\n\r\n");
        f.output->writeJsonLine(R"({"id":1})");
        f.output->writeJsonLine(R"({"id":2})");
        const QByteArray expected = "HTTP/1.1 100 Continue\r\n\r\n{\"id\":1}\n{\"id\":2}\n";
        QCOMPARE(f.output->pendingBytes(), expected.size()); // held back in the batch
        f.output->endBatch();
        QCOMPARE(f.output->pendingBytes(), qsizetype(0)); // the fast path took it all
        QTRY_COMPARE(f.received, expected);
    }

    void jsonLineOutsideABatch_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::newRow("small") << qsizetype(100);
        QTest::newRow("over the coalescing limit") << qsizetype(300 * 1024);
    }

    void jsonLineOutsideABatch()
    {
        QFETCH(qsizetype, size);
        Fixture f;
        QVERIFY(f.open());
        const QByteArray json = '"' + QByteArray(size - 2, 'x') + '"';
        f.output->writeJsonLine(json);
        QTRY_COMPARE(f.received.size(), size + 1);
        QCOMPARE(f.received, json + '\n');
    }

    void trickledReplyIsSlowAndLaterRepliesWaitBehindIt()
    {
        Fixture f;
        QVERIFY(f.open());
        QElapsedTimer clock;
        clock.start();
        f.output->write(QByteArray(200, 'a'), 200);
        f.output->write("after"); // must not overtake the trickled reply
        QVERIFY(f.output->busy());
        QTRY_COMPARE(f.received.size(), 205);
        QCOMPARE(f.received, QByteArray(200, 'a') + "after");
        QVERIFY2(clock.elapsed() >= 150, qPrintable(QString::number(clock.elapsed())));
        QTRY_VERIFY(!f.output->busy());
    }

    // The last reply arrives, then the peer reads end-of-stream; when it hangs up, our channel
    // closes (the owner's cue), without the linger timer.
    void closeAfterFlushShutsDownAfterTheLastReply()
    {
        Fixture f;
        QVERIFY(f.open());
        QSignalSpy closeStarted(f.output.get(), &ConnectionOutput::closeStarted);
        QSignalSpy channelClosed(f.channel.get(), &ByteChannel::closed);
        f.output->write("last reply\n");
        f.output->closeAfterFlush();
        QCOMPARE(closeStarted.count(), 1);
        QVERIFY(f.output->isClosing());
        QVERIFY(f.output->isLingering());
        QTRY_VERIFY(f.peerSawEnd);
        QCOMPARE(f.received, QByteArray("last reply\n"));
        QTRY_COMPARE(channelClosed.count(), 1); // may already have come while the peer read
    }

    void closeAfterFlushInsideABatchWaitsForEndBatch()
    {
        Fixture f;
        QVERIFY(f.open());
        f.output->beginBatch();
        f.output->writeJsonLine(R"({"error":"too large"})");
        f.output->closeAfterFlush();
        QVERIFY(f.output->isClosing());
        QVERIFY(!f.output->isLingering()); // the batch has not been written yet
        f.output->endBatch();
        QVERIFY(f.output->isLingering());
        QTRY_VERIFY(f.peerSawEnd);
        QCOMPARE(f.received, QByteArray("{\"error\":\"too large\"}\n"));
    }

    // A close asked for while a trickled reply is under way waits for its last piece.
    void closeWaitsForATrickledReply()
    {
        Fixture f;
        QVERIFY(f.open());
        f.output->write(QByteArray(40, 'z'), 100);
        f.output->closeAfterFlush();
        QVERIFY(!f.output->isLingering());
        QTRY_VERIFY(f.output->isLingering());
        QTRY_VERIFY(f.peerSawEnd);
        QCOMPARE(f.received, QByteArray(40, 'z'));
    }

    // The linger ends in finished() at the latest after its grace period.
    void lingerEndsWithFinished()
    {
        Fixture f;
        QVERIFY(f.open());
        QSignalSpy finished(f.output.get(), &ConnectionOutput::finished);
        f.output->closeAfterFlush();
        QVERIFY(f.output->isLingering());
        QVERIFY(finished.wait(5000));
        QVERIFY(!f.channel->isOpen());
    }

    void dropSoonResetsOnTheNextPass()
    {
        Fixture f;
        QVERIFY(f.open());
        QSignalSpy finished(f.output.get(), &ConnectionOutput::finished);
        f.output->dropSoon();
        QVERIFY(f.output->isClosing());
        QVERIFY(f.channel->isOpen()); // not from inside the call
        QVERIFY(finished.wait(5000));
        QVERIFY(!f.channel->isOpen());
        QTRY_VERIFY(f.peerSawEnd);
    }

    void writesAfterTheChannelClosedAreDropped()
    {
        Fixture f;
        QVERIFY(f.open());
        f.channel->abort();
        f.output->write("nobody listens");
        f.output->writeJsonLine("{}");
        QCOMPARE(f.output->pendingBytes(), qsizetype(0));
    }
};

QTEST_MAIN(TestConnectionOutput)
#include "tst_connectionoutput.moc"
