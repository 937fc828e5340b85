// The intercept panel as a user drives it, against real sockets: an upstream RpcServer with the
// demo service, a ProxySet with one proxy whose breakpoint pauses "add" on its way to the
// server, and line-based TCP clients calling through it. A paused call never holds up other
// calls; Forward, an edit, a local answer, Drop and the timeout each reach the client as they
// should; a reply paused on its way to the client can be edited; the keyboard reaches it all.
//
// RPCBENCH_INTERCEPT_SCREENSHOT=/path.png saves the panel with two waiting messages.
#include "proxy/InterceptEditor.h"
#include "proxy/InterceptPanel.h"
#include "proxy/InterceptQueueModel.h"
#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"

#include "DemoServerFixture.h"
#include "FocusChain.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpSocket>
#include <QTest>

using namespace rpcbench;
using Dir = InterceptRule::Direction;

namespace {

// A JSON-RPC client over TCP, one message a line: what it sends and the replies it got.
class LineClient
{
public:
    explicit LineClient(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { read(); });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray& json) { m_socket.write(json + '\n'); }
    void call(int id, const QString& method, const QByteArray& params)
    {
        send(QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"%2","params":%3})")
                 .arg(id)
                 .arg(method, QString::fromUtf8(params))
                 .toUtf8());
    }
    // The reply with this id, or an empty object while none came.
    QJsonObject reply(int id) const
    {
        for (const QJsonObject& r : m_replies)
            if (r.value(QLatin1String("id")) == QJsonValue(id))
                return r;
        return {};
    }
    bool hasReply(int id) const { return !reply(id).isEmpty(); }
    qsizetype replyCount() const { return m_replies.size(); }

private:
    void read()
    {
        m_buffer += m_socket.readAll();
        for (qsizetype nl = m_buffer.indexOf('\n'); nl >= 0; nl = m_buffer.indexOf('\n')) {
            m_replies << QJsonDocument::fromJson(m_buffer.left(nl)).object();
            m_buffer.remove(0, nl + 1);
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<QJsonObject> m_replies;
};

int upstreamCalls(TrafficBus& bus, const QString& method)
{
    int count = 0;
    for (const TrafficEvent& e : bus.drain())
        if (e.direction == Direction::In && e.summary.method == method)
            ++count;
    return count;
}

} // namespace

class tst_InterceptPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void pausedCallWaitsWhileOthersFlow();
    void editedParamsReachTheServer();
    void invalidJsonDisablesForward();
    void answerLocally();
    void drop();
    void timeoutForwardsUnchanged();
    void decisionAfterTimeoutIsRefused();
    void replyToClientEdited();
    void keyboardReachesEverything();

private:
    void startProxy(const QList<InterceptRule>& rules);
    std::unique_ptr<LineClient> client();
    // Waits until `count` messages wait in the panel; the newest is selected when none was.
    bool waitFor(int count);
    InterceptEditor* editor() const { return m_panel->editor(); }
    QString state(int row) const
    {
        return m_panel->model()->index(row, InterceptQueueModel::StateColumn).data().toString();
    }

    DemoServerFixture m_upstream;
    std::unique_ptr<ProxySet> m_set;
    std::unique_ptr<InterceptPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    quint16 m_port = 0;
};

void tst_InterceptPanel::initTestCase()
{
    QVERIFY2(m_upstream.start(), qPrintable(m_upstream.server->errorString()));
}

void tst_InterceptPanel::init()
{
    m_upstream.bus->drain();
    startProxy({InterceptRule{QStringLiteral("add"), Dir::ToServer, true}});
}

void tst_InterceptPanel::cleanup()
{
    m_tester.reset();
    m_panel.reset();
    m_set.reset();
}

void tst_InterceptPanel::startProxy(const QList<InterceptRule>& rules)
{
    m_set = std::make_unique<ProxySet>(std::make_shared<TrafficBus>());
    ProxyConfig config;
    config.listen = QStringLiteral("tcp://127.0.0.1:0");
    config.upstream = QStringLiteral("tcp://127.0.0.1:%1").arg(m_upstream.port());
    config.intercept = rules;
    m_set->add(config);
    QString error;
    QVERIFY2(m_set->start(0, &error), qPrintable(error));
    m_port = m_set->proxy(0)->listeningEndpoints().constFirst().port;
    m_panel = std::make_unique<InterceptPanel>(m_set.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_panel->resize(900, 560);
    m_panel->show();
}

std::unique_ptr<LineClient> tst_InterceptPanel::client()
{
    auto c = std::make_unique<LineClient>(m_port);
    if (!QTest::qWaitFor([&] { return c->connected(); }, 5000))
        qWarning("the client could not connect to the proxy");
    return c;
}

bool tst_InterceptPanel::waitFor(int count)
{
    return QTest::qWaitFor([&] { return m_panel->model()->waitingCount() == count; }, 5000);
}

void tst_InterceptPanel::pausedCallWaitsWhileOthersFlow()
{
    QSignalSpy held(m_panel.get(), &InterceptPanel::messageHeld); // a window shows the panel on it
    auto a = client();
    auto b = client();
    a->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    QCOMPARE(held.count(), 1);
    QCOMPARE(m_panel->view()->currentIndex().row(), 0); // shown at once
    QVERIFY(editor()->messageEdit()->toPlainText().contains(QStringLiteral("\"add\"")));
    QVERIFY(m_panel->summaryLabel()->text().startsWith(QStringLiteral("1 waiting")));
    QVERIFY2(m_panel->summaryLabel()->text().contains(QStringLiteral("timeout 60 s")),
             qPrintable(m_panel->summaryLabel()->text()));
    // Other calls pass meanwhile: on the same connection, and on another one.
    a->call(2, QStringLiteral("echo"), R"(["same connection"])");
    b->call(1, QStringLiteral("echo"), R"(["other connection"])");
    QTRY_VERIFY(a->hasReply(2) && b->hasReply(1));
    QCOMPARE(b->reply(1).value("result").toString(), QStringLiteral("other connection"));
    QVERIFY(!a->hasReply(1));
    // The same method on the other connection pauses too, on its own.
    b->call(2, QStringLiteral("add"), "[1,1]");
    QVERIFY(waitFor(2));
    QCOMPARE(held.count(), 2);
    QCOMPARE(m_panel->view()->currentIndex().row(), 0); // the user's selection stays
    QVERIFY(m_panel->summaryLabel()->text().startsWith(QStringLiteral("2 waiting")));
    // The columns fit their content: the proxy's URL is not elided.
    QHeaderView* header = m_panel->view()->horizontalHeader();
    QTRY_VERIFY(header->sectionSize(InterceptQueueModel::ProxyColumn) >=
                m_panel->view()
                    ->sizeHintForIndex(m_panel->model()->index(0, InterceptQueueModel::ProxyColumn))
                    .width());
    if (const QString path = qEnvironmentVariable("RPCBENCH_INTERCEPT_SCREENSHOT"); !path.isEmpty())
        QVERIFY(m_panel->grab().save(path));
    // The proxy column names the port the proxy got (it listens on port 0).
    QCOMPARE(m_panel->model()->index(1, InterceptQueueModel::ProxyColumn).data().toString(),
             QStringLiteral("tcp://127.0.0.1:%1").arg(m_port));
    QVERIFY(m_panel->model()->row(0).message.connectionId != m_panel->model()->row(1).message.connectionId);

    QTest::mouseClick(editor()->forwardButton(), Qt::LeftButton);
    QTRY_VERIFY(a->hasReply(1));
    QCOMPARE(a->reply(1).value("result").toDouble(), 15.0); // 2 + 3 + the default 10
    QCOMPARE(state(0), QStringLiteral("forwarded"));
    // The panel moved on to the next waiting message; Enter on the list forwards it.
    QCOMPARE(m_panel->view()->currentIndex().row(), 1);
    m_panel->view()->setFocus();
    QTest::keyClick(m_panel->view(), Qt::Key_Return);
    QTRY_VERIFY(b->hasReply(2));
    QCOMPARE(b->reply(2).value("result").toDouble(), 12.0);
    QCOMPARE(state(1), QStringLiteral("forwarded"));
    QVERIFY(m_panel->summaryLabel()->text().startsWith(QStringLiteral("0 waiting")));
    // Clear ended empties the list.
    QTest::mouseClick(m_panel->clearEndedButton(), Qt::LeftButton);
    QCOMPARE(m_panel->model()->rowCount(), 0);
    QVERIFY(!editor()->forwardButton()->isEnabled());
}

void tst_InterceptPanel::editedParamsReachTheServer()
{
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    // The user edits the indented text: the params, and a string with spaces, quotes and a
    // backslash that must arrive as typed.
    QString text = editor()->messageEdit()->toPlainText();
    QVERIFY2(text.contains(QLatin1Char('\n')), qPrintable(text));
    const QString params = text.mid(text.indexOf(QLatin1Char('[')),
                                    text.indexOf(QLatin1Char(']')) - text.indexOf(QLatin1Char('[')) + 1);
    text.replace(params,
                 QStringLiteral("[\n    20,\n    30,\n    1\n  ],\n  \"note\": \"a \\\"b\\\" \\\\ c\""));
    editor()->messageEdit()->setPlainText(text);
    QVERIFY2(editor()->forwardButton()->isEnabled(), qPrintable(editor()->problem()));
    m_upstream.bus->drain();
    QTest::mouseClick(editor()->forwardButton(), Qt::LeftButton);
    QTRY_VERIFY(c->hasReply(1));
    QCOMPARE(c->reply(1).value("result").toDouble(), 51.0);
    QCOMPARE(state(0), QStringLiteral("edited \u2192 forwarded"));
    // The server got it on one line, every token as typed.
    QByteArray received;
    QTRY_VERIFY([&] {
        for (const TrafficEvent& e : m_upstream.bus->drain())
            if (e.direction == Direction::In && e.summary.method == QLatin1String("add"))
                received = e.raw;
        return !received.isEmpty();
    }());
    // (No raw string here: moc cannot read one with a backslash before a quote.)
    const QByteArray expected = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[20,30,1],"
                                "\"note\":\"a \\\"b\\\" \\\\ c\"}";
    QCOMPARE(received, expected);
}

void tst_InterceptPanel::invalidJsonDisablesForward()
{
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    const QString original = editor()->messageEdit()->toPlainText();
    // Ctrl+Enter works where the user types, though the window's Send uses it too.
    QAction send;
    send.setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_panel->addAction(&send);
    QSignalSpy sent(&send, &QAction::triggered);
    m_panel->activateWindow();
    editor()->messageEdit()->setFocus();
    QTest::keyClick(editor()->messageEdit(), Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(editor()->messageEdit(), QStringLiteral(","));
    QVERIFY(!editor()->forwardButton()->isEnabled());
    QVERIFY2(editor()->problem().startsWith(QStringLiteral("Message: ")), qPrintable(editor()->problem()));
    QVERIFY(editor()->problem().size() > QStringLiteral("Message: ").size());
    QVERIFY(!editor()->problem().contains(QLatin1Char('\n')));
    QVERIFY(!editor()->forward()); // Ctrl+Enter or a slot call is refused the same way
    QTest::keyClick(editor()->messageEdit(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(m_panel->model()->row(0).waiting());
    // A scalar parses but is no message.
    editor()->messageEdit()->setPlainText(QStringLiteral("42"));
    QVERIFY(!editor()->forwardButton()->isEnabled());
    QVERIFY(!editor()->problem().isEmpty());
    // Back to the original text: forwarded as it arrived.
    editor()->messageEdit()->setPlainText(original);
    QVERIFY(editor()->forwardButton()->isEnabled());
    QVERIFY(editor()->problem().isEmpty());
    QTest::keyClick(editor()->messageEdit(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(c->hasReply(1));
    QCOMPARE(c->reply(1).value("result").toDouble(), 15.0);
    QCOMPARE(state(0), QStringLiteral("forwarded"));
    QCOMPARE(sent.count(), 0);
}

void tst_InterceptPanel::answerLocally()
{
    auto c = client();
    c->call(7, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    QVERIFY(editor()->replyEdit()->isVisible());
    QCOMPARE(QJsonDocument::fromJson(editor()->replyEdit()->toPlainText().toUtf8()).object(),
             QJsonObject({{"jsonrpc", "2.0"}, {"id", 7}, {"result", QJsonValue::Null}}));
    editor()->replyEdit()->setPlainText(
        QStringLiteral(R"({"jsonrpc":"2.0","id":7,"result":"from the proxy"})"));
    // Ctrl+Enter in the answer's field sends it (Answer locally).
    m_panel->activateWindow();
    editor()->replyEdit()->setFocus();
    QTest::keyClick(editor()->replyEdit(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(c->hasReply(7));
    QCOMPARE(c->reply(7).value("result").toString(), QStringLiteral("from the proxy"));
    QCOMPARE(state(0), QStringLiteral("answered locally"));
    // The upstream never saw the call (a later one it did see proves its log is read).
    c->call(8, QStringLiteral("echo"), "[1]");
    QTRY_VERIFY(c->hasReply(8));
    int echoes = 0, adds = 0;
    QTRY_VERIFY([&] {
        for (const TrafficEvent& e : m_upstream.bus->drain()) {
            echoes += e.direction == Direction::In && e.summary.method == QLatin1String("echo");
            adds += e.direction == Direction::In && e.summary.method == QLatin1String("add");
        }
        return echoes == 1;
    }());
    QCOMPARE(adds, 0);
}

void tst_InterceptPanel::drop()
{
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    QTest::mouseClick(editor()->dropButton(), Qt::LeftButton);
    QCOMPARE(state(0), QStringLiteral("dropped"));
    // The connection still works, and nothing came for the dropped call.
    c->call(2, QStringLiteral("echo"), R"(["after"])");
    QTRY_VERIFY(c->hasReply(2));
    QCOMPARE(c->replyCount(), 1);
    QVERIFY(!c->hasReply(1));
    QCOMPARE(upstreamCalls(*m_upstream.bus, QStringLiteral("add")), 0);
    // Delete on the list drops too.
    c->call(3, QStringLiteral("add"), "[1,1]");
    QVERIFY(waitFor(1));
    QCOMPARE(m_panel->view()->currentIndex().row(), 1);
    m_panel->view()->setFocus();
    QTest::keyClick(m_panel->view(), Qt::Key_Delete);
    QCOMPARE(state(1), QStringLiteral("dropped"));
    QVERIFY(!editor()->dropButton()->isEnabled());
}

void tst_InterceptPanel::timeoutForwardsUnchanged()
{
    m_set->proxy(0)->intercept()->setTimeoutMs(200);
    emit m_set->configsChanged(); // as the Proxies panel's edit would
    QVERIFY2(m_panel->summaryLabel()->text().contains(QStringLiteral("timeout 0.2 s")),
             qPrintable(m_panel->summaryLabel()->text()));
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QTRY_VERIFY(c->hasReply(1));
    QCOMPARE(c->reply(1).value("result").toDouble(), 15.0);
    QTRY_COMPARE(state(0), QStringLiteral("timed out \u2192 forwarded"));
    QCOMPARE(m_panel->model()->waitingCount(), 0);
}

void tst_InterceptPanel::decisionAfterTimeoutIsRefused()
{
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    editor()->messageEdit()->setPlainText(
        QStringLiteral(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[0,0,0]})"));
    // The timeout (or another window) decides first; the user's click is too late.
    const quint64 id = m_panel->model()->row(0).message.id;
    QVERIFY(m_set->proxy(0)->intercept()->decide(
        id, {InterceptDecision::Action::Forward, m_panel->model()->row(0).message.json, true}));
    QTest::mouseClick(editor()->forwardButton(), Qt::LeftButton);
    QVERIFY2(editor()->problem().contains(QStringLiteral("no longer waiting")),
             qPrintable(editor()->problem()));
    QTRY_COMPARE(state(0), QStringLiteral("timed out \u2192 forwarded"));
    QVERIFY(editor()->problem().contains(QStringLiteral("timed out")));
    QVERIFY(!editor()->forwardButton()->isEnabled());
    QTRY_VERIFY(c->hasReply(1));
    QCOMPARE(c->reply(1).value("result").toDouble(), 15.0); // unchanged, not the late edit
}

void tst_InterceptPanel::replyToClientEdited()
{
    startProxy({InterceptRule{QStringLiteral("echo"), Dir::ToClient, true}});
    auto c = client();
    c->call(1, QStringLiteral("echo"), R"(["from the server"])");
    c->call(2, QStringLiteral("add"), "[1,2]"); // not paused: only replies to echo are
    QVERIFY(waitFor(1));
    QTRY_VERIFY(c->hasReply(2));
    QVERIFY(!c->hasReply(1));
    QCOMPARE(m_panel->model()->index(0, InterceptQueueModel::DirectionColumn).data().toString(),
             QStringLiteral("\u2192 client"));
    // The reply names no method: the row says which request it answers.
    QCOMPARE(m_panel->model()->index(0, InterceptQueueModel::MethodColumn).data().toString(),
             QStringLiteral("reply to echo"));
    QVERIFY(editor()->messageEdit()->toPlainText().contains(QStringLiteral("from the server")));
    QVERIFY(!editor()->replyEdit()->isVisible()); // only a request to the server can be answered
    QVERIFY(!editor()->answerButton()->isEnabled());
    editor()->messageEdit()->setPlainText(
        QStringLiteral(R"({"jsonrpc":"2.0","id":1,"result":"edited on the way"})"));
    QTest::mouseClick(editor()->forwardButton(), Qt::LeftButton);
    QTRY_VERIFY(c->hasReply(1));
    QCOMPARE(c->reply(1).value("result").toString(), QStringLiteral("edited on the way"));
    QCOMPARE(state(0), QStringLiteral("edited \u2192 forwarded"));
}

void tst_InterceptPanel::keyboardReachesEverything()
{
    auto c = client();
    c->call(1, QStringLiteral("add"), "[2,3]");
    QVERIFY(waitFor(1));
    m_panel->activateWindow();
    const uitest::FocusWalk walk = uitest::walkTabChain(m_panel->clearEndedButton());
    QVERIFY2(!walk.stuck, qPrintable(uitest::describe(walk.chain)));
    qsizetype previous = -1;
    for (QWidget* w : m_panel->focusChain()) {
        const qsizetype at = uitest::positionIn(walk.chain, w);
        QVERIFY2(at > previous, qPrintable(uitest::describe(w) + " in " + uitest::describe(walk.chain)));
        previous = at;
    }
    QCOMPARE(uitest::invisibleStop(walk.chain), QString());
    m_panel->editor()->drop();
}

QTEST_MAIN(tst_InterceptPanel)
#include "tst_interceptpanel.moc"
