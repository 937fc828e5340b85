// Workspaces: save -> load round trip (file and live mock state), and every kind of bad file
// refused with a clear message while the current state stays exactly as it was.

#include "dispatch/DemoService.h"
#include "mock/MockService.h"
#include "mock/Workspace.h"
#include "server/ServerLimitTable.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace rpcbench;

namespace {

// Everything a failed load must leave alone, in comparable form.
QString snapshot(const MockService& mocks)
{
    QStringList parts;
    for (const MethodInfo& m : mocks.registry()->methods())
        parts << m.signature() + (m.enabled ? "" : " (off)");
    for (const UserMethod& m : mocks.methods())
        parts << QString::fromUtf8(QJsonDocument(m.toJson()).toJson(QJsonDocument::Compact));
    const auto faults = mocks.registry()->faults().all();
    for (auto it = faults.begin(); it != faults.end(); ++it)
        parts << it.key() +
                     QString::fromUtf8(QJsonDocument(it.value().toJson()).toJson(QJsonDocument::Compact));
    parts << (mocks.demoMethods() ? "demo" : "no demo");
    return parts.join('\n');
}

Workspace sampleWorkspace()
{
    Workspace w;
    w.server.bind = "::1";
    w.server.port = 6123;
    w.server.limits.maxConnections = 7;
    w.server.limits.idleTimeoutMs = 1234;
    w.server.limits.keepAliveTimeoutMs = 4321;
    w.server.demoMethods = true;
    w.server.disabledMethods = {"blob"};
    w.server.scriptTimeLimitMs = 750;
    UserMethod m;
    m.name = "user.get";
    m.params = {ParamInfo{"id", ParamType::Integer, "Id", QJsonValue(1), false}};
    m.result = QJsonObject{{"name", "Ada"}};
    UserMethod s;
    s.name = "greet";
    s.params = {ParamInfo{"who", ParamType::String, "", std::nullopt, false}};
    s.kind = UserHandlerKind::Script;
    s.script = "return 'hi ' + who;";
    s.enabled = false;
    w.methods = {m, s};
    FaultSettings f;
    f.latencyMinMs = 10;
    f.latencyMaxMs = 20;
    f.errorRatePercent = 12.5;
    f.errorCode = -32040;
    f.errorMessage = "flaky";
    f.trickleMs = 300;
    w.faults.insert("add", f);
    FaultSettings g;
    g.enabled = false;
    g.dropConnection = g.malformedJson = g.wrongId = true;
    w.faults.insert("user.get", g);
    w.client.url = "http://127.0.0.1:6123/";
    w.client.dialect = "classic";
    w.savedCalls = QJsonArray{QJsonObject{{"name", "one"}, {"method", "add"}, {"params", QJsonArray{1, 2}}}};
    w.history =
        QJsonArray{QJsonObject{{"method", "echo"}, {"params", QJsonObject{{"value", 1}}}, {"status", "ok"}}};
    return w;
}

// A target with every connection setting, secrets included.
WorkspaceTarget sampleTarget(bool saveSecrets)
{
    WorkspaceTarget t;
    t.options.headers = {{"X-Trace", "on"}, {"X-Api-Key", "k3y"}, {"Authorization", "Bearer hdr"}};
    t.options.bearerToken = "t0ken";
    t.options.basicUser = "alice:pa55";
    t.options.caCertificates = {"/etc/ca.pem", "/tmp/other.pem"};
    t.options.insecure = true;
    t.options.clientCertificate = "/tmp/c.pem";
    t.options.clientKey = "/tmp/k.pem";
    t.options.sse = true;
    t.options.maxReplyBytes = 12345;
    t.workingDirectory = "/tmp";
    t.environment = {"A=1", "B=two"};
    t.saveSecrets = saveSecrets;
    return t;
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void fileRoundTrip();
    void keepAliveTimeout_data();
    void keepAliveTimeout();
    void everyLimitInTheTable_data();
    void everyLimitInTheTable();
    void liveStateRoundTrip();
    void badFiles_data();
    void badFiles();
    void missingFile();
    void clashWithBuiltinDependsOnDemoMethods();
    void exampleWorkspaceLoads();
    void targetSecrets_data();
    void targetSecrets();
    void olderFileWithoutTargetsLoads();
    void badTargets_data();
    void badTargets();
    void clientSideRoundTrip();
    void proxiesRoundTrip();
    void badProxies_data();
    void badProxies();
    void olderFileWithoutProxiesLoads();

private:
    QString write(const QByteArray& content);
    QTemporaryDir m_dir;
    std::shared_ptr<MethodRegistry> m_registry;
    std::unique_ptr<MockService> m_mocks;
};

void TestWorkspace::init()
{
    QVERIFY(m_dir.isValid());
    m_registry = std::make_shared<MethodRegistry>();
    registerDemoService(*m_registry);
    m_mocks = std::make_unique<MockService>(m_registry, nullptr);
}

QString TestWorkspace::write(const QByteArray& content)
{
    const QString path = m_dir.filePath("w.rpcbench.json");
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(content);
    return path;
}

void TestWorkspace::fileRoundTrip()
{
    const Workspace w = sampleWorkspace();
    const QString path = m_dir.filePath("round.rpcbench.json");
    QString error;
    QVERIFY2(w.save(path, &error), qPrintable(error));
    const auto back = Workspace::load(path, nullptr, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->toJson(), w.toJson());
    QCOMPARE(back->server.limits.maxConnections, 7);
    QCOMPARE(back->server.limits.keepAliveTimeoutMs, 4321);
    QCOMPARE(back->faults.value("add"), w.faults.value("add"));
    QCOMPARE(back->methods.size(), 2);
    QVERIFY(back->methods.at(1) == w.methods.at(1));
    QCOMPARE(back->client.dialect, QString("classic"));
}

// Files without the key (written before it existed) get the default; 0 means "never".
void TestWorkspace::keepAliveTimeout_data()
{
    QTest::addColumn<QByteArray>("limits");
    QTest::addColumn<int>("expected");
    QTest::newRow("absent") << QByteArray("{}") << ServerLimits{}.keepAliveTimeoutMs;
    QTest::newRow("never") << QByteArray(R"({"keepAliveTimeoutMs":0})") << 0;
    QTest::newRow("one day") << QByteArray(R"({"keepAliveTimeoutMs":86400000})") << 86'400'000;
}

void TestWorkspace::keepAliveTimeout()
{
    QFETCH(QByteArray, limits);
    QFETCH(int, expected);
    QString error;
    const auto w = Workspace::fromBytes(
        R"({"format":"rpcbench-workspace","version":1,"server":{"limits":)" + limits + "}}", nullptr, &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->server.limits.keepAliveTimeoutMs, expected);
    const auto again = Workspace::fromJson(w->toJson(), nullptr, &error); // written, read back
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->server.limits.keepAliveTimeoutMs, expected);
}

// Every row of the limit table is a workspace key: both ends of its range are read and written
// back, one past either end is refused naming the key and range, and left out it is the default.
void TestWorkspace::everyLimitInTheTable_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<bool>("accepted");
    for (const ServerLimitInfo& limit : serverLimitTable()) {
        QTest::addRow("%s min", limit.key) << QString(limit.key) << limit.min << true;
        QTest::addRow("%s max", limit.key) << QString(limit.key) << limit.max << true;
        QTest::addRow("%s below", limit.key) << QString(limit.key) << limit.min - 1 << false;
        QTest::addRow("%s above", limit.key) << QString(limit.key) << limit.max + 1 << false;
    }
}

void TestWorkspace::everyLimitInTheTable()
{
    QFETCH(QString, key);
    QFETCH(qint64, value);
    QFETCH(bool, accepted);
    const auto info = std::find_if(serverLimitTable().begin(), serverLimitTable().end(),
                                   [&](const ServerLimitInfo& l) { return key == QLatin1StringView(l.key); });
    QVERIFY(info != serverLimitTable().end());
    QString error;
    const QJsonObject file{{"format", "rpcbench-workspace"},
                           {"version", 1},
                           {"server", QJsonObject{{"limits", QJsonObject{{key, value}}}}}};
    const auto w = Workspace::fromJson(file, nullptr, &error);
    if (!accepted) {
        QVERIFY(!w);
        QCOMPARE(error, QString("server.limits.%1 must be an integer between %2 and %3")
                            .arg(key)
                            .arg(info->min)
                            .arg(info->max));
        return;
    }
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(info->get(w->server.limits), value);
    const QJsonObject written = w->toJson().value("server").toObject().value("limits").toObject();
    QCOMPARE(written.size(), qsizetype(serverLimitTable().size()));
    QCOMPARE(written.value(key).toInteger(), value);
    for (const ServerLimitInfo& other : serverLimitTable()) {
        if (other.key != info->key)
            QCOMPARE(other.get(w->server.limits), other.defaultValue());
    }
}

void TestWorkspace::liveStateRoundTrip()
{
    QString error;
    m_mocks->apply(sampleWorkspace());
    QVERIFY(!m_registry->find("blob")->info.enabled);
    QVERIFY(!m_registry->find("greet")->info.enabled);
    QVERIFY(m_registry->faults().activeFor("add"));
    Workspace saved;
    m_mocks->saveTo(saved);
    QVERIFY(saved.save(m_dir.filePath("live.rpcbench.json"), &error));

    // A fresh server loads it back into the same state.
    auto registry = std::make_shared<MethodRegistry>();
    registerDemoService(*registry);
    MockService other(registry, nullptr);
    const auto loaded = other.readWorkspace(m_dir.filePath("live.rpcbench.json"), &error);
    QVERIFY2(loaded, qPrintable(error));
    other.apply(*loaded);
    QCOMPARE(snapshot(other), snapshot(*m_mocks));
}

void TestWorkspace::badFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    const QByteArray head = R"({"format":"rpcbench-workspace","version":1,)";
    QTest::newRow("broken JSON") << QByteArray(
                                        "{\n  \"format\": \"rpcbench-workspace\",\n  \"version\": 1,,\n}")
                                 << "w.rpcbench.json: not valid JSON: line 3, column";
    QTest::newRow("empty file") << QByteArray() << "not valid JSON";
    QTest::newRow("top-level array") << QByteArray("[]") << "top level must be a JSON object";
    QTest::newRow("other format") << QByteArray(R"({"format":"something","version":1})")
                                  << "not an rpcbench workspace";
    QTest::newRow("unknown version") << QByteArray(R"({"format":"rpcbench-workspace","version":2})")
                                     << "unsupported workspace version 2 (this rpcbench reads version 1)";
    QTest::newRow("missing version") << QByteArray(R"({"format":"rpcbench-workspace"})")
                                     << "unsupported workspace version (missing)";
    QTest::newRow("unknown key") << QByteArray(head + R"("sever":{}})") << "unknown key 'sever'";
    QTest::newRow("port out of range") << QByteArray(head + R"("server":{"port":70000}})")
                                       << "server.port must be an integer between 0 and 65535";
    QTest::newRow("bad bind") << QByteArray(head + R"("server":{"bind":"localhost:80"}})")
                              << "server.bind: 'localhost:80' is not an IP address";
    QTest::newRow("bad limit") << QByteArray(head + R"("server":{"limits":{"maxConnections":0}}})")
                               << "server.limits.maxConnections";
    const QString keepAlive = "server.limits.keepAliveTimeoutMs must be an integer between 0 and 86400000";
    QTest::newRow("keep-alive negative")
        << QByteArray(head + R"("server":{"limits":{"keepAliveTimeoutMs":-1}}})") << keepAlive;
    QTest::newRow("keep-alive over a day")
        << QByteArray(head + R"("server":{"limits":{"keepAliveTimeoutMs":86400001}}})") << keepAlive;
    QTest::newRow("keep-alive fraction")
        << QByteArray(head + R"("server":{"limits":{"keepAliveTimeoutMs":1.5}}})") << keepAlive;
    QTest::newRow("keep-alive string")
        << QByteArray(head + R"("server":{"limits":{"keepAliveTimeoutMs":"300000"}}})") << keepAlive;
    QTest::newRow("keep-alive misspelt")
        << QByteArray(head + R"("server":{"limits":{"keepaliveTimeoutMs":5}}})")
        << "server.limits: unknown key 'keepaliveTimeoutMs'";
    QTest::newRow("demoMethods not bool") << QByteArray(head + R"("server":{"demoMethods":"yes"}})")
                                          << "server.demoMethods must be true or false";
    QTest::newRow("methods not array")
        << QByteArray(head + R"("methods":{}})") << "'methods' must be an array";
    QTest::newRow("bad method") << QByteArray(
                                       head +
                                       R"("methods":[{"name":"m","params":[{"name":"a","type":"float"}],)"
                                       R"("handler":{"kind":"result"}}]})")
                                << "methods[0] 'm': params[0]: 'type': unknown type 'float'";
    QTest::newRow("duplicate method")
        << QByteArray(
               head +
               R"("methods":[{"name":"m","handler":{"kind":"result"}},{"name":"m","handler":{"kind":"result"}}]})")
        << "methods[1] 'm': a method with this name is defined twice";
    QTest::newRow("bad fault") << QByteArray(head + R"("faults":{"add":{"latncy":5}}})")
                               << "faults.add: unknown key 'latncy'";
    QTest::newRow("fault jitter reversed")
        << QByteArray(head + R"("faults":{"add":{"latencyMs":{"min":9,"max":3}}}})")
        << "'latencyMs.max' (3) is below 'latencyMs.min' (9)";
    QTest::newRow("fault percent") << QByteArray(head + R"("faults":{"add":{"errorRate":{"percent":120}}}})")
                                   << "between 0 and 100";
    QTest::newRow("client dialect") << QByteArray(head + R"("client":{"dialect":"3.0"}})")
                                    << "client.dialect must be 2.0, 1.0 or classic";
    QTest::newRow("saved call without method") << QByteArray(head + R"("savedCalls":[{"params":[]}]})")
                                               << "savedCalls[0] must be an object with a \"method\" string";
    QTest::newRow("history not array")
        << QByteArray(head + R"("history":{}})") << "'history' must be an array";
}

void TestWorkspace::badFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    // Some state worth protecting: a mock, a fault, a disabled built-in.
    QString error;
    UserMethod m;
    m.name = "existing";
    QVERIFY(m_mocks->addMethod(m, &error));
    m_registry->faults().set("add", FaultSettings{});
    m_mocks->setMethodEnabled("echo", false);
    const QString before = snapshot(*m_mocks);

    QVERIFY(!m_mocks->readWorkspace(write(content), &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QCOMPARE(snapshot(*m_mocks), before);
}

void TestWorkspace::missingFile()
{
    QString error;
    QVERIFY(!m_mocks->readWorkspace(m_dir.filePath("nope.rpcbench.json"), &error));
    QVERIFY2(error.contains("cannot open") && error.contains("nope.rpcbench.json"), qPrintable(error));
}

void TestWorkspace::clashWithBuiltinDependsOnDemoMethods()
{
    Workspace w;
    UserMethod add;
    add.name = "add";
    w.methods = {add};
    QString error;
    QVERIFY(w.save(m_dir.filePath("clash.rpcbench.json"), &error));
    QVERIFY(!m_mocks->readWorkspace(m_dir.filePath("clash.rpcbench.json"), &error));
    QVERIFY2(
        error.contains("methods[0] 'add': a built-in method has this name (set server.demoMethods to false"),
        qPrintable(error));

    w.server.demoMethods = false;
    QVERIFY(w.save(m_dir.filePath("clash.rpcbench.json"), &error));
    const auto ok = m_mocks->readWorkspace(m_dir.filePath("clash.rpcbench.json"), &error);
    QVERIFY2(ok, qPrintable(error));
    m_mocks->apply(*ok);
    QVERIFY(!m_registry->find("add")->info.builtin);
    QVERIFY(!m_registry->find("echo"));        // demo methods gone
    QVERIFY(m_registry->find("rpc.discover")); // introspection stays
}

void TestWorkspace::exampleWorkspaceLoads()
{
    QString error;
    const auto w =
        m_mocks->readWorkspace(RPCBENCH_SOURCE_DIR "/resources/examples/mock-service.rpcbench.json", &error);
    QVERIFY2(w, qPrintable(error));
    QVERIFY(w->methods.size() >= 3);
    QVERIFY(!w->faults.isEmpty());
    bool script = false, error_ = false;
    for (const UserMethod& m : w->methods) {
        script = script || m.kind == UserHandlerKind::Script;
        error_ = error_ || m.kind == UserHandlerKind::Error;
    }
    QVERIFY(script && error_);
}

// A target's connection settings are saved; its secrets (token, password, secret header values)
// only when the user asked for it.
void TestWorkspace::targetSecrets_data()
{
    QTest::addColumn<bool>("saveSecrets");
    QTest::newRow("secrets for the session only") << false;
    QTest::newRow("secrets saved") << true;
}

void TestWorkspace::targetSecrets()
{
    QFETCH(bool, saveSecrets);
    Workspace w = sampleWorkspace();
    w.client.targets.insert("https://api.example:8443/rpc", sampleTarget(saveSecrets));
    w.client.targets.insert("exec+lsp:clangd", WorkspaceTarget{{}, "/src", {"X=1"}, false});
    w.server.listeners = {{"unix:/tmp/rpcbench.sock", {}, {}}, {"https://127.0.0.1:0", "/c.pem", "/k.pem"}};
    const QByteArray bytes = w.toBytes();
    for (const char* secret : {"t0ken", "pa55", "k3y", "Bearer hdr"})
        QCOMPARE(bytes.contains(secret), saveSecrets);
    QString error;
    const auto back = Workspace::fromBytes(bytes, nullptr, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->client.targets.size(), 2);
    QCOMPARE(back->server.listeners, w.server.listeners);
    const WorkspaceTarget target = back->client.targets.value("https://api.example:8443/rpc");
    QCOMPARE(target, sampleTarget(saveSecrets).withoutUnsavedSecrets());
    QCOMPARE(target.options.caCertificates, QStringList({"/etc/ca.pem", "/tmp/other.pem"}));
    QCOMPARE(target.options.maxReplyBytes, 12345);
    QCOMPARE(target.environment, QStringList({"A=1", "B=two"}));
    QCOMPARE(target.options.basicUser, saveSecrets ? QString("alice:pa55") : QString("alice"));
    QCOMPARE(target.options.headers.size(), saveSecrets ? 3 : 1); // X-Trace is no secret
    QCOMPARE(back->client.targets.value("exec+lsp:clangd").workingDirectory, QString("/src"));
}

// Files written before targets and listeners existed load as they did.
void TestWorkspace::olderFileWithoutTargetsLoads()
{
    const QByteArray old = R"({"format":"rpcbench-workspace","version":1,
        "server":{"bind":"127.0.0.1","port":5000},"methods":[],
        "client":{"url":"tcp://127.0.0.1:5000","dialect":"2.0"}})";
    QString error;
    const auto w = Workspace::fromBytes(old, nullptr, &error);
    QVERIFY2(w, qPrintable(error));
    QVERIFY(w->client.targets.isEmpty());
    QVERIFY(w->server.listeners.isEmpty());
    // Nothing set: nothing new written, so an older rpcbench reads the file back.
    const QJsonObject json = w->toJson();
    QVERIFY(!json.value("client").toObject().contains("targets"));
    QVERIFY(!json.value("server").toObject().contains("listen"));
}

void TestWorkspace::badTargets_data()
{
    QTest::addColumn<QByteArray>("client");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("message");
    QTest::newRow("targets not an object") << QByteArray(R"({"targets":[]})") << QString("{}")
                                           << "client.targets must be an object keyed by target URL";
    QTest::newRow("unknown target key") << QByteArray(R"({"targets":{"tcp://h:1":{"bogus":1}}})")
                                        << QString("{}") << "client.targets.tcp://h:1: unknown key 'bogus'";
    QTest::newRow("bad header name")
        << QByteArray(R"({"targets":{"tcp://h:1":{"headers":[{"name":"a b","value":"x"}]}}})")
        << QString("{}") << "invalid header name 'a b'";
    QTest::newRow("listener without url")
        << QByteArray("{}") << QString(R"({"listen":[{"tlsKey":"k"}]})") << "server.listen[0]";
    QTest::newRow("init item without method")
        << QByteArray(R"({"targets":{"tcp://h:1":{"init":[{"method":"initialize"},{"params":{}}]}}})")
        << QString("{}") << "client.targets.tcp://h:1.init[1] must be an object with a \"method\" string";
    QTest::newRow("init not an array") << QByteArray(R"({"targets":{"tcp://h:1":{"init":{}}}})")
                                       << QString("{}") << "client.targets.tcp://h:1.init";
    QTest::newRow("client method without name")
        << QByteArray(R"({"methods":[{"handler":{"kind":"result","value":1}}]})") << QString("{}")
        << "client.methods[0]";
    QTest::newRow("client method twice")
        << QByteArray(
               R"({"methods":[{"name":"a","handler":{"kind":"result","value":1}},{"name":"a","handler":{"kind":"result","value":2}}]})")
        << QString("{}") << "client.methods[1] 'a': a method with this name is defined twice";
    QTest::newRow("hold timeout too short")
        << QByteArray(R"({"hold":{"timeoutMs":5}})") << QString("{}") << "client.hold.timeoutMs";
    QTest::newRow("hold misspelt") << QByteArray(R"({"hold":{"unanswred":true}})") << QString("{}")
                                   << "unknown key 'unanswred'";
    QTest::newRow("groupBy not a pointer") << QByteArray(R"({"groupBy":"params.subscription"})")
                                           << QString("{}") << "client.groupBy must be a JSON Pointer";
}

// The client's side of a workspace: its own methods, holding, grouping and a target's handshake
// come back as saved; defaults are not written, so older files stay as they were.
void TestWorkspace::clientSideRoundTrip()
{
    Workspace w = sampleWorkspace();
    UserMethod config;
    config.name = "workspace/configuration";
    config.result = QJsonArray{QJsonObject{{"pylsp", QJsonObject{}}}};
    w.client.methods = {config};
    w.client.holdUnanswered = false;
    w.client.holdTimeoutMs = 5000;
    w.client.groupBy = "/params/subscription";
    WorkspaceTarget t;
    t.init = QJsonArray{
        QJsonObject{{"method", "initialize"}, {"params", QJsonObject{{"processId", QJsonValue::Null}}}},
        QJsonObject{{"method", "initialized"}, {"notification", true}}};
    w.client.targets.insert("exec+lsp:pylsp", t);
    QString error;
    const auto back = Workspace::fromBytes(w.toBytes(), nullptr, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->toJson(), w.toJson());
    QCOMPARE(back->client.methods.size(), 1);
    QVERIFY(back->client.methods.first() == config);
    QCOMPARE(back->client.holdUnanswered, false);
    QCOMPARE(back->client.holdTimeoutMs, 5000);
    QCOMPARE(back->client.groupBy, QString("/params/subscription"));
    QCOMPARE(back->client.targets.value("exec+lsp:pylsp").init, t.init);

    const QJsonObject plain = sampleWorkspace().toJson().value("client").toObject();
    for (const char* key : {"methods", "hold", "groupBy"})
        QVERIFY2(!plain.contains(key), key);
}

void TestWorkspace::badTargets()
{
    QFETCH(QByteArray, client);
    QFETCH(QString, server);
    QFETCH(QString, message);
    const QByteArray bytes = R"({"format":"rpcbench-workspace","version":1,"client":)" + client +
                             R"(,"server":)" + server.toUtf8() + "}";
    QString error;
    QVERIFY(!Workspace::fromBytes(bytes, nullptr, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

// The GUI's proxies come back as saved, each with its faults and breakpoints, in order.
void TestWorkspace::proxiesRoundTrip()
{
    Workspace w = sampleWorkspace();
    ProxyConfig plain;
    plain.listen = "tcp://127.0.0.1:0";
    plain.upstream = "tcp://127.0.0.1:6123";
    ProxyConfig full;
    full.listen = "ws://127.0.0.1:9002/rpc";
    full.upstream = "https://node.example:8545/";
    FaultSettings slow;
    slow.latencyMinMs = slow.latencyMaxMs = 200;
    full.faults.insert("eth_call", slow);
    full.intercept = {InterceptRule{"eth_*", InterceptRule::Direction::Both, false}};
    full.interceptTimeoutMs = 5000;
    w.proxies = {full, plain};
    QString error;
    const auto back = Workspace::fromBytes(w.toBytes(), nullptr, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->proxies.size(), 2);
    QVERIFY(back->proxies.at(0) == full);
    QVERIFY(back->proxies.at(1) == plain);
    QCOMPARE(back->toJson(), w.toJson());
}

void TestWorkspace::badProxies_data()
{
    QTest::addColumn<QByteArray>("proxies");
    QTest::addColumn<QString>("message");
    const QByteArray ok = R"({"listen":"tcp://127.0.0.1:0","upstream":"tcp://127.0.0.1:1"})";
    QTest::newRow("not an array") << QByteArray(R"({})") << "'proxies' must be an array of proxies";
    QTest::newRow("bad upstream") << "[" + ok +
                                         R"(,{"listen":"tcp://127.0.0.1:0","upstream":"tcp://h:99999"}])"
                                  << "proxies[1].upstream: ";
    QTest::newRow("upstream missing")
        << QByteArray(R"([{"listen":"tcp://127.0.0.1:0"}])") << "proxies[0].upstream must be";
    QTest::newRow("entry not an object") << "[" + ok + ",3]"
                                         << "proxies[1]: a proxy must be an object";
    QTest::newRow("misspelt key")
        << QByteArray(R"([{"listen":"tcp://127.0.0.1:0","upstream":"tcp://127.0.0.1:1","upstreams":1}])")
        << "proxies[0]: unknown key 'upstreams'";
    QTest::newRow("bad fault")
        << QByteArray(
               R"([{"listen":"tcp://127.0.0.1:0","upstream":"tcp://127.0.0.1:1","faults":{"eth_call":{"lag":1}}}])")
        << "proxies[0].faults.eth_call: unknown key 'lag'";
}

// A bad proxy refuses the whole file, with a message naming the proxy and its member.
void TestWorkspace::badProxies()
{
    QFETCH(QByteArray, proxies);
    QFETCH(QString, message);
    const QByteArray bytes = R"({"format":"rpcbench-workspace","version":1,"proxies":)" + proxies + "}";
    QString error;
    QVERIFY(!Workspace::fromBytes(bytes, nullptr, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable(error));
}

// Files written before proxies existed load with none, and a workspace without proxies is
// written without the member, so such files stay as they were.
void TestWorkspace::olderFileWithoutProxiesLoads()
{
    QString error;
    const auto w = Workspace::fromBytes(R"({"format":"rpcbench-workspace","version":1})", nullptr, &error);
    QVERIFY2(w, qPrintable(error));
    QVERIFY(w->proxies.isEmpty());
    QVERIFY(!sampleWorkspace().toJson().contains("proxies"));
    QCOMPARE(sampleWorkspace().toJson().value("version").toInt(), Workspace::version);
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
