// RpcClient against real peers launched as child processes on stdin/stdout: a language server
// (pylsp, clangd) with Content-Length framing, the MCP reference server ("server-everything")
// with one JSON message per line, and small python3 children for stderr rows and for a child
// that dies while a call is in flight.

#include "Peers.h"
#include "client/RpcClient.h"
#include "traffic/TrafficBus.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rpcbench;

namespace {

const QString Python = QStringLiteral("/usr/bin/python3");

std::unique_ptr<RpcClient> clientFor(const Endpoint& endpoint, std::shared_ptr<TrafficBus> bus = {})
{
    auto client = std::make_unique<RpcClient>(endpoint, Dialect::JsonRpc2);
    if (bus)
        client->setTrafficBus(std::move(bus));
    return client;
}

Endpoint pythonEndpoint(const QString& script)
{
    Endpoint ep;
    ep.carrier = Carrier::Process;
    ep.transport = Transport::JsonStream;
    ep.process.program = Python;
    ep.process.arguments = {QStringLiteral("-u"), QStringLiteral("-c"), script};
    return ep;
}

CallResult callAndWait(RpcClient& client, const QString& method,
                       const QJsonValue& params = QJsonValue::Undefined, int timeoutMs = 20000)
{
    QSignalSpy spy(&client, &RpcClient::finished);
    CallRequest request;
    request.method = method;
    request.params = params;
    request.timeoutMs = timeoutMs;
    const quint64 id = client.call(request);
    if (!spy.wait(timeoutMs + 5000))
        return {};
    for (const auto& args : spy)
        if (args.at(0).toULongLong() == id)
            return args.at(1).value<CallResult>();
    return {};
}

// Sends a notification (no reply expected); the call finishes Ok once it is written.
bool notify(RpcClient& client, const QString& method, const QJsonValue& params = QJsonObject())
{
    QSignalSpy spy(&client, &RpcClient::finished);
    CallRequest request;
    request.method = method;
    request.params = params;
    request.notification = true;
    client.call(request);
    return spy.wait(10000) && spy.first().at(1).value<CallResult>().ok();
}

QByteArray describe(const CallResult& r)
{
    return (r.describe() + QStringLiteral(" / ") + QString::fromUtf8(r.replyBytes.left(300))).toUtf8();
}

// Debian's python3 (where python3-pylsp installs) before whatever python3 is first on PATH
// (a pyenv shim, for one, does not see Debian's packages).
QString pythonWithPylsp()
{
    QProcess probe;
    probe.start(Python, {QStringLiteral("-c"), QStringLiteral("import pylsp")});
    if (probe.waitForFinished(20000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0)
        return Python;
    return Peers::pythonWith(QStringLiteral("pylsp"));
}

const QJsonObject LspInitialize{
    {"processId", QJsonValue::Null}, {"rootUri", QJsonValue::Null}, {"capabilities", QJsonObject()}};

} // namespace

class TestStdioInterop : public QObject
{
    Q_OBJECT
private slots:
    void pylspInitializeShutdown();
    void clangdInitializeHoverShutdown();
    void mcpServerEverything();
    void stderrRowsArePublished();
    void childDiesDuringCall();
    void missingProgramFailsAtOnce();
};

// pylsp (python3-pylsp): initialize answers with capabilities, shutdown with null.
void TestStdioInterop::pylspInitializeShutdown()
{
    const QString python = pythonWithPylsp();
    if (python.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("pylsp (python3-pylsp)")).constData());
    auto endpoint = Endpoint::forCommand(python + QStringLiteral(" -m pylsp"), Transport::Lsp);
    QVERIFY(endpoint);
    auto client = clientFor(*endpoint);
    const CallResult init = callAndWait(*client, QStringLiteral("initialize"), LspInitialize);
    QVERIFY2(init.ok(), describe(init));
    QVERIFY(init.result.toObject().value(u"capabilities").isObject());
    QVERIFY(notify(*client, QStringLiteral("initialized")));
    const CallResult shutdown = callAndWait(*client, QStringLiteral("shutdown"));
    QVERIFY2(shutdown.ok(), describe(shutdown));
    QVERIFY(shutdown.result.isNull());
}

// clangd: initialize, open a C file, hover over a function name, shutdown.
void TestStdioInterop::clangdInitializeHoverShutdown()
{
    const QString clangd = Peers::executable(QStringLiteral("clangd-14"));
    if (clangd.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("clangd-14")).constData());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto endpoint = Endpoint::parse(QStringLiteral("exec+lsp:") + clangd + QStringLiteral(" --log=error"));
    QVERIFY(endpoint);
    endpoint->process.workingDirectory = dir.path();
    auto client = clientFor(*endpoint);

    const CallResult init = callAndWait(*client, QStringLiteral("initialize"), LspInitialize);
    QVERIFY2(init.ok(), describe(init));
    QVERIFY(init.result.toObject().value(u"capabilities").toObject().contains(u"hoverProvider"));
    QVERIFY(notify(*client, QStringLiteral("initialized")));

    const QString uri = QStringLiteral("file://") + dir.filePath(QStringLiteral("a.c"));
    const QString text =
        QStringLiteral("int answer(void) { return 42; }\nint main(void) { return answer(); }\n");
    QVERIFY(notify(
        *client, QStringLiteral("textDocument/didOpen"),
        QJsonObject{{"textDocument",
                     QJsonObject{{"uri", uri}, {"languageId", "c"}, {"version", 1}, {"text", text}}}}));
    const CallResult hover =
        callAndWait(*client, QStringLiteral("textDocument/hover"),
                    QJsonObject{{"textDocument", QJsonObject{{"uri", uri}}},
                                {"position", QJsonObject{{"line", 1}, {"character", 26}}}});
    QVERIFY2(hover.ok(), describe(hover));
    QVERIFY2(QJsonDocument(hover.result.toObject()).toJson().contains("answer"), describe(hover));

    const CallResult shutdown = callAndWait(*client, QStringLiteral("shutdown"));
    QVERIFY2(shutdown.ok(), describe(shutdown));
    QVERIFY(shutdown.result.isNull());
}

// The MCP reference server over stdio (one JSON message per line). It sends a notification
// before its first reply, which the client must not take for the reply.
void TestStdioInterop::mcpServerEverything()
{
    const QString node = Peers::node();
    const QString script = Peers::npmScript(QStringLiteral("@modelcontextprotocol/server-everything"),
                                            QStringLiteral("dist/index.js"));
    if (node.isEmpty() || script.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("@modelcontextprotocol/server-everything")).constData());
    Endpoint endpoint;
    endpoint.carrier = Carrier::Process;
    endpoint.transport = Transport::JsonStream;
    endpoint.process.program = node;
    endpoint.process.arguments = {script, QStringLiteral("stdio")};
    auto bus = std::make_shared<TrafficBus>();
    auto client = clientFor(endpoint, bus);

    const CallResult init =
        callAndWait(*client, QStringLiteral("initialize"),
                    QJsonObject{{"protocolVersion", "2025-06-18"},
                                {"capabilities", QJsonObject()},
                                {"clientInfo", QJsonObject{{"name", "rpcbench"}, {"version", "0"}}}});
    QVERIFY2(init.ok(), describe(init));
    QVERIFY(init.result.toObject().contains(u"serverInfo"));
    QVERIFY(notify(*client, QStringLiteral("notifications/initialized")));

    const CallResult list = callAndWait(*client, QStringLiteral("tools/list"), QJsonObject());
    QVERIFY2(list.ok(), describe(list));
    QStringList names;
    for (const QJsonValue& tool : list.result.toObject().value(u"tools").toArray())
        names << tool.toObject().value(u"name").toString();
    QVERIFY2(names.contains(QStringLiteral("echo")), qPrintable(names.join(u',')));

    const CallResult echo =
        callAndWait(*client, QStringLiteral("tools/call"),
                    QJsonObject{{"name", "echo"}, {"arguments", QJsonObject{{"message", "hi"}}}});
    QVERIFY2(echo.ok(), describe(echo));
    const QJsonArray content = echo.result.toObject().value(u"content").toArray();
    QVERIFY(!content.isEmpty());
    QVERIFY2(content.first().toObject().value(u"text").toString().contains(QStringLiteral("hi")),
             describe(echo));
}

// What the child writes to stderr is published as rows of their own kind, in order.
void TestStdioInterop::stderrRowsArePublished()
{
    auto bus = std::make_shared<TrafficBus>();
    auto client =
        clientFor(pythonEndpoint(QStringLiteral("import sys, json\n"
                                                "print('starting up', file=sys.stderr)\n"
                                                "print('ready', file=sys.stderr, flush=True)\n"
                                                "req = json.loads(sys.stdin.readline())\n"
                                                "print(json.dumps({'jsonrpc': '2.0', 'id': req['id'],"
                                                " 'result': 7}), flush=True)\n"
                                                "sys.stdin.read()\n")),
                  bus);
    const CallResult r = callAndWait(*client, QStringLiteral("seven"));
    QVERIFY2(r.ok(), describe(r));
    QCOMPARE(r.result.toInt(), 7);
    QList<QByteArray> lines;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (TrafficEvent& e : bus->drain())
                if (e.kind == TrafficEvent::Kind::Stderr)
                    lines << e.raw;
            return lines.size() >= 2;
        }(),
        10000);
    QCOMPARE(lines, (QList<QByteArray>{"starting up", "ready"}));
}

// A child that dies while a call waits fails the call at once (not at its timeout), with the
// exit code and the tail of its stderr.
void TestStdioInterop::childDiesDuringCall()
{
    auto client = clientFor(pythonEndpoint(QStringLiteral("import sys\n"
                                                          "sys.stdin.readline()\n"
                                                          "print('fatal: out of cheese', file=sys.stderr)\n"
                                                          "sys.exit(3)\n")));
    QElapsedTimer timer;
    timer.start();
    const CallResult r = callAndWait(*client, QStringLiteral("anything"), QJsonValue::Undefined, 30000);
    QVERIFY2(r.status == CallStatus::TransportError, describe(r));
    QVERIFY2(timer.elapsed() < 10000, QByteArray::number(timer.elapsed()));
    QVERIFY2(r.transportError.contains(QStringLiteral("exited with code 3: fatal: out of cheese")),
             qPrintable(r.transportError));
}

// A program that does not exist: one line, at once.
void TestStdioInterop::missingProgramFailsAtOnce()
{
    auto endpoint = Endpoint::parse(QStringLiteral("exec:clangdx-does-not-exist --log=error"));
    QVERIFY(endpoint);
    auto client = clientFor(*endpoint);
    QElapsedTimer timer;
    timer.start();
    const CallResult r = callAndWait(*client, QStringLiteral("initialize"), QJsonObject(), 30000);
    QVERIFY2(r.status == CallStatus::TransportError, describe(r));
    QVERIFY(timer.elapsed() < 10000);
    QVERIFY2(
        r.transportError.contains(QStringLiteral("cannot start 'clangdx-does-not-exist': program not found")),
        qPrintable(r.transportError));
}

QTEST_GUILESS_MAIN(TestStdioInterop)
#include "tst_stdiointerop.moc"
