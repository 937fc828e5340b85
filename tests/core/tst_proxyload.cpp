// The proxy under load: `rpcbench bench`'s load generator (16 connections, several calls in
// flight on each) through an in-process Proxy to a demo server, over each transport. Every call
// gets its reply, nothing is lost or answered twice, and the proxy's log has exactly one row per
// message: as many In rows as requests, exactly as many Out rows (those of the calls in flight
// when a connection closed too), each Out row answering a request of its own connection.
// Counts are checked, never speed.
#include "DemoServerFixture.h"

#include "load/LoadGenerator.h"
#include "proxy/Proxy.h"

#include <QSignalSpy>
#include <QTest>

#include <map>
#include <set>

using namespace rpcbench;

namespace {

constexpr int kConnections = 16;
constexpr int kDepth = 8;
constexpr quint64 kMinCalls = 2000;

// The rows of one side and direction of a traffic log, by connection: the id of each message.
struct LogRows
{
    std::map<quint64, std::multiset<QByteArray>> requests; // In: client to upstream
    std::map<quint64, std::multiset<QByteArray>> replies;  // Out: upstream to client
    quint64 in = 0;
    quint64 out = 0;
    quint64 other = 0; // anything that is not a request in or a reply out

    // The requests of a connection that have no reply row (every call of a load connection
    // carries the same id, so pairing is by count per id).
    quint64 unanswered(quint64 connection) const
    {
        const auto r = requests.find(connection);
        const auto a = replies.find(connection);
        return (r == requests.end() ? 0 : r->second.size()) - (a == replies.end() ? 0 : a->second.size());
    }

    void add(const std::vector<TrafficEvent>& events, Side side)
    {
        for (const TrafficEvent& e : events) {
            if (e.side != side || e.kind != TrafficEvent::Kind::Message)
                continue;
            const MessageKind k = e.summary.kind;
            const bool reply = k == MessageKind::Response || k == MessageKind::Error;
            // A server's log has the requests In and the replies Out, as the proxy's has.
            if (e.direction == Direction::In && k == MessageKind::Request) {
                requests[e.connectionId].insert(e.summary.idJson);
                ++in;
            } else if (e.direction == Direction::Out && reply) {
                replies[e.connectionId].insert(e.summary.idJson);
                ++out;
            } else {
                ++other;
            }
        }
    }
    // Reply ids with no request of that id on their connection (or more replies than requests).
    quint64 unpairedReplies() const
    {
        quint64 unpaired = 0;
        for (const auto& [connection, ids] : replies) {
            const auto it = requests.find(connection);
            for (const QByteArray& id : ids) {
                if (it == requests.end() || it->second.count(id) < ids.count(id))
                    ++unpaired;
            }
        }
        return unpaired;
    }
};

QString describe(const LoadResult& r)
{
    return QStringLiteral("ok=%1 error='%2' calls=%3 errors=%4 lost=%5 unexpected=%6")
        .arg(r.ok)
        .arg(r.error)
        .arg(r.calls)
        .arg(r.errors)
        .arg(r.connectionErrors)
        .arg(r.unexpectedReplies);
}

} // namespace

class tst_ProxyLoad : public QObject
{
    Q_OBJECT
private slots:
    void everyCallAnsweredOnce_data();
    void everyCallAnsweredOnce();
};

void tst_ProxyLoad::everyCallAnsweredOnce_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("path");
    QTest::newRow("tcp") << "tcp"
                         << "";
    QTest::newRow("ws") << "ws"
                        << "/";
    QTest::newRow("http") << "http"
                          << "/";
}

void tst_ProxyLoad::everyCallAnsweredOnce()
{
    QFETCH(QString, scheme);
    QFETCH(QString, path);
    DemoServerFixture upstream;
    QVERIFY2(upstream.start(), qPrintable(upstream.server->errorString()));
    auto bus = std::make_shared<TrafficBus>();
    Proxy proxy(bus);
    QString error;
    const auto target = Endpoint::parse(
        QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(upstream.port()).arg(path), &error);
    const auto listen = ListenSpec::parse(QStringLiteral("%1://127.0.0.1:0").arg(scheme), &error);
    QVERIFY2(target && listen, qPrintable(error));
    proxy.setUpstream(*target);
    QVERIFY2(proxy.start({*listen}), qPrintable(proxy.errorString()));

    LoadOptions o;
    o.url = QStringLiteral("%1://127.0.0.1:%2%3")
                .arg(scheme)
                .arg(proxy.listeningEndpoints().constFirst().port)
                .arg(path);
    o.connections = kConnections;
    o.depth = kDepth;
    o.seconds = 0.5;
    o.warmupSeconds = 0.05;
    o.method = QStringLiteral("add");
    o.params = "[2, 3]";
    LoadGenerator generator(o);
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QVERIFY(finished.wait(30'000));
    const LoadResult& r = generator.result();
    QVERIFY2(r.ok && r.errors == 0 && r.connectionErrors == 0 && r.unexpectedReplies == 0,
             qPrintable(describe(r)));
    QVERIFY2(r.calls >= kMinCalls, qPrintable(describe(r)));

    // The generator closes its connections with calls still in flight; those calls still reach
    // the upstream (what a client sent is never lost) and are answered there. Wait until the
    // upstream has answered every request the proxy forwarded, and the proxy logged each reply.
    LogRows rows;
    LogRows server;
    const auto upstreamDone = [&] {
        rows.add(bus->drain(), Side::Proxy);
        server.add(upstream.bus->drain(), Side::Server);
        return rows.in > 0 && server.in == rows.in && server.out == server.in && rows.out == rows.in;
    };
    const bool done = QTest::qWaitFor(upstreamDone, 10'000);
    QTest::qWait(200); // the proxy's last Out rows; nothing more may come
    rows.add(bus->drain(), Side::Proxy);
    server.add(upstream.bus->drain(), Side::Server);
    const QString counts = QStringLiteral("%1; proxy In %2 Out %3 other %4; upstream In %5 Out %6 other %7")
                               .arg(describe(r))
                               .arg(rows.in)
                               .arg(rows.out)
                               .arg(rows.other)
                               .arg(server.in)
                               .arg(server.out)
                               .arg(server.other);
    QVERIFY2(done, qPrintable(counts));
    qInfo().noquote() << counts;

    // One In row per request the upstream got, every call the generator counted among them (the
    // rest: the warm-up's and those in flight at the end).
    QCOMPARE(server.in, rows.in);
    QCOMPARE(server.out, server.in);
    QVERIFY2(rows.in >= r.calls, qPrintable(counts));
    QCOMPARE(rows.other, quint64(0));
    QCOMPARE(server.other, quint64(0));
    // One Out row per reply, each answering a request of its own connection: the replies to the
    // calls in flight when the generator closed a connection came back after the client had
    // gone, and are logged all the same (nothing lost in the log).
    QCOMPARE(rows.unpairedReplies(), quint64(0));
    QCOMPARE(int(rows.requests.size()), kConnections);
    for (const auto& [connection, ids] : rows.requests)
        QVERIFY2(rows.unanswered(connection) == 0,
                 qPrintable(QStringLiteral("#%1: %2").arg(connection).arg(counts)));
    QCOMPARE(rows.out, rows.in);
    QCOMPARE(bus->droppedCount(), quint64(0));
    QCOMPARE(upstream.bus->droppedCount(), quint64(0));
}

QTEST_GUILESS_MAIN(tst_ProxyLoad)
#include "tst_proxyload.moc"
