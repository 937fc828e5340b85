// `rpcbench call` and `rpcbench methods` run as processes: stdout, stderr and exit codes
// against `rpcbench serve` (every transport and dialect), a closed port, and fake servers
// that never answer or answer garbage.

#include "ServeProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the binary without blocking the event loop, so in-process fake servers keep working.
Run rpcbench(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(RPCBENCH_BIN), args);
    if (!input.isNull()) {
        p.write(input);
        p.closeWriteChannel();
    }
    Run r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000)) {
        p.kill();
        p.waitForFinished(2000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class tst_CallCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void callsEveryTransportAndDialect_data();
    void callsEveryTransportAndDialect();
    void prettyAndCompactOutput();
    void argumentForms_data();
    void argumentForms();
    void rpcErrorExitsOne();
    void connectionRefusedExitsTwo();
    void timeoutExitsTwo_data();
    void timeoutExitsTwo();
    void malformedReplyExitsTwo();
    void notification();
    void batchFromFileAndStdin();
    void verboseShowsRawBytes();
    void usageErrors_data();
    void usageErrors();
    void help_data();
    void help();
    void methodsListsSignaturesAndDocs();
    void methodsAgainstClosedPort();
    void methodsNamesForCompletion();

private:
    ServeProcess m_serve;
    QString url(const QString& scheme = QStringLiteral("tcp")) const
    {
        return QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_serve.port());
    }
};

void tst_CallCli::initTestCase()
{
    QVERIFY(m_serve.start({"--log", "none"}));
}

void tst_CallCli::callsEveryTransportAndDialect_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("dialect");
    for (const char* scheme : {"tcp", "tcp+lsp", "http"})
        for (const char* dialect : {"2.0", "1.0", "classic"})
            QTest::addRow("%s %s", scheme, dialect) << scheme << dialect;
}

void tst_CallCli::callsEveryTransportAndDialect()
{
    QFETCH(QString, scheme);
    QFETCH(QString, dialect);
    const Run r = rpcbench({"call", "--url", url(scheme), "--dialect", dialect, "add", "1", "2", "4"});
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("7\n"));
    if (dialect == "classic") { // positional and named arguments in the same call
        const Run k = rpcbench({"call", "--url", url(scheme), "--dialect", dialect, "add", "1", "2", "c=3"});
        QCOMPARE(k.out, QByteArray("6\n"));
    }
}

void tst_CallCli::prettyAndCompactOutput()
{
    const QByteArray value = R"({"a":[1,{"b":null}],"s":"x"})";
    const Run pretty = rpcbench({"call", "--url", url(), "echo", value});
    QCOMPARE(pretty.exitCode, 0);
    QCOMPARE(pretty.out, QJsonDocument::fromJson(value).toJson(QJsonDocument::Indented));
    const Run compact = rpcbench({"call", "--url", url(), "--compact", "echo", value});
    QCOMPARE(compact.out, value + "\n");
}

void tst_CallCli::argumentForms_data()
{
    QTest::addColumn<QStringList>("words"); // after "call --url URL"
    QTest::addColumn<QByteArray>("out");

    QTest::newRow("number") << QStringList{"echo", "1.5"} << QByteArray("1.5");
    QTest::newRow("negative number") << QStringList{"echo", "-3"} << QByteArray("-3");
    QTest::newRow("big integer") << QStringList{"echo", "9007199254740993"} << QByteArray("9007199254740993");
    QTest::newRow("json string") << QStringList{"echo", "\"42\""} << QByteArray("\"42\"");
    QTest::newRow("bare word = string")
        << QStringList{"echo", "hello world"} << QByteArray("\"hello world\"");
    QTest::newRow("true") << QStringList{"echo", "true"} << QByteArray("true");
    QTest::newRow("null") << QStringList{"echo", "null"} << QByteArray("null");
    QTest::newRow("array") << QStringList{"--compact", "echo", "[1, \"a\"]"} << QByteArray("[1,\"a\"]");
    QTest::newRow("by name") << QStringList{"subtract", "subtrahend=5", "minuend=8"} << QByteArray("3");
    QTest::newRow("by name, string value") << QStringList{"echo", "value=abc"} << QByteArray("\"abc\"");
    QTest::newRow("--params array") << QStringList{"--params", "[10, 4]", "subtract"} << QByteArray("6");
    QTest::newRow("--params object") << QStringList{"subtract", "--params", R"({"minuend":1,"subtrahend":3})"}
                                     << QByteArray("-2");
    QTest::newRow("options after args")
        << QStringList{"add", "1", "2", "--dialect", "1.0"} << QByteArray("13");
    QTest::newRow("-- ends options") << QStringList{"echo", "--", "--verbose"} << QByteArray("\"--verbose\"");
}

void tst_CallCli::argumentForms()
{
    QFETCH(QStringList, words);
    QFETCH(QByteArray, out);
    const Run r = rpcbench(QStringList{"call", "--url", url()} + words);
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, out + "\n");
}

void tst_CallCli::rpcErrorExitsOne()
{
    const Run r = rpcbench({"call", "--url", url("http"), "fail", "-32011", "nope", R"({"why":1})"});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, QByteArray());
    QVERIFY2(r.err.contains("error -32011: nope"), r.err.constData());
    QVERIFY2(r.err.contains(R"(data: {"why":1})"), r.err.constData());

    const Run missing = rpcbench({"call", "--url", url(), "no_such_method"});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("-32601"));
}

void tst_CallCli::connectionRefusedExitsTwo()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there any more
    const Run r =
        rpcbench({"call", "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(port), "add", "1", "2"});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    QCOMPARE(r.err.count('\n'), 1); // one line
    QVERIFY2(r.err.contains("connection refused"), r.err.constData());
}

void tst_CallCli::timeoutExitsTwo_data()
{
    QTest::addColumn<bool>("silentServer");
    QTest::newRow("slow method") << false;
    QTest::newRow("server never answers") << true;
}

void tst_CallCli::timeoutExitsTwo()
{
    QFETCH(bool, silentServer);
    QTcpServer silent; // accepts and reads, never writes
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const QString target =
        silentServer ? QStringLiteral("tcp://127.0.0.1:%1").arg(silent.serverPort()) : url();
    const Run r = rpcbench({"call", "--url", target, "--timeout", "200", "sleep", "5000"});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    QVERIFY2(r.err.startsWith("rpcbench: timed out after 200 ms"), r.err.constData());
}

void tst_CallCli::malformedReplyExitsTwo()
{
    QTcpServer garbage;
    QVERIFY(garbage.listen(QHostAddress::LocalHost, 0));
    connect(&garbage, &QTcpServer::newConnection, this, [&] {
        QTcpSocket* s = garbage.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s] { s->write("{\"id\": 1, oops}\n"); });
    });
    const Run r =
        rpcbench({"call", "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(garbage.serverPort()), "add"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("rpcbench: malformed reply"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void tst_CallCli::notification()
{
    for (const char* scheme : {"tcp", "http"}) {
        const Run r = rpcbench({"call", "--url", url(scheme), "--notify", "notify_hello", "1"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err, QByteArray());
    }
    const Run classic =
        rpcbench({"call", "--url", url(), "--dialect", "classic", "--notify", "notify_hello"});
    QCOMPARE(classic.exitCode, 64);
}

void tst_CallCli::batchFromFileAndStdin()
{
    const QByteArray batch = R"([{"method":"add","params":[1,2,3]},
                                 {"method":"notify_hello","params":[7],"notify":true},
                                 {"jsonrpc":"2.0","method":"subtract","params":{"minuend":5,"subtrahend":1},"id":"x"},
                                 {"method":"nope"}])";
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(batch);
    file.close();
    const QJsonArray expected{
        QJsonObject{{"method", "add"}, {"result", 6}},
        QJsonObject{{"method", "notify_hello"}, {"notification", true}},
        QJsonObject{{"method", "subtract"}, {"result", 4}},
        QJsonObject{{"method", "nope"},
                    {"error", QJsonObject{{"code", -32601}, {"message", "Method not found"}}}}};
    for (const QString& scheme : {QStringLiteral("tcp"), QStringLiteral("http")}) {
        const Run fromFile = rpcbench({"call", "--url", url(scheme), "--batch", file.fileName()});
        QCOMPARE(fromFile.exitCode, 1); // one item failed
        QCOMPARE(QJsonDocument::fromJson(fromFile.out).array(), expected);
        QVERIFY2(fromFile.err.contains("batch item 4 (nope): error -32601"), fromFile.err.constData());
    }
    const Run fromStdin = rpcbench({"call", "--url", url("tcp+lsp"), "--batch", "-", "--compact"},
                                   R"([{"method":"add","params":[1,1]},{"method":"get_data"}])");
    QCOMPARE(fromStdin.exitCode, 0);
    QCOMPARE(fromStdin.out,
             QByteArray(R"([{"method":"add","result":12},{"method":"get_data","result":["hello",5]}])"
                        "\n"));
}

void tst_CallCli::verboseShowsRawBytes()
{
    const Run r = rpcbench({"call", "--url", url(), "--verbose", "echo", "7"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("7\n"));
    QVERIFY2(r.err.contains(R"(--> )" + url().toUtf8() + R"( {"id":)"), r.err.constData());
    QVERIFY2(r.err.contains(R"("method":"echo","params":[7]})"), r.err.constData());
    QVERIFY2(r.err.contains("<-- " + url().toUtf8() + " {"), r.err.constData());
    QVERIFY(r.err.contains(R"("result":7)"));
}

void tst_CallCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no method") << QStringList{"call"} << "missing METHOD";
    QTest::newRow("bad url") << QStringList{"call", "--url", "ftp://x:1", "m"}
                             << "invalid --url: unsupported scheme 'ftp'";
    QTest::newRow("url without port") << QStringList{"call", "--url", "tcp://h", "m"} << "missing port";
    QTest::newRow("bad dialect") << QStringList{"call", "--dialect", "3.0", "m"} << "invalid --dialect '3.0'";
    QTest::newRow("bad timeout") << QStringList{"call", "--timeout", "soon", "m"}
                                 << "invalid --timeout 'soon'";
    QTest::newRow("unknown option") << QStringList{"call", "--frobnicate", "m"}
                                    << "Unknown option 'frobnicate'";
    QTest::newRow("mixed args in 2.0")
        << QStringList{"call", "add", "1", "b=2"} << "cannot mix positional and name=value";
    QTest::newRow("params not json") << QStringList{"call", "--params", "[1,", "m"}
                                     << "--params must be a JSON array or object";
    QTest::newRow("params and args") << QStringList{"call", "--params", "[1]", "m", "2"}
                                     << "either --params or ARGs";
    QTest::newRow("name twice") << QStringList{"call", "m", "a=1", "a=2"} << "argument 'a' given twice";
    QTest::newRow("batch missing file")
        << QStringList{"call", "--batch", "/nonexistent/x.json"} << "cannot read batch file";
    QTest::newRow("batch with method")
        << QStringList{"call", "--batch", "-", "m"} << "--batch takes no METHOD";
    QTest::newRow("methods extra arg") << QStringList{"methods", "x"} << "unexpected argument 'x'";
    QTest::newRow("methods json and names")
        << QStringList{"methods", "--json", "--names"} << "--json and --names exclude each other";
    QTest::newRow("bad listen") << QStringList{"call", "--listen", "soon", "m"} << "invalid --listen 'soon'";
    QTest::newRow("negative listen") << QStringList{"call", "--listen", "-1", "m"} << "invalid --listen '-1'";
    QTest::newRow("init missing file") << QStringList{"call", "--init", "/nonexistent/i.json", "m"}
                                       << "invalid --init file '/nonexistent/i.json'";
    QTest::newRow("answer missing file") << QStringList{"methods", "--answer", "/nonexistent/w.json"}
                                         << "invalid --answer workspace '/nonexistent/w.json'";
}

void tst_CallCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = rpcbench(args, QByteArray(""));
    QCOMPARE(r.exitCode, 64);
    QCOMPARE(r.out, QByteArray());
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
}

void tst_CallCli::help_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("call") << "call"
                          << "--batch";
    QTest::newRow("call listen") << "call"
                                 << "--listen <seconds>";
    QTest::newRow("call progress") << "call"
                                   << "--timeout-resets-on-progress";
    QTest::newRow("call init") << "call"
                               << "--init <file>";
    QTest::newRow("methods") << "methods"
                             << "--json";
    QTest::newRow("methods answer") << "methods"
                                    << "--answer <workspace>";
    QTest::newRow("listen") << "listen"
                            << "--count <n>";
}

void tst_CallCli::help()
{
    QFETCH(QString, command);
    QFETCH(QString, mentions);
    const Run r = rpcbench({command, "--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Usage: rpcbench " + command.toUtf8()), r.out.constData());
    QVERIFY(r.out.contains("--url"));
    QVERIFY(r.out.contains(mentions.toUtf8()));
    // The shared connection options (app/ConnectionOptionsCli.h).
    for (const char* option : {"--exec", "--framing", "-H, --header", "--bearer", "--user", "--cacert",
                               "--insecure", "--cert", "--key", "--sse", "--max-reply-bytes", "unix:/PATH"})
        QVERIFY2(r.out.contains(option), option);
}

void tst_CallCli::methodsListsSignaturesAndDocs()
{
    for (const char* scheme : {"tcp", "http"}) {
        const Run r = rpcbench({"methods", "--url", url(scheme)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("add(a: number, b: number, c: number = 10) -> number\n    "),
                 r.out.constData());
        QVERIFY(r.out.contains("subtract(minuend: number, subtrahend: number) -> number\n"));
    }
    const Run json = rpcbench({"methods", "--url", url(), "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(json.out).array();
    QVERIFY(!list.isEmpty());
    const auto it =
        std::find_if(list.begin(), list.end(), [](const QJsonValue& v) { return v["name"] == "get_data"; });
    QVERIFY(it != list.end());
    QCOMPARE(it->toObject().value("signature").toString(), QStringLiteral("get_data() -> array"));
}

void tst_CallCli::methodsAgainstClosedPort()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const Run r = rpcbench({"methods", "--url", QStringLiteral("tcp://127.0.0.1:%1").arg(port)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("connection refused"), r.err.constData());
}

// `methods --names` is what the shell completions read: the names the server lists, sorted, one
// per line, nothing else (no signature, no docs, no blank line).
void tst_CallCli::methodsNamesForCompletion()
{
    const Run json = rpcbench({"methods", "--url", url(), "--json"});
    QCOMPARE(json.exitCode, 0);
    QStringList expected;
    for (const QJsonValue& m : QJsonDocument::fromJson(json.out).array())
        expected << m["name"].toString();
    expected.sort();
    QVERIFY(expected.contains(QStringLiteral("add")) && expected.contains(QStringLiteral("get_data")));

    const Run r = rpcbench({"methods", "--url", url(), "--names"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QByteArray());
    QVERIFY(r.out.endsWith('\n'));
    const QStringList lines = QString::fromUtf8(r.out.chopped(1)).split(QLatin1Char('\n'));
    QCOMPARE(lines, expected);
    QCOMPARE(rpcbench({"methods", "--help"}).out.count("--names"), 1);
}

QTEST_GUILESS_MAIN(tst_CallCli)
#include "tst_callcli.moc"
