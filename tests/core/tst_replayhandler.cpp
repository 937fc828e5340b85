// ReplayHandler (core/proxy) with RecordedSession: a recorded session standing in for its
// server. Requests matched by method and params (ignore pointers), repeats answered in recorded
// order then the last again, the new request's id, recorded server messages before/after their
// call's reply and after client notifications, the opening on a connection's first message,
// -32601/-32602 for no match, batches element by element, connections independent.
#include "dispatch/PeerLink.h"
#include "proxy/RecordedSession.h"
#include "proxy/ReplayHandler.h"
#include "traffic/SummarizeMessage.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace rpcbench;

namespace {

// What the handler did, in order: "reply {json}" and "push {json}" lines.
using Transcript = QStringList;

// The connection end the handler sends its server messages to (owned by a shared_ptr, as
// PeerLink::current() requires).
class FakeLink final : public PeerLink
{
public:
    FakeLink(quint64 id, Transcript* transcript) : m_id(id), m_transcript(transcript) {}
    quint64 connectionId() const override { return m_id; }
    bool isOpen() const override { return true; }
    bool notify(const QString&, const QJsonValue&) override { return false; }
    bool send(const QByteArray& json, const MessageSummary&) override
    {
        m_transcript->append(QStringLiteral("push ") + QString::fromUtf8(json));
        return true;
    }
    void close() override {}
    quint64 every(int, std::function<bool()>) override { return 0; }
    void cancel(quint64) override {}

private:
    quint64 m_id;
    Transcript* m_transcript;
};

// "server in 3 {json}": side (server, client, proxy), direction, connection, the bytes.
TrafficEvent eventOf(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char(' '));
    TrafficEvent e;
    e.side = parts.at(0) == u"server" ? Side::Server : parts.at(0) == u"client" ? Side::Client : Side::Proxy;
    e.direction = parts.at(1) == u"in" ? Direction::In : Direction::Out;
    e.connectionId = parts.at(2).toULongLong();
    e.raw = parts.mid(3).join(QLatin1Char(' ')).toUtf8();
    e.summary = summarizeMessage(e.raw);
    return e;
}

RecordedSession sessionOf(const QStringList& specs)
{
    std::vector<TrafficEvent> events;
    for (const QString& s : specs)
        events.push_back(eventOf(s));
    return RecordedSession::fromEvents(events);
}

// A transcript line with its JSON written compactly (members sorted), whatever the spelling.
QString normalized(const QString& line)
{
    const qsizetype space = line.indexOf(QLatin1Char(' '));
    const QByteArray json = line.mid(space + 1).toUtf8();
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QByteArray compact =
        doc.isArray() ? JsonText::compact(doc.array()) : JsonText::compact(doc.object());
    return line.left(space + 1) + QString::fromUtf8(doc.isNull() ? json : compact);
}

Transcript normalizedAll(const Transcript& lines)
{
    Transcript out;
    for (const QString& l : lines)
        out << normalized(l);
    return out;
}

// Hands `message` to the handler as connection `link` would, and waits for its answer.
bool exchange(ReplayHandler& handler, FakeLink& link, const QByteArray& message, Transcript* transcript)
{
    QObject context;
    bool done = false;
    MessageSummary summary;
    {
        const PeerLink::Scope scope(&link);
        handler.handle(
            message, &context,
            [&](DispatchReply reply) {
                done = true;
                if (!reply.bytes.isEmpty())
                    transcript->append(QStringLiteral("reply ") + QString::fromUtf8(reply.bytes));
            },
            &summary);
    }
    return QTest::qWaitFor([&] { return done; }, 5000);
}

const QStringList kPingLog{
    QStringLiteral(R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"ping","params":{"n":1,"pid":7}})"),
    QStringLiteral(R"(server out 1 {"jsonrpc":"2.0","id":1,"result":"first"})"),
    QStringLiteral(R"(server in 1 {"jsonrpc":"2.0","id":2,"method":"ping","params":{"n":1,"pid":7}})"),
    QStringLiteral(R"(server out 1 {"jsonrpc":"2.0","id":2,"result":"second"})"),
    QStringLiteral(R"(server in 1 {"jsonrpc":"2.0","id":3,"method":"ping","params":{"n":2,"pid":7}})"),
    QStringLiteral(R"(server out 1 {"jsonrpc":"2.0","id":3,"result":"two"})"),
};

} // namespace

class tst_ReplayHandler : public QObject
{
    Q_OBJECT
private slots:
    void replay_data();
    void replay();
    void connectionsReplayIndependently();
    void sessionCounts();
};

void tst_ReplayHandler::replay_data()
{
    QTest::addColumn<QStringList>("log");
    QTest::addColumn<QStringList>("ignore");
    QTest::addColumn<QStringList>("messages"); // from the client, one connection
    QTest::addColumn<Transcript>("expected");

    QTest::newRow("match gets the recorded reply with the new id")
        << kPingLog << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","id":"a","method":"ping","params":{"pid":7,"n":2}})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":"a","result":"two"})"};
    QTest::newRow("identical requests: recorded order, then the last again")
        << kPingLog << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","id":10,"method":"ping","params":{"n":1,"pid":7}})",
                       R"({"jsonrpc":"2.0","id":11,"method":"ping","params":{"n":1,"pid":7}})",
                       R"({"jsonrpc":"2.0","id":12,"method":"ping","params":{"n":1,"pid":7}})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":10,"result":"first"})",
                      R"(reply {"jsonrpc":"2.0","id":11,"result":"second"})",
                      R"(reply {"jsonrpc":"2.0","id":12,"result":"second"})"};
    QTest::newRow("changed param: -32602 naming the closest params and the difference")
        << kPingLog << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","id":5,"method":"ping","params":{"n":2,"pid":8}})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":5,"error":{"code":-32602,
               "message":"no recorded call of ping matches these params",
               "data":{"closestParams":{"n":2,"pid":7},"differingPointers":["/params/pid"]}}})"};
    QTest::newRow("ignored pointer: the changed param matches")
        << kPingLog << QStringList{"/params/pid"}
        << QStringList{R"({"jsonrpc":"2.0","id":5,"method":"ping","params":{"n":2,"pid":8}})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":5,"result":"two"})"};
    QTest::newRow("method never called: -32601")
        << kPingLog << QStringList() << QStringList{R"({"jsonrpc":"2.0","id":6,"method":"pong"})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":6,"error":{"code":-32601,
               "message":"Method not found: the recording has no call of pong"}})"};
    QTest::newRow("client notifications and replies accepted silently")
        << kPingLog << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","method":"ping","params":{"n":1,"pid":7}})",
                       R"({"jsonrpc":"2.0","id":99,"result":true})"}
        << Transcript{};
    QTest::newRow("batch answered element by element")
        << kPingLog << QStringList()
        << QStringList{R"([{"jsonrpc":"2.0","id":1,"method":"ping","params":{"n":2,"pid":7}},
                           {"jsonrpc":"2.0","method":"note"},
                           {"jsonrpc":"2.0","id":2,"method":"nope"}])"}
        << Transcript{R"(reply [{"jsonrpc":"2.0","id":1,"result":"two"},{"jsonrpc":"2.0","id":2,
               "error":{"code":-32601,"message":"Method not found: the recording has no call of nope"}}])"};
    QTest::newRow("bad JSON: -32700")
        << kPingLog << QStringList() << QStringList{"{nope"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":null,"error":{"code":-32700,
               "message":"Parse error: unterminated object"}})"};

    const QStringList lsp{
        R"(proxy out 4 {"jsonrpc":"2.0","method":"hello","params":0})",
        R"(proxy in 4 {"jsonrpc":"2.0","id":1,"method":"initialize"})",
        R"(proxy out 4 {"jsonrpc":"2.0","method":"progress","params":1})",
        R"(proxy out 4 {"jsonrpc":"2.0","id":1,"result":{"capabilities":{}}})",
        R"(proxy out 4 {"jsonrpc":"2.0","method":"log","params":2})",
        R"(proxy in 4 {"jsonrpc":"2.0","method":"didOpen","params":{"uri":"a"}})",
        R"(proxy out 4 {"jsonrpc":"2.0","method":"diagnostics","params":{"uri":"a"}})",
        R"(proxy out 4 {"jsonrpc":"2.0","method":"diagnostics","params":{"uri":"a","n":2}})",
    };
    QTest::newRow("server messages: opening, before and after the reply, after a notification")
        << lsp << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","id":7,"method":"initialize"})",
                       R"({"jsonrpc":"2.0","method":"didOpen","params":{"uri":"a"}})",
                       R"({"jsonrpc":"2.0","method":"didOpen","params":{"uri":"b"}})"}
        << Transcript{R"(push {"jsonrpc":"2.0","method":"hello","params":0})",
                      R"(push {"jsonrpc":"2.0","method":"progress","params":1})",
                      R"(reply {"jsonrpc":"2.0","id":7,"result":{"capabilities":{}}})",
                      R"(push {"jsonrpc":"2.0","method":"log","params":2})",
                      R"(push {"jsonrpc":"2.0","method":"diagnostics","params":{"uri":"a"}})",
                      R"(push {"jsonrpc":"2.0","method":"diagnostics","params":{"uri":"a","n":2}})"};
    // The client's own log: "out" is what it sent. A server-side view in the same log wins.
    QTest::newRow("a client's log")
        << QStringList{R"(client out 2 {"jsonrpc":"2.0","id":1,"method":"sum","params":[1,2]})",
                       R"(client in 2 {"jsonrpc":"2.0","id":1,"result":3})"}
        << QStringList() << QStringList{R"({"jsonrpc":"2.0","id":4,"method":"sum","params":[1,2]})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":4,"result":3})"};
    QTest::newRow("a log with both views: the server's")
        << QStringList{R"(client out 2 {"jsonrpc":"2.0","id":1,"method":"sum","params":[1,2]})",
                       R"(server in 3 {"jsonrpc":"2.0","id":1,"method":"sum","params":[1,2]})",
                       R"(server out 3 {"jsonrpc":"2.0","id":1,"result":"server"})",
                       R"(client in 2 {"jsonrpc":"2.0","id":1,"result":"client"})"}
        << QStringList()
        << QStringList{R"({"jsonrpc":"2.0","id":4,"method":"sum","params":[1,2]})",
                       R"({"jsonrpc":"2.0","id":5,"method":"sum","params":[1,2]})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":4,"result":"server"})",
                      R"(reply {"jsonrpc":"2.0","id":5,"result":"server"})"};
    QTest::newRow("a recorded batch is matched element by element")
        << QStringList{R"(server in 1 [{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","id":2,"method":"b"}])",
                       R"(server out 1 [{"jsonrpc":"2.0","id":2,"result":"B"},{"jsonrpc":"2.0","id":1,"result":"A"}])"}
        << QStringList() << QStringList{R"({"jsonrpc":"2.0","id":9,"method":"b"})"}
        << Transcript{R"(reply {"jsonrpc":"2.0","id":9,"result":"B"})"};
}

void tst_ReplayHandler::replay()
{
    QFETCH(QStringList, log);
    QFETCH(QStringList, ignore);
    QFETCH(QStringList, messages);
    QFETCH(Transcript, expected);

    ReplayHandler handler(sessionOf(log), ignore);
    Transcript transcript;
    const auto link = std::make_shared<FakeLink>(1, &transcript);
    for (const QString& m : messages)
        QVERIFY(exchange(handler, *link, m.toUtf8(), &transcript));
    QCOMPARE(normalizedAll(transcript), normalizedAll(expected));
}

void tst_ReplayHandler::connectionsReplayIndependently()
{
    ReplayHandler handler(sessionOf(kPingLog));
    const QByteArray ping = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"n":1,"pid":7}})";
    Transcript first;
    Transcript second;
    const auto a = std::make_shared<FakeLink>(1, &first);
    const auto b = std::make_shared<FakeLink>(2, &second);
    QVERIFY(exchange(handler, *a, ping, &first));
    QVERIFY(exchange(handler, *b, ping, &second));
    QVERIFY(exchange(handler, *a, ping, &first));
    QCOMPARE(first, (Transcript{R"(reply {"id":1,"jsonrpc":"2.0","result":"first"})",
                                R"(reply {"id":1,"jsonrpc":"2.0","result":"second"})"}));
    QCOMPARE(second, (Transcript{R"(reply {"id":1,"jsonrpc":"2.0","result":"first"})"}));
    handler.connectionClosed(1); // a new connection with a reused id starts over
    first.clear();
    QVERIFY(exchange(handler, *a, ping, &first));
    QCOMPARE(first, (Transcript{R"(reply {"id":1,"jsonrpc":"2.0","result":"first"})"}));
}

void tst_ReplayHandler::sessionCounts()
{
    const RecordedSession s = sessionOf({
        R"(server out 1 {"jsonrpc":"2.0","method":"hello"})",
        R"(server in 1 {"jsonrpc":"2.0","id":1,"method":"a"})",
        R"(server out 1 {"jsonrpc":"2.0","id":"s1","method":"workspace/configuration"})",
        R"(server in 1 {"jsonrpc":"2.0","id":"s1","result":[]})",
        R"(server out 1 {"jsonrpc":"2.0","id":1,"result":1})",
        R"(server in 1 {"jsonrpc":"2.0","id":2,"method":"b"})",
        R"(server in 1 {"jsonrpc":"2.0","id":3,"method":"a","params":[1]})",
        R"(server out 1 {"jsonrpc":"2.0","id":3,"result":2})",
        R"(server out 2 {"jsonrpc":"2.0","method":"hello"})", // another connection's opening
    });
    QCOMPARE(s.callCount(), 2);
    QCOMPARE(s.methodCount(), 1);
    QCOMPARE(s.unanswered, 1); // b
    QCOMPARE(s.serverNotificationCount(), 1);
    QCOMPARE(s.serverRequestCount(), 1);
    QCOMPARE(s.opening.size(), 1);
    QCOMPARE(s.exchanges.first().before.size(), 1); // the server's request came before the reply
}

QTEST_GUILESS_MAIN(tst_ReplayHandler)
#include "tst_replayhandler.moc"
