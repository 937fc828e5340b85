// The proxy is transparent to real peers: a scripted MCP client talks to the MCP reference
// server (@modelcontextprotocol/server-everything) through `rpcbench proxy --stdio --framing
// ndjson` and the log holds each message once; JSON-RPC client libraries written by others
// (python3-jsonrpclib-pelix over HTTP, python3-aiorpcx over a newline-delimited stream, jayson
// over both, and the stdlib scripts tst_servecommand runs) print the same through an in-process
// Proxy as straight against the demo server behind it, and the server sees the same messages;
// clangd-14 answers initialize/shutdown through `proxy --stdio --framing lsp`.
#include "Peers.h"
#include "RpcbenchRun.h"

#include "dispatch/DemoService.h"
#include "dispatch/MethodRegistry.h"
#include "proxy/Proxy.h"
#include "server/RpcServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

// The peer clients' scripts, at the end of the file: moc loses its way in raw string literals.
// Each prints one JSON line per check; argv[1] is the port, and every line depends on the
// server's answers only (never on ids the library makes up).
extern const char kJsonrpclibClient[];
extern const char kAiorpcxClient[];
extern const char kJaysonClient[];

QByteArray compact(const QJsonValue& v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

QByteArray normalized(const QByteArray& json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isArray() ? compact(doc.array()) : compact(doc.object());
}

struct ScriptRun
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ScriptRun runScript(const QString& program, const QStringList& args, const QString& nodePath = {})
{
    QProcess p;
    if (!nodePath.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), nodePath);
        p.setProcessEnvironment(env);
    }
    p.start(program, args);
    ScriptRun r;
    r.finished = QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Reads newline-delimited JSON messages from the proxy's stdout as they come.
class LineReader
{
public:
    explicit LineReader(RpcbenchProcess& process) : m_process(process) {}

    QList<QJsonObject> messages()
    {
        const QList<QByteArray> lines = m_process.lines();
        for (qsizetype i = m_parsed.size(); i < lines.size(); ++i)
            m_parsed << QJsonDocument::fromJson(lines[i]).object();
        return m_parsed;
    }
    // The reply with this id (empty when it did not come in time).
    QJsonObject replyTo(int id, int timeoutMs = 20000)
    {
        QJsonObject found;
        // An empty object tells the caller it did not come.
        (void)QTest::qWaitFor(
            [&] {
                for (const QJsonObject& m : messages())
                    if (!m.contains(u"method") && m.value(u"id").toInt(-1) == id)
                        found = m;
                return !found.isEmpty() || !m_process.running();
            },
            timeoutMs);
        return found;
    }

private:
    RpcbenchProcess& m_process;
    QList<QJsonObject> m_parsed;
};

struct LogRows
{
    QList<QJsonObject> messages; // message rows
    int stderrRows = 0;
};

LogRows readLog(const QString& path)
{
    LogRows rows;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(u"kind").toString() == QLatin1String("stderr"))
            ++rows.stderrRows;
        else
            rows.messages << o;
    }
    return rows;
}

} // namespace

class tst_ProxyInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void mcpServerOverStdio();
    void peerClients_data();
    void peerClients();
    void clangdOverStdio();

private:
    QStringList upstreamMessages();

    QTemporaryDir m_dir;
    std::shared_ptr<TrafficBus> m_upstreamBus = std::make_shared<TrafficBus>();
    std::unique_ptr<RpcServer> m_upstream;
    std::unique_ptr<Proxy> m_proxy;
};

void tst_ProxyInterop::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    m_upstream = std::make_unique<RpcServer>(registry, m_upstreamBus);
    QVERIFY2(m_upstream->start(QHostAddress::LocalHost, 0), qPrintable(m_upstream->errorString()));

    m_proxy = std::make_unique<Proxy>(std::make_shared<TrafficBus>());
    QString error;
    const auto upstream =
        Endpoint::parse(QStringLiteral("tcp://127.0.0.1:%1").arg(m_upstream->port()), &error);
    const auto listen = ListenSpec::parse(QStringLiteral("tcp://127.0.0.1:0"), &error);
    QVERIFY2(upstream && listen, qPrintable(error));
    m_proxy->setUpstream(*upstream);
    QVERIFY2(m_proxy->start({*listen}), qPrintable(m_proxy->errorString()));
}

// What reached the demo server since the last look, as "kind:method" (batches as one row),
// sorted: the proxy may open its upstream connections in any order.
QStringList tst_ProxyInterop::upstreamMessages()
{
    QStringList out;
    for (const TrafficEvent& e : m_upstreamBus->drain())
        if (e.direction == Direction::In && e.kind == TrafficEvent::Kind::Message)
            out << QStringLiteral("%1:%2:%3")
                       .arg(toString(e.summary.kind), e.summary.method)
                       .arg(e.summary.batchSize);
    out.sort();
    return out;
}

// A scripted MCP client (newline-delimited JSON on the child's stdin/stdout), as an agent host
// would launch the server: handshake, tools/list, tools/call echo; every message is logged once.
void tst_ProxyInterop::mcpServerOverStdio()
{
    const QString node = Peers::node();
    const QString script = Peers::npmScript(QStringLiteral("@modelcontextprotocol/server-everything"),
                                            QStringLiteral("dist/index.js"));
    if (node.isEmpty() || script.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("@modelcontextprotocol/server-everything")).constData());
    const QString log = m_dir.filePath(QStringLiteral("mcp.jsonl"));
    RpcbenchProcess proxy;
    proxy.start(
        {"proxy", "--stdio", "--framing", "ndjson", "--log", "jsonl", log, "--", node, script, "stdio"});
    LineReader reader(proxy);
    QList<QByteArray> sent;
    auto send = [&](const QJsonObject& message) {
        sent << compact(message);
        proxy.process().write(sent.constLast() + '\n');
    };

    send({{"jsonrpc", "2.0"},
          {"id", 1},
          {"method", "initialize"},
          {"params",
           QJsonObject{{"protocolVersion", "2025-06-18"},
                       {"capabilities", QJsonObject{}},
                       {"clientInfo", QJsonObject{{"name", "tst_proxyinterop"}, {"version", "1"}}}}}});
    const QJsonObject init = reader.replyTo(1);
    QVERIFY2(!init.isEmpty(), proxy.err().constData());
    QVERIFY2(init.value(u"result").toObject().value(u"serverInfo").toObject().contains(u"name"),
             compact(init).constData());
    QVERIFY(!init.value(u"result").toObject().value(u"protocolVersion").toString().isEmpty());
    send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});

    send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}, {"params", QJsonObject{}}});
    const QJsonObject list = reader.replyTo(2);
    QStringList tools;
    for (const QJsonValue& t : list.value(u"result").toObject().value(u"tools").toArray())
        tools << t.toObject().value(u"name").toString();
    QVERIFY2(tools.contains(QStringLiteral("echo")), compact(list).constData());

    const QString text = QStringLiteral("héllo through the proxy");
    send({{"jsonrpc", "2.0"},
          {"id", 3},
          {"method", "tools/call"},
          {"params", QJsonObject{{"name", "echo"}, {"arguments", QJsonObject{{"message", text}}}}}});
    const QJsonObject echo = reader.replyTo(3);
    const QJsonArray content = echo.value(u"result").toObject().value(u"content").toArray();
    QVERIFY2(!content.isEmpty(), compact(echo).constData());
    QCOMPARE(content.at(0).toObject().value(u"text").toString(), QStringLiteral("Echo: ") + text);

    proxy.process().closeWriteChannel();
    QVERIFY2(proxy.waitFinished(20000), proxy.err().constData());
    QCOMPARE(proxy.exitCode(), 0);
    const QList<QJsonObject> received = reader.messages();
    QVERIFY(received.size() >= 3);
    // Everything the server wrote is a whole JSON-RPC message, our three replies once each.
    for (int id = 1; id <= 3; ++id)
        QCOMPARE(std::count_if(received.begin(), received.end(),
                               [id](const QJsonObject& m) {
                                   return !m.contains(u"method") && m.value(u"id").toInt(-1) == id;
                               }),
                 1);

    // The log: side proxy on every message row, each message sent and received exactly once.
    const LogRows rows = readLog(log);
    QList<QByteArray> loggedIn, loggedOut;
    for (const QJsonObject& row : rows.messages) {
        QCOMPARE(row.value(u"side").toString(), QStringLiteral("proxy"));
        (row.value(u"dir").toString() == QLatin1String("in") ? loggedIn : loggedOut)
            << normalized(row.value(u"raw").toString().toUtf8());
    }
    QList<QByteArray> expectedOut;
    for (const QJsonObject& m : received)
        expectedOut << compact(m);
    QCOMPARE(loggedIn, sent);
    std::sort(loggedOut.begin(), loggedOut.end());
    std::sort(expectedOut.begin(), expectedOut.end());
    QCOMPARE(loggedOut, expectedOut);
    qInfo() << "MCP through the proxy:" << sent.size() << "in," << received.size() << "out,"
            << rows.stderrRows << "stderr rows";
}

void tst_ProxyInterop::peerClients_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args"); // the port is appended
    QTest::addColumn<int>("lines");
    QTest::addColumn<QString>("nodePath");
    QTest::addColumn<QByteArray>("expected"); // one line the server's answers must produce

    const QString python = Peers::executable(QStringLiteral("python3"));
    const QString support = QStringLiteral(RPCBENCH_SOURCE_DIR "/tests/support/");
    auto scriptFile = [&](const QString& name, const char* text) {
        QFile f(m_dir.filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return f.fileName();
    };
    // An empty program means the peer is missing; peerClients() skips that row.
    QTest::newRow("python classic (stdlib)") << python << QStringList{support + "classic_client.py"} << 5
                                             << QString() << QByteArray(R"({"res": 6})");
    QTest::newRow("python jsonrpc2 (stdlib, http + tcp)")
        << python << QStringList{support + "jsonrpc2_client.py"} << 4 << QString()
        << QByteArray(R"("result": 13)");
    QTest::newRow("python3-jsonrpclib-pelix (http)")
        << Peers::pythonWith(QStringLiteral("jsonrpclib"))
        << QStringList{scriptFile("jsonrpclib_client.py", kJsonrpclibClient)} << 5 << QString()
        << QByteArray(R"([12, "x", 6])");
    QTest::newRow("python3-aiorpcx (tcp)")
        << Peers::pythonWith(QStringLiteral("aiorpcx"))
        << QStringList{scriptFile("aiorpcx_client.py", kAiorpcxClient)} << 5 << QString()
        << QByteArray("[5, false, 300]"); // the fast call first
    const bool jayson = QFileInfo::exists(Peers::nodeModules() + QStringLiteral("/jayson"));
    QTest::newRow("jayson (http + tcp)")
        << (jayson ? Peers::node() : QString()) << QStringList{scriptFile("jayson_client.js", kJaysonClient)}
        << 8 << Peers::nodeModules() << QByteArray(R"([14,"y"])");
}

// The same client, straight to the demo server and then through the proxy: the same output,
// and the same messages reach the server (notifications included).
void tst_ProxyInterop::peerClients()
{
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    QFETCH(int, lines);
    QFETCH(QString, nodePath);
    QFETCH(QByteArray, expected);
    if (program.isEmpty())
        QSKIP(Peers::skipMessage(QString::fromUtf8(QTest::currentDataTag())).constData());

    upstreamMessages();
    const ScriptRun direct =
        runScript(program, args + QStringList{QString::number(m_upstream->port())}, nodePath);
    QVERIFY2(direct.finished && direct.exitCode == 0, direct.err.constData());
    QCOMPARE(direct.out.count('\n'), lines);
    QVERIFY2(direct.out.contains(expected), direct.out.constData());
    const QStringList directSeen = upstreamMessages();
    QVERIFY(!directSeen.isEmpty());

    const quint16 proxyPort = m_proxy->listeningEndpoints().constFirst().port;
    const ScriptRun proxied = runScript(program, args + QStringList{QString::number(proxyPort)}, nodePath);
    QVERIFY2(proxied.finished && proxied.exitCode == 0, proxied.err.constData());
    QCOMPARE(proxied.out, direct.out);
    // A notification written just before the client hangs up still gets through.
    QStringList proxiedSeen;
    const auto seenSoFar = [&] {
        proxiedSeen += upstreamMessages();
        proxiedSeen.sort();
        return proxiedSeen;
    };
    QTRY_COMPARE_WITH_TIMEOUT(seenSoFar(), directSeen, 5000);
}

// clangd-14 wrapped as an editor would wrap it: initialize, shutdown, exit, a clean exit code.
void tst_ProxyInterop::clangdOverStdio()
{
    const QString clangd = Peers::executable(QStringLiteral("clangd-14"));
    if (clangd.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("clangd-14")).constData());
    const QString log = m_dir.filePath(QStringLiteral("clangd.jsonl"));
    RpcbenchProcess proxy;
    proxy.start({"proxy", "--stdio", "--framing", "lsp", "--log", "jsonl", log, "--", clangd, "--log=error"});
    auto send = [&](const QJsonObject& message) {
        const QByteArray body = compact(message);
        proxy.process().write("Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };
    auto replyCount = [&] { return proxy.out().count("Content-Length:"); };
    send({{"jsonrpc", "2.0"},
          {"id", 1},
          {"method", "initialize"},
          {"params", QJsonObject{{"processId", QJsonValue::Null},
                                 {"rootUri", QJsonValue::Null},
                                 {"capabilities", QJsonObject{}}}}});
    QTRY_VERIFY_WITH_TIMEOUT(replyCount() >= 1, 20000);
    QVERIFY2(proxy.out().contains("\"capabilities\""), proxy.out().constData());
    QVERIFY(proxy.out().contains("\"serverInfo\""));
    send({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", QJsonObject{}}});
    send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}});
    QTRY_VERIFY_WITH_TIMEOUT(replyCount() >= 2, 20000);
    send({{"jsonrpc", "2.0"}, {"method", "exit"}});
    proxy.process().closeWriteChannel();
    QVERIFY2(proxy.waitFinished(20000), proxy.err().constData());
    QCOMPARE(proxy.exitCode(), 0);
    QStringList rows;
    for (const QJsonObject& o : readLog(log).messages) {
        QCOMPARE(o.value(u"side").toString(), QStringLiteral("proxy"));
        rows << o.value(u"dir").toString() + ":" + o.value(u"kind").toString() + ":" +
                    o.value(u"method").toString();
    }
    QCOMPARE(rows.count("in:request:initialize"), 1);
    QCOMPARE(rows.count("in:notification:initialized"), 1);
    QCOMPARE(rows.count("in:request:shutdown"), 1);
    QCOMPARE(rows.count("in:notification:exit"), 1);
    QCOMPARE(rows.count("out:response:"), 2);
}

QTEST_GUILESS_MAIN(tst_ProxyInterop)
#include "tst_proxyinterop.moc"

namespace {
extern const char kJsonrpclibClient[] = R"(import json, sys
from jsonrpclib import Server, MultiCall
from jsonrpclib.jsonrpc import ProtocolError
s = Server("http://127.0.0.1:%s/" % sys.argv[1])
print(json.dumps(s.add(1, 2)))
print(json.dumps(s.add(a=1, b=2, c=3)))
print(json.dumps(s.echo({"k": [1, True, None, "h\u00e9llo"]})))
try:
    s.fail(-32050, "no")
except ProtocolError as e:
    print(json.dumps(["error", str(e)]))
s._notify.notify_hello(7)
batch = MultiCall(s)
batch.add(1, 1)
batch.echo("x")
batch.subtract(10, 4)
print(json.dumps(list(batch())))
)";

extern const char kAiorpcxClient[] = R"(import asyncio, json, sys
from aiorpcx import connect_rs, RPCError
async def main():
    async with connect_rs("127.0.0.1", int(sys.argv[1])) as session:
        print(json.dumps(await session.send_request("add", [1, 2, 3])))
        print(json.dumps(await session.send_request("echo", {"value": "h\u00e9llo"})))
        try:
            await session.send_request("fail", [-32050, "no"])
        except RPCError as e:
            print(json.dumps(["error", e.code, e.message]))
        await session.send_notification("notify_hello", [7])
        slow = asyncio.ensure_future(session.send_request("sleep", [300]))
        fast = await session.send_request("sleep", [5])
        print(json.dumps([fast, slow.done(), await slow]))
        async with session.send_batch() as batch:
            batch.add_request("add", [1, 1])
            batch.add_notification("notify_hello", [1])
            batch.add_request("echo", ["b"])
        print(json.dumps(list(batch.results)))
asyncio.run(main())
)";

extern const char kJaysonClient[] = R"(const jayson = require('jayson');
const port = Number(process.argv[2]);
const show = (err, res) => err ? ['transport', String(err.message || err)] : res.error ? ['error', res.error] : res.result;
const ask = (client, method, params) => new Promise(done => client.request(method, params, (e, r) => done(show(e, r))));
(async () => {
  for (const client of [jayson.client.http({host: '127.0.0.1', port}), jayson.client.tcp({host: '127.0.0.1', port})]) {
    console.log(JSON.stringify(await ask(client, 'add', [1, 2])));
    console.log(JSON.stringify(await ask(client, 'echo', {value: {k: [1, 'h\u00e9llo']}})));
    console.log(JSON.stringify(await ask(client, 'nope', [])));
    await new Promise(done => client.request('notify_hello', [7], null, () => done()));
    const batch = [client.request('add', [2, 2]), client.request('notify_hello', [1], null), client.request('echo', ['y'])];
    console.log(JSON.stringify(await new Promise(done => client.request(batch, (e, rs) =>
      done(e ? ['transport', String(e.message || e)] : rs.map(r => r.result ?? r.error))))));
  }
})();
)";
} // namespace
