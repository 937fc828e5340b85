// Unix-domain sockets end to end: RpcClient (LocalChannel) against RpcServer's unix: and
// unix+lsp: listeners (QLocalServer), and the one-line connect errors.

#include "ListenFixture.h"

#include "wire/LocalChannel.h"

#include <QFile>
#include <QLocalServer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace rpcbench;

class tst_LocalChannel : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void connectErrors_data();
    void connectErrors();
    void peerDescriptionAndHalfClose();

private:
    QTemporaryDir m_dir;
};

void tst_LocalChannel::roundTrip_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("clientScheme");
    QTest::newRow("unix") << "unix"
                          << "unix";
    QTest::newRow("unix+lsp") << "unix+lsp"
                              << "unix+lsp";
    QTest::newRow("sniffed lsp") << "unix"
                                 << "unix+lsp"; // a unix: listener sniffs the framing
}

void tst_LocalChannel::roundTrip()
{
    QFETCH(QString, scheme);
    QFETCH(QString, clientScheme);
    const QString path = m_dir.filePath(QStringLiteral("rt.sock"));
    ListenFixture f;
    QVERIFY2(f.start({ListenFixture::spec(scheme + u':' + path)}), qPrintable(f.server->errorString()));
    QCOMPARE(f.endpoint().toString(), scheme + u':' + path);
    QVERIFY(QFile::exists(path));
    auto ep = Endpoint::parse(clientScheme + u':' + path);
    QVERIFY(ep);
    for (const QString& value : {QStringLiteral("one"), QStringLiteral("two")}) {
        const CallResult r = callEcho(*ep, value);
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.result.toString(), value);
    }
    f.server->stop();
    QVERIFY(!QFile::exists(path)); // the socket file goes with the listener
}

void tst_LocalChannel::connectErrors_data()
{
    QTest::addColumn<QString>("setup"); // what is at the path
    QTest::addColumn<QString>("words");
    QTest::newRow("missing") << "nothing"
                             << "no such socket";
    QTest::newRow("stale") << "stale"
                           << "connection refused (nothing is listening)";
    if (::geteuid() != 0)
        QTest::newRow("no permission") << "private"
                                       << "permission denied";
}

void tst_LocalChannel::connectErrors()
{
    QFETCH(QString, setup);
    QFETCH(QString, words);
    const QString path = m_dir.filePath(setup + QStringLiteral(".sock"));
    std::unique_ptr<QLocalServer> keep;
    if (setup != QLatin1String("nothing")) {
        keep = std::make_unique<QLocalServer>();
        QVERIFY(keep->listen(path));
        if (setup == QLatin1String("stale")) {
            // Leave the file behind without a listener: close() would remove it.
            const QString moved = path + QStringLiteral(".tmp");
            QVERIFY(QFile::rename(path, moved));
            keep.reset();
            QVERIFY(QFile::rename(moved, path));
        } else {
            QVERIFY(::chmod(QFile::encodeName(path).constData(), 0) == 0);
        }
    }
    LocalChannel channel(*Endpoint::parse(QStringLiteral("unix:") + path));
    QSignalSpy errors(&channel, &ByteChannel::errorOccurred);
    QSignalSpy closed(&channel, &ByteChannel::closed);
    channel.open();
    QCOMPARE(errors.size(), 0); // from the event loop, never inside open()
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(errors.size(), 1);
    const QString line = errors.first().first().toString();
    QCOMPARE(line, QStringLiteral("connect to unix:%1 failed: %2").arg(path, words));
    QCOMPARE(closed.first().first().toString(), line);

    // The client says the same.
    const CallResult r = callEcho(*Endpoint::parse(QStringLiteral("unix:") + path));
    QVERIFY2(r.status == CallStatus::TransportError, qPrintable(r.describe()));
    QVERIFY2(r.transportError.contains(words), qPrintable(r.transportError));
}

// Server side: "unix:<path> (pid N)"; closeWrite() lets the server read end-of-stream and
// answer what it received before.
void tst_LocalChannel::peerDescriptionAndHalfClose()
{
    const QString path = m_dir.filePath(QStringLiteral("half.sock"));
    QLocalServer server;
    QVERIFY(server.listen(path));
    LocalChannel client(*Endpoint::parse(QStringLiteral("unix:") + path));
    QSignalSpy connected(&client, &ByteChannel::connected);
    client.open();
    QCOMPARE(connected.size(), 0); // from the event loop, never inside open()
    QVERIFY(connected.wait());
    QTRY_VERIFY(server.hasPendingConnections());
    LocalChannel accepted(server.nextPendingConnection(), path);
    QCOMPARE(accepted.peerDescription(),
             QStringLiteral("unix:%1 (pid %2)").arg(path).arg(QCoreApplication::applicationPid()));
    QCOMPARE(client.peerDescription(), QStringLiteral("unix:") + path);

    QByteArray received;
    connect(&accepted, &ByteChannel::readyRead, this, [&] { received += accepted.readAll(); });
    // Bytes that arrived before the end can still be read from a closed() handler.
    connect(&accepted, &ByteChannel::closed, this, [&] { received += accepted.readAll(); });
    QSignalSpy serverClosed(&accepted, &ByteChannel::closed);
    client.write("ping\n");
    QTRY_COMPARE(client.bytesToWrite(), 0);
    client.closeWrite();
    QVERIFY(serverClosed.wait());
    QCOMPARE(received, QByteArray("ping\n"));
}

QTEST_GUILESS_MAIN(tst_LocalChannel)
#include "tst_localchannel.moc"
