// Fault injection observed by a real client over loopback: an in-process RpcServer with the
// demo service, faults set per method in its registry, and a raw socket peer reading replies.

#include "DemoServerFixture.h"
#include "SocketProbe.h"

#include "dispatch/FaultInjector.h"
#include "dispatch/MethodRegistry.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace rpcbench;

namespace {

QByteArray request(const char* method, const char* params, const char* id)
{
    return QByteArray(R"({"jsonrpc":"2.0","method":")") + method + R"(","params":)" + params + R"(,"id":)" +
           id + "}\n";
}

FaultSettings faults(const std::function<void(FaultSettings&)>& change)
{
    FaultSettings f;
    change(f);
    return f;
}

bool isJson(const QByteArray& bytes)
{
    QJsonParseError e{};
    QJsonDocument::fromJson(bytes, &e);
    return e.error == QJsonParseError::NoError;
}

} // namespace

class TestFaultInjection : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void fixedLatencyDelaysOnlyThatMethod();
    void jitterStaysWithinBounds();
    void errorRate100AnswersTheConfiguredError();
    void errorRateIsAShare();
    void dropClosesTheConnectionInsteadOfReplying();
    void malformedReplyDoesNotParseButFrames_data();
    void malformedReplyDoesNotParseButFrames();
    void malformedOverHttp();
    void wrongId_data();
    void wrongId();
    void trickleWritesTheReplyInPieces();
    void switchableLive();
    void disabledOrUnknownMethodsAreNotFaulted();
    void batchElementsAreFaultedIndividually();
    void logMarksFaultedReplies();

private:
    QByteArray roundTrip(const QByteArray& message, int timeoutMs = 5000);
    std::unique_ptr<DemoServerFixture> m_server;
};

void TestFaultInjection::init()
{
    m_server = std::make_unique<DemoServerFixture>();
    QVERIFY(m_server->start());
}

void TestFaultInjection::cleanup()
{
    m_server.reset();
}

QByteArray TestFaultInjection::roundTrip(const QByteArray& message, int timeoutMs)
{
    SocketProbe probe;
    if (!probe.connectTo(m_server->port()))
        return {};
    probe.send(message);
    probe.waitFor([&] { return probe.received().contains('\n'); }, timeoutMs);
    return probe.received().trimmed();
}

void TestFaultInjection::fixedLatencyDelaysOnlyThatMethod()
{
    m_server->registry->faults().set("add",
                                     faults([](FaultSettings& f) { f.latencyMinMs = f.latencyMaxMs = 400; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    QElapsedTimer clock;
    clock.start();
    probe.send(request("add", "[1,2,3]", "1") + request("echo", "[\"fast\"]", "2"));
    const auto replies = probe.waitForJsonLines(2);
    QCOMPARE(replies.size(), 2);
    // The unfaulted call is not held up by the delayed one: it answers first.
    QCOMPARE(replies[0].toObject().value("id").toInt(), 2);
    QCOMPARE(replies[1].toObject().value("id").toInt(), 1);
    QCOMPARE(replies[1].toObject().value("result").toInt(), 6);
    QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed()))); // never early
}

void TestFaultInjection::jitterStaysWithinBounds()
{
    FaultSettings f;
    f.latencyMinMs = 10;
    f.latencyMaxMs = 60;
    QSet<int> seen;
    for (int i = 0; i < 500; ++i) {
        const int ms = FaultInjector::latencyMs(f);
        QVERIFY(ms >= 10 && ms <= 60);
        seen.insert(ms);
    }
    QVERIFY(seen.size() > 10); // really random, not one fixed value
    m_server->registry->faults().set("echo", f);
    QElapsedTimer clock;
    clock.start();
    const QJsonObject reply = QJsonDocument::fromJson(roundTrip(request("echo", "[1]", "1"))).object();
    QCOMPARE(reply.value("result").toInt(), 1);
    QVERIFY(clock.elapsed() >= 10);
}

void TestFaultInjection::errorRate100AnswersTheConfiguredError()
{
    m_server->registry->faults().set("add", faults([](FaultSettings& f) {
                                         f.errorRatePercent = 100;
                                         f.errorCode = -32050;
                                         f.errorMessage = "service unavailable";
                                     }));
    const QJsonObject reply = QJsonDocument::fromJson(roundTrip(request("add", "[1,2]", "7"))).object();
    QCOMPARE(reply.value("id").toInt(), 7);
    QCOMPARE(reply.value("error").toObject().value("code").toInt(), -32050);
    QCOMPARE(reply.value("error").toObject().value("message").toString(), QString("service unavailable"));
    const auto stats = m_server->registry->find("add")->stats;
    QCOMPARE(stats->calls.load(), 1u);
    QCOMPARE(stats->errors.load(), 1u);
}

void TestFaultInjection::errorRateIsAShare()
{
    m_server->registry->faults().set("echo", faults([](FaultSettings& f) { f.errorRatePercent = 50; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    QByteArray many;
    for (int i = 0; i < 200; ++i)
        many += request("echo", "[1]", QByteArray::number(i).constData());
    probe.send(many);
    const auto replies = probe.waitForJsonLines(200);
    QCOMPARE(replies.size(), 200);
    int errors = 0;
    for (const QJsonValue& r : replies)
        errors += r.toObject().contains("error") ? 1 : 0;
    // 50 %: both outcomes occur (the chance of all 200 alike is 2^-199).
    QVERIFY2(errors > 0 && errors < 200, qPrintable(QString::number(errors)));
}

void TestFaultInjection::dropClosesTheConnectionInsteadOfReplying()
{
    m_server->registry->faults().set("add", faults([](FaultSettings& f) { f.dropConnection = true; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(request("add", "[1,2]", "1"));
    QVERIFY(probe.waitForClose());
    QVERIFY(probe.received().isEmpty());
    // The server keeps serving others.
    const QJsonObject reply = QJsonDocument::fromJson(roundTrip(request("echo", "[5]", "2"))).object();
    QCOMPARE(reply.value("result").toInt(), 5);
}

void TestFaultInjection::malformedReplyDoesNotParseButFrames_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("2.0") << request("add", "[1,2]", "1");
    QTest::newRow("1.0") << QByteArray(R"({"method":"add","params":[1,2],"id":1})"
                                       "\n");
    QTest::newRow("classic") << QByteArray(R"({"method_name":"add","method_args":[1,2]})");
    QTest::newRow("string id with braces") << request("add", "[1,2]", R"("}{:\"")");
}

void TestFaultInjection::malformedReplyDoesNotParseButFrames()
{
    QFETCH(QByteArray, message);
    m_server->registry->faults().set("add", faults([](FaultSettings& f) { f.malformedJson = true; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(message);
    QVERIFY(probe.waitFor([&] { return probe.received().contains('\n'); }));
    const QByteArray first = probe.received().left(probe.received().indexOf('\n'));
    QVERIFY2(!isJson(first), first.constData());
    // Brackets stay balanced, so the connection stays usable for the next call.
    probe.received().clear();
    probe.send(request("echo", "[\"after\"]", "2"));
    const auto next = probe.waitForJsonLines(1);
    QCOMPARE(next.size(), 1);
    QCOMPARE(next[0].toObject().value("result").toString(), QString("after"));
}

void TestFaultInjection::malformedOverHttp()
{
    m_server->registry->faults().set("add", faults([](FaultSettings& f) { f.malformedJson = true; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    const QByteArray body = R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})";
    probe.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(probe.waitFor([&] {
        const qsizetype head = probe.received().indexOf("\r\n\r\n");
        const qsizetype at = probe.received().indexOf("Content-Length: ");
        return head > 0 && at > 0 &&
               probe.received().size() >=
                   head + 4 + probe.received().mid(at + 16).split('\r').first().toInt();
    }));
    QVERIFY(probe.received().startsWith("HTTP/1.1 200"));
    const QByteArray replyBody = probe.received().mid(probe.received().indexOf("\r\n\r\n") + 4);
    QVERIFY(!replyBody.isEmpty());
    QVERIFY2(!isJson(replyBody), replyBody.constData());
}

void TestFaultInjection::wrongId_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("integer") << QByteArray("41") << QByteArray("42");
    QTest::newRow("string") << QByteArray(R"("abc")") << QByteArray(R"("abc-wrong")");
    QTest::newRow("null") << QByteArray("null") << QByteArray("0");
    QTest::newRow("big integer") << QByteArray("9007199254740993") << QByteArray("9007199254740994");
}

void TestFaultInjection::wrongId()
{
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, expected);
    m_server->registry->faults().set("add", faults([](FaultSettings& f) { f.wrongId = true; }));
    const QByteArray reply = roundTrip(request("add", "[1,2]", id.constData()));
    QVERIFY2(reply.endsWith(R"("id":)" + expected + "}"), reply.constData());
    QCOMPARE(QJsonDocument::fromJson(reply).object().value("result").toInt(), 13);
}

void TestFaultInjection::trickleWritesTheReplyInPieces()
{
    m_server->registry->faults().set("blob", faults([](FaultSettings& f) { f.trickleMs = 1200; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(request("blob", "[200]", "1"));
    // Part of the reply is visible before the rest has arrived.
    QVERIFY(probe.waitFor([&] { return !probe.received().isEmpty(); }));
    QVERIFY2(!probe.received().contains('\n'), "the whole reply arrived at once");
    const auto replies = probe.waitForJsonLines(1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].toObject().value("result").toString().size(), 200);
}

void TestFaultInjection::switchableLive()
{
    FaultTable& table = m_server->registry->faults();
    table.set("add", faults([](FaultSettings& f) { f.errorRatePercent = 100; }));
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(request("add", "[1,2]", "1"));
    QVERIFY(probe.waitForJsonLines(1).at(0).toObject().contains("error"));

    FaultSettings off = *table.find("add");
    off.enabled = false; // kept, but switched off
    table.set("add", off);
    probe.send(request("add", "[1,2]", "2"));
    QCOMPARE(probe.waitForJsonLines(2).at(1).toObject().value("result").toInt(), 13);

    table.set("add", faults([](FaultSettings& f) { f.wrongId = true; }));
    probe.send(request("add", "[1,2]", "3"));
    QCOMPARE(probe.waitForJsonLines(3).at(2).toObject().value("id").toInt(), 4);

    QVERIFY(table.clear("add"));
    probe.send(request("add", "[1,2]", "5"));
    QCOMPARE(probe.waitForJsonLines(4).at(3).toObject().value("id").toInt(), 5);
}

void TestFaultInjection::disabledOrUnknownMethodsAreNotFaulted()
{
    auto always = faults([](FaultSettings& f) {
        f.errorRatePercent = 100;
        f.errorCode = -32099;
    });
    m_server->registry->faults().set("nope", always);
    m_server->registry->faults().set("echo", always);
    m_server->registry->setEnabled("echo", false);
    for (const char* method : {"nope", "echo"}) {
        const QJsonObject reply = QJsonDocument::fromJson(roundTrip(request(method, "[1]", "1"))).object();
        QCOMPARE(reply.value("error").toObject().value("code").toInt(), -32601);
    }
}

void TestFaultInjection::batchElementsAreFaultedIndividually()
{
    m_server->registry->faults().set("add", faults([](FaultSettings& f) {
                                         f.wrongId = true;
                                         f.latencyMinMs = f.latencyMaxMs = 50;
                                     }));
    const QByteArray batch = R"([{"jsonrpc":"2.0","method":"add","params":[1,2],"id":10},)"
                             R"({"jsonrpc":"2.0","method":"echo","params":["x"],"id":20}])"
                             "\n";
    const QJsonArray replies = QJsonDocument::fromJson(roundTrip(batch)).array();
    QCOMPARE(replies.size(), 2);
    QCOMPARE(replies[0].toObject().value("id").toInt(), 11); // faulted element
    QCOMPARE(replies[0].toObject().value("result").toInt(), 13);
    QCOMPARE(replies[1].toObject().value("id").toInt(), 20); // untouched element
}

void TestFaultInjection::logMarksFaultedReplies()
{
    m_server->registry->faults().set("add", faults([](FaultSettings& f) { f.wrongId = true; }));
    m_server->bus->drain();
    SocketProbe probe;
    QVERIFY(probe.connectTo(m_server->port()));
    probe.send(request("add", "[1,2]", "1") + request("echo", "[1]", "2"));
    QCOMPARE(probe.waitForJsonLines(2).size(), 2);
    std::vector<TrafficEvent> events;
    QTRY_VERIFY((std::ranges::move(m_server->bus->drain(), std::back_inserter(events)), events.size() >= 4));
    int faulted = 0;
    for (const TrafficEvent& e : events) {
        if (e.direction == Direction::Out && e.summary.faulted) {
            ++faulted;
            QCOMPARE(e.summary.method, QString("add"));
        }
    }
    QCOMPARE(faulted, 1);
}

QTEST_GUILESS_MAIN(TestFaultInjection)
#include "tst_faultinjection.moc"
