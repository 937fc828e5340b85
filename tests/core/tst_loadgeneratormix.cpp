// LoadGenerator with a mix of calls (LoadOptions::mix) and sampled traffic logging
// (LoadOptions::bus, logEveryNth), against an in-process RpcServer on 127.0.0.1: the server
// receives every method of the mix in proportion to its weight (closed and open loop, every
// framing), replies are counted per call, notifications are sent but never waited for, and
// every Nth call (exactly) reaches the bus with its reply.

#include "DemoServerFixture.h"

#include "load/LoadGenerator.h"
#include "load/LoadMix.h"
#include "load/LoadResultFormat.h"
#include "traffic/TrafficBus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace rpcbench;

namespace {

LoadCall call(const QString& method, const QByteArray& params, double weight, bool notification = false)
{
    LoadCall c;
    c.name = method;
    c.method = method;
    c.params = params;
    c.weight = weight;
    c.notification = notification;
    return c;
}

// No warm-up and one connection: every call sent is counted (recording starts before the
// first write), so the client's figures and the server's can be compared.
LoadOptions mixRun(const QString& url, QList<LoadCall> mix)
{
    LoadOptions o;
    o.url = url;
    o.seconds = 0.4;
    o.warmupSeconds = 0;
    o.connectTimeoutMs = 3000;
    o.mix = std::move(mix);
    return o;
}

// The demo server's address in `scheme` (it answers every framing on one port).
QString serverUrl(const QString& scheme, const DemoServerFixture& server)
{
    return QStringLiteral("%1://127.0.0.1:%2%3")
        .arg(scheme)
        .arg(server.port())
        .arg(scheme == "ws" ? "/" : "");
}

bool runToEnd(LoadGenerator& generator)
{
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    return finished.wait(15'000) && finished.count() == 1;
}

quint64 serverCalls(const DemoServerFixture& server, const QString& method)
{
    const auto m = server.registry->find(method);
    return m ? m->stats->calls.load() : 0;
}

QString perCallText(const LoadResult& r)
{
    QStringList parts;
    for (const LoadCallCount& c : r.perCall)
        parts << QStringLiteral("%1 %2/%3").arg(c.name).arg(c.sent).arg(c.answered);
    return QStringLiteral("ok=%1 error='%2' calls=%3 [%4]")
        .arg(r.ok)
        .arg(r.error)
        .arg(r.calls)
        .arg(parts.join(", "));
}

} // namespace

class TestLoadGeneratorMix : public QObject
{
    Q_OBJECT

private slots:
    void sendsEveryMethodInProportion_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<bool>("openLoop");
        QTest::addColumn<int>("depth");
        for (const char* scheme : {"tcp", "tcp+lsp", "http", "ws"}) {
            QTest::addRow("%s-closed", scheme) << scheme << false << 4;
            QTest::addRow("%s-open", scheme) << scheme << true << 50;
        }
    }
    void sendsEveryMethodInProportion()
    {
        QFETCH(QString, scheme);
        QFETCH(bool, openLoop);
        QFETCH(int, depth);
        DemoServerFixture server;
        server.bus->setEnabled(false);
        QVERIFY(server.start());
        const QString url = serverUrl(scheme, server);
        // Weights 3:2:1 plus a notification of weight 1 (cycle of 7).
        LoadOptions o = mixRun(url, {call(QStringLiteral("add"), "[1,2,3]", 3),
                                     call(QStringLiteral("echo"), "[\"x\"]", 2),
                                     call(QStringLiteral("now"), QByteArray(), 1),
                                     call(QStringLiteral("update"), "[1]", 1, true)});
        o.depth = depth;
        if (openLoop) {
            o.rate = 1000;
            o.seconds = 0.7;
        }
        LoadGenerator generator(o);
        QVERIFY(runToEnd(generator));
        const LoadResult& r = generator.result();
        QVERIFY2(r.ok, qPrintable(perCallText(r)));
        QCOMPARE(r.perCall.size(), 4);
        QCOMPARE(r.errors, quint64(0));
        QCOMPARE(r.unexpectedReplies, quint64(0));
        quint64 answered = 0;
        quint64 sent = 0;
        for (const LoadCallCount& c : r.perCall) {
            answered += c.answered;
            sent += c.sent;
            QVERIFY(c.answered <= c.sent);
        }
        QCOMPARE(answered, r.calls);
        QCOMPARE(sent, r.sent);              // no warm-up: every call sent was counted
        if (scheme == QLatin1String("http")) // every POST is answered, a notification with no body
            QVERIFY(r.perCall.at(3).answered > 0);
        else
            QCOMPARE(r.perCall.at(3).answered, quint64(0)); // a notification gets no reply
        QVERIFY2(sent >= 70, qPrintable(perCallText(r)));
        // The cycle is A E A N A E U (3:2:1:1): the counts are its multiples up to one cycle.
        const quint64 cycles = sent / 7;
        const double weights[] = {3, 2, 1, 1};
        for (int i = 0; i < 4; ++i) {
            const quint64 s = r.perCall.at(i).sent;
            QVERIFY2(s >= cycles * quint64(weights[i]) && s <= (cycles + 1) * quint64(weights[i]),
                     qPrintable(perCallText(r)));
        }
        // The server saw each method in proportion: everything answered reached it, and
        // nothing the client did not send (notifications count when handled).
        const QStringList methods{QStringLiteral("add"), QStringLiteral("echo"), QStringLiteral("now")};
        for (int i = 0; i < 3; ++i) {
            const quint64 seen = serverCalls(server, methods.at(i));
            QVERIFY2(
                seen >= r.perCall.at(i).answered && seen <= r.perCall.at(i).sent,
                qPrintable(
                    QStringLiteral("%1: server %2; %3").arg(methods.at(i)).arg(seen).arg(perCallText(r))));
        }
        // Notifications: the ones of the last write may be lost when the run aborts its
        // connections (a reset can drop what the server has not read yet).
        QTRY_VERIFY(serverCalls(server, QStringLiteral("update")) + quint64(depth) + 2 >=
                    r.perCall.at(3).sent);
        QVERIFY(serverCalls(server, QStringLiteral("update")) <= r.perCall.at(3).sent);
    }

    // Error replies are counted by code, the same in the totals and in the time series, and
    // exactly as many as the calls that fail were answered (every framing).
    void errorsCountedByCode_data()
    {
        QTest::addColumn<QString>("scheme");
        for (const char* scheme : {"tcp", "tcp+lsp", "http", "ws"})
            QTest::newRow(scheme) << scheme;
    }
    void errorsCountedByCode()
    {
        QFETCH(QString, scheme);
        DemoServerFixture server;
        server.bus->setEnabled(false);
        QVERIFY(server.start());
        const QString url = serverUrl(scheme, server);
        LoadOptions o = mixRun(url, {call(QStringLiteral("add"), "[1,2]", 2),
                                     call(QStringLiteral("fail"), "[-32042,\"injected\"]", 1),
                                     call(QStringLiteral("no.such.method"), QByteArray(), 1)});
        o.depth = 4;
        LoadGenerator generator(o);
        QVERIFY(runToEnd(generator));
        const LoadResult& r = generator.result();
        QVERIFY2(r.ok, qPrintable(perCallText(r)));
        const quint64 failed = r.perCall.at(1).answered;
        const quint64 unknown = r.perCall.at(2).answered;
        QVERIFY2(failed > 10 && unknown > 10, qPrintable(perCallText(r)));
        QCOMPARE(r.errors, failed + unknown);
        const std::map<qint64, quint64> expected{{-32601, unknown}, {-32042, failed}};
        QVERIFY2(r.errorsByCode == expected,
                 qPrintable(LoadResultFormat::errorsByCodeText(r.errorsByCode) + " / " + perCallText(r)));
        std::map<qint64, quint64> perSecond;
        for (const LoadSecond& second : r.timeSeries)
            for (const auto& [code, count] : second.errorsByCode)
                perSecond[code] += count;
        QVERIFY(perSecond == expected);
        QVERIFY2(
            LoadResultFormat::toText(o, r).contains(QStringLiteral("errors: %1 (").arg(failed + unknown)),
            qPrintable(LoadResultFormat::toText(o, r)));
        const QJsonObject json = LoadResultFormat::toJson(o, r).value("errorsByCode").toObject();
        QCOMPARE(json.value("-32042").toInteger(), qint64(failed));
        QCOMPARE(json.value("-32601").toInteger(), qint64(unknown));
    }

    void manyConnectionsStartAtDifferentPlaces()
    {
        DemoServerFixture server;
        server.bus->setEnabled(false);
        QVERIFY(server.start());
        LoadOptions o =
            mixRun(QStringLiteral("tcp://127.0.0.1:%1").arg(server.port()),
                   {call(QStringLiteral("add"), "[1,2,3]", 1), call(QStringLiteral("echo"), "[1]", 1)});
        o.connections = 4;
        o.depth = 3;
        o.warmupSeconds = 0.05;
        LoadGenerator generator(o);
        QVERIFY(runToEnd(generator));
        const LoadResult& r = generator.result();
        QVERIFY2(r.ok, qPrintable(perCallText(r)));
        const qint64 a = qint64(r.perCall.at(0).sent);
        const qint64 b = qint64(r.perCall.at(1).sent);
        QVERIFY2(a > 0 && std::abs(a - b) <= 4 * 3 + 4, qPrintable(perCallText(r)));
    }

    void mixIsValidated()
    {
        LoadOptions o = mixRun(QStringLiteral("tcp://127.0.0.1:1"), {call(QStringLiteral("add"), "[1]", 0)});
        QVERIFY(
            LoadGenerator::validate(o).contains(QStringLiteral("weight must be a number greater than 0")));
        o.mix = {call(QStringLiteral("update"), "[1]", 1, true)};
        QVERIFY(LoadGenerator::validate(o).contains(QStringLiteral("only notifications")));
        o.mix = {call(QStringLiteral("add"), "[1]", 1)};
        o.rawEcho = true;
        QVERIFY(LoadGenerator::validate(o).contains(QStringLiteral("raw echo")));
        o.rawEcho = false;
        QVERIFY(LoadGenerator::validate(o).isEmpty());
        o.logEveryNth = 5; // without a bus
        QVERIFY(LoadGenerator::validate(o).contains(QStringLiteral("traffic bus")));
        // A bad mix makes start() fail (asynchronously), not crash.
        o.logEveryNth = 0;
        o.mix = {call(QStringLiteral("add"), "[1,", 1)};
        LoadGenerator generator(o);
        QVERIFY(runToEnd(generator));
        QVERIFY(!generator.result().ok);
        QVERIFY2(generator.result().error.contains(QStringLiteral("call 'add'")),
                 qPrintable(generator.result().error));
    }

    // Every Nth call sent (exactly, counted over the run) reaches the bus as a client request,
    // and its reply follows with the latency; with logEveryNth 0, nothing does.
    void sampledLogging_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<int>("every");
        QTest::addColumn<bool>("mix");
        QTest::addColumn<bool>("openLoop");
        for (const char* scheme : {"tcp", "http", "tcp+lsp", "ws"}) {
            QTest::addRow("%s-every-10", scheme) << scheme << 10 << false << false;
            QTest::addRow("%s-off", scheme) << scheme << 0 << false << false;
        }
        QTest::newRow("tcp-mix-every-3") << "tcp" << 3 << true << false;
        QTest::newRow("tcp-mix-every-2") << "tcp" << 2 << true << false;
        QTest::newRow("http-mix-every-2") << "http" << 2 << true << false;
        QTest::newRow("tcp-open-every-10") << "tcp" << 10 << false << true;
        QTest::newRow("http-mix-open-every-7") << "http" << 7 << true << true;
    }
    void sampledLogging()
    {
        QFETCH(QString, scheme);
        QFETCH(int, every);
        QFETCH(bool, mix);
        QFETCH(bool, openLoop);
        DemoServerFixture server;
        server.bus->setEnabled(false);
        QVERIFY(server.start());
        LoadOptions o = mixRun(QStringLiteral("%1://127.0.0.1:%2%3")
                                   .arg(scheme)
                                   .arg(server.port())
                                   .arg(scheme == "ws" ? "/" : ""),
                               {});
        if (mix)
            o.mix = {call(QStringLiteral("add"), "[1,2,3]", 2),
                     call(QStringLiteral("update"), "[1]", 1, true)};
        else
            o.method = QStringLiteral("echo"), o.params = "[\"sampled\"]";
        if (openLoop) {
            o.rate = 500;
            o.depth = 20;
        }
        o.bus = std::make_shared<TrafficBus>();
        o.logEveryNth = every;
        LoadGenerator generator(o);
        QVERIFY(runToEnd(generator));
        const LoadResult& r = generator.result();
        QVERIFY2(r.ok, qPrintable(perCallText(r)));
        QVERIFY(r.sent >= 30);
        const std::vector<TrafficEvent> events = o.bus->drain();
        if (every == 0) {
            QCOMPARE(events.size(), size_t(0));
            QCOMPARE(r.loggedCalls, quint64(0));
            return;
        }
        quint64 requests = 0;
        quint64 replies = 0;
        quint64 notifications = 0;
        quint64 connection = 0;
        for (const TrafficEvent& e : events) {
            QVERIFY(e.side == Side::Client);
            QVERIFY(e.kind == TrafficEvent::Kind::Message);
            QVERIFY(e.connectionId != 0);
            QVERIFY(e.peer.contains(QString::number(server.port())));
            connection = connection ? connection : e.connectionId;
            QCOMPARE(e.connectionId, connection); // one connection: one id
            const QJsonObject json = QJsonDocument::fromJson(e.raw).object();
            QVERIFY2(!json.isEmpty(), e.raw.constData()); // the JSON alone, no framing headers
            if (e.direction == Direction::Out) {
                ++requests;
                QVERIFY(json.contains(QStringLiteral("method")));
                QCOMPARE(e.latencyUs, qint64(-1));
                if (!json.contains(QStringLiteral("id")))
                    ++notifications;
            } else {
                ++replies;
                QVERIFY2(json.contains(QStringLiteral("result")), e.raw.constData());
                QVERIFY(e.latencyUs >= 0);
            }
        }
        // Exact by construction: the Nth, 2Nth, ... call sent by the run.
        QCOMPARE(requests, r.sent / quint64(every));
        QCOMPARE(requests, r.loggedCalls);
        QCOMPARE(replies, r.loggedReplies);
        // Every sampled call expecting a reply got its reply event, but those still in flight
        // when the run ended (closed loop: depth 1, so at most one).
        const quint64 expecting = requests - notifications;
        QVERIFY2(replies <= expecting && replies + quint64(openLoop ? o.depth : 1) >= expecting,
                 qPrintable(QStringLiteral("requests %1 (notifications %2), replies %3")
                                .arg(requests)
                                .arg(notifications)
                                .arg(replies)));
        // The cycle is add, update, add (2:1): every 3rd call is an add, every 2nd is update,
        // add, add, update, ...
        if (mix && every == 3)
            QCOMPARE(notifications, quint64(0));
        if (mix && every == 2)
            QCOMPARE(notifications, (requests + 2) / 3);
    }
};

QTEST_GUILESS_MAIN(TestLoadGeneratorMix)
#include "tst_loadgeneratormix.moc"
