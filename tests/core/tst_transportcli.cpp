// The command line over every transport, run as processes: `serve --listen` (several at
// once, Unix sockets) and `serve --stdio`, `call` and `bench` over unix: and --exec, the shared
// connection options (usage errors exit 64, --insecure warns once, secrets never printed),
// connection failures as one line with exit 2; and "copy as command" (CommandLineBuilder)
// masking secrets in a form that still runs.

#include "client/CommandLineBuilder.h"
#include "wire/Endpoint.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

namespace {

const QString kBin = QStringLiteral(RPCBENCH_BIN);

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the binary without blocking the event loop; exit -1 when it did not end in time.
Run runProcess(const QString& program, const QStringList& args, const QProcessEnvironment& env = {})
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(program, args);
    p.closeWriteChannel();
    Run r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000)) {
        p.kill();
        p.waitForFinished(2000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run runRpcbench(const QStringList& args)
{
    return runProcess(kBin, args);
}

// `rpcbench serve` with its own arguments, up until it printed `lines` "listening on" lines.
class Server
{
public:
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool start(const QStringList& args, int lines)
    {
        m_process.start(kBin, QStringList{"serve", "--log", "none"} + args);
        return QTest::qWaitFor(
                   [&] {
                       m_out += m_process.readAllStandardOutput();
                       return m_out.count("listening on ") >= lines ||
                              m_process.state() == QProcess::NotRunning;
                   },
                   10000) &&
               m_out.count("listening on ") >= lines;
    }
    QStringList urls() const
    {
        QStringList list;
        static const QRegularExpression re(QStringLiteral("^listening on (\\S+)$"),
                                           QRegularExpression::MultilineOption);
        for (auto it = re.globalMatch(QString::fromUtf8(m_out)); it.hasNext();)
            list << it.next().captured(1);
        return list;
    }
    QByteArray output() const { return m_out; }

private:
    QProcess m_process;
    QByteArray m_out;
};

QString freeClosedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return {};
    return QString::number(probe.serverPort()); // closed again when probe goes
}

} // namespace

class tst_TransportCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void serveListensOnSeveralEndpoints();
    void serveWorkspaceListeners();
    void callOverUnixSocket();
    void serveStdioWritesOnlyJsonRpc();
    void callOverStdio_data();
    void callOverStdio();
    void execThatCannotStartExitsTwo();
    void insecureWarnsOnce();
    void httpsWithOwnCa();
    void usageErrors_data();
    void usageErrors();
    void secretsNeverPrinted_data();
    void secretsNeverPrinted();
    void verboseShowsChildStderr();
    void benchOverAnyTransport_data();
    void benchOverAnyTransport();
    void copyAsCommandMasksSecrets();
    void maskedCommandStillRuns();
    void copyAsCommandPerTransport_data();
    void copyAsCommandPerTransport();

private:
    QTemporaryDir m_dir;
    Server m_server; // tcp:// and unix: listeners for most tests
    QString m_tcpUrl;
    QString m_unixUrl;
};

void tst_TransportCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_unixUrl = QStringLiteral("unix:") + m_dir.filePath(QStringLiteral("rpc.sock"));
    QVERIFY2(m_server.start({"--listen", "tcp://127.0.0.1:0", "--listen", m_unixUrl}, 2),
             m_server.output().constData());
    m_tcpUrl = m_server.urls().value(0);
}

void tst_TransportCli::serveListensOnSeveralEndpoints()
{
    const QStringList urls = m_server.urls();
    QCOMPARE(urls.size(), 2);
    QVERIFY2(
        QRegularExpression(QStringLiteral("^tcp://127\\.0\\.0\\.1:[1-9][0-9]*$")).match(urls[0]).hasMatch(),
        qPrintable(urls[0])); // port 0 resolved
    QCOMPARE(urls[1], m_unixUrl);
}

// A workspace's extra listeners join its port; --listen on the command line replaces both.
void tst_TransportCli::serveWorkspaceListeners()
{
    const QString sock = m_dir.filePath(QStringLiteral("ws.sock"));
    QFile file(m_dir.filePath(QStringLiteral("w.rpcbench.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(
                   QJsonObject{
                       {"format", "rpcbench-workspace"},
                       {"version", 1},
                       {"server", QJsonObject{{"port", 0},
                                              {"listen", QJsonArray{QJsonObject{{"url", "unix:" + sock}}}}}}})
                   .toJson());
    file.close();
    Server both;
    QVERIFY2(both.start({"--workspace", file.fileName()}, 2), both.output().constData());
    QCOMPARE(both.urls().size(), 2);
    QVERIFY(both.urls().at(0).startsWith(QLatin1String("tcp://127.0.0.1:")));
    QCOMPARE(both.urls().at(1), "unix:" + sock);
    const Run r = runRpcbench({"call", "--url", "unix:" + sock, "add", "1", "2", "3"});
    QCOMPARE(r.out, QByteArray("6\n"));

    Server only;
    QVERIFY(only.start({"--workspace", file.fileName(), "--listen", "tcp://127.0.0.1:0"}, 1));
    QCOMPARE(only.urls().size(), 1);
}

void tst_TransportCli::callOverUnixSocket()
{
    const Run r = runRpcbench({"call", "--url", m_unixUrl, "add", "1", "2", "3"});
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("6\n"));
    const Run tcp = runRpcbench({"call", "--url", m_tcpUrl, "add", "1", "2", "4"});
    QCOMPARE(tcp.out, QByteArray("7\n"));
}

// stdout carries the replies and nothing else (the traffic log goes to stderr); the server
// ends when its stdin does.
void tst_TransportCli::serveStdioWritesOnlyJsonRpc()
{
    QProcess p;
    p.start(kBin, {"serve", "--stdio"});
    p.write(R"({"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":7})"
            "\n"
            R"({"jsonrpc":"2.0","method":"notify_hello","params":[1]})"
            "\n");
    p.closeWriteChannel();
    QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray(R"({"jsonrpc":"2.0","result":6,"id":7})"
                                                   "\n"));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("notify_hello"), err.constData()); // the log, on stderr
}

void tst_TransportCli::callOverStdio_data()
{
    QTest::addColumn<QStringList>("framing");
    QTest::newRow("ndjson (default)") << QStringList{};
    QTest::newRow("ndjson") << QStringList{"--framing", "ndjson"};
    QTest::newRow("lsp") << QStringList{"--framing", "lsp"};
}

void tst_TransportCli::callOverStdio()
{
    QFETCH(QStringList, framing);
    const QString child = QStringList{kBin, "serve", "--stdio"}.join(u' ') + u' ' + framing.join(u' ');
    const Run r =
        runRpcbench(QStringList{"call", "--exec", child} + framing + QStringList{"add", "1", "2", "3"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("6\n"));
}

void tst_TransportCli::execThatCannotStartExitsTwo()
{
    const Run r =
        runRpcbench({"call", "--timeout", "10000", "--exec", "/nonexistent/rpc-server --flag", "add", "1"});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.out, QByteArray());
    QCOMPARE(r.err.count('\n'), 1); // one line
    QVERIFY2(r.err.contains("/nonexistent/rpc-server"), r.err.constData());
}

void tst_TransportCli::insecureWarnsOnce()
{
    const QString url = QStringLiteral("https://127.0.0.1:%1/").arg(freeClosedPort());
    const Run r = runRpcbench({"call", "--url", url, "--insecure", "--timeout", "10000", "add", "1"});
    QCOMPARE(r.exitCode, 2);
    const QByteArray warning = "warning: --insecure: the server's TLS certificate is not verified\n";
    QCOMPARE(r.err.count(warning), 1);
    QCOMPARE(r.err.count('\n'), 2); // the warning, then the one-line failure
    QVERIFY2(r.err.endsWith(")\n") && r.err.contains("rpcbench: "), r.err.constData());
}

// serve --listen https:// and tcp+tls:// with a certificate made here; call and bench trust
// it with --cacert, and without it fail in one line.
void tst_TransportCli::httpsWithOwnCa()
{
    const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    const Run openssl =
        runProcess(QStringLiteral("openssl"),
                   {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    if (openssl.exitCode != 0)
        QSKIP("openssl cannot make a test certificate");
    Server tls;
    QVERIFY2(tls.start({"--listen", "https://127.0.0.1:0", "--listen", "tcp+tls://127.0.0.1:0", "--tls-cert",
                        cert, "--tls-key", key},
                       2),
             tls.output().constData());
    const QStringList urls = tls.urls();
    for (const QString& url : urls) {
        const Run ok = runRpcbench({"call", "--url", url, "--cacert", cert, "add", "1", "2", "3"});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QCOMPARE(ok.out, QByteArray("6\n"));
        const Run untrusted = runRpcbench({"call", "--url", url, "--timeout", "10000", "add", "1"});
        QCOMPARE(untrusted.exitCode, 2);
        QCOMPARE(untrusted.err.count('\n'), 1);
        QVERIFY2(untrusted.err.contains("self-signed"), untrusted.err.constData());
    }
    const Run bench = runRpcbench({"bench", "--json", "--url", urls.value(0), "--cacert", cert, "--seconds",
                                   "0.3", "--warmup", "0.05"});
    QVERIFY2(bench.exitCode == 0, bench.err.constData());
    QVERIFY2(QJsonDocument::fromJson(bench.out).object().value("calls").toInteger() > 0,
             bench.out.constData());
}

void tst_TransportCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList call{"call"};
    QTest::newRow("header without colon")
        << call + QStringList{"--url", "http://h:1/", "-H", "Authorization Bearer SECRET", "m"}
        << "invalid -H/--header: expected 'Name: value'";
    QTest::newRow("header bad name") << call + QStringList{"--url", "http://h:1/", "-H", "A B: c", "m"}
                                     << "invalid header name";
    QTest::newRow("header on tcp") << call + QStringList{"--url", "tcp://h:1", "-H", "A: b", "m"}
                                   << "--header needs an http://";
    QTest::newRow("bearer on unix") << call + QStringList{"--url", "unix:/x", "--bearer", "SECRET", "m"}
                                    << "--bearer needs an http://";
    QTest::newRow("user without colon")
        << call + QStringList{"--url", "http://h:1/", "--user", "SECRET", "m"} << "expected NAME:PASSWORD";
    QTest::newRow("framing xyz") << call + QStringList{"--exec", "x", "--framing", "xyz", "m"}
                                 << "invalid --framing 'xyz' (use lsp or ndjson)";
    QTest::newRow("framing without exec")
        << call + QStringList{"--framing", "lsp", "m"} << "--framing applies to --exec only";
    QTest::newRow("exec and url") << call + QStringList{"--exec", "x", "--url", "tcp://h:1", "m"}
                                  << "either --url or --exec";
    QTest::newRow("exec unterminated quote") << call + QStringList{"--exec", "x 'y", "m"} << "invalid --exec";
    QTest::newRow("env without =") << call + QStringList{"--exec", "x", "--env", "SECRET", "m"}
                                   << "invalid --env: expected NAME=VALUE";
    QTest::newRow("cwd not a dir") << call + QStringList{"--exec", "x", "--cwd", "/nonexistent/d", "m"}
                                   << "is not a directory";
    QTest::newRow("key without cert")
        << call + QStringList{"--url", "https://h/", "--key", "/etc/hostname", "m"} << "--key needs --cert";
    QTest::newRow("cacert on plain url")
        << call + QStringList{"--url", "http://h:1/", "--cacert", "/etc/hostname", "m"}
        << "--cacert needs a TLS target";
    QTest::newRow("insecure on tcp") << call + QStringList{"--insecure", "m"}
                                     << "--insecure needs a TLS target";
    QTest::newRow("cacert missing file")
        << call + QStringList{"--url", "https://h/", "--cacert", "/nonexistent/ca.pem", "m"}
        << "cannot read --cacert file '/nonexistent/ca.pem'";
    QTest::newRow("sse on ws") << call + QStringList{"--url", "ws://h/", "--sse", "m"}
                               << "--sse needs an http";
    QTest::newRow("max reply bytes") << call + QStringList{"--max-reply-bytes", "lots", "m"}
                                     << "invalid --max-reply-bytes 'lots'";
    QTest::newRow("methods header") << QStringList{"methods", "-H", "nocolon"} << "invalid -H/--header";
    QTest::newRow("bench header") << QStringList{"bench", "--url", "http://h:1/", "-H", "nocolon"}
                                  << "invalid -H/--header";
    QTest::newRow("bench exec and url")
        << QStringList{"bench", "--exec", "x", "--url", "tcp://h:1"} << "either --url or --exec";
    QTest::newRow("serve stdio and listen")
        << QStringList{"serve", "--stdio", "--listen", "tcp://127.0.0.1:0"} << "--stdio serves stdin/stdout";
    QTest::newRow("serve listen and port")
        << QStringList{"serve", "--port", "0", "--listen", "tcp://127.0.0.1:0"}
        << "either --listen URL or --port";
    QTest::newRow("serve bad listen") << QStringList{"serve", "--listen", "exec:cat"} << "invalid listen URL";
    QTest::newRow("serve https without cert") << QStringList{"serve", "--listen", "https://127.0.0.1:0"}
                                              << "needs --tls-cert FILE and --tls-key FILE";
    QTest::newRow("serve framing without stdio")
        << QStringList{"serve", "--framing", "lsp"} << "--framing applies to --stdio only";
}

void tst_TransportCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runRpcbench(args);
    QCOMPARE(r.exitCode, 64);
    QCOMPARE(r.out, QByteArray());
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QVERIFY2(!r.err.contains("SECRET"), r.err.constData());
}

void tst_TransportCli::secretsNeverPrinted_data()
{
    QTest::addColumn<bool>("reachable");
    QTest::newRow("call succeeds") << true;
    QTest::newRow("connection refused") << false;
}

void tst_TransportCli::secretsNeverPrinted()
{
    QFETCH(bool, reachable);
    const QString http = reachable
                             ? QString(m_tcpUrl).replace(QLatin1String("tcp://"), QLatin1String("http://"))
                             : QStringLiteral("http://127.0.0.1:%1").arg(freeClosedPort());
    for (const QStringList& auth :
         {QStringList{"--bearer", "TOKEN-s3cr3t"}, QStringList{"--user", "alice:PASS-s3cr3t"},
          QStringList{"-H", "X-Api-Key: KEY-s3cr3t", "-H", "Cookie: session=COOKIE-s3cr3t"}}) {
        const Run r = runRpcbench(QStringList{"call", "--verbose", "--url", http} + auth +
                                  QStringList{"--timeout", "10000", "add", "1", "2", "3"});
        QCOMPARE(r.exitCode, reachable ? 0 : 2);
        QVERIFY(!r.err.isEmpty()); // --verbose printed something (or the failure line)
        QVERIFY2(!r.out.contains("s3cr3t") && !r.err.contains("s3cr3t"), (r.out + r.err).constData());
    }
}

void tst_TransportCli::verboseShowsChildStderr()
{
    const QString child =
        QStringLiteral("sh -c 'echo hello-from-child >&2; exec %1 serve --stdio --log none'").arg(kBin);
    const Run r = runRpcbench({"call", "--verbose", "--exec", child, "add", "1", "2", "3"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("6\n"));
    QVERIFY2(r.err.contains("[child] hello-from-child\n"), r.err.constData());
}

void tst_TransportCli::benchOverAnyTransport_data()
{
    QTest::addColumn<QStringList>("target");
    QTest::newRow("tcp") << QStringList{"--url", "TCP"};
    QTest::newRow("unix") << QStringList{"--url", "UNIX"};
    QTest::newRow("ws") << QStringList{"--url", "WS"};
    QTest::newRow("exec ndjson") << QStringList{"--exec", kBin + " serve --stdio --log none"};
    QTest::newRow("exec lsp") << QStringList{"--exec", kBin + " serve --stdio --log none --framing lsp",
                                             "--framing", "lsp"};
}

void tst_TransportCli::benchOverAnyTransport()
{
    QFETCH(QStringList, target);
    QString ws = m_tcpUrl;
    ws.replace(QLatin1String("tcp://"), QLatin1String("ws://"));
    target.replaceInStrings(QRegularExpression(QStringLiteral("^TCP$")), m_tcpUrl);
    target.replaceInStrings(QRegularExpression(QStringLiteral("^UNIX$")), m_unixUrl);
    target.replaceInStrings(QRegularExpression(QStringLiteral("^WS$")), ws + u'/');
    const Run r = runRpcbench(
        // A 1 s warm-up: a launched server (exec:) answers only once it has started, which under
        // the sanitizers takes longer than the measured 0.3 s.
        QStringList{"bench", "--json", "--seconds", "0.3", "--warmup", "1", "--depth", "4"} + target);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QVERIFY2(o.value("ok").toBool(), r.out.constData());
    QVERIFY2(o.value("calls").toInteger() > 0, r.out.constData());
    QCOMPARE(o.value("errors").toInteger(), 0);
    QCOMPARE(o.value("connectionErrors").toInteger(), 0);
}

void tst_TransportCli::copyAsCommandMasksSecrets()
{
    Endpoint ep = *Endpoint::parse(QStringLiteral("https://api.example.com/rpc"));
    ep.options.bearerToken = QStringLiteral("TOKEN-s3cr3t");
    ep.options.basicUser = QStringLiteral("alice:PASS-s3cr3t");
    ep.options.headers = {{"X-Api-Key", "KEY-s3cr3t"}, {"X-Trace", "t1"}};
    ep.options.caCertificates = {QStringLiteral("/tmp/ca.pem")};
    const CallRequest r{QStringLiteral("add"), QJsonArray{1, 2}};

    const QString masked = CommandLineBuilder::rpcbenchCall(ep, Dialect::JsonRpc2, r);
    QVERIFY2(!masked.contains(QLatin1String("s3cr3t")), qPrintable(masked));
    QCOMPARE(masked,
             QStringLiteral("rpcbench call --url https://api.example.com:443/rpc -H \"X-Api-Key: "
                            "$RPCBENCH_X_API_KEY\" -H 'X-Trace: t1' --bearer \"$RPCBENCH_TOKEN\" --user "
                            "\"alice:$RPCBENCH_PASSWORD\" --cacert /tmp/ca.pem --params '[1,2]' add"));
    const QString revealed = CommandLineBuilder::rpcbenchCall(ep, Dialect::JsonRpc2, r, true);
    QVERIFY(revealed.contains(QLatin1String("--bearer TOKEN-s3cr3t")));
    QVERIFY(revealed.contains(QLatin1String("--user alice:PASS-s3cr3t")));
    QVERIFY(revealed.contains(QLatin1String("-H 'X-Api-Key: KEY-s3cr3t'")));

    const QString curl = CommandLineBuilder::curl(ep, Dialect::JsonRpc2, r);
    QVERIFY2(!curl.contains(QLatin1String("s3cr3t")), qPrintable(curl));
    QVERIFY(curl.startsWith(QLatin1String("curl -s https://api.example.com:443/rpc -H 'Content-Type: "
                                          "application/json' -H \"X-Api-Key: $RPCBENCH_X_API_KEY\"")));
    QVERIFY(curl.contains(QLatin1String("--oauth2-bearer \"$RPCBENCH_TOKEN\" --cacert /tmp/ca.pem -d ")));
    QCOMPARE(CommandLineBuilder::secretVariables(ep),
             (QStringList{"RPCBENCH_X_API_KEY", "RPCBENCH_TOKEN", "RPCBENCH_PASSWORD"}));
}

// The masked line runs as is once its variables are exported (the demo server ignores auth).
void tst_TransportCli::maskedCommandStillRuns()
{
    Endpoint ep =
        *Endpoint::parse(QString(m_tcpUrl).replace(QLatin1String("tcp://"), QLatin1String("http://")));
    ep.options.bearerToken = QStringLiteral("TOKEN-s3cr3t");
    ep.options.headers = {{"X-Api-Key", "it's \"quoted\" $HOME"}};
    const CallRequest r{QStringLiteral("add"), QJsonArray{1, 2, 3}};
    QString line = CommandLineBuilder::rpcbenchCall(ep, Dialect::JsonRpc2, r);
    QVERIFY(line.startsWith(QLatin1String("rpcbench ")));
    line.replace(0, 8, CommandLineBuilder::shellQuote(kBin));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RPCBENCH_TOKEN"), QStringLiteral("TOKEN-s3cr3t"));
    env.insert(QStringLiteral("RPCBENCH_X_API_KEY"), QStringLiteral("k"));
    const Run run = runProcess(QStringLiteral("/bin/sh"), {"-c", line + QLatin1String(" --verbose")}, env);
    QVERIFY2(run.exitCode == 0, qPrintable(line + u'\n' + QString::fromUtf8(run.err)));
    QCOMPARE(run.out, QByteArray("6\n"));
}

void tst_TransportCli::copyAsCommandPerTransport_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("callLine");
    QTest::addColumn<QString>("curl");
    QTest::addColumn<QString>("netcat");
    const QString body = QStringLiteral("'{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}'");
    QTest::newRow("tcp") << "tcp://127.0.0.1:5000"
                         << "rpcbench call --url tcp://127.0.0.1:5000 m"
                         << "curl -s http://127.0.0.1:5000/ -H 'Content-Type: application/json' -d " + body
                         << "printf '%s\\n' " + body + " | nc 127.0.0.1 5000";
    QTest::newRow("unix") << "unix:/run/x.sock"
                          << "rpcbench call --url unix:/run/x.sock m" << QString()
                          << "printf '%s\\n' " + body + " | nc -U /run/x.sock";
    QTest::newRow("unix+lsp") << "unix+lsp:/run/x.sock"
                              << "rpcbench call --url unix+lsp:/run/x.sock m" << QString() << QString();
    QTest::newRow("ws") << "ws://h:8080/rpc"
                        << "rpcbench call --url ws://h:8080/rpc m" << QString() << QString();
    QTest::newRow("tcp+tls") << "tcp+tls://h:7000"
                             << "rpcbench call --url tcp+tls://h:7000 m" << QString() << QString();
    QTest::newRow("exec lsp") << "exec+lsp:clangd --log=error"
                              << "rpcbench call --exec 'clangd --log=error' --framing lsp m" << QString()
                              << QString();
}

void tst_TransportCli::copyAsCommandPerTransport()
{
    QFETCH(QString, url);
    QFETCH(QString, callLine);
    QFETCH(QString, curl);
    QFETCH(QString, netcat);
    const Endpoint ep = *Endpoint::parse(url);
    const CallRequest r{QStringLiteral("m")};
    QCOMPARE(CommandLineBuilder::rpcbenchCall(ep, Dialect::JsonRpc2, r), callLine);
    QCOMPARE(CommandLineBuilder::curl(ep, Dialect::JsonRpc2, r), curl);
    QCOMPARE(CommandLineBuilder::netcat(ep, Dialect::JsonRpc2, r), netcat);
}

QTEST_GUILESS_MAIN(tst_TransportCli)
#include "tst_transportcli.moc"
