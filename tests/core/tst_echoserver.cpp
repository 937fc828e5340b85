// EchoServer: bytes come back intact and in order, for small and large streams and several
// clients at once (large streams exercise the pause/resume when the peer reads slowly).

#include "load/EchoServer.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>
#include <vector>

using namespace rpcbench;

namespace {

QByteArray pattern(qsizetype size, int seed)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 31 + seed) & 0xff);
    return data;
}

} // namespace

class TestEchoServer : public QObject
{
    Q_OBJECT

private slots:
    void echoesBytesIntact_data();
    void echoesBytesIntact();
    void listenFailsOnBusyPort();
    void countsConnections();
};

void TestEchoServer::echoesBytesIntact_data()
{
    QTest::addColumn<int>("clients");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<bool>("readLate"); // the client reads only after sending everything
    QTest::newRow("one-byte") << 1 << 1 << false;
    QTest::newRow("small-3-clients") << 3 << 1000 << false;
    QTest::newRow("1MiB") << 1 << 1024 * 1024 << false;
    QTest::newRow("24MiB-read-late") << 1 << 24 * 1024 * 1024 << true;
    QTest::newRow("2x3MiB-read-late") << 2 << 3 * 1024 * 1024 << true;
}

void TestEchoServer::echoesBytesIntact()
{
    QFETCH(int, clients);
    QFETCH(int, bytes);
    QFETCH(bool, readLate);
    EchoServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    QVERIFY(server.port() != 0);

    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> sent;
    std::vector<QByteArray> received;
    received.resize(size_t(clients));
    for (int c = 0; c < clients; ++c) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QHostAddress::LocalHost, server.port());
        if (readLate) {
            // Qt stops reading when its buffer is full, and a small kernel receive buffer
            // (no auto-tuning up to 32 MiB) makes the echo back up into the server quickly.
            QTRY_COMPARE(s->state(), QAbstractSocket::ConnectedState);
            s->setReadBufferSize(64 * 1024);
            s->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
        }
        sent.push_back(pattern(bytes, c));
        s->write(sent.back());
        sockets.push_back(std::move(s));
    }
    if (readLate) {
        // Every client's small buffer is full and the rest waits in the kernel and the server,
        // which must pause reading (bounded memory) and resume once the client reads again.
        QTRY_VERIFY(std::all_of(sockets.begin(), sockets.end(),
                                [](auto& s) { return s->bytesAvailable() >= 64 * 1024; }));
        if (clients == 1) // more than kernel buffers + the server's 4 MiB cap can hold
            QVERIFY2(server.bytesEchoed() < quint64(bytes),
                     "the server kept reading a peer that does not read");
        for (auto& s : sockets)
            s->setReadBufferSize(0);
    }
    auto drain = [&] {
        bool done = true;
        for (int c = 0; c < clients; ++c) {
            received[size_t(c)] += sockets[size_t(c)]->readAll();
            done = done && received[size_t(c)].size() >= bytes;
        }
        return done;
    };
    QTRY_VERIFY_WITH_TIMEOUT(drain(), 20'000);
    for (int c = 0; c < clients; ++c)
        QVERIFY(received[size_t(c)] == sent[size_t(c)]);
    QCOMPARE(server.bytesEchoed(), quint64(bytes) * quint64(clients));
    // Unsent echo stays bounded (cap + one read of at most the capped read buffer), although
    // the read-late streams are far larger than the kernel's socket buffers.
    QVERIFY2(server.peakPendingBytes() <= 2 * EchoServer::maxPendingBytes(),
             qPrintable(QString::number(server.peakPendingBytes())));
}

void TestEchoServer::listenFailsOnBusyPort()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    EchoServer server;
    QVERIFY(!server.listen(QHostAddress::LocalHost, taken.serverPort()));
    QVERIFY(!server.errorString().isEmpty());
}

void TestEchoServer::countsConnections()
{
    EchoServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket a, b;
    a.connectToHost(QHostAddress::LocalHost, server.port());
    b.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_COMPARE(server.connectionCount(), 2);
    a.disconnectFromHost();
    QTRY_COMPARE(server.connectionCount(), 1);
    b.abort();
    QTRY_COMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestEchoServer)
#include "tst_echoserver.moc"
