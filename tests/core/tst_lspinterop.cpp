// The command line against real language servers over stdio (Content-Length framing):
// clangd-14 and pylsp. The shipped handshake (resources/examples/lsp-init.json) initialises
// them, a real request after it gets its real result, the notifications they send
// (textDocument/publishDiagnostics, $/progress) are printed as incoming messages, and their
// requests (clangd's window/workDoneProgress/create) are answered by the example client
// workspace (resources/examples/lsp-client.rpcbench.json) — seen in --verbose traffic and in
// clangd's behaviour: it reports indexing progress only once its create request was accepted.

#include "Peers.h"
#include "RpcbenchRun.h"

#include <QJsonArray>
#include <QTemporaryDir>

namespace {

const QString kInit = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/lsp-init.json");
const QString kAnswers = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/examples/lsp-client.rpcbench.json");

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QList<QJsonObject> incoming(const QList<QByteArray>& lines)
{
    return serverMessages(lines);
}

// The messages --verbose shows as sent ("--> PEER JSON").
QList<QJsonObject> sentMessages(const QList<QByteArray>& errLines)
{
    QList<QJsonObject> out;
    for (const QByteArray& line : errLines) {
        if (!line.startsWith("--> "))
            continue;
        const qsizetype json = line.indexOf('{');
        if (json > 0)
            out.append(jsonLine(line.mid(json)));
    }
    return out;
}

// A source file, the project's compile_commands.json (clangd then indexes in the background
// and asks to report progress) and a handshake: lsp-init.json + didOpen of the file.
struct Project
{
    QTemporaryDir dir;
    QString source;
    QString init;

    bool create(const QString& fileName, const QString& languageId, const QByteArray& text)
    {
        if (!dir.isValid())
            return false;
        source = dir.filePath(fileName);
        init = dir.filePath("init.json");
        const QJsonArray database{QJsonObject{
            {"directory", dir.path()}, {"file", source}, {"arguments", QJsonArray{"cc", "-c", fileName}}}};
        QJsonArray steps = QJsonDocument::fromJson(readFile(kInit)).array();
        steps.append(QJsonObject{
            {"method", "textDocument/didOpen"},
            {"notification", true},
            {"params", QJsonObject{{"textDocument", QJsonObject{{"uri", uri()},
                                                                {"languageId", languageId},
                                                                {"version", 1},
                                                                {"text", QString::fromUtf8(text)}}}}}});
        return steps.size() == 3 && writeFile(source, text) &&
               writeFile(dir.filePath("compile_commands.json"), QJsonDocument(database).toJson()) &&
               writeFile(init, QJsonDocument(steps).toJson());
    }
    QString uri() const { return QUrl::fromLocalFile(source).toString(); }
    QByteArray symbolParams() const
    {
        return QJsonDocument(QJsonObject{{"textDocument", QJsonObject{{"uri", uri()}}}})
            .toJson(QJsonDocument::Compact);
    }
};

QStringList symbolNames(const QByteArray& result)
{
    QStringList names;
    for (const QJsonValue& s : QJsonDocument::fromJson(result).array())
        names << s.toObject().value(u"name").toString();
    return names;
}

} // namespace

class tst_LspInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void clangdHandshakeRequestAndServerMessages();
    void clangdWithoutAnswersGetsMethodNotFound();
    void pylspHandshakeRequestAndServerMessages();
    void workspaceConfigurationIsAnswered();
};

void tst_LspInterop::initTestCase()
{
    QVERIFY(QFileInfo::exists(kInit));
    QVERIFY(QFileInfo::exists(kAnswers));
}

void tst_LspInterop::clangdHandshakeRequestAndServerMessages()
{
    const QString clangd = Peers::executable(QStringLiteral("clangd-14"));
    if (clangd.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("clangd-14")).constData());
    Project project;
    QVERIFY(project.create("answer.c", "c",
                           "int answer(void) { return 42; }\nint main(void) { return answer(); }\n"));
    const RpcbenchRun r =
        runRpcbench({"call", "--exec", clangd + " --log=error", "--framing", "lsp", "--init", project.init,
                     "--answer", kAnswers, "--verbose", "--listen", "3", "--compact",
                     "textDocument/documentSymbol", "--params", project.symbolParams()},
                    60000, project.dir.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // The handshake's initialize result came (seen in --verbose), then the real request's result.
    QVERIFY2(r.err.contains("\"capabilities\""), r.err.constData());
    const QStringList symbols = symbolNames(r.out);
    QVERIFY2(symbols.contains("answer") && symbols.contains("main"), r.out.constData());

    const QList<QJsonObject> messages = incoming(r.errLines());
    qInfo().noquote() << "clangd sent:" << methodsOf(messages).join(u", ");
    QVERIFY2(methodsOf(messages).contains("textDocument/publishDiagnostics"), r.err.constData());
    // Its request to report progress, answered null by the workspace's method...
    QJsonValue createId;
    for (const QJsonObject& m : messages)
        if (m.value(u"method").toString() == QLatin1String("window/workDoneProgress/create"))
            createId = m.value(u"id");
    QVERIFY2(!createId.isUndefined(), r.err.constData());
    bool answered = false;
    for (const QJsonObject& m : sentMessages(r.errLines()))
        if (m.value(u"id") == createId && !m.contains(u"method"))
            answered = m.contains(u"result") && m.value(u"result").isNull();
    QVERIFY2(answered, r.err.constData());
    // ... after which clangd reports its progress under that token.
    QVERIFY2(methodsOf(messages).contains("$/progress"), r.err.constData());
}

// Without --answer the request gets -32601, and clangd reports no progress under a refused token.
void tst_LspInterop::clangdWithoutAnswersGetsMethodNotFound()
{
    const QString clangd = Peers::executable(QStringLiteral("clangd-14"));
    if (clangd.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("clangd-14")).constData());
    Project project;
    QVERIFY(project.create("answer.c", "c", "int answer(void) { return 42; }\n"));
    const RpcbenchRun r = runRpcbench({"call", "--exec", clangd + " --log=error", "--framing", "lsp",
                                       "--init", project.init, "--verbose", "--listen", "3", "--compact",
                                       "textDocument/documentSymbol", "--params", project.symbolParams()},
                                      60000, project.dir.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(symbolNames(r.out).contains("answer"), r.out.constData());
    const QList<QJsonObject> messages = incoming(r.errLines());
    QVERIFY2(methodsOf(messages).contains("window/workDoneProgress/create"), r.err.constData());
    bool refused = false;
    for (const QJsonObject& m : sentMessages(r.errLines()))
        if (m.contains(u"error") && !m.contains(u"method"))
            refused = m.value(u"error").toObject().value(u"code").toInt() == -32601;
    QVERIFY2(refused, r.err.constData());
    QVERIFY2(!methodsOf(messages).contains("$/progress"), r.err.constData());
}

void tst_LspInterop::pylspHandshakeRequestAndServerMessages()
{
    const QString pylsp = Peers::executable(QStringLiteral("pylsp"));
    if (pylsp.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("pylsp (python3-pylsp)")).constData());
    Project project;
    QVERIFY(project.create("answer.py", "python", "import os\n\ndef answer():\n    return 42\n"));
    const RpcbenchRun r = runRpcbench({"call", "--exec", pylsp, "--framing", "lsp", "--init", project.init,
                                       "--answer", kAnswers, "--verbose", "--listen", "3", "--compact",
                                       "textDocument/documentSymbol", "--params", project.symbolParams()},
                                      60000, project.dir.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("\"capabilities\""), r.err.constData());
    QVERIFY2(symbolNames(r.out).contains("answer"), r.out.constData());
    const QList<QJsonObject> messages = incoming(r.errLines());
    qInfo().noquote() << "pylsp sent:" << methodsOf(messages).join(u", ");
    // pyflakes reports the unused import, under a $/progress "lint" report.
    bool unusedImport = false;
    for (const QJsonObject& m : messages)
        if (m.value(u"method").toString() == QLatin1String("textDocument/publishDiagnostics"))
            unusedImport = unusedImport || QJsonDocument(m).toJson().contains("imported but unused");
    QVERIFY2(unusedImport, r.err.constData());
    QVERIFY2(methodsOf(messages).contains("$/progress"), r.err.constData());
}

// Neither server asks for workspace/configuration, so a scripted stand-in does: it asks, and
// writes back the answer it got as a notification, which `listen` prints.
void tst_LspInterop::workspaceConfigurationIsAnswered()
{
    const QString python = Peers::executable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP(Peers::skipMessage(QStringLiteral("python3")).constData());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString script = dir.filePath("asks.py");
    QVERIFY(writeFile(script, "import json, sys\n"
                              "def send(m):\n"
                              "    print(json.dumps(m), flush=True)\n"
                              "send({'jsonrpc': '2.0', 'id': 'cfg-1', 'method': 'workspace/configuration',\n"
                              "      'params': {'items': [{'section': 'a'}, {'section': 'b'}]}})\n"
                              "answer = json.loads(sys.stdin.readline())\n"
                              "send({'jsonrpc': '2.0', 'method': 'test/gotAnswer', 'params': answer})\n"
                              "sys.stdin.read()\n"));
    const RpcbenchRun r =
        runRpcbench({"listen", "--exec", python + " " + script, "--answer", kAnswers, "--count", "2"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.outLines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(jsonLine(lines.at(0)).value(u"method").toString(), QStringLiteral("workspace/configuration"));
    const QJsonObject answer = jsonLine(lines.at(1)).value(u"params").toObject();
    QCOMPARE(answer.value(u"id").toString(), QStringLiteral("cfg-1"));
    QCOMPARE(answer.value(u"result").toArray(), (QJsonArray{QJsonValue::Null, QJsonValue::Null}));
}

QTEST_GUILESS_MAIN(tst_LspInterop)
#include "tst_lspinterop.moc"
