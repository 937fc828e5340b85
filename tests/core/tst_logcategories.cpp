// The logging categories: a real server on 127.0.0.1:0 writes its rpcbench.server (and
// rpcbench.wire) diagnostics only when a filter rule switches them on, and stays silent by
// default, so QT_LOGGING_RULES="rpcbench.server.debug=true" is all a user needs.

#include "DemoServerFixture.h"
#include "util/Log.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpSocket>
#include <QTest>

using namespace rpcbench;

namespace {

struct Line
{
    QString category;
    QtMsgType type;
    QString text;
};

// Filled from the server's worker thread as well as the test's.
QMutex g_mutex;
QList<Line> g_lines;
QtMessageHandler g_previous = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext& context, const QString& text)
{
    const QLatin1StringView category(context.category ? context.category : "");
    if (!category.startsWith(QLatin1StringView("rpcbench."))) {
        g_previous(type, context, text);
        return;
    }
    QMutexLocker lock(&g_mutex);
    g_lines.append(Line{category, type, text});
}

QList<Line> debugLines(const QString& category)
{
    QMutexLocker lock(&g_mutex);
    QList<Line> out;
    for (const Line& l : std::as_const(g_lines)) {
        if (l.category == category && l.type == QtDebugMsg)
            out.append(l);
    }
    return out;
}

bool anyContains(const QList<Line>& lines, const QString& text)
{
    return std::any_of(lines.begin(), lines.end(), [&](const Line& l) { return l.text.contains(text); });
}

} // namespace

class TestLogCategories : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void categoryNames();
    void serverDiagnostics_data();
    void serverDiagnostics();
};

void TestLogCategories::init()
{
    {
        QMutexLocker lock(&g_mutex);
        g_lines.clear();
    }
    g_previous = qInstallMessageHandler(recordMessage);
}

void TestLogCategories::cleanup()
{
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());
}

// The names users type in QT_LOGGING_RULES; debug is off until a rule enables it.
void TestLogCategories::categoryNames()
{
    const QList<const QLoggingCategory*> categories = {&lcWire(),   &lcProtocol(), &lcDispatch(), &lcServer(),
                                                       &lcClient(), &lcTraffic(),  &lcMock(),     &lcScript(),
                                                       &lcLoad(),   &lcUi()};
    const QStringList expected = {
        "rpcbench.wire",    "rpcbench.protocol", "rpcbench.dispatch", "rpcbench.server", "rpcbench.client",
        "rpcbench.traffic", "rpcbench.mock",     "rpcbench.script",   "rpcbench.load",   "rpcbench.ui"};
    for (qsizetype i = 0; i < categories.size(); ++i) {
        QCOMPARE(QString::fromLatin1(categories[i]->categoryName()), expected[i]);
        QVERIFY2(!categories[i]->isDebugEnabled(), categories[i]->categoryName());
        QVERIFY(categories[i]->isWarningEnabled());
    }
    QLoggingCategory::setFilterRules(QStringLiteral("rpcbench.mock.debug=true"));
    QVERIFY(lcMock().isDebugEnabled());
    QVERIFY(!lcServer().isDebugEnabled());
}

void TestLogCategories::serverDiagnostics_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<bool>("serverDebug");
    QTest::addColumn<bool>("wireDebug");
    QTest::newRow("default: silent") << QString() << false << false;
    QTest::newRow("server on") << QStringLiteral("rpcbench.server.debug=true") << true << false;
    QTest::newRow("all rpcbench on") << QStringLiteral("rpcbench.*.debug=true") << true << true;
    QTest::newRow("another category on") << QStringLiteral("rpcbench.client.debug=true") << false << false;
    QTest::newRow("server off explicitly")
        << QStringLiteral("rpcbench.*.debug=true\nrpcbench.server.debug=false") << false << true;
}

void TestLogCategories::serverDiagnostics()
{
    QFETCH(QString, rules);
    QFETCH(bool, serverDebug);
    QFETCH(bool, wireDebug);
    QLoggingCategory::setFilterRules(rules);

    DemoServerFixture f;
    QVERIFY2(f.start(), qPrintable(f.server->errorString()));
    QTcpSocket peer;
    peer.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(peer.waitForConnected(5000));
    peer.write(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})"
               "\n");
    // The reply proves the connection was accepted and framed: its lines were written by then.
    QTRY_VERIFY(peer.canReadLine());
    QVERIFY(peer.readLine().contains("\"result\":13"));
    if (serverDebug)
        QVERIFY(anyContains(debugLines(QStringLiteral("rpcbench.server")), QStringLiteral("accepted from")));
    peer.disconnectFromHost();
    if (serverDebug)
        QTRY_VERIFY(anyContains(debugLines(QStringLiteral("rpcbench.server")), QStringLiteral("closed")));
    f.server->stop(); // the worker thread has written everything it will write

    const QList<Line> server = debugLines(QStringLiteral("rpcbench.server"));
    QCOMPARE(!server.isEmpty(), serverDebug);
    const QList<Line> wire = debugLines(QStringLiteral("rpcbench.wire"));
    QCOMPARE(!wire.isEmpty(), wireDebug);
    if (wireDebug)
        QVERIFY(anyContains(wire, QStringLiteral("framing")));
}

// QT_LOGGING_RULES (ctest sets "*.debug=false") would override setFilterRules(): a test of the
// rules must start without it. It is read when the application object is created.
int main(int argc, char** argv)
{
    qunsetenv("QT_LOGGING_RULES");
    QCoreApplication app(argc, argv);
    TestLogCategories test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_logcategories.moc"
