// `rpcbench serve --replay LOG`: a recorded session stands in for its server. The demo server's
// calls, recorded in-process, are answered by the replaying binary over its listeners exactly
// as the real server answered them (tcp and http), a changed param gets -32602 and an unknown
// method -32601; a real MCP server (@modelcontextprotocol/server-everything) recorded through
// `rpcbench proxy --stdio --log jsonl` is replayed over `serve --replay --stdio` to the same
// scripted client with the same results and its recorded notifications, and so is a language
// server (pylsp, Content-Length framing: its diagnostics follow didOpen again, --ignore lets a
// changed processId match); bad input is one line and exit 64.
#include "Peers.h"
#include "RpcbenchRun.h"
#include "ServeProcess.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "server/RpcServer.h"
#include "traffic/TrafficEventCodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace rpcbench;

namespace {

QString url(const char* scheme, quint16 port)
{
    return QStringLiteral("%1://127.0.0.1:%2").arg(QLatin1String(scheme)).arg(port);
}

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A scripted newline-delimited JSON-RPC client of a child process's stdin/stdout.
class StdioScript
{
public:
    explicit StdioScript(RpcbenchProcess& process) : m_process(process) {}

    void send(const QJsonObject& message) { m_process.process().write(compact(message) + '\n'); }
    // Sends a request and waits for its reply (empty when none came in time).
    QJsonObject call(int id, const QString& method, const QJsonObject& params)
    {
        send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (const QJsonObject& m : messages())
                    if (!m.contains(u"method") && m.value(u"id").toInt(-1) == id)
                        found = m;
                return !found.isEmpty() || !m_process.running();
            },
            20000);
        return found;
    }
    QList<QJsonObject> messages()
    {
        QList<QJsonObject> out;
        for (const QByteArray& line : m_process.lines())
            out << QJsonDocument::fromJson(line).object();
        return out;
    }
    // The methods of the notifications the server sent.
    QStringList notifications()
    {
        QStringList out;
        for (const QJsonObject& m : messages())
            if (m.contains(u"method") && !m.contains(u"id"))
                out << m.value(u"method").toString();
        return out;
    }

private:
    RpcbenchProcess& m_process;
};

// A scripted LSP client (Content-Length framing) of a child process's stdin/stdout.
class LspScript
{
public:
    explicit LspScript(RpcbenchProcess& process) : m_process(process) {}

    void send(const QJsonObject& message)
    {
        const QByteArray body = compact(message);
        m_process.process().write("Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    QList<QJsonObject> messages()
    {
        QList<QJsonObject> out;
        const QByteArray text = m_process.out();
        qsizetype at = 0;
        while (true) {
            const qsizetype headerEnd = text.indexOf("\r\n\r\n", at);
            if (headerEnd < 0)
                break;
            const qsizetype length = text.mid(at, headerEnd - at).split(':').value(1).trimmed().toLongLong();
            if (headerEnd + 4 + length > text.size())
                break;
            out << QJsonDocument::fromJson(text.mid(headerEnd + 4, length)).object();
            at = headerEnd + 4 + length;
        }
        return out;
    }
    // The first message `pred` accepts (empty when none came in time).
    QJsonObject waitFor(const std::function<bool(const QJsonObject&)>& pred)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (const QJsonObject& m : messages())
                    if (found.isEmpty() && pred(m))
                        found = m;
                return !found.isEmpty() || !m_process.running();
            },
            20000);
        return found;
    }
    QJsonObject call(int id, const QString& method, const QJsonValue& params)
    {
        QJsonObject request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
        if (!params.isUndefined())
            request.insert(QStringLiteral("params"), params);
        send(request);
        return waitFor(
            [id](const QJsonObject& m) { return !m.contains(u"method") && m.value(u"id").toInt(-1) == id; });
    }
    // The server's notifications, compact, in the order they came.
    QList<QByteArray> notifications()
    {
        QList<QByteArray> out;
        for (const QJsonObject& m : messages())
            if (m.contains(u"method") && !m.contains(u"id"))
                out << compact(m);
        return out;
    }

private:
    RpcbenchProcess& m_process;
};

QJsonObject lspInitialize(const QJsonValue& processId)
{
    return {{"processId", processId}, {"rootUri", QJsonValue::Null}, {"capabilities", QJsonObject{}}};
}

// An editor's session: initialize, initialized, didOpen of a file with a syntax error (waits
// for its diagnostics), shutdown, exit. The replies by id.
QMap<int, QJsonObject> lspSession(LspScript& script)
{
    QMap<int, QJsonObject> replies;
    replies[1] = script.call(1, "initialize", lspInitialize(QJsonValue::Null));
    script.send({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", QJsonObject{}}});
    script.send({{"jsonrpc", "2.0"},
                 {"method", "textDocument/didOpen"},
                 {"params", QJsonObject{{"textDocument", QJsonObject{{"uri", "file:///tmp/replayed.py"},
                                                                     {"languageId", "python"},
                                                                     {"version", 1},
                                                                     {"text", "import os\nx = (1\n"}}}}}});
    (void)script.waitFor([](const QJsonObject& m) {
        return m.value(u"method").toString() == u"textDocument/publishDiagnostics";
    });
    replies[2] = script.call(2, "shutdown", QJsonValue::Undefined);
    script.send({{"jsonrpc", "2.0"}, {"method", "exit"}});
    return replies;
}

// An MCP client session: initialize, initialized, tools/list, tools/call echo `text`. The
// replies by id.
QMap<int, QJsonObject> mcpSession(StdioScript& script, const QString& text)
{
    QMap<int, QJsonObject> replies;
    replies[1] = script.call(1, "initialize",
                             {{"protocolVersion", "2025-06-18"},
                              {"capabilities", QJsonObject{}},
                              {"clientInfo", QJsonObject{{"name", "tst_servereplaycli"}, {"version", "1"}}}});
    script.send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    replies[2] = script.call(2, "tools/list", {});
    replies[3] =
        script.call(3, "tools/call", {{"name", "echo"}, {"arguments", QJsonObject{{"message", text}}}});
    return replies;
}

} // namespace

class tst_ServeReplayCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void replayAnswersAsTheServerDid_data();
    void replayAnswersAsTheServerDid();
    void unmatchedCallsAreErrors();
    void mcpServerReplayedOverStdio();
    void languageServerReplayedOverStdio();
    void badInputIsOneLine_data();
    void badInputIsOneLine();

private:
    QTemporaryDir m_dir;
    QString m_log;
    std::unique_ptr<RpcServer> m_server; // the demo service, recorded
    ServeProcess m_replay;               // serve --replay m_log
    const QList<QStringList> m_calls{
        {"echo", R"({"a":[1,2],"b":"x"})"}, {"add", "2", "3"}, {"fail", "-32042", "nope"}};
};

void tst_ServeReplayCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    auto bus = std::make_shared<TrafficBus>();
    bus->setEnabled(true);
    m_server = std::make_unique<RpcServer>(registry, bus);
    QVERIFY2(m_server->start(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    for (const QStringList& call : m_calls) {
        const RpcbenchRun run =
            runRpcbench(QStringList{"call", "--url", url("tcp", m_server->port())} + call);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
    }
    std::vector<TrafficEvent> events; // each call and its reply, as the server logged them
    const auto drained = [&] {
        for (TrafficEvent& e : bus->drain())
            events.push_back(std::move(e));
        return events.size() == 2 * size_t(m_calls.size());
    };
    QTRY_VERIFY(drained());
    m_log = m_dir.filePath(QStringLiteral("demo.jsonl"));
    QFile f(m_log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (const TrafficEvent& e : events)
        f.write(trafficEventToJsonLine(e));
    f.close();
    QVERIFY2(m_replay.start({"--replay", m_log, "--log", "none"}), m_replay.process().readAllStandardError());
}

void tst_ServeReplayCli::replayAnswersAsTheServerDid_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("call");
    for (const char* scheme : {"tcp", "http"})
        for (int i = 0; i < m_calls.size(); ++i)
            QTest::addRow("%s %s", scheme, qPrintable(m_calls.at(i).first()))
                << QString::fromLatin1(scheme) << i;
}

// The same `rpcbench call` against the server and against its recording: the same output.
void tst_ServeReplayCli::replayAnswersAsTheServerDid()
{
    QFETCH(QString, scheme);
    QFETCH(int, call);
    const QStringList args = m_calls.at(call);
    const RpcbenchRun real = runRpcbench(QStringList{"call", "--url", url("tcp", m_server->port())} + args);
    const RpcbenchRun replayed =
        runRpcbench(QStringList{"call", "--url", url(qPrintable(scheme), m_replay.port())} + args);
    QCOMPARE(replayed.exitCode, real.exitCode);
    QCOMPARE(replayed.out, real.out);
    QCOMPARE(replayed.err, real.err);
}

void tst_ServeReplayCli::unmatchedCallsAreErrors()
{
    const RpcbenchRun changed = runRpcbench({"call", "--url", url("tcp", m_replay.port()), "add", "2", "4"});
    QCOMPARE(changed.exitCode, 1);
    QVERIFY2(changed.err.contains("-32602: no recorded call of add matches these params"), changed.err);
    QVERIFY2(changed.err.contains(R"("closestParams":[2,3])"), changed.err);
    QVERIFY2(changed.err.contains(R"("differingPointers":["/params/1"])"), changed.err);
    const RpcbenchRun unknown = runRpcbench({"call", "--url", url("tcp", m_replay.port()), "sub", "2", "4"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("-32601"), unknown.err);
}

// Recorded through the proxy, replayed over stdio: the same results for the same client, the
// server's recorded notifications sent again, a changed echo message -32602.
void tst_ServeReplayCli::mcpServerReplayedOverStdio()
{
    const QString node = Peers::node();
    const QString server = Peers::npmScript(QStringLiteral("@modelcontextprotocol/server-everything"),
                                            QStringLiteral("dist/index.js"));
    if (node.isEmpty() || server.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("@modelcontextprotocol/server-everything")).constData());
    const QString log = m_dir.filePath(QStringLiteral("mcp.jsonl"));
    const QString text = QStringLiteral("héllo, recorded");

    RpcbenchProcess proxy;
    proxy.start(
        {"proxy", "--stdio", "--framing", "ndjson", "--log", "jsonl", log, "--", node, server, "stdio"});
    StdioScript recording(proxy);
    const QMap<int, QJsonObject> recorded = mcpSession(recording, text);
    proxy.process().closeWriteChannel();
    QVERIFY2(proxy.waitFinished(20000), proxy.err().constData());
    const QStringList recordedNotifications = recording.notifications(); // late ones included
    // The reference server announces its tools list: a notification of its own to replay.
    QVERIFY2(!recordedNotifications.isEmpty(), proxy.out().constData());
    QCOMPARE(recorded.value(3)
                 .value(u"result")
                 .toObject()
                 .value(u"content")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"text"),
             QJsonValue(QStringLiteral("Echo: ") + text));

    RpcbenchProcess replay;
    replay.start({"serve", "--replay", log, "--stdio", "--log", "none"});
    QVERIFY2(replay.waitForErr("replaying 3 recorded calls of 3 methods", 10000), replay.err().constData());
    StdioScript client(replay);
    const QMap<int, QJsonObject> replayed = mcpSession(client, text);
    for (int id = 1; id <= 3; ++id) {
        QVERIFY2(replayed.value(id).contains(u"result"), compact(replayed.value(id)).constData());
        QCOMPARE(replayed.value(id).value(u"result"), recorded.value(id).value(u"result"));
    }
    QTRY_COMPARE(client.notifications(), recordedNotifications);

    const QJsonObject changed = client.call(
        4, "tools/call", {{"name", "echo"}, {"arguments", QJsonObject{{"message", "something else"}}}});
    const QJsonObject error = changed.value(u"error").toObject();
    QCOMPARE(error.value(u"code").toInt(), -32602);
    QCOMPARE(error.value(u"message").toString(),
             QStringLiteral("no recorded call of tools/call matches these params"));
    QCOMPARE(error.value(u"data").toObject().value(u"differingPointers").toArray(),
             QJsonArray{QStringLiteral("/params/arguments/message")});
    replay.process().closeWriteChannel();
    QVERIFY2(replay.waitFinished(20000), replay.err().constData());
    QCOMPARE(replay.exitCode(), 0);
}

void tst_ServeReplayCli::languageServerReplayedOverStdio()
{
    const QString pylsp = Peers::executable(QStringLiteral("pylsp"));
    if (pylsp.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("pylsp (python3-pylsp)")).constData());
    const QString log = m_dir.filePath(QStringLiteral("lsp.jsonl"));
    RpcbenchProcess proxy;
    proxy.start({"proxy", "--stdio", "--framing", "lsp", "--log", "jsonl", log, "--", pylsp});
    LspScript recording(proxy);
    const QMap<int, QJsonObject> recorded = lspSession(recording);
    proxy.process().closeWriteChannel();
    QVERIFY2(proxy.waitFinished(20000), proxy.err().constData());
    const QList<QByteArray> recordedNotifications = recording.notifications();
    QVERIFY2(std::ranges::any_of(
                 recordedNotifications,
                 [](const QByteArray& n) { return n.contains("textDocument/publishDiagnostics"); }),
             proxy.out().constData());
    QVERIFY2(recorded.value(1).value(u"result").toObject().contains(u"capabilities"),
             proxy.out().constData());

    RpcbenchProcess replay;
    replay.start({"serve", "--replay", log, "--stdio", "--framing", "lsp", "--log", "none"});
    LspScript client(replay);
    const QMap<int, QJsonObject> replayed = lspSession(client);
    for (int id = 1; id <= 2; ++id) {
        QVERIFY2(replayed.value(id).contains(u"result"), compact(replayed.value(id)).constData());
        QCOMPARE(replayed.value(id).value(u"result"), recorded.value(id).value(u"result"));
    }
    QTRY_COMPARE(client.notifications(), recordedNotifications);
    // Another editor's process id: no match, unless --ignore says it does not matter.
    const QJsonObject changed = client.call(3, "initialize", lspInitialize(4242));
    QCOMPARE(changed.value(u"error").toObject().value(u"code").toInt(), -32602);
    QCOMPARE(
        changed.value(u"error").toObject().value(u"data").toObject().value(u"differingPointers").toArray(),
        QJsonArray{QStringLiteral("/params/processId")});
    replay.process().closeWriteChannel();
    QVERIFY2(replay.waitFinished(20000), replay.err().constData());
    QCOMPARE(replay.exitCode(), 0);

    RpcbenchProcess ignoring;
    ignoring.start(
        {"serve", "--replay", log, "--stdio", "--framing", "lsp", "--ignore", "/params/processId"});
    LspScript other(ignoring);
    const QJsonObject matched = other.call(1, "initialize", lspInitialize(4242));
    QCOMPARE(matched.value(u"result"), recorded.value(1).value(u"result"));
    ignoring.process().closeWriteChannel();
    QVERIFY2(ignoring.waitFinished(20000), ignoring.err().constData());
}

void tst_ServeReplayCli::badInputIsOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << QStringList{"--replay", "NOFILE"} << "cannot read";
    QTest::newRow("bad line") << QStringList{"--replay", "BAD"} << "line 2";
    QTest::newRow("no server traffic") << QStringList{"--replay", "REQUESTS"}
                                       << "has no recorded server traffic (1 requests without a reply)";
    QTest::newRow("ignore without replay")
        << QStringList{"--ignore", "/params/x"} << "--ignore applies to --replay";
    QTest::newRow("bad pointer") << QStringList{"--replay", "LOG", "--ignore", "params"}
                                 << "invalid JSON Pointer";
    QTest::newRow("with a workspace")
        << QStringList{"--replay", "LOG", "--workspace", "LOG"} << "drop --workspace";
}

void tst_ServeReplayCli::badInputIsOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QFile log(m_log);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = log.readAll().split('\n');
    const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write(lines.at(0) + "\n{not json\n");
    b.close();
    const QString requests = m_dir.filePath(QStringLiteral("requests.jsonl"));
    QFile r(requests);
    QVERIFY(r.open(QIODevice::WriteOnly));
    r.write(lines.at(0) + '\n'); // a request, no reply
    r.close();
    args.replaceInStrings(QRegularExpression("^LOG$"), m_log)
        .replaceInStrings(QRegularExpression("^BAD$"), bad)
        .replaceInStrings(QRegularExpression("^REQUESTS$"), requests)
        .replaceInStrings(QRegularExpression("^NOFILE$"), m_dir.filePath("none.jsonl"));
    const RpcbenchRun run = runRpcbench(QStringList{"serve", "--port", "0"} + args);
    QCOMPARE(run.exitCode, 64);
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.err.startsWith("rpcbench serve: "), run.err.constData());
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ServeReplayCli)
#include "tst_servereplaycli.moc"
