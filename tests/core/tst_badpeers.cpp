// The bad-input battery, part 2 (issue 6): many and misbehaving peers — trickling, a
// thousand at once, pipelining without reading, leaving while a call is pending — against
// `rpcbench serve` run as a child process (RPCBENCH_BIN, via BatteryServer). As in part 1
// (tst_badinput), after every case the same server must answer a fresh `add` within a memory
// budget, and exit cleanly at the end.

#include "BatteryTest.h"

#include <QSet>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace rpcbench;
using namespace rpcbench::test;

class TestBadPeers : public BatteryTest
{
    Q_OBJECT
public:
    TestBadPeers() : BatteryTest(4096) {} // 1,000 concurrent connections

private slots:
    void slowConnectionsAreFreed();
    void thousandConcurrentConnections();
    void pipeliningIsBackPressured();
    void largeRepliesAreBackPressured();
    void disconnectWhileAsyncCallPending_data();
    void disconnectWhileAsyncCallPending();
};

// ---- Many peers ----

// 200 peers trickle a message one byte per 500 ms. The idle deadline runs from the first
// byte and is not extended, so each is cut off after ~1.5 s with an error, while a normal
// client is served meanwhile.
void TestBadPeers::slowConnectionsAreFreed()
{
    const QByteArray message = call("echo", QByteArray("[\"" + QByteArray(200, 's') + "\"]"), 1);
    std::vector<std::unique_ptr<SocketProbe>> slow;
    std::vector<qsizetype> sent(200, 0);
    for (int i = 0; i < 200; ++i) {
        slow.push_back(std::make_unique<SocketProbe>());
        QVERIFY(slow.back()->connectTo(m_server.port()));
    }
    QTimer trickle;
    const auto tick = [&] {
        for (std::size_t i = 0; i < slow.size(); ++i) {
            if (!slow[i]->isClosed() && sent[i] < message.size())
                slow[i]->send(message.mid(sent[i]++, 1));
        }
    };
    connect(&trickle, &QTimer::timeout, this, tick);
    tick();
    trickle.start(500);

    QByteArray failure;
    QVERIFY2(m_server.freshAddWorks(&failure), failure.constData()); // others are unaffected
    const auto allClosed = [&] {
        return std::all_of(slow.begin(), slow.end(), [](const auto& p) { return p->isClosed(); });
    };
    QVERIFY2(QTest::qWaitFor(allClosed, 20000), "slow connections were not closed by the idle timeout");
    trickle.stop();
    for (std::size_t i = 0; i < slow.size(); ++i) {
        // Cut off early: a 100-second trickle was stopped after a few bytes.
        QVERIFY2(sent[i] < 40, qPrintable(QString::number(sent[i])));
        const QList<QByteArray> replies = payloadsOf(Framing::Stream, slow[i]->received());
        QCOMPARE(replies.size(), 1);
        QCOMPARE(errorCode(parseObject(replies.first())), -32000);
    }
}

// 1,000 peers connected at once, each making calls. They join in waves that wait for their
// first reply (so the listen backlog of a busy server never overflows and costs SYN retries),
// then all 1,000 call again at the same time.
void TestBadPeers::thousandConcurrentConnections()
{
    constexpr int n = 1000;
    constexpr int wave = 50;
    std::vector<std::unique_ptr<SocketProbe>> peers;
    const auto answered = [&](std::size_t from, int lines) {
        return std::all_of(peers.begin() + qsizetype(from), peers.end(),
                           [lines](const auto& p) { return p->received().count('\n') >= lines; });
    };
    for (int first = 0; first < n; first += wave) {
        for (int i = first; i < first + wave; ++i) {
            peers.push_back(std::make_unique<SocketProbe>());
            SocketProbe* peer = peers.back().get();
            const QByteArray request = call("add", QByteArray("[" + QByteArray::number(i) + ",1]"), i) + '\n';
            connect(&peer->socket(), &QTcpSocket::connected, this, [peer, request] { peer->send(request); });
            peer->socket().connectToHost(QHostAddress::LocalHost, m_server.port());
        }
        QVERIFY2(QTest::qWaitFor([&] { return answered(first, 1); }, 30000),
                 qPrintable(QStringLiteral("peers %1..%2 not answered").arg(first).arg(first + wave - 1)));
    }
    for (int i = 0; i < n; ++i)
        peers[i]->send(call("add", QByteArray("[" + QByteArray::number(i) + ",2]"), n + i) + '\n');
    QVERIFY2(QTest::qWaitFor([&] { return answered(0, 2); }, 30000),
             "not every connection got its second reply");
    for (int i = 0; i < n; ++i) {
        const QList<QByteArray> lines = payloadsOf(Framing::Stream, peers[i]->received());
        QCOMPARE(lines.size(), 2);
        QCOMPARE(parseObject(lines[0]), QJsonObject({{"jsonrpc", "2.0"}, {"result", i + 11}, {"id", i}}));
        QCOMPARE(parseObject(lines[1]), QJsonObject({{"jsonrpc", "2.0"}, {"result", i + 12}, {"id", n + i}}));
        QVERIFY(!peers[i]->isClosed());
    }
}

// 10,000 requests whose replies total ~80 MiB, sent without reading. The server must stop
// reading (back-pressure) instead of buffering every reply, must not mistake its own pause
// for an idle peer, and once the client reads, every reply arrives exactly once.
void TestBadPeers::pipeliningIsBackPressured()
{
    constexpr int n = 10'000;
    QTcpSocket socket;
    socket.setReadBufferSize(64 * 1024); // stop taking bytes from the kernel: the peer "does not read"
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    QByteArray requests;
    for (int i = 0; i < n; ++i)
        requests += call("blob", "[8192]", i) + '\n';
    socket.write(requests);
    // Deliberately not reading for twice the idle timeout.
    QTest::qWait(2 * kIdleTimeoutMs);
    const qint64 rss = m_server.rssKiB();
    qInfo("server RSS %lld KiB (start-up %lld KiB) while the client did not read", rss,
          m_server.baselineRssKiB());
    QVERIFY2(rss - m_server.baselineRssKiB() < kRssBudgetKiB,
             qPrintable(QStringLiteral("server RSS %1 KiB while the client did not read").arg(rss)));
    QVERIFY(socket.state() == QAbstractSocket::ConnectedState);

    socket.setReadBufferSize(0);
    QByteArray received;
    qsizetype lines = 0;
    QSet<int> ids;
    QByteArray unexpected; // the first reply that is not a blob, for the failure message
    const auto readAll = [&] {
        received += socket.readAll();
        qsizetype nl;
        while ((nl = received.indexOf('\n')) >= 0) {
            const QJsonObject reply = parseObject(received.left(nl));
            received.remove(0, nl + 1);
            ++lines;
            if (reply.value("result").toString().size() == 8192)
                ids.insert(reply.value("id").toInt());
            else
                unexpected = QJsonDocument(reply).toJson(QJsonDocument::Compact);
        }
        return lines >= n || socket.state() != QAbstractSocket::ConnectedState;
    };
    QVERIFY(QTest::qWaitFor(readAll, 60000));
    QVERIFY2(unexpected.isEmpty(), unexpected.constData());
    QCOMPARE(lines, qsizetype(n));
    QCOMPARE(ids.size(), n);
}

// 10 KB of pipelined `blob` calls ask for 160 MiB of replies. Back-pressure must hold per
// message, not per 256 KiB read: unsent output may exceed maxPendingReplyBytes (8 MiB) by
// about one reply (1 MiB here), not by everything one read asked for.
void TestBadPeers::largeRepliesAreBackPressured()
{
    constexpr int n = 160;
    constexpr int size = 1024 * 1024;
    QTcpSocket socket;
    socket.setReadBufferSize(64 * 1024); // the client does not read for now
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    QByteArray requests;
    for (int i = 0; i < n; ++i)
        requests += call("blob", "[" + QByteArray::number(size) + "]", i) + '\n';
    socket.write(requests);
    qint64 peak = 0;
    // Deliberately not reading for a while, sampling the server's memory meanwhile.
    for (int i = 0; i < 10; ++i) {
        QTest::qWait(100);
        peak = qMax(peak, m_server.rssKiB());
    }
    qInfo("server RSS peaked at %lld KiB (start-up %lld KiB) while the client did not read", peak,
          m_server.baselineRssKiB());
    QVERIFY2(
        peak - m_server.baselineRssKiB() < kRssBudgetKiB,
        qPrintable(QStringLiteral("server RSS peaked at %1 KiB (start-up %2 KiB) for %3 bytes of requests")
                       .arg(peak)
                       .arg(m_server.baselineRssKiB())
                       .arg(requests.size())));
    socket.setReadBufferSize(0);
    qint64 received = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += socket.readAll().count('\n');
            return received >= n || socket.state() != QAbstractSocket::ConnectedState;
        },
        60000));
    QCOMPARE(received, qint64(n));
}

// Peers that leave while `sleep` is still running: the late replies are dropped safely.
void TestBadPeers::disconnectWhileAsyncCallPending_data()
{
    const QByteArray sleep = call("sleep", "[300]", 1);
    const QByteArray batch =
        "[" + sleep + "," + call("sleep", "[200]", 2) + "," + call("add", "[1,2]", 3) + "]";
    addLeavingRows({{"stream", sleep + '\n'},
                    {"stream batch", batch + '\n'},
                    {"lsp", LspFramer::frame(sleep)},
                    {"http", httpPost(sleep)},
                    {"http pipelined", httpPost(sleep) + httpPost(call("add", "[1,2]", 2))}});
}

void TestBadPeers::disconnectWhileAsyncCallPending()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, abortive);
    QVERIFY(sendAndLeave(bytes, abortive, 20));
    // A later, longer sleep on a new connection completes after all the abandoned ones did.
    SocketProbe peer;
    QVERIFY(peer.connectTo(m_server.port()));
    peer.send(call("sleep", "[400]", 9) + '\n');
    const QList<QJsonValue> replies = peer.waitForJsonLines(1, 10000);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().toObject().value("result").toInt(), 400);
}

QTEST_GUILESS_MAIN(TestBadPeers)
#include "moc_BatteryTest.cpp"
#include "tst_badpeers.moc"
