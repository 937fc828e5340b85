// The server panel at small sizes and by keyboard: the methods table keeps several rows
// however small the dock (the details yield), its columns fit the longest method name, and
// Tab follows reading order: search, table, the buttons under it left to right, the details.
// The Connections tab lists real loopback clients of a running server, its title counts them,
// and its Tab order is the list, then "Send to client…" / "Send to all…". The selected method's
// latency histogram follows real calls as the table refreshes (screenshots in
// RPCBENCH_SCREENSHOT_DIR, default ./screenshots).

#include "DemoServerFixture.h"
#include "DispatchHarness.h"
#include "FocusChain.h"
#include "SocketProbe.h"
#include "engine/Engine.h"
#include "mock/MockService.h"
#include "server/ConnectionsModel.h"
#include "server/ConnectionsPanel.h"
#include "server/MethodsModel.h"
#include "server/MockMethodActions.h"
#include "server/ServerPanel.h"
#include "widgets/LatencyHistogramView.h"
#include "widgets/PayloadView.h"
#include "window/BenchSession.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <algorithm>

using namespace rpcbench;

class TestServerPanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void tableKeepsRowsWhenSmall_data();
    void tableKeepsRowsWhenSmall();
    void nameColumnFitsTheLongestName();
    void tabOrderFollowsReadingOrder_data();
    void tabOrderFollowsReadingOrder();
    void connectionsTabListsClients();
    void subscriptionMockIsDescribed();
    void latencyHistogramFollowsCalls();

private:
    QPushButton* button(const QString& name) const { return m_panel->findChild<QPushButton*>(name); }

    std::unique_ptr<BenchSession> m_session;
    std::unique_ptr<ServerPanel> m_panel;
};

namespace {
int visibleRows(const QTableView* view)
{
    return view->viewport()->height() / view->verticalHeader()->defaultSectionSize();
}
} // namespace

void TestServerPanel::init()
{
    m_session = std::make_unique<BenchSession>();
    m_panel = std::make_unique<ServerPanel>(m_session->registry());
    m_panel->setMockService(m_session->engine()->mocks());
}

void TestServerPanel::cleanup()
{
    m_panel.reset();
    m_session.reset();
}

void TestServerPanel::tableKeepsRowsWhenSmall_data()
{
    QTest::addColumn<int>("height");       // asked of the panel; never below its minimum
    QTest::addColumn<QList<int>>("sizes"); // the splitter's parts (the main window's first run)
    QTest::addColumn<bool>("description"); // room for the description, or hidden (not a sliver)
    QTest::newRow("dock at 1024x640") << 170 << QList<int>{550, 450} << false;
    QTest::newRow("tiny, details first") << 60 << QList<int>{100, 900} << false;
    QTest::newRow("roomy") << 600 << QList<int>{550, 450} << true;
}

void TestServerPanel::tableKeepsRowsWhenSmall()
{
    QFETCH(int, height);
    QFETCH(QList<int>, sizes);
    QFETCH(bool, description);
    m_panel->resize(420, height);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_panel->splitter()->setSizes(sizes);
    QTRY_VERIFY2(visibleRows(m_panel->view()) >= ServerPanel::MinimumVisibleRows,
                 qPrintable(QStringLiteral("%1 rows in %2 px (panel %3 px)")
                                .arg(visibleRows(m_panel->view()))
                                .arg(m_panel->view()->viewport()->height())
                                .arg(m_panel->height())));
    QVERIFY(m_panel->model()->rowCount() > ServerPanel::MinimumVisibleRows);
    auto* view = m_panel->findChild<PayloadView*>(QStringLiteral("methodDescription"));
    QTRY_COMPARE(view->isVisible(), description);
    if (description)
        QVERIFY(view->height() >= 3 * view->fontMetrics().height());
    // The panel's minimum stays modest: a dock can still be made small.
    QVERIFY2(m_panel->minimumSizeHint().height() < 330,
             qPrintable(QString::number(m_panel->minimumSizeHint().height())));
}

// The introspection names ("system.methodSignature", bold in the table) are not elided.
void TestServerPanel::nameColumnFitsTheLongestName()
{
    m_panel->resize(500, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QTableView* view = m_panel->view();
    QFont bold = view->font();
    bold.setBold(true);
    int widest = 0;
    for (const QString& name : m_panel->model()->names())
        widest = qMax(widest, QFontMetrics(bold).horizontalAdvance(name));
    QVERIFY(widest >= QFontMetrics(bold).horizontalAdvance(QStringLiteral("system.methodSignature")));
    QTRY_VERIFY2(
        view->columnWidth(MethodsModel::NameColumn) >= widest,
        qPrintable(QStringLiteral("%1 < %2").arg(view->columnWidth(MethodsModel::NameColumn)).arg(widest)));
}

void TestServerPanel::tabOrderFollowsReadingOrder_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QStringList>("buttons"); // the enabled ones, left to right
    QTest::newRow("built-in selected")
        << QStringLiteral("add")
        << QStringList{QStringLiteral("newMethodButton"), QStringLiteral("toggleMethodButton"),
                       QStringLiteral("faultsButton")};
    QTest::newRow("nothing selected") << QString() << QStringList{QStringLiteral("newMethodButton")};
}

void TestServerPanel::tabOrderFollowsReadingOrder()
{
    QFETCH(QString, method);
    QFETCH(QStringList, buttons);
    m_panel->resize(500, 600);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    if (!method.isEmpty())
        QVERIFY(m_panel->selectMethod(method));

    auto* search = m_panel->findChild<QLineEdit*>(QStringLiteral("methodSearch"));
    QVERIFY(search);
    QList<const QWidget*> expected{search, m_panel->view()};
    for (const QString& name : buttons) {
        QVERIFY2(button(name), qPrintable(name));
        expected << button(name);
    }
    if (!method.isEmpty())
        expected << button(QStringLiteral("callThisButton"));
    expected << m_panel->findChild<PayloadView*>(QStringLiteral("methodDescription"))->editor();

    const uitest::FocusWalk walk = uitest::walkTabChain(search);
    const QString order = uitest::describe(walk.chain);
    QVERIFY2(!walk.stuck, qPrintable(order));
    qsizetype previous = -1;
    for (const QWidget* w : expected) {
        const qsizetype at = uitest::positionIn(walk.chain, w);
        QVERIFY2(at > previous,
                 qPrintable(QStringLiteral("%1 at %2 in %3").arg(uitest::describe(w)).arg(at).arg(order)));
        previous = at;
    }
    const QString invisible = uitest::invisibleStop(walk.chain);
    QVERIFY2(invisible.isEmpty(), qPrintable(invisible + QStringLiteral(" in ") + order));
    // The buttons sit under the table, where Tab goes after it.
    const QWidget* first = button(buttons.front());
    QVERIFY(first->mapTo(m_panel.get(), QPoint(0, 0)).y() >
            m_panel->view()->mapTo(m_panel.get(), QPoint(0, m_panel->view()->height() - 1)).y());
}

void TestServerPanel::connectionsTabListsClients()
{
    DemoServerFixture server;
    QVERIFY(server.start());
    m_panel->setServer(server.server.get());
    m_panel->resize(520, 420);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    QTabWidget* tabs = m_panel->tabs();
    ConnectionsPanel* connections = m_panel->connectionsPanel();
    QCOMPARE(tabs->tabText(tabs->indexOf(connections)), QStringLiteral("Connections"));

    SocketProbe a;
    SocketProbe b;
    QVERIFY(a.connectTo(server.port()));
    QVERIFY(b.connectTo(server.port()));
    for (SocketProbe* probe : {&a, &b})
        probe->send(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})"
                    "\n");
    SocketProbe http; // plain HTTP: listed, but cannot take pushes
    QVERIFY(http.connectTo(server.port()));
    const QByteArray body = R"({"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]})";
    http.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size()) +
              "\r\n\r\n" + body);
    QTRY_COMPARE(tabs->tabText(tabs->indexOf(connections)), QStringLiteral("Connections (3)"));
    QTRY_VERIFY(connections->model()->connections().size() == 3 &&
                connections->model()->connections().back().transport == Transport::Http);
    tabs->setCurrentWidget(connections);
    QTRY_VERIFY(connections->model()->pushCapableCount() == 2);
    QTRY_VERIFY(connections->findChild<QLabel*>(QStringLiteral("connectionsSummary"))
                    ->text()
                    .contains(QStringLiteral("3 open connections, 2 can take pushes")));
    QVERIFY(!connections->sendButton()->isEnabled()); // nothing selected yet
    QVERIFY(connections->selectConnection(connections->model()->connection(0).id));
    QVERIFY(connections->sendButton()->isEnabled());

    const uitest::FocusWalk walk = uitest::walkTabChain(connections->view());
    const QString order = uitest::describe(walk.chain);
    QVERIFY2(!walk.stuck, qPrintable(order));
    qsizetype previous = -1;
    for (const char* name : {"connectionsView", "sendToClientButton", "sendToAllButton"}) {
        const qsizetype at =
            uitest::positionIn(walk.chain, connections->findChild<QWidget*>(QLatin1String(name)));
        QVERIFY2(at > previous,
                 qPrintable(QStringLiteral("%1 at %2 in %3").arg(QLatin1String(name)).arg(at).arg(order)));
        previous = at;
    }
    QVERIFY(uitest::positionIn(walk.chain, tabs->tabBar()) >= 0);
    QVERIFY(uitest::positionIn(walk.chain, m_panel->view()) < 0); // the hidden tab is skipped
    const QString invisible = uitest::invisibleStop(walk.chain);
    QVERIFY2(invisible.isEmpty(), qPrintable(invisible + QStringLiteral(" in ") + order));

    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(QStringLiteral("server-connections.png"));
    QVERIFY(m_panel->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));

    b.socket().abort();
    QTRY_COMPARE(tabs->tabText(tabs->indexOf(connections)), QStringLiteral("Connections (2)"));
    m_panel->setServer(nullptr); // before the server goes
}

// A subscription mock's signature says nothing of what it pushes: the details do.
void TestServerPanel::subscriptionMockIsDescribed()
{
    MockService* mocks = m_session->engine()->mocks();
    UserMethod sub;
    sub.name = QStringLiteral("eth_subscribe");
    sub.kind = UserHandlerKind::Subscribe;
    sub.subscription.intervalMs = 250;
    sub.subscription.maxEvents = 4;
    QString error;
    QVERIFY2(mocks->addMethod(sub, &error), qPrintable(error));
    UserMethod unsub;
    unsub.name = QStringLiteral("eth_unsubscribe");
    unsub.kind = UserHandlerKind::Unsubscribe;
    QVERIFY2(mocks->addMethod(unsub, &error), qPrintable(error));
    auto* title = m_panel->findChild<QLabel*>(QStringLiteral("methodTitle"));
    QTRY_VERIFY(m_panel->selectMethod(QStringLiteral("eth_subscribe")));
    QTRY_VERIFY2(title->text().contains(QStringLiteral("sends eth_subscription every 250 ms, 4 times")),
                 qPrintable(title->text()));
    QVERIFY(m_panel->selectMethod(QStringLiteral("eth_unsubscribe")));
    QVERIFY2(title->text().contains(QStringLiteral("ends a subscription")), qPrintable(title->text()));
}

// Real calls of "sleep" through the Dispatcher on the panel's registry: the table's p50/p99
// and the histogram under it follow at the model's refresh, for the selected method only.
void TestServerPanel::latencyHistogramFollowsCalls()
{
    m_panel->model()->setRefreshInterval(50);
    m_panel->resize(520, 560);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_panel->splitter()->setSizes({300, 260});
    LatencyHistogramView* chart = m_panel->latencyView();
    QVERIFY(chart);
    QTRY_VERIFY(chart->isVisible());
    QVERIFY(chart->isEmpty());
    QVERIFY(chart->emptyText().contains(QStringLiteral("Select")));
    QVERIFY(m_panel->selectMethod(QStringLiteral("add")));
    QCOMPARE(chart->emptyText(), QStringLiteral("no calls yet"));

    test::DispatchHarness harness(m_session->registry());
    std::vector<std::shared_ptr<test::Outcome>> calls;
    int id = 0;
    for (const auto& [ms, times] : {std::pair{1, 30}, {4, 12}, {12, 6}, {40, 2}}) {
        for (int i = 0; i < times; ++i)
            calls.push_back(
                harness.send(QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"sleep","params":[%2]})")
                                 .arg(++id)
                                 .arg(ms)
                                 .toUtf8()));
    }
    for (int i = 0; i < 20; ++i)
        harness.send(
            QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"add","params":[1,2]})").arg(++id).toUtf8());
    QTRY_VERIFY(std::all_of(calls.begin(), calls.end(), [](const auto& c) { return c->calls == 1; }));

    // "add" is selected: its 20 calls, not the sleeps.
    QTRY_COMPARE(chart->snapshot().count(), quint64(20));
    QVERIFY(m_panel->selectMethod(QStringLiteral("sleep")));
    QTRY_COMPARE(chart->snapshot().count(), quint64(50));
    QVERIFY(!chart->bars().empty());
    QVERIFY(chart->p50Ns() >= 1'000'000 * 15 / 16 && chart->p50Ns() < 40'000'000);
    QVERIFY(chart->p99Ns() >= 40'000'000 * 15 / 16);
    MethodsModel* model = m_panel->model();
    const int row = model->rowOf(QStringLiteral("sleep"));
    QCOMPARE(model->index(row, MethodsModel::P99Column).data(MethodsModel::SortRole).toLongLong(),
             chart->p99Ns());
    QVERIFY(!model->index(row, MethodsModel::P50Column).data().toString().isEmpty());

    // More calls while it is shown: the chart follows without reselecting.
    harness.send(QByteArrayLiteral(R"({"jsonrpc":"2.0","id":0,"method":"sleep","params":[2]})"));
    QTRY_COMPARE(chart->snapshot().count(), quint64(51));

    const QString dir = qEnvironmentVariable("RPCBENCH_SCREENSHOT_DIR",
                                             QDir::current().filePath(QStringLiteral("screenshots")));
    QDir().mkpath(dir);
    const QString shot = QDir(dir).filePath(QStringLiteral("method-latency.png"));
    QVERIFY(m_panel->grab().save(shot));
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(QDir(dir).absoluteFilePath(shot))));
    // A narrow dock: the description yields, the chart keeps its room.
    m_panel->resize(360, 420);
    m_panel->splitter()->setSizes({260, 160});
    QTRY_VERIFY(chart->isVisible() && !chart->bars().empty());
    QVERIFY(!m_panel->findChild<PayloadView*>(QStringLiteral("methodDescription"))->isVisible());
    QTRY_VERIFY2(chart->height() > chart->minimumSizeHint().height() + 20,
                 qPrintable(QString::number(chart->height())));
    QVERIFY(m_panel->grab().save(QDir(dir).filePath(QStringLiteral("method-latency-narrow.png"))));
}

QTEST_MAIN(TestServerPanel)
#include "tst_serverpanel.moc"
