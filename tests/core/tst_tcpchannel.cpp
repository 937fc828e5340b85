// TcpChannel over real loopback sockets: both ends are TcpChannels, the server end made from an
// accepted QTcpSocket, the client end connecting by host and port.

#include "wire/TcpChannel.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace rpcbench;

namespace {

// A connected client/server pair of channels on 127.0.0.1.
struct ChannelPair
{
    QTcpServer listener;
    std::unique_ptr<TcpChannel> client;
    std::unique_ptr<TcpChannel> server;

    bool open()
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return false;
        client = std::make_unique<TcpChannel>(QStringLiteral("127.0.0.1"), listener.serverPort());
        QSignalSpy connected(client.get(), &ByteChannel::connected);
        client->open();
        if (!connected.wait(5000) || !QTest::qWaitFor([this] { return listener.hasPendingConnections(); }))
            return false;
        server = std::make_unique<TcpChannel>(listener.nextPendingConnection());
        return client->isOpen() && server->isOpen();
    }
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + (i * 7 + i / 251) % 26);
    return bytes;
}

// Reads from `channel` until `size` bytes have arrived or the time is up, reading on every
// readyRead (a polling wait would cost a pause per read and make megabytes slow).
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

// The same through read() into a fixed buffer, as the server reads.
QByteArray readIntoBuffer(ByteChannel& channel, qsizetype size, int timeoutMs = 10000)
{
    QByteArray got;
    QByteArray buffer(4096, Qt::Uninitialized);
    // On timeout the bytes so far are returned; the caller's comparison reports the shortfall.
    (void)QTest::qWaitFor(
        [&] {
            qint64 n = 0;
            while ((n = channel.read(buffer.data(), buffer.size())) > 0)
                got.append(buffer.constData(), n);
            return got.size() >= size;
        },
        timeoutMs);
    return got;
}

} // namespace

class TestTcpChannel : public QObject
{
    Q_OBJECT

private slots:
    void connectsAndDescribesPeer()
    {
        ChannelPair pair;
        QVERIFY(pair.open());
        QCOMPARE(pair.server->peerDescription().section(u':', 0, 0), QStringLiteral("127.0.0.1"));
        QVERIFY(pair.server->peerDescription().section(u':', 1).toUShort() != 0);
        QCOMPARE(pair.client->peerDescription(),
                 QStringLiteral("127.0.0.1:%1").arg(pair.listener.serverPort()));
        QVERIFY(!pair.client->preservesMessageBoundaries());
    }

    void roundTrip_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::newRow("one byte") << qsizetype(1);
        QTest::newRow("one request") << qsizetype(80);
        QTest::newRow("64 KiB") << qsizetype(64 * 1024);
        QTest::newRow("1 MiB") << qsizetype(1024 * 1024);
    }

    void roundTrip()
    {
        QFETCH(qsizetype, size);
        ChannelPair pair;
        QVERIFY(pair.open());
        const QByteArray request = pattern(size);

        QSignalSpy serverReady(pair.server.get(), &ByteChannel::readyRead);
        pair.client->write(request);
        QVERIFY(serverReady.wait(5000));
        QCOMPARE(readExactly(*pair.server, size), request);

        // The reply goes back through read(into a buffer) rather than readAll().
        const QByteArray reply = request + "!";
        pair.server->write(reply);
        QCOMPARE(readIntoBuffer(*pair.client, reply.size()), reply);
    }

    void bytesSentBeforeTheChannelExistsAreAnnounced()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        QTcpSocket peer;
        peer.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QTRY_VERIFY(peer.state() == QAbstractSocket::ConnectedState);
        peer.write("early bytes");
        QTRY_VERIFY(listener.hasPendingConnections());
        QTRY_COMPARE(peer.bytesToWrite(), 0);

        TcpChannel channel(listener.nextPendingConnection());
        QSignalSpy ready(&channel, &ByteChannel::readyRead);
        QVERIFY(ready.wait(5000));
        QCOMPARE(readExactly(channel, 11), QByteArray("early bytes"));
    }

    // The peer hanging up is an orderly end: closed() once, no errorOccurred(), and what the
    // peer sent before can still be read when closed() arrives.
    void peerCloseSignalsClosed_data()
    {
        QTest::addColumn<bool>("serverCloses");
        QTest::addColumn<bool>("abort");
        QTest::newRow("server closes") << true << false;
        QTest::newRow("client closes") << false << false;
        QTest::newRow("server aborts") << true << true;
    }

    void peerCloseSignalsClosed()
    {
        QFETCH(bool, serverCloses);
        QFETCH(bool, abort);
        ChannelPair pair;
        QVERIFY(pair.open());
        TcpChannel& closer = serverCloses ? *pair.server : *pair.client;
        TcpChannel& other = serverCloses ? *pair.client : *pair.server;

        QSignalSpy closed(&other, &ByteChannel::closed);
        QSignalSpy errors(&other, &ByteChannel::errorOccurred);
        QByteArray readOnClose;
        connect(&other, &ByteChannel::closed, &other, [&] { readOnClose = other.readAll(); });
        QSignalSpy closerClosed(&closer, &ByteChannel::closed);

        if (abort) {
            closer.abort();
        } else {
            closer.write("last words");
            closer.close();
        }
        if (abort)
            QCOMPARE(closerClosed.count(), 1); // from inside abort()
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.count(), 1);
        QCOMPARE(errors.count(), 0);
        if (!abort)
            QCOMPARE(readOnClose, QByteArray("last words"));
        QVERIFY(!other.isOpen());
        QTRY_COMPARE(closerClosed.count(), 1);
    }

    void refusedConnectionReportsErrorThenClosed()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        } // nothing listens there any more
        TcpChannel client(QStringLiteral("127.0.0.1"), port);
        QSignalSpy errors(&client, &ByteChannel::errorOccurred);
        QSignalSpy closed(&client, &ByteChannel::closed);
        QSignalSpy connected(&client, &ByteChannel::connected);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 5000);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(),
                 QStringLiteral("connect to 127.0.0.1:%1 failed: connection refused").arg(port));
        QCOMPARE(connected.count(), 0);
        QVERIFY(!client.isOpen());
    }

    // More than the kernel buffers can hold while the peer does not read: the rest waits in
    // the channel (bytesToWrite), drains as the peer reads, and arrives complete and in order.
    void largeWritesCompleteAndBytesToWriteDrains_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<int>("pieces");
        QTest::newRow("32 MiB in one write") << qsizetype(32 * 1024 * 1024) << 1;
        QTest::newRow("32 MiB in 64 writes") << qsizetype(32 * 1024 * 1024) << 64;
    }

    void largeWritesCompleteAndBytesToWriteDrains()
    {
        QFETCH(qsizetype, size);
        QFETCH(int, pieces);
        ChannelPair pair;
        QVERIFY(pair.open());
        pair.client->setReadBufferSize(64 * 1024); // the reader holds back until we read
        const QByteArray payload = pattern(size);
        QSignalSpy written(pair.server.get(), &ByteChannel::bytesWritten);

        const qsizetype piece = size / pieces;
        for (int i = 0; i < pieces; ++i)
            pair.server->write(QByteArrayView(payload).sliced(i * piece, piece));
        const qint64 queued = pair.server->bytesToWrite();
        QVERIFY2(queued > 0, "the kernel cannot have taken 32 MiB at once");
        QVERIFY(queued < size); // the fast path sent the first part straight away

        QCOMPARE(readExactly(*pair.client, size, 30000), payload);
        QTRY_COMPARE(pair.server->bytesToWrite(), qint64(0));
        qint64 reported = 0;
        for (const QList<QVariant>& args : written)
            reported += args.at(0).toLongLong();
        QCOMPARE(reported, queued); // bytesWritten() counts exactly the bytes that were queued
    }

    void closeWriteEndsOurDirectionOnly()
    {
        ChannelPair pair;
        QVERIFY(pair.open());
        QSignalSpy clientClosed(pair.client.get(), &ByteChannel::closed);
        QByteArray readOnClose;
        connect(pair.client.get(), &ByteChannel::closed, pair.client.get(),
                [&] { readOnClose = pair.client->readAll(); });
        pair.server->write("goodbye");
        pair.server->closeWrite();
        QVERIFY(clientClosed.wait(5000));
        QCOMPARE(readOnClose, QByteArray("goodbye"));
        QVERIFY(pair.server->isOpen()); // our side only: the server can still read
    }

    void skipDropsUnreadBytes()
    {
        ChannelPair pair;
        QVERIFY(pair.open());
        pair.client->write("0123456789");
        QTRY_COMPARE(pair.server->bytesAvailable(), qint64(10));
        QCOMPARE(pair.server->skip(4), qint64(4));
        QCOMPARE(pair.server->readAll(), QByteArray("456789"));
    }

    void describesErrors_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("fallback");
        QTest::addColumn<QString>("expected");
        QTest::newRow("refused") << int(QAbstractSocket::ConnectionRefusedError) << QString()
                                 << QStringLiteral("connection refused");
        QTest::newRow("host") << int(QAbstractSocket::HostNotFoundError) << QStringLiteral("x")
                              << QStringLiteral("host not found");
        QTest::newRow("network") << int(QAbstractSocket::NetworkError) << QStringLiteral("Unreachable")
                                 << QStringLiteral("network error: unreachable");
        QTest::newRow("other with text")
            << int(QAbstractSocket::SocketAccessError) << QStringLiteral("Permission Denied")
            << QStringLiteral("permission denied");
        QTest::newRow("other without text")
            << int(QAbstractSocket::SocketAccessError) << QString() << QStringLiteral("socket error 3");
    }

    void describesErrors()
    {
        QFETCH(int, error);
        QFETCH(QString, fallback);
        QFETCH(QString, expected);
        QCOMPARE(TcpChannel::describeError(QAbstractSocket::SocketError(error), fallback), expected);
    }
};

QTEST_MAIN(TestTcpChannel)
#include "tst_tcpchannel.moc"
