// Request/reply pairing of the traffic log, without the log: replies find their request per
// side, connection and id (in any order), batches per connection, notifications and null ids
// never pair, latency comes from the engine or the timestamps, and memory stays bounded.

#include "traffic/RequestPairing.h"
#include "traffic/SummarizeMessage.h"

#include <QTest>

using namespace rpcbench;

class TestRequestPairing : public QObject
{
    Q_OBJECT
private slots:
    void pairing_data();
    void pairing();
    void evictionBound_data();
    void evictionBound();
    void forgetBefore();
    void loweringCapacityForgetsOldest();
    void clearForgetsEverything();
};

namespace {

constexpr qint64 T0 = 1'700'000'000'000'000;

// One event per line: "<conn> <side><dir> <t offset µs> [L=<engine latency>] <json>", where
// side/dir is S< (server in), S> (server out), C> (client out) or C< (client in). The summary
// is what summarizeMessage() makes of the JSON, as for the client side and imported logs.
TrafficEvent parseEvent(const QString& line)
{
    QStringList parts = line.split(u' ');
    TrafficEvent e;
    e.connectionId = parts.takeFirst().toULongLong();
    const QString way = parts.takeFirst();
    e.side = way.startsWith(u'S') ? Side::Server : Side::Client;
    e.direction = way.endsWith(u'<') ? Direction::In : Direction::Out;
    e.timestampUs = T0 + parts.takeFirst().toLongLong();
    if (parts.first().startsWith(QStringLiteral("L=")))
        e.latencyUs = parts.takeFirst().mid(2).toLongLong();
    e.raw = parts.join(u' ').toUtf8();
    e.summary = summarizeMessage(e.raw);
    return e;
}

QString req(int conn, const char* way, int t, const QByteArray& id, const char* method = "add")
{
    return QStringLiteral("%1 %2 %3 {\"jsonrpc\":\"2.0\",\"method\":\"%4\",\"params\":[1],\"id\":%5}")
        .arg(conn)
        .arg(QLatin1StringView(way))
        .arg(t)
        .arg(QString::fromLatin1(method), QString::fromUtf8(id));
}

QString res(int conn, const char* way, int t, const QByteArray& id, const QString& latency = {})
{
    return QStringLiteral("%1 %2 %3 %4{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":%5}")
        .arg(conn)
        .arg(QLatin1StringView(way))
        .arg(t)
        .arg(latency.isEmpty() ? QString() : QStringLiteral("L=%1 ").arg(latency), QString::fromUtf8(id));
}

QString err(int conn, const char* way, int t, const QByteArray& id)
{
    return QStringLiteral(
               "%1 %2 %3 {\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"m\"},\"id\":%4}")
        .arg(conn)
        .arg(QLatin1StringView(way))
        .arg(t)
        .arg(QString::fromUtf8(id));
}

// A batch of requests when it goes the usual way (or `reverse`: the callee calls the caller),
// else of replies.
QString batch(int conn, const char* way, int t, const QString& latency = {}, bool reverse = false)
{
    const bool request = (qstrcmp(way, "S<") == 0 || qstrcmp(way, "C>") == 0) != reverse;
    const QString body = request ? QStringLiteral(R"([{"jsonrpc":"2.0","method":"a","id":1},)"
                                                  R"({"jsonrpc":"2.0","method":"b","id":2}])")
                                 : QStringLiteral(R"([{"jsonrpc":"2.0","result":1,"id":1},)"
                                                  R"({"jsonrpc":"2.0","result":2,"id":2}])");
    return QStringLiteral("%1 %2 %3 %4%5")
        .arg(conn)
        .arg(QLatin1StringView(way))
        .arg(t)
        .arg(latency.isEmpty() ? QString() : QStringLiteral("L=%1 ").arg(latency), body);
}

} // namespace

void TestRequestPairing::pairing_data()
{
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<QList<int>>("partners");     // per event: index of the request it answers, or -1
    QTest::addColumn<QList<qint64>>("latencies"); // per event: the latency returned

    QTest::newRow("in order") << QStringList{req(1, "S<", 0, "1"), res(1, "S>", 250, "1"),
                                             req(1, "S<", 300, "2"), res(1, "S>", 400, "2")}
                              << QList<int>{-1, 0, -1, 2} << QList<qint64>{-1, 250, -1, 100};
    QTest::newRow("out of order") << QStringList{req(1, "S<", 0, "1"),   req(1, "S<", 10, "2"),
                                                 req(1, "S<", 20, "3"),  res(1, "S>", 100, "3"),
                                                 res(1, "S>", 110, "1"), res(1, "S>", 120, "2")}
                                  << QList<int>{-1, -1, -1, 2, 0, 1}
                                  << QList<qint64>{-1, -1, -1, 80, 110, 110};
    QTest::newRow("engine latency wins") << QStringList{req(7, "S<", 0, "1"), res(7, "S>", 2500, "1", "777")}
                                         << QList<int>{-1, 0} << QList<qint64>{-1, 777};
    QTest::newRow("client side, string id")
        << QStringList{req(3, "C>", 0, R"("a")"), res(3, "C<", 40, R"("a")")} << QList<int>{-1, 0}
        << QList<qint64>{-1, 40};
    QTest::newRow("error reply") << QStringList{req(1, "S<", 0, "9"), err(1, "S>", 10, "9")}
                                 << QList<int>{-1, 0} << QList<qint64>{-1, 10};
    QTest::newRow("other connection") << QStringList{req(7, "S<", 0, "1"), res(8, "S>", 10, "1")}
                                      << QList<int>{-1, -1} << QList<qint64>{-1, -1};
    QTest::newRow("other side") << QStringList{req(7, "S<", 0, "1"), res(7, "C<", 10, "1")}
                                << QList<int>{-1, -1} << QList<qint64>{-1, -1};
    QTest::newRow("other id") << QStringList{req(7, "S<", 0, "1"), res(7, "S>", 10, "2")}
                              << QList<int>{-1, -1} << QList<qint64>{-1, -1};
    QTest::newRow("number and string ids differ")
        << QStringList{req(7, "S<", 0, "1"), res(7, "S>", 10, R"("1")")} << QList<int>{-1, -1}
        << QList<qint64>{-1, -1};
    QTest::newRow("a request is not a reply") << QStringList{req(1, "S<", 0, "1"), req(1, "S>", 10, "1")}
                                              << QList<int>{-1, -1} << QList<qint64>{-1, -1};
    QTest::newRow("each reply once") << QStringList{req(1, "S<", 0, "1"), res(1, "S>", 10, "1"),
                                                    res(1, "S>", 20, "1")}
                                     << QList<int>{-1, 0, -1} << QList<qint64>{-1, 10, -1};
    QTest::newRow("reused id answers the newest")
        << QStringList{req(1, "S<", 0, "1"), req(1, "S<", 10, "1"), res(1, "S>", 30, "1"),
                       res(1, "S>", 40, "1")}
        << QList<int>{-1, -1, 1, -1} << QList<qint64>{-1, -1, 20, -1};
    QTest::newRow("notifications never pair")
        << QStringList{QStringLiteral(R"(1 S< 0 {"jsonrpc":"2.0","method":"update","params":[1]})"),
                       QStringLiteral(R"(1 S> 10 {"jsonrpc":"2.0","result":1})")}
        << QList<int>{-1, -1} << QList<qint64>{-1, -1};
    QTest::newRow("null-id error answers nothing")
        << QStringList{req(1, "S<", 0, "null"), err(1, "S>", 10, "null"),
                       QStringLiteral(R"(1 S< 20 {"jsonrpc":"2.0","method":1,"id":5})"),
                       err(1, "S>", 30, "null")}
        << QList<int>{-1, -1, -1, -1} << QList<qint64>{-1, -1, -1, -1};
    QTest::newRow("1.0 and classic dialects")
        << QStringList{QStringLiteral(R"(2 C> 0 {"method":"echo","params":[1],"id":4})"),
                       QStringLiteral(R"(2 C< 15 {"result":1,"error":null,"id":4})"),
                       QStringLiteral(R"(2 C> 20 {"method_name":"echo","method_args":[1]})"),
                       QStringLiteral(R"(2 C< 30 {"res":1})")}
        << QList<int>{-1, 0, -1, -1} << QList<qint64>{-1, 15, -1, -1};
    QTest::newRow("batch per connection")
        << QStringList{batch(4, "C>", 0), batch(5, "C>", 5), batch(4, "C<", 60)} << QList<int>{-1, -1, 0}
        << QList<qint64>{-1, -1, 60};
    QTest::newRow("batches: oldest first without latency")
        << QStringList{batch(4, "S<", 0), batch(4, "S<", 100), batch(4, "S>", 150), batch(4, "S>", 160)}
        << QList<int>{-1, -1, 0, 1} << QList<qint64>{-1, -1, 150, 60};
    QTest::newRow("batches: best fit with engine latency")
        << QStringList{batch(4, "S<", 0), batch(4, "S<", 100), batch(4, "S>", 150, "50"),
                       batch(4, "S>", 400, "400")}
        << QList<int>{-1, -1, 1, 0} << QList<qint64>{-1, -1, 50, 400};
    QTest::newRow("batch reply without a batch request")
        << QStringList{req(4, "S<", 0, "1"), batch(4, "S>", 10)} << QList<int>{-1, -1}
        << QList<qint64>{-1, -1};
    QTest::newRow("server asks the client (client side)")
        << QStringList{req(2, "C<", 0, "1", "workspace/configuration"), res(2, "C>", 30, "1")}
        << QList<int>{-1, 0} << QList<qint64>{-1, 30};
    QTest::newRow("server asks the client (server side)")
        << QStringList{req(2, "S>", 0, "7", "ping"), err(2, "S<", 25, "7")} << QList<int>{-1, 0}
        << QList<qint64>{-1, 25};
    QTest::newRow("the same id both ways")
        << QStringList{req(2, "C>", 0, "1"), req(2, "C<", 10, "1", "window/showMessageRequest"),
                       res(2, "C>", 20, "1"), res(2, "C<", 50, "1")}
        << QList<int>{-1, -1, 1, 0} << QList<qint64>{-1, -1, 10, 50};
    QTest::newRow("reverse batch") << QStringList{batch(3, "C<", 0, {}, true), batch(3, "C>", 40, {}, true)}
                                   << QList<int>{-1, 0} << QList<qint64>{-1, 40};
    QTest::newRow("batches both ways") << QStringList{batch(3, "C>", 0), batch(3, "C<", 10, {}, true),
                                                      batch(3, "C>", 20, {}, true), batch(3, "C<", 30)}
                                       << QList<int>{-1, -1, 1, 0} << QList<qint64>{-1, -1, 10, 30};
    QTest::newRow("invalid batch still pairs with its errors")
        << QStringList{QStringLiteral("1 S< 0 [1,2]"),
                       QStringLiteral(R"(1 S> 10 [{"jsonrpc":"2.0","error":{"code":-32600,"message":"m"},)"
                                      R"("id":null},{"jsonrpc":"2.0","error":{"code":-32600,)"
                                      R"("message":"m"},"id":null}])")}
        << QList<int>{-1, 0} << QList<qint64>{-1, 10};
    QTest::newRow("calls and batches side by side")
        << QStringList{batch(1, "S<", 0), req(1, "S<", 5, "1"), res(1, "S>", 20, "1"), batch(1, "S>", 30)}
        << QList<int>{-1, -1, 1, 0} << QList<qint64>{-1, -1, 15, 30};
}

void TestRequestPairing::pairing()
{
    QFETCH(QStringList, events);
    QFETCH(QList<int>, partners);
    QFETCH(QList<qint64>, latencies);
    QCOMPARE(partners.size(), events.size());
    QCOMPARE(latencies.size(), events.size());
    RequestPairing pairing;
    const quint64 firstSeq = 41; // any increasing numbering will do
    for (qsizetype i = 0; i < events.size(); ++i) {
        const RequestPairing::Match m = pairing.add(parseEvent(events[i]), firstSeq + quint64(i));
        const quint64 expected = partners[i] < 0 ? 0 : firstSeq + quint64(partners[i]);
        QVERIFY2(m.requestSeq == expected,
                 qPrintable(QStringLiteral("event %1: paired with seq %2, expected %3")
                                .arg(i)
                                .arg(m.requestSeq)
                                .arg(expected)));
        QCOMPARE(m.latencyUs, latencies[i]);
    }
}

void TestRequestPairing::evictionBound_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("calls");
    QTest::addColumn<int>("batches");
    QTest::newRow("all fit") << 10 << 6 << 2;
    QTest::newRow("exactly full") << 8 << 6 << 2;
    QTest::newRow("calls overflow") << 3 << 10 << 0;
    QTest::newRow("batches overflow") << 2 << 0 << 5;
    QTest::newRow("mixed overflow") << 4 << 7 << 3;
    QTest::newRow("capacity 1") << 1 << 3 << 0;
}

// Requests never answered are remembered only up to the capacity: the oldest are forgotten and
// their late replies stay unpaired; the newest still pair.
void TestRequestPairing::evictionBound()
{
    QFETCH(int, capacity);
    QFETCH(int, calls);
    QFETCH(int, batches);
    RequestPairing pairing(capacity);
    quint64 seq = 0;
    QList<quint64> requestSeqs;
    for (int i = 0; i < calls; ++i) {
        pairing.add(parseEvent(req(1, "S<", i, QByteArray::number(i))), ++seq);
        requestSeqs.append(seq);
        QVERIFY(pairing.openCount() <= qsizetype(capacity));
    }
    for (int i = 0; i < batches; ++i) {
        pairing.add(parseEvent(batch(1, "S<", calls + i)), ++seq);
        requestSeqs.append(seq);
        QVERIFY(pairing.openCount() <= qsizetype(capacity));
    }
    const int total = calls + batches;
    QCOMPARE(pairing.openCount(), qsizetype(qMin(total, capacity)));
    const int forgotten = qMax(0, total - capacity);
    for (int i = 0; i < calls; ++i) {
        const auto m = pairing.add(parseEvent(res(1, "S>", 1000, QByteArray::number(i))), ++seq);
        QCOMPARE(m.requestSeq, i < forgotten ? 0 : requestSeqs[i]);
    }
    // Batch replies take the oldest batch still remembered.
    for (int i = 0; i < batches; ++i) {
        const auto m = pairing.add(parseEvent(batch(1, "S>", 1000)), ++seq);
        const int index = calls + i + qMax(0, forgotten - calls);
        QCOMPARE(m.requestSeq, index < total ? requestSeqs[index] : 0);
    }
    QCOMPARE(pairing.openCount(), qsizetype(0));
}

void TestRequestPairing::forgetBefore()
{
    RequestPairing pairing;
    for (int i = 1; i <= 5; ++i)
        pairing.add(parseEvent(req(1, "S<", i, QByteArray::number(i))), quint64(i));
    pairing.add(parseEvent(batch(1, "S<", 6)), 6);
    pairing.forgetBefore(3); // the owner dropped seq 1 and 2
    QCOMPARE(pairing.openCount(), qsizetype(4));
    QCOMPARE(pairing.add(parseEvent(res(1, "S>", 10, "1")), 7).requestSeq, quint64(0));
    QCOMPARE(pairing.add(parseEvent(res(1, "S>", 10, "2")), 8).requestSeq, quint64(0));
    QCOMPARE(pairing.add(parseEvent(res(1, "S>", 10, "4")), 9).requestSeq, quint64(4));
    pairing.forgetBefore(7);
    QCOMPARE(pairing.openCount(), qsizetype(0));
    QCOMPARE(pairing.add(parseEvent(res(1, "S>", 10, "3")), 10).requestSeq, quint64(0));
    QCOMPARE(pairing.add(parseEvent(batch(1, "S>", 10)), 11).requestSeq, quint64(0));
}

void TestRequestPairing::loweringCapacityForgetsOldest()
{
    RequestPairing pairing(10);
    for (int i = 1; i <= 6; ++i)
        pairing.add(parseEvent(req(2, "C>", i, QByteArray::number(i))), quint64(i));
    pairing.setCapacity(2);
    QCOMPARE(pairing.capacity(), qsizetype(2));
    QCOMPARE(pairing.openCount(), qsizetype(2));
    QCOMPARE(pairing.add(parseEvent(res(2, "C<", 10, "4")), 7).requestSeq, quint64(0));
    QCOMPARE(pairing.add(parseEvent(res(2, "C<", 10, "6")), 8).requestSeq, quint64(6));
    QCOMPARE(pairing.add(parseEvent(res(2, "C<", 10, "5")), 9).requestSeq, quint64(5));
}

void TestRequestPairing::clearForgetsEverything()
{
    RequestPairing pairing;
    pairing.add(parseEvent(req(1, "S<", 0, "1")), 1);
    pairing.add(parseEvent(batch(1, "S<", 0)), 2);
    pairing.clear();
    QCOMPARE(pairing.openCount(), qsizetype(0));
    QCOMPARE(pairing.add(parseEvent(res(1, "S>", 5, "1")), 3).requestSeq, quint64(0));
    QCOMPARE(pairing.add(parseEvent(batch(1, "S>", 5)), 4).requestSeq, quint64(0));
}

QTEST_GUILESS_MAIN(TestRequestPairing)
#include "tst_requestpairing.moc"
